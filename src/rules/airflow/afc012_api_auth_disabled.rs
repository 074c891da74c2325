use super::common::{at, groups};
use crate::airflow::sources::Via;
use crate::finding::Finding;
use crate::rules::ProjectCx;

const OPEN: &str = "airflow.api.auth.backend.default";

crate::rule!(Afc012, "AFC012", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        for g in groups(cx) {
            for (sec, key) in [
                ("api", "auth_backends"),
                ("api", "auth_backend"),
                ("fab", "auth_backends"),
            ] {
                let Some(a) = g.effective(sec, key) else {
                    continue;
                };
                if a.s.via != Via::Value {
                    continue;
                }
                let Some(v) = a.s.value.as_deref() else {
                    continue;
                };
                if let Some(pos) = v.find(OPEN)
                    && v.split(',').any(|b| b.trim() == OPEN)
                {
                    out.push(
                        at("AFC012", a, a.s.value_sub_span(pos, pos + OPEN.len()), format!("[{sec}] {key} includes `{OPEN}`, which lets every request through: the REST API is unauthenticated ({})", g.version_label()))
                            .with_fix("Use `airflow.api.auth.backend.session` (optionally with `airflow.providers.fab.auth_manager.api.auth.backend.basic_auth` over TLS)."),
                    );
                }
            }
        }
    }
});
