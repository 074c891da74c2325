use crate::finding::Finding;
use crate::k8s::{entry_span, present};
use crate::rules::FileCx;
use crate::yaml::NodeRef;

use super::util::psa_pods;

fn check(sc: Option<NodeRef<'_>>, who: &str, out: &mut Vec<Finding>) {
    let Some(w) = sc.and_then(|sc| present(sc, "windowsOptions")) else {
        return;
    };
    if w.get("hostProcess").and_then(|v| v.as_bool()) == Some(true)
        && let Some(span) = entry_span(w, "hostProcess")
    {
        out.push(
            Finding::new(
                "AFK011",
                span,
                format!("{who} runs as a Windows HostProcess container, with host access; set `windowsOptions.hostProcess: false`"),
            )
            .with_fix("Remove `windowsOptions.hostProcess` or set it to `false`."),
        );
    }
}

crate::rule!(Afk011, "AFK011", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        for (obj, pod) in psa_pods(cx, "AFK011") {
            check(
                pod.security_context(),
                &format!("{}: the pod", obj.display()),
                out,
            );
            for c in pod.containers() {
                check(
                    c.security_context(),
                    &format!("{}: {}", obj.display(), c.label()),
                    out,
                );
            }
        }
    }
});
