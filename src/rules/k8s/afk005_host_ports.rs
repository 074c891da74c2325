use crate::k8s::entry_span;
use crate::rules::{FileCx, Findings};

use super::sc::{Scope, containers};

crate::rule!(Afk005, "AFK005", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for c in containers(cx, out.rule(), Scope::PSS) {
            let Some(ports) = c.c.node.get("ports") else {
                continue;
            };
            for p in ports.items().map(|p| p.deref()) {
                let Some(hp) = p
                    .get("hostPort")
                    .filter(|hp| !hp.is_null() && hp.as_i64() != Some(0))
                else {
                    continue;
                };
                if let Some(span) = entry_span(p, "hostPort") {
                    let port = hp.scalar().unwrap_or("?");
                    out.push(c.finding(
                        span,
                        format_args!(
                            "binds host port {port} on the node; remove `hostPort` (or set it to 0)"
                        ),
                    ));
                }
            }
        }
    }
});
