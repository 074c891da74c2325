use super::common::{at, is_plaintext_source, literal, name_of, read_options};
use crate::airflow::knowledge;
use crate::mask::mask;
use crate::rules::{Findings, ProjectCx};
use crate::secrets::placeholder::is_reference_or_placeholder;

/// Well-known placeholder keys (Airflow's fail-safe value and common copies).
const KNOWN: &[&str] = &[
    "temporary_key",
    "changeme",
    "change_me",
    "change-me",
    "secret",
    "secret_key",
    "secretkey",
    "mysecret",
    "my_secret_key",
    "your_secret_key",
    "your-secret-key",
    "default",
    "airflow",
    "password",
    "test",
    "dev",
    // The community chart's (airflow-helm/charts) `airflow.webserverSecretKey` default.
    "this is unsafe!",
];

crate::rule!(Afc010, "AFC010", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for (g, a) in read_options(cx) {
            let s = a.s;
            if !(s.key == "secret_key" && (s.section == "webserver" || s.section == "api")) {
                continue;
            }
            let Some(v) = literal(s) else { continue };
            // Only where this version reads the option; elsewhere the
            // generic secret rules (AFS) report a plaintext value.
            if !knowledge::reads(&s.section, &s.key, g.version) {
                continue;
            }
            let t = v.trim().trim_matches(['"', '\'']);
            if t.is_empty() || is_reference_or_placeholder(t) || !is_plaintext_source(s) {
                continue;
            }
            let known = KNOWN.contains(&t.to_lowercase().as_str());
            let msg = if known {
                format!(
                    "{} is a well-known value (`{}`): anyone can forge session cookies and log-fetch tokens",
                    name_of(s),
                    mask(t)
                )
            } else {
                format!(
                    "{} is set in plaintext (`{}`) in {}: it signs sessions and log-fetch tokens",
                    name_of(s),
                    mask(t),
                    s.source.describe()
                )
            };
            out.push(
                at(a, s.value_span, msg)
                    .with_secret(s.value_span)
                    .with_fingerprint(format!("{}|{}", s.name, s.display())),
            );
        }
    }
});
