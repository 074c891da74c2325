use crate::finding::Finding;
use crate::k8s::entry_span;
use crate::rules::{FileCx, Findings};

use super::util::psa_pods;

crate::rule!(Afk014, "AFK014", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, pod) in psa_pods(cx, out.rule()) {
            if cx.settings.k8s_minor >= 25 && pod.is_windows() {
                continue;
            }
            for c in pod.containers() {
                let sc = c.security_context();
                let v = sc
                    .and_then(|sc| sc.get("allowPrivilegeEscalation"))
                    .filter(|v| !v.is_null());
                if v.and_then(|v| v.as_bool()) == Some(false) || (v.is_none() && c.is_fragment()) {
                    continue;
                }
                let (span, msg) = match (sc, v) {
                    (Some(sc), Some(_)) => (
                        entry_span(sc, "allowPrivilegeEscalation").unwrap_or(c.anchor()),
                        format!(
                            "{}: {} allows privilege escalation; set `securityContext.allowPrivilegeEscalation: false`",
                            obj.display(),
                            c.label()
                        ),
                    ),
                    _ => (
                        c.anchor(),
                        format!(
                            "{}: {} does not set `securityContext.allowPrivilegeEscalation: false`",
                            obj.display(),
                            c.label()
                        ),
                    ),
                };
                out.push(Finding::new(span, msg).with_help(
                    "Set `securityContext.allowPrivilegeEscalation: false` on the container.",
                ));
            }
        }
    }
});
