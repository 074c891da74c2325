use crate::rules::{FileCx, Findings};

use super::sc::{Scope, pods};

crate::rule!(Afk016, "AFK016", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for pod in pods(cx, out.rule(), Scope::PSS_HOST_USERS) {
            for (c, sc) in pod.contexts() {
                let Some(f) = super::sc::field(sc, "runAsUser") else {
                    continue;
                };
                if f.value.as_i64() != Some(0) {
                    continue;
                }
                let text = "runs as user 0 (root); set `runAsUser` to a non-zero UID";
                out.push(match c {
                    Some(c) => c.finding(f.entry, text),
                    None => pod.finding(f.entry, format_args!("the pod {text}")),
                });
            }
        }
    }
});
