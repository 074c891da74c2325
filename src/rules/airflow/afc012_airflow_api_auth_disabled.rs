use super::common::at;
use super::versioned::effective_values;
use crate::rules::{Findings, ProjectCx};

const OPEN: &str = "airflow.api.auth.backend.default";

crate::rule!(Afc012, "AFC012", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        // Only the names the target version reads: Airflow 3 ignores
        // `auth_backends` (AFC001 reports it).
        let locs = [
            ("api", "auth_backends"),
            ("api", "auth_backend"),
            ("fab", "auth_backends"),
        ];
        for (g, a, v) in effective_values(cx, &locs) {
            if let Some(pos) = v.find(OPEN)
                && v.split(',').any(|b| b.trim() == OPEN)
            {
                let (sec, key) = (&a.s.section, &a.s.key);
                out.push(
                    at(a, a.s.value_sub_span(pos, pos + OPEN.len()), format!("[{sec}] {key} includes `{OPEN}`, which lets every request through: the REST API is unauthenticated ({})", g.version_label())),
                );
            }
        }
    }
});
