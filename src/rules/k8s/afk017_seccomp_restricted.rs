use crate::finding::Finding;
use crate::k8s::present;
use crate::rules::FileCx;

use super::afk009_seccomp_baseline::bad_seccomp;
use super::util::psa_pods;

crate::rule!(Afk017, "AFK017", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let fix = "Set `securityContext.seccompProfile.type: RuntimeDefault` (or `Localhost`) on the pod.";
        for (obj, pod) in psa_pods(cx, "AFK017") {
            if cx.settings.k8s_minor >= 25 && pod.is_windows() {
                continue;
            }
            let mut pod_ok = false;
            if let Some(sc) = pod.security_context()
                && present(sc, "seccompProfile").is_some()
            {
                match bad_seccomp(sc) {
                    Some((span, t)) => out.push(
                        Finding::new(
                            "AFK017",
                            span,
                            format!(
                                "{}: pod seccomp profile type `{t}` is not allowed; set `seccompProfile.type: RuntimeDefault` (or `Localhost`)",
                                obj.display()
                            ),
                        )
                        .with_fix(fix),
                    ),
                    None => pod_ok = true,
                }
            }
            for c in pod.containers() {
                match c.security_context().filter(|sc| present(*sc, "seccompProfile").is_some()) {
                    Some(sc) => {
                        if let Some((span, t)) = bad_seccomp(sc) {
                            out.push(
                                Finding::new(
                                    "AFK017",
                                    span,
                                    format!(
                                        "{}: {} seccomp profile type `{t}` is not allowed; set `seccompProfile.type: RuntimeDefault` (or `Localhost`)",
                                        obj.display(),
                                        c.label()
                                    ),
                                )
                                .with_fix(fix),
                            );
                        }
                    }
                    None if !pod_ok => out.push(
                        Finding::new(
                            "AFK017",
                            c.anchor(),
                            format!(
                                "{}: {} has no seccomp profile: set `securityContext.seccompProfile.type: RuntimeDefault` on the pod or the container",
                                obj.display(),
                                c.label()
                            ),
                        )
                        .with_fix(fix),
                    ),
                    None => {}
                }
            }
        }
    }
});
