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
            let refused_from = knowledge::documented_from().1.unwrap_or("a later release");
            let effect = match knowledge::cors_wildcard_refused(g.version) {
                Some(true) => "this Airflow version does not allow a wildcard with its credentialed CORS, so cross-origin clients fail".to_string(),
                Some(false) => "any web site may read API responses in a logged-in user's browser".to_string(),
                None => format!("any web site may read API responses in a logged-in user's browser, unless this release already refuses a wildcard, as Airflow documents from {refused_from} (cross-origin clients then fail)"),
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
