use crate::finding::Finding;
use crate::k8s::entry_span;
use crate::rules::FileCx;

use super::util::psa_pods;

crate::rule!(Afk002, "AFK002", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        for (obj, pod) in psa_pods(cx, "AFK002") {
            for c in pod.containers() {
                let Some(sc) = c.security_context() else {
                    continue;
                };
                if sc.get("privileged").and_then(|v| v.as_bool()) == Some(true)
                    && let Some(span) = entry_span(sc, "privileged")
                {
                    out.push(
                        Finding::new(
                            "AFK002",
                            span,
                            format!(
                                "{}: {} runs privileged (`securityContext.privileged: true`), with full access to the node; set `securityContext.privileged: false`",
                                obj.display(),
                                c.label()
                            ),
                        )
                        .with_fix("Remove `privileged` or set `securityContext.privileged: false`."),
                    );
                }
            }
        }
    }
});
