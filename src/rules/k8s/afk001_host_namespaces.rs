use crate::finding::Finding;
use crate::k8s::entry_span;
use crate::rules::FileCx;

use super::util::psa_pods;

crate::rule!(Afk001, "AFK001", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        for (obj, pod) in psa_pods(cx, "AFK001") {
            for (key, what) in [
                ("hostNetwork", "network"),
                ("hostPID", "process ID"),
                ("hostIPC", "IPC"),
            ] {
                if pod.spec.get(key).and_then(|v| v.as_bool()) == Some(true)
                    && let Some(span) = entry_span(pod.spec, key)
                {
                    out.push(
                        Finding::new(
                            "AFK001",
                            span,
                            format!(
                                "{}: `{key}: true` shares the node's {what} namespace with the pod; remove it or set `{key}: false`",
                                obj.display()
                            ),
                        )
                        .with_fix(format!("Remove `{key}` or set `{key}: false`.")),
                    );
                }
            }
        }
    }
});
