//! Dockerfile `ENV AIRFLOW__...` / `ENV AIRFLOW_CONN_...` and
//! `FROM apache/airflow:X.Y.Z`, from the parsed Dockerfile model: the
//! final stage and the stages it builds on.

use super::knowledge::Version;
use super::sources::{Link, Marker, Setting, SourceKind, airflow_image_version};
use crate::dockerfile::{Dockerfile, unquote};
use crate::source::{Span, SpanMap};

/// Indices of the final stage and every stage it builds on.
fn final_chain(d: &Dockerfile) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut cur = d.final_stage().map(|s| s.index);
    while let Some(i) = cur {
        if chain.contains(&i) {
            break;
        }
        chain.push(i);
        cur = d.stages.get(i).and_then(|s| s.parent);
    }
    chain
}

/// The directory part of a display path ("" for a bare name).
pub fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// `rel` resolved against the directory `base` (`.` and `..` folded; a
/// leading `/` means the build context's root, as in COPY sources).
pub fn join_path(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in base
        .split('/')
        .chain(rel.trim_start_matches('/').split('/'))
    {
        match c {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

/// The Apache Airflow version a `pip install` pins in `text`
/// (`apache-airflow==X`, `apache-airflow[extras]==X`), and its offset.
pub fn pip_airflow_pin(text: &str) -> Option<(usize, Version)> {
    let mut from = 0;
    while let Some(pos) = text[from..].find("apache-airflow") {
        let at = from + pos;
        from = at + 14;
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            continue;
        }
        let mut rest = &text[from..];
        if rest.starts_with('[') {
            let Some(end) = rest.find(']') else { continue };
            rest = &rest[end + 1..];
        }
        let Some(v) = rest.strip_prefix("==") else {
            continue;
        };
        let v: String = v
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        if let Some(ver) = Version::parse(&v) {
            return Some((at, ver));
        }
    }
    None
}

pub fn from_dockerfile(d: &Dockerfile, text: &str, path: &str, out: &mut Vec<Setting>) {
    let chain = final_chain(d);
    let dir = dir_of(path);
    // COPY/ADD of an airflow.cfg from the build context (the Dockerfile's
    // directory): the copied file configures this image.
    for &i in &chain {
        let Some(st) = d.stages.get(i) else { continue };
        for ins in d.stage_instructions(st) {
            if !(ins.is("COPY") || ins.is("ADD")) || ins.flag("from").is_some() {
                continue;
            }
            let words = ins.arg_words();
            let Some((dest, srcs)) = words.split_last() else {
                continue;
            };
            let dest = unquote(&dest.value, d.escape);
            for w in srcs {
                let src = unquote(&w.value, d.escape);
                if src.contains(['$', '*', '?', '[']) || src.contains("://") {
                    continue;
                }
                let target = if src.ends_with("airflow.cfg") || dest.ends_with("airflow.cfg") {
                    join_path(dir, &src)
                } else if dest.ends_with('/') || src.ends_with('/') || src == "." {
                    join_path(dir, &format!("{src}/airflow.cfg"))
                } else {
                    continue;
                };
                let mut s = empty(SourceKind::DockerEnv);
                s.marker = Some(Marker::Link(Link::File(target)));
                s.key_span = w.span;
                s.value_span = w.span;
                out.push(s);
            }
        }
    }
    // The Airflow version of the image the final stage builds on.
    let before = out.len();
    for &i in &chain {
        let Some(st) = d.stages.get(i) else { continue };
        if let Some(v) = airflow_image_version(&st.base_resolved) {
            let mut s = empty(SourceKind::DockerEnv);
            s.marker = Some(Marker::Image);
            s.value = Some(v.to_string());
            s.key_span = st.base.span;
            s.value_span = st.base.span;
            out.push(s);
            break;
        }
    }
    // Else a `pip install apache-airflow==X` (ARG/ENV defaults expanded).
    if !out[before..]
        .iter()
        .any(|s| s.marker == Some(Marker::Image))
    {
        'pin: for &i in chain.iter().rev() {
            let Some(st) = d.stages.get(i) else { continue };
            for (k, ins) in d.stage_instructions(st).iter().enumerate() {
                if !ins.is("RUN") || !ins.text.contains("apache-airflow") {
                    continue;
                }
                let (t, _) = d.expand_at(st.instructions.start + k, &ins.text);
                if let Some((_, v)) = pip_airflow_pin(&t) {
                    let off = ins.text.find("apache-airflow").unwrap_or(0);
                    let span = ins.map_span(Span::new(off, off + 14));
                    let mut s = empty(SourceKind::DockerEnv);
                    s.marker = Some(Marker::Image);
                    s.value = Some(v.to_string());
                    s.key_span = span;
                    s.value_span = span;
                    out.push(s);
                    break 'pin;
                }
            }
        }
    }
    // Else the `AIRFLOW_VERSION` variable the final stage sees (the
    // official image's own build, and Dockerfiles that follow it).
    if !out[before..]
        .iter()
        .any(|s| s.marker == Some(Marker::Image))
        && let Some(last) = chain
            .first()
            .and_then(|&i| d.stages.get(i))
            .map(|st| st.instructions.end.saturating_sub(1))
        && let Some(v) = d
            .var_at(last + 1, "AIRFLOW_VERSION")
            .or_else(|| d.var_at(last, "AIRFLOW_VERSION"))
            .as_deref()
            .map(|v| v.trim_matches(['"', '\'']))
            .and_then(Version::parse)
    {
        let span = d
            .arg_pairs()
            .chain(d.env_pairs())
            .filter(|p| p.pair.key == "AIRFLOW_VERSION" && p.pair.value.is_some())
            .map(|p| p.pair.key_span)
            .last()
            .unwrap_or(Span::empty(0));
        let mut s = empty(SourceKind::DockerEnv);
        s.marker = Some(Marker::Image);
        s.value = Some(v.to_string());
        s.key_span = span;
        s.value_span = span;
        out.push(s);
    }
    for p in d.env_pairs() {
        if !p.stage.is_some_and(|st| chain.contains(&st)) {
            continue;
        }
        let kv = p.pair;
        let Some(value) = kv.value.as_deref() else {
            continue;
        };
        let vspan = kv.value_span.unwrap_or(Span::empty(kv.key_span.end()));
        let raw = text.get(vspan.start()..vspan.end()).unwrap_or("");
        // Offsets in the value map into the file when the value is written
        // as is (or just quoted); otherwise every offset maps to its start.
        let (map, vspan) = if raw == value {
            (SpanMap::identity(vspan.start()), vspan)
        } else if raw.len() == value.len() + 2 && raw.get(1..raw.len() - 1) == Some(value) {
            let inner = Span::new(vspan.start() + 1, vspan.end() - 1);
            (SpanMap::identity(inner.start()), inner)
        } else {
            (SpanMap::point(vspan.start()), vspan)
        };
        push_env(out, &kv.key, kv.key_span, value, vspan, map);
    }
}

fn empty(source: SourceKind) -> Setting {
    Setting::new(source, "", "Dockerfile")
}

fn push_env(
    out: &mut Vec<Setting>,
    name: &str,
    key_span: Span,
    value: &str,
    value_span: Span,
    map: SpanMap,
) {
    let mut s = empty(SourceKind::DockerEnv);
    if !s.set_env_name(name) {
        return;
    }
    s.key_span = key_span;
    s.value = Some(value.to_string());
    s.value_span = value_span;
    s.value_map = Some(map);
    out.push(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_and_from() {
        let t = "FROM apache/airflow:2.9.3\nENV AIRFLOW__CORE__LOAD_EXAMPLES=True \\\n    AIRFLOW__CORE__FERNET_KEY=\"abc\"\nENV AIRFLOW__WEBSERVER__SECRET_KEY temporary_key\n";
        let mut out = Vec::new();
        from_dockerfile(&crate::dockerfile::parse(t), t, "Dockerfile", &mut out);
        assert_eq!(out.len(), 4);
        assert_eq!(out[0].value.as_deref(), Some("2.9.3"));
        assert_eq!(out[2].value.as_deref(), Some("abc"));
        assert_eq!(
            &t[out[2].value_span.start()..out[2].value_span.end()],
            "abc"
        );
        assert_eq!(out[3].value.as_deref(), Some("temporary_key"));
        assert_eq!(out[3].key, "secret_key");
    }

    #[test]
    fn copy_links_and_pip_pins() {
        let t = "ARG AIRFLOW_VERSION=2.9.3\nFROM python:3.11\nARG AIRFLOW_VERSION\nRUN pip install \"apache-airflow[celery]==${AIRFLOW_VERSION}\"\nCOPY conf/airflow.cfg /opt/airflow/\nCOPY ../x.cfg /opt/airflow/airflow.cfg\n";
        let mut out = Vec::new();
        from_dockerfile(
            &crate::dockerfile::parse(t),
            t,
            "deploy/Dockerfile",
            &mut out,
        );
        let links: Vec<_> = out
            .iter()
            .filter_map(|s| match &s.marker {
                Some(Marker::Link(Link::File(p))) => Some(p.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(links, vec!["deploy/conf/airflow.cfg", "x.cfg"]);
        let v = out
            .iter()
            .find(|s| s.marker == Some(Marker::Image))
            .unwrap();
        assert_eq!(v.value.as_deref(), Some("2.9.3"));
        assert_eq!(
            pip_airflow_pin("pip install apache-airflow-providers-x==1.0"),
            None
        );
        assert_eq!(join_path("a/b", "../c/./d"), "a/c/d");
    }
}
