use crate::rules::{FileCx, Findings};

use super::sc::{FindingExt, Scope, pods, safe_if};

// The fix sets `runAsNonRoot: true`. The kubelet then refuses to start a
// container whose image runs as root, so it is safe only where the
// effective `runAsUser` is already a non-zero UID (the check passes with
// no change in behaviour); elsewhere it is unsafe.
crate::rule!(Afk015, "AFK015", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for pod in pods(cx, out.rule(), Scope::PSS_HOST_USERS) {
            let mut pod_ok = false;
            if let Some(f) = pod.field("runAsNonRoot") {
                if f.value.as_bool() == Some(true) {
                    pod_ok = true;
                } else {
                    let safe = pod.containers().all(|c| c.non_root_uid().is_some());
                    out.push(
                        pod.finding(f.entry, "the pod sets `runAsNonRoot` to a value other than true; set `securityContext.runAsNonRoot: true`")
                            .fix(safe_if(safe), pod.set(&["securityContext", "runAsNonRoot"], "true")),
                    );
                }
            }
            for c in pod.containers() {
                let safe = safe_if(c.non_root_uid().is_some());
                let edits = || c.set(&["runAsNonRoot"], "true");
                match c.own("runAsNonRoot") {
                    Some(f) if f.value.as_bool() != Some(true) => out.push(
                        c.finding(f.entry, "sets `runAsNonRoot` to a value other than true; set `securityContext.runAsNonRoot: true`")
                            .fix(safe, edits()),
                    ),
                    Some(_) => {}
                    None if !pod_ok && !c.is_fragment() => {
                        let text = match c.effective("runAsUser").and_then(|u| u.value.as_i64()) {
                            // A non-zero UID runs as that user, but
                            // nothing stops an override to root, and the
                            // restricted level requires the guarantee.
                            Some(uid) if uid != 0 => format!(
                                "runs as UID {uid} but neither it nor the pod sets `securityContext.runAsNonRoot: true`, which the restricted level requires to guarantee it never runs as root"
                            ),
                            _ => "may run as root: neither it nor the pod sets `securityContext.runAsNonRoot: true`".to_string(),
                        };
                        out.push(c.finding(c.anchor(), text).fix(safe, edits()));
                    }
                    None => {}
                }
            }
        }
    }
});
