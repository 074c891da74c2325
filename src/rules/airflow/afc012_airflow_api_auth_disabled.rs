use super::common::{at, groups};
use super::versioned::effective_of;
use crate::airflow::sources::Via;
use crate::rules::{Findings, ProjectCx};

const OPEN: &str = "airflow.api.auth.backend.default";

crate::rule!(Afc012, "AFC012", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            // Only the names the target version reads: Airflow 3 ignores
            // `auth_backends` (AFC001 reports it).
            for a in effective_of(
                g,
                &[
                    ("api", "auth_backends"),
                    ("api", "auth_backend"),
                    ("fab", "auth_backends"),
                ],
            ) {
                if a.s.via != Via::Value {
                    continue;
                }
                let Some(v) = a.s.value.as_deref() else {
                    continue;
                };
                if let Some(pos) = v.find(OPEN)
                    && v.split(',').any(|b| b.trim() == OPEN)
                {
                    let (sec, key) = (&a.s.section, &a.s.key);
                    out.push(
                        at(a, a.s.value_sub_span(pos, pos + OPEN.len()), format!("[{sec}] {key} includes `{OPEN}`, which lets every request through: the REST API is unauthenticated ({})", g.version_label()))
                            .with_help("Use `airflow.api.auth.backend.session` (optionally with `airflow.providers.fab.auth_manager.api.auth.backend.basic_auth` over TLS)."),
                    );
                }
            }
        }
    }
});
