use crate::rules::{FileCx, Findings};

use super::sc::{Scope, containers};

crate::rule!(Afk002, "AFK002", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for c in containers(cx, out.rule(), Scope::PSS) {
            if let Some(f) = c.own("privileged")
                && f.value.as_bool() == Some(true)
            {
                out.push(c.finding(f.entry, "runs privileged (`securityContext.privileged: true`), with full access to the node; set `securityContext.privileged: false`"));
            }
        }
    }
});
