use crate::finding::Finding;
use crate::k8s::{entry_span, present};
use crate::rules::{FileCx, Findings};
use crate::yaml::NodeRef;

use super::util::psa_pods;

fn check_handler(h: NodeRef<'_>, what: &str, who: &str, out: &mut Findings<'_>) {
    for action in ["httpGet", "tcpSocket"] {
        let Some(a) = present(h, action) else {
            continue;
        };
        let host = a.get("host").and_then(|v| v.as_str()).unwrap_or("");
        if !host.is_empty()
            && let Some(span) = entry_span(a, "host")
        {
            out.push(
                Finding::new(span,
                    format!("{who}: {what}.{action}.host is set to `{host}`; probes and lifecycle hooks may only target the pod; remove `host`"),
                )
                .with_help(format!("Remove `{what}.{action}.host`.")),
            );
        }
    }
}

crate::rule!(Afk012, "AFK012", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, pod) in psa_pods(cx, out.rule()) {
            for c in pod.containers() {
                let who = format!("{}: {}", obj.display(), c.label());
                for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                    if let Some(p) = present(c.node, probe) {
                        check_handler(p, probe, &who, out);
                    }
                }
                if let Some(l) = present(c.node, "lifecycle") {
                    for hook in ["postStart", "preStop"] {
                        if let Some(h) = present(l, hook) {
                            check_handler(h, &format!("lifecycle.{hook}"), &who, out);
                        }
                    }
                }
            }
        }
    }
});
