//! Dockerfile `ENV AIRFLOW__...` / `ENV AIRFLOW_CONN_...` and
//! `FROM apache/airflow:X.Y.Z`, from the parsed Dockerfile model: the
//! final stage and the stages it builds on.

use super::sources::{Marker, Setting, SourceKind, Via, airflow_image_version};
use crate::dockerfile::Dockerfile;
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

pub fn from_dockerfile(d: &Dockerfile, text: &str, out: &mut Vec<Setting>) {
    let chain = final_chain(d);
    // The Airflow version of the image the final stage builds on.
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
        implicit: false,
    }
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
        from_dockerfile(&crate::dockerfile::parse(t), t, &mut out);
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
