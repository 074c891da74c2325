use crate::finding::Finding;
use crate::k8s::entry_span;
use crate::rules::{FileCx, Findings};

use super::util::psa_pods;

crate::rule!(Afk001, "AFK001", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, pod) in psa_pods(cx, out.rule()) {
            for (key, what) in [
                ("hostNetwork", "network"),
                ("hostPID", "process ID"),
                ("hostIPC", "IPC"),
            ] {
                if pod.spec.get(key).and_then(|v| v.as_bool()) == Some(true)
                    && let Some(span) = entry_span(pod.spec, key)
                {
                    out.push(
                        Finding::new(span,
                            format!(
                                "{}: `{key}: true` shares the node's {what} namespace with the pod; remove it or set `{key}: false`",
                                obj.display()
                            ),
                        )
                        .with_help(format!("Remove `{key}` or set `{key}: false`.")),
                    );
                }
            }
        }
    }
});
