use crate::finding::Finding;
use crate::k8s::entry_span;
use crate::rules::{FileCx, Findings};

use super::util::psa_pods;

crate::rule!(Afk002, "AFK002", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, pod) in psa_pods(cx, out.rule()) {
            for c in pod.containers() {
                let Some(sc) = c.security_context() else {
                    continue;
                };
                if sc.get("privileged").and_then(|v| v.as_bool()) == Some(true)
                    && let Some(span) = entry_span(sc, "privileged")
                {
                    out.push(
                        Finding::new(span,
                            format!(
                                "{}: {} runs privileged (`securityContext.privileged: true`), with full access to the node; set `securityContext.privileged: false`",
                                obj.display(),
                                c.label()
                            ),
                        )
                        .with_help("Remove `privileged` or set `securityContext.privileged: false`."),
                    );
                }
            }
        }
    }
});
