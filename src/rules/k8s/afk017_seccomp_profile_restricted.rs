use crate::finding::Finding;
use crate::k8s::present;
use crate::rules::{FileCx, Findings};

use super::util::psa_pods;

crate::rule!(Afk017, "AFK017", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let fix = "Set `securityContext.seccompProfile.type: RuntimeDefault` (or `Localhost`) on the pod.";
        for (obj, pod) in psa_pods(cx, out.rule()) {
            if cx.settings.k8s_minor >= 25 && pod.is_windows() {
                continue;
            }
            // A profile set to a disallowed type (`Unconfined`) is the
            // baseline control AFK009's (an error at every level); this
            // control adds only the requirement that a profile is set.
            if pod
                .security_context()
                .is_some_and(|sc| present(sc, "seccompProfile").is_some())
            {
                continue;
            }
            for c in pod.containers() {
                if c.sc_field("seccompProfile").is_some() || c.is_fragment() {
                    continue;
                }
                out.push(
                    Finding::new(c.anchor(),
                        format!(
                            "{}: {} has no seccomp profile: set `securityContext.seccompProfile.type: RuntimeDefault` on the pod or the container",
                            obj.display(),
                            c.label()
                        ),
                    )
                    .with_help(fix),
                );
            }
        }
    }
});
