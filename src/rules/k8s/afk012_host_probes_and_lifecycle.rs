use crate::k8s::{entry_span, present};
use crate::rules::{FileCx, Findings};
use crate::yaml::NodeRef;

use super::sc::{Ctr, Scope, containers};

fn check_handler(h: NodeRef<'_>, what: &str, c: &Ctr<'_>, out: &mut Findings<'_>) {
    for action in ["httpGet", "tcpSocket"] {
        let Some(a) = present(h, action) else {
            continue;
        };
        let host = a.get("host").and_then(|v| v.as_str()).unwrap_or("");
        if !host.is_empty()
            && let Some(span) = entry_span(a, "host")
        {
            out.push(crate::finding::Finding::new(
                span,
                format!("{}: {what}.{action}.host is set to `{host}`; probes and lifecycle hooks may only target the pod; remove `host`", c.who()),
            ));
        }
    }
}

crate::rule!(Afk012, "AFK012", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for c in containers(cx, out.rule(), Scope::PSS) {
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                if let Some(p) = present(c.c.node, probe) {
                    check_handler(p, probe, &c, out);
                }
            }
            if let Some(l) = present(c.c.node, "lifecycle") {
                for hook in ["postStart", "preStop"] {
                    if let Some(h) = present(l, hook) {
                        check_handler(h, &format!("lifecycle.{hook}"), &c, out);
                    }
                }
            }
        }
    }
});
