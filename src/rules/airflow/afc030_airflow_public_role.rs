use super::common::at;
use super::versioned::effective_values;
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afc030, "AFC030", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for (g, a, v) in effective_values(cx, &[("fab", "auth_role_public")]) {
            let role = v.trim();
            if role.is_empty() {
                continue;
            }
            out.push(at(
                a,
                a.s.value_span,
                format!(
                    "[fab] auth_role_public gives unauthenticated visitors the `{role}` role ({})",
                    g.version_label()
                ),
            ));
        }
    }
});
