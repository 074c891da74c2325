use crate::rules::{FileCx, Findings};

use super::sc::{Scope, pods};

crate::rule!(Afk001, "AFK001", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for pod in pods(cx, out.rule(), Scope::PSS) {
            for (key, what) in [
                ("hostNetwork", "network"),
                ("hostPID", "process ID"),
                ("hostIPC", "IPC"),
            ] {
                if pod.spec.spec.get(key).and_then(|v| v.as_bool()) == Some(true)
                    && let Some(span) = crate::k8s::entry_span(pod.spec.spec, key)
                {
                    out.push(pod.finding(span, format_args!("`{key}: true` shares the node's {what} namespace with the pod; remove it or set `{key}: false`")));
                }
            }
        }
    }
});
