use super::common::{at, groups};
use crate::airflow::sources::Via;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc016, "AFC016", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        for g in groups(cx) {
            for key in [
                "access_control_allow_origins",
                "access_control_allow_origin",
            ] {
                let Some(a) = g.effective("api", key) else {
                    continue;
                };
                if a.s.via != Via::Value {
                    continue;
                }
                let Some(v) = a.s.value.as_deref() else {
                    continue;
                };
                let Some(pos) = v.find('*') else { continue };
                if !v.split([' ', ',', '\n']).any(|o| o.trim() == "*") {
                    continue;
                }
                let effect = if g.version.is3() {
                    "Airflow 3 refuses a wildcard with credentialed CORS and the API server does not start"
                } else {
                    "any web site can read API responses in a logged-in user's browser"
                };
                out.push(
                    at(
                        "AFC016",
                        a,
                        a.s.value_sub_span(pos, pos + 1),
                        format!(
                            "[api] {key} allows every origin (`*`): {effect} ({})",
                            g.version_label()
                        ),
                    )
                    .with_fix(
                        "List the exact origins that need the API (`https://ui.example.com`).",
                    ),
                );
            }
        }
    }
});
