use crate::finding::Finding;
use crate::k8s::{entry_span, present};
use crate::rules::{FileCx, Findings};
use crate::yaml::NodeRef;

use super::util::psa_pods;

fn check(sc: Option<NodeRef<'_>>, who: &str, out: &mut Findings<'_>) {
    let Some(w) = sc.and_then(|sc| present(sc, "windowsOptions")) else {
        return;
    };
    if w.get("hostProcess").and_then(|v| v.as_bool()) == Some(true)
        && let Some(span) = entry_span(w, "hostProcess")
    {
        out.push(
            Finding::new(span,
                format!("{who} runs as a Windows HostProcess container, with host access; set `windowsOptions.hostProcess: false`"),
            )
            .with_help("Remove `windowsOptions.hostProcess` or set it to `false`."),
        );
    }
}

crate::rule!(Afk011, "AFK011", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, pod) in psa_pods(cx, out.rule()) {
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
