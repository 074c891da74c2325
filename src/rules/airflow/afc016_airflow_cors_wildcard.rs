use super::common::at;
use super::versioned::effective_values;
use crate::airflow::knowledge;
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afc016, "AFC016", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        let locs = [
            ("api", "access_control_allow_origins"),
            ("api", "access_control_allow_origin"),
        ];
        for (g, a, v) in effective_values(cx, &locs) {
            let Some(pos) = v.find('*') else { continue };
            if !v.split([' ', ',', '\n']).any(|o| o.trim() == "*") {
                continue;
            }
            // The behaviour follows the release: a wildcard is refused
            // from the release whose configuration reference says so.
            let effect = if knowledge::cors_wildcard_refused(g.version) {
                "this Airflow version does not allow a wildcard with its credentialed CORS, so cross-origin clients fail"
            } else {
                "any web site may read API responses in a logged-in user's browser"
            };
            out.push(at(
                a,
                a.s.value_sub_span(pos, pos + 1),
                format!(
                    "[api] {} allows every origin (`*`): {effect} ({})",
                    a.s.key,
                    g.version_label()
                ),
            ));
        }
    }
});
