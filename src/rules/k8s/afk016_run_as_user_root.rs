use crate::finding::Finding;
use crate::k8s::entry_span;
use crate::rules::{FileCx, Findings};
use crate::yaml::NodeRef;

use super::util::psa_pods;

fn check(sc: Option<NodeRef<'_>>, who: &str, out: &mut Findings<'_>) {
    let Some(sc) = sc else { return };
    if sc.get("runAsUser").and_then(|v| v.as_i64()) == Some(0)
        && let Some(span) = entry_span(sc, "runAsUser")
    {
        out.push(
            Finding::new(
                span,
                format!("{who} runs as user 0 (root); set `runAsUser` to a non-zero UID"),
            )
            .with_help("Set `runAsUser` to a non-zero UID (for example 10001) or remove it."),
        );
    }
}

crate::rule!(Afk016, "AFK016", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, pod) in psa_pods(cx, out.rule()) {
            if cx.settings.k8s_minor >= 35 && pod.host_users_false() {
                continue;
            }
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
