use super::common::{at, groups};
use super::versioned::effective;
use crate::airflow::sources::Via;
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afc030, "AFC030", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            let Some(a) = effective(g, "fab", "auth_role_public") else {
                continue;
            };
            if a.s.via != Via::Value {
                continue;
            }
            let Some(role) =
                a.s.value
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
            else {
                continue;
            };
            out.push(
                at(a, a.s.value_span, format!("[fab] auth_role_public gives unauthenticated visitors the `{role}` role ({})", g.version_label()))
                    .with_help("Leave `auth_role_public` empty so that every user must log in."),
            );
        }
    }
});
