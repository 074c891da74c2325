use crate::finding::Applicability;
use crate::rules::{FileCx, Findings};

use super::sc::{FindingExt, Scope, pods};

crate::rule!(Afk017, "AFK017", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for pod in pods(cx, out.rule(), Scope::PSS_LINUX) {
            // A profile set to a disallowed type (`Unconfined`) is the
            // baseline control AFK009's (an error at every level); this
            // control adds only the requirement that a profile is set.
            for c in pod.containers() {
                if c.effective("seccompProfile").is_some() || c.is_fragment() {
                    continue;
                }
                // One pod-level default covers every container. Safe: it is
                // the profile container runtimes apply by default outside
                // Kubernetes (`docker run`), which images are built and
                // tested under; an explicit `Unconfined` is AFK009's, whose
                // fix is unsafe.
                let edits = pod.set(
                    &["securityContext", "seccompProfile", "type"],
                    "RuntimeDefault",
                );
                out.push(
                    c.finding(c.anchor(), "has no seccomp profile: set `securityContext.seccompProfile.type: RuntimeDefault` on the pod or the container")
                        .fix(Applicability::Safe, edits),
                );
            }
        }
    }
});
