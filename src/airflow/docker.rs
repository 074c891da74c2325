//! Dockerfile `ENV AIRFLOW__...` and `FROM apache/airflow:X.Y.Z`.
//!
//! Until the Dockerfile model exposes ENV pairs, this reads the ENV and FROM
//! instructions from the text itself: one line each (continued lines are
//! followed), `key=value` words (quotes removed) or the legacy `ENV key value`.

use super::sources::{Marker, Setting, SourceKind, Via, airflow_image_version, parse_env_name};
use crate::dockerfile::Dockerfile;
use crate::source::{Span, SpanMap};

/// (word, start offset) pairs of an instruction's arguments.
fn words(text: &str, start: usize, end: usize) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = start;
    while i < end {
        while i < end
            && (b[i] == b' ' || b[i] == b'\t' || b[i] == b'\\' || b[i] == b'\n' || b[i] == b'\r')
        {
            i += 1;
        }
        if i >= end {
            break;
        }
        let ws = i;
        let mut w = String::new();
        let mut quote: Option<u8> = None;
        while i < end {
            let c = b[i];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == b'"' || c == b'\'' => quote = Some(c),
                None if c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' => break,
                None if c == b'\\' && matches!(b.get(i + 1), Some(b'\n') | Some(b'\r')) => break,
                None => {}
            }
            i += 1;
        }
        if let Some(raw) = text.get(ws..i) {
            w.push_str(raw);
        }
        out.push((w, ws, i));
    }
    out
}

fn unquote(s: &str) -> (&str, usize) {
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return (&s[1..s.len() - 1], 1);
        }
    }
    (s, 0)
}

pub fn from_dockerfile(_d: &Dockerfile, text: &str, out: &mut Vec<Setting>) {
    let mut pos = 0;
    while pos < text.len() {
        // One logical instruction: follow `\` continuations.
        let mut end = pos;
        loop {
            let le = text[end..]
                .find('\n')
                .map(|i| end + i)
                .unwrap_or(text.len());
            let line = text[end..le].trim_end_matches('\r');
            end = le;
            if line.trim_end().ends_with('\\') && le < text.len() {
                end = le + 1;
                continue;
            }
            break;
        }
        let stmt = &text[pos..end];
        let trimmed = stmt.trim_start();
        let lead = stmt.len() - trimmed.len();
        let kw_end = trimmed.find([' ', '\t']).unwrap_or(trimmed.len());
        let kw = trimmed[..kw_end].to_ascii_uppercase();
        let args_start = pos + lead + kw_end;
        if kw == "FROM" {
            for (w, ws, we) in words(text, args_start, end) {
                if w.starts_with("--") {
                    continue;
                }
                if let Some(v) = airflow_image_version(&w) {
                    let mut s = empty(SourceKind::DockerEnv);
                    s.marker = Some(Marker::Image);
                    s.value = Some(v.to_string());
                    s.key_span = Span::new(ws, we);
                    s.value_span = s.key_span;
                    out.push(s);
                }
                break;
            }
        } else if kw == "ENV" {
            let ws = words(text, args_start, end);
            let legacy = ws.first().is_some_and(|(w, _, _)| !w.contains('='));
            if legacy {
                if let Some((k, ks, ke)) = ws.first() {
                    let vstart = ws.get(1).map(|w| w.1).unwrap_or(*ke);
                    let vend = ws.last().map(|w| w.2).unwrap_or(*ke).max(vstart);
                    let raw = text.get(vstart..vend).unwrap_or("");
                    push_env(out, k, Span::new(*ks, *ke), raw, vstart);
                }
            } else {
                for (w, s, _) in ws {
                    let Some((k, v)) = w.split_once('=') else {
                        continue;
                    };
                    let vstart = s + k.len() + 1;
                    push_env(out, k, Span::new(s, s + k.len()), v, vstart);
                }
            }
        }
        pos = end + 1;
    }
}

fn empty(source: SourceKind) -> Setting {
    Setting {
        section: String::new(),
        key: String::new(),
        via: Via::Value,
        value: None,
        source,
        name: String::new(),
        key_span: Span::empty(0),
        value_span: Span::empty(0),
        value_map: None,
        group: String::new(),
        origin: "Dockerfile".into(),
        case_ok: true,
        interp_error: None,
        from_secret: false,
        marker: None,
    }
}

fn push_env(out: &mut Vec<Setting>, name: &str, key_span: Span, raw: &str, vstart: usize) {
    let Some((section, key, via, case_ok)) = parse_env_name(name) else {
        return;
    };
    let (v, q) = unquote(raw);
    let mut s = empty(SourceKind::DockerEnv);
    s.section = section;
    s.key = key;
    s.via = via;
    s.case_ok = case_ok;
    s.name = name.to_string();
    s.key_span = key_span;
    s.value = Some(v.to_string());
    s.value_span = Span::new(vstart + q, vstart + q + v.len());
    s.value_map = Some(SpanMap::identity(vstart + q));
    out.push(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_and_from() {
        let t = "FROM apache/airflow:2.9.3\nENV AIRFLOW__CORE__LOAD_EXAMPLES=True \\\n    AIRFLOW__CORE__FERNET_KEY=\"abc\"\nENV AIRFLOW__WEBSERVER__SECRET_KEY temporary_key\n";
        let mut out = Vec::new();
        from_dockerfile(&Dockerfile::default(), t, &mut out);
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
}
