use crate::finding::Finding;
use crate::k8s::entry_span;
use crate::rules::{FileCx, Findings};

use super::util::psa_pods;

crate::rule!(Afk005, "AFK005", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, pod) in psa_pods(cx, out.rule()) {
            for c in pod.containers() {
                let Some(ports) = c.node.get("ports") else {
                    continue;
                };
                for p in ports.items() {
                    let p = p.deref();
                    let Some(hp) = p.get("hostPort") else {
                        continue;
                    };
                    if hp.is_null() || hp.as_i64() == Some(0) {
                        continue;
                    }
                    if let Some(span) = entry_span(p, "hostPort") {
                        out.push(
                            Finding::new(span,
                                format!(
                                    "{}: {} binds host port {} on the node; remove `hostPort` (or set it to 0)",
                                    obj.display(),
                                    c.label(),
                                    hp.scalar().unwrap_or("?")
                                ),
                            )
                            .with_help("Remove `hostPort` (or set it to 0) and expose the port through a Service."),
                        );
                    }
                }
            }
        }
    }
});
