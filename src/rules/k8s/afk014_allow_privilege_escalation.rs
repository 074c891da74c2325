use crate::finding::Applicability;
use crate::rules::{FileCx, Findings};

use super::sc::{FindingExt, Scope, containers};

/// The API server rejects `allowPrivilegeEscalation: false` next to
/// `privileged: true` or an added `SYS_ADMIN`: no fix there.
fn fix_conflicts(c: &super::sc::Ctr<'_>) -> bool {
    c.own("privileged").and_then(|f| f.value.as_bool()) == Some(true)
        || c.own("capabilities")
            .and_then(|f| f.value.get("add"))
            .is_some_and(|a| {
                a.items()
                    .any(|i| matches!(i.as_str(), Some("SYS_ADMIN" | "CAP_SYS_ADMIN")))
            })
}

crate::rule!(Afk014, "AFK014", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for c in containers(cx, out.rule(), Scope::PSS_LINUX) {
            let v = c.own("allowPrivilegeEscalation");
            if v.and_then(|f| f.value.as_bool()) == Some(false) || (v.is_none() && c.is_fragment())
            {
                continue;
            }
            let f = match v {
                Some(f) => c.finding(
                    f.entry,
                    "allows privilege escalation; set `securityContext.allowPrivilegeEscalation: false`",
                ),
                None => c.finding(
                    c.anchor(),
                    "does not set `securityContext.allowPrivilegeEscalation: false`",
                ),
            };
            // Safe: the pod still starts and a root process keeps its
            // capabilities; only a setuid/file-capability exec stops
            // gaining privileges, the escalation the control forbids.
            let edits = (!fix_conflicts(&c))
                .then(|| c.set(&["allowPrivilegeEscalation"], "false"))
                .flatten();
            out.push(f.fix(Applicability::Safe, edits));
        }
    }
});
