use crate::k8s::{ContainerKind, present};
use crate::rules::{FileCx, Findings};
use crate::yaml::NodeRef;

use super::sc::{Scope, pods};

/// A canonical text of a node: mappings with sorted keys, so two probes
/// written in a different order compare equal.
fn canon(n: NodeRef<'_>, depth: usize, out: &mut String) {
    let n = n.deref();
    if depth > 16 {
        return;
    }
    if n.is_mapping() {
        let mut entries: Vec<(String, NodeRef<'_>)> = n
            .entries()
            .map(|(k, v)| (k.scalar().unwrap_or("").to_string(), v))
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        out.push('{');
        for (k, v) in entries {
            // successThreshold must be 1 for liveness probes: not a difference
            // the user chose.
            if depth == 0 && k == "successThreshold" {
                continue;
            }
            out.push_str(&k);
            out.push(':');
            canon(v, depth + 1, out);
            out.push(',');
        }
        out.push('}');
    } else if n.is_sequence() {
        out.push('[');
        for i in n.items() {
            canon(i, depth + 1, out);
            out.push(',');
        }
        out.push(']');
    } else {
        out.push_str(n.scalar().unwrap_or(""));
    }
}

crate::rule!(Afk041, "AFK041", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for pod in pods(cx, out.rule(), Scope::PODS) {
            for c in pod.containers() {
                if c.c.kind == ContainerKind::Ephemeral {
                    continue;
                }
                let (Some(live), Some(ready)) = (
                    present(c.c.node, "livenessProbe"),
                    present(c.c.node, "readinessProbe"),
                ) else {
                    continue;
                };
                let (mut a, mut b) = (String::new(), String::new());
                canon(live, 0, &mut a);
                canon(ready, 0, &mut b);
                if a != b {
                    continue;
                }
                let span = c.c.node.key_span("livenessProbe").unwrap_or(c.anchor());
                out.push(
                    c.finding(span, format_args!("has identical liveness and readiness probes: when the check fails the container is restarted at the moment it is taken out of the Service, so a slow dependency turns into a restart loop")),
                );
            }
        }
    }
});
