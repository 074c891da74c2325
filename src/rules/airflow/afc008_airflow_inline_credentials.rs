use std::sync::OnceLock;

use regex::Regex;

use super::common::{at, groups, is_plaintext_source, literal, name_of};
use crate::airflow::knowledge;
use crate::airflow::model::At;
use crate::airflow::sources::{Marker, Setting};
use crate::mask::mask;
use crate::rules::{Findings, ProjectCx};
use crate::secrets::placeholder::is_reference_or_placeholder;

/// Options holding connection URLs whose `user:password@` part is a secret.
const URL_OPTIONS: &[(&str, &str)] = &[
    ("core", "sql_alchemy_conn"),
    ("database", "sql_alchemy_conn"),
    ("database", "sql_alchemy_conn_async"),
    ("celery", "broker_url"),
    ("celery", "result_backend"),
    ("sentry", "sentry_dsn"),
    ("elasticsearch", "host"),
    ("opensearch", "host"),
];

/// Sensitive options whose whole value is a secret (fernet_key and the
/// session secret keys have their own rules, AFC009 and AFC010).
const SECRET_OPTIONS: &[(&str, &str)] = &[
    ("smtp", "smtp_password"),
    ("core", "internal_api_secret_key"),
    ("api_auth", "jwt_secret"),
    ("celery", "flower_basic_auth"),
    ("keycloak_auth_manager", "client_secret"),
    ("opensearch", "password"),
];

/// Sensitive options holding JSON keyword arguments.
const KWARGS_OPTIONS: &[(&str, &str)] = &[
    ("secrets", "backend_kwargs"),
    ("workers", "secrets_backend_kwargs"),
    ("logging", "remote_task_handler_kwargs"),
    ("database", "sql_alchemy_engine_args"),
    ("core", "asset_manager_kwargs"),
    ("core", "dataset_manager_kwargs"),
    ("celery_broker_transport_options", "sentinel_kwargs"),
    ("celery_result_backend_transport_options", "sentinel_kwargs"),
];

fn kwargs_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?i)["']([a-z_]*(?:password|passwd|secret|token|secret_id|role_id|api_key|access_key|private_key)[a-z_]*)["']\s*:\s*["']([^"']+)["']"#)
            .expect("constant regex")
    })
}

/// Byte ranges of passwords in `scheme://user:password@host` URLs.
pub fn url_passwords(v: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = v[from..].find("://") {
        let auth_start = from + p + 3;
        let rest = &v[auth_start..];
        let auth_len = rest
            .find(['/', '?', '#', ';', ' ', ',', '\n'])
            .unwrap_or(rest.len());
        let auth = &rest[..auth_len];
        if let Some(at) = auth.rfind('@')
            && let Some(colon) = auth[..at].find(':')
        {
            let (s, e) = (auth_start + colon + 1, auth_start + at);
            if e > s && !is_reference_or_placeholder(&v[s..e]) {
                out.push((s, e));
            }
        }
        from = auth_start + auth_len;
    }
    out
}

fn is(s: &Setting, list: &[(&str, &str)]) -> bool {
    list.iter().any(|(a, b)| s.section == *a && s.key == *b)
}

/// `AIRFLOW_CONN_<ID>` env vars: a URI or JSON with a password.
fn check_connection(a: At<'_>, out: &mut Findings<'_>) {
    let s = a.s;
    let Some(v) = literal(s) else { return };
    let fix = "Keep connections in a secrets backend, or fill `AIRFLOW_CONN_*` from a Kubernetes Secret (`valueFrom.secretKeyRef`).";
    let mut spans: Vec<(usize, usize)> = url_passwords(v);
    if v.trim_start().starts_with('{') {
        spans.extend(
            kwargs_re()
                .captures_iter(v)
                .filter_map(|c| c.get(2))
                .filter(|m| !is_reference_or_placeholder(m.as_str()))
                .map(|m| (m.start(), m.end())),
        );
    }
    for (ps, pe) in spans {
        let span = s.value_sub_span(ps, pe);
        out.push(
            at(
                a,
                span,
                format!(
                    "connection `{}` ({}) embeds its secret in the URI (`{}`) in {}",
                    s.key,
                    s.name,
                    mask(&v[ps..pe]),
                    s.source.describe()
                ),
            )
            .with_secret(span)
            .with_fingerprint(format!("{}|{}", s.name, s.display()))
            .with_help(fix),
        );
    }
}

crate::rule!(Afc008, "AFC008", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            for a in g
                .settings
                .iter()
                .filter(|a| a.s.marker == Some(Marker::Connection))
            {
                check_connection(*a, out);
            }
            for a in g.options() {
                let s = a.s;
                let Some(v) = literal(s) else { continue };
                // Only where this version reads the option; elsewhere the
                // generic secret rules (AFS) report a plaintext value.
                if !knowledge::reads(&s.section, &s.key, g.version) {
                    continue;
                }
                if !is_plaintext_source(s) || v.trim().is_empty() || !s.case_ok {
                    continue;
                }
                let fix = if s.source.is_env() {
                    "Take the value from a Kubernetes Secret (`valueFrom.secretKeyRef`), or use the `_CMD`/`_SECRET` variant or a secrets backend."
                } else {
                    "Remove the credential from the file: use the `_cmd`/`_secret` variant, a secrets backend, or an `AIRFLOW__...` env var filled from a Kubernetes Secret."
                };
                if is(s, URL_OPTIONS) {
                    for (ps, pe) in url_passwords(v) {
                        let shown = format!("{}{}{}", &v[..ps], mask(&v[ps..pe]), &v[pe..]);
                        let shown: String = shown.chars().take(120).collect();
                        let span = s.value_sub_span(ps, pe);
                        out.push(
                            at(
                                a,
                                span,
                                format!(
                                    "{} embeds a secret in its URL (`{shown}`) in {}",
                                    name_of(s),
                                    s.source.describe()
                                ),
                            )
                            .with_secret(span)
                            .with_fingerprint(format!("{}|{}", s.name, s.display()))
                            .with_help(fix),
                        );
                    }
                } else if is(s, SECRET_OPTIONS) {
                    if is_reference_or_placeholder(v) {
                        continue;
                    }
                    out.push(
                        at(
                            a,
                            s.value_span,
                            format!(
                                "{} is a credential in plaintext (`{}`) in {}",
                                name_of(s),
                                mask(v),
                                s.source.describe()
                            ),
                        )
                        .with_secret(s.value_span)
                        .with_fingerprint(format!("{}|{}", s.name, s.display()))
                        .with_help(fix),
                    );
                } else if is(s, KWARGS_OPTIONS) {
                    for c in kwargs_re().captures_iter(v) {
                        let (Some(k), Some(m)) = (c.get(1), c.get(2)) else {
                            continue;
                        };
                        if is_reference_or_placeholder(m.as_str()) {
                            continue;
                        }
                        let span = s.value_sub_span(m.start(), m.end());
                        out.push(
                            at(
                                a,
                                span,
                                format!(
                                    "{} holds `{}` in plaintext (`{}`)",
                                    name_of(s),
                                    k.as_str(),
                                    mask(m.as_str())
                                ),
                            )
                            .with_secret(span)
                            .with_fingerprint(format!("{}|{}", s.name, s.display()))
                            .with_help(fix),
                        );
                    }
                }
            }
        }
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls() {
        let v = "postgresql+psycopg2://airflow:pw@db:5432/airflow";
        let p = url_passwords(v);
        assert_eq!(p.len(), 1);
        assert_eq!(&v[p[0].0..p[0].1], "pw");
        assert!(url_passwords("redis://:${REDIS_PASSWORD}@redis:6379/0").is_empty());
        assert_eq!(url_passwords("redis://:pa@ss@redis:6379/0").len(), 1);
        assert!(url_passwords("redis://redis:6379/0").is_empty());
        assert!(url_passwords("postgresql://user@db/x").is_empty());
    }
}
