use crate::k8s::entry_span;
use crate::rules::{FileCx, Findings};

use super::sc::{Scope, field, pods};

crate::rule!(Afk011, "AFK011", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for pod in pods(cx, out.rule(), Scope::PSS) {
            for (c, sc) in pod.contexts() {
                let Some(w) = field(sc, "windowsOptions").map(|f| f.value) else {
                    continue;
                };
                if w.get("hostProcess").and_then(|v| v.as_bool()) == Some(true)
                    && let Some(span) = entry_span(w, "hostProcess")
                {
                    let text = "runs as a Windows HostProcess container, with host access; set `windowsOptions.hostProcess: false`";
                    out.push(match c {
                        Some(c) => c.finding(span, text),
                        None => pod.finding(span, format_args!("the pod {text}")),
                    });
                }
            }
        }
    }
});
