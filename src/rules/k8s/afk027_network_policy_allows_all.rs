use super::sc::{object_finding, objects};
use crate::k8s::builtin_group;
use crate::rules::{FileCx, Findings};
use crate::yaml::NodeRef;

fn is_empty_mapping(n: NodeRef<'_>) -> bool {
    n.is_mapping() && n.entries().next().is_none()
}

crate::rule!(Afk027, "AFK027", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, node) in objects(cx, |o| {
            o.kind == "NetworkPolicy" && builtin_group(&o.kind, o.group())
        }) {
            let Some(spec) = node.get("spec") else {
                continue;
            };
            for (dir, peers_key, word, open) in [
                (
                    "ingress",
                    "from",
                    "source",
                    "ingress to the selected pods from",
                ),
                (
                    "egress",
                    "to",
                    "destination",
                    "egress from the selected pods to",
                ),
            ] {
                let Some(rules) = spec.get(dir) else { continue };
                for rule in rules.items() {
                    let rule = rule.deref();
                    if is_empty_mapping(rule) {
                        out.push(
                            object_finding(obj, rule.span(), format_args!("an empty {dir} rule (`{{}}`) opens {open} everything, on every port"))
                            .with_help(format!("List the allowed peers under `{peers_key}` and the ports under `ports`.")),
                        );
                        continue;
                    }
                    let Some(peers) = rule.get(peers_key) else {
                        continue;
                    };
                    for peer in peers.items() {
                        let peer = peer.deref();
                        if is_empty_mapping(peer) {
                            out.push(
                                object_finding(obj, peer.span(), format_args!("an empty `{dir}.{peers_key}` peer (`{{}}`) matches every {word}: it opens {open} everything"))
                                .with_help("Replace the empty peer with a podSelector, namespaceSelector or a specific ipBlock."),
                            );
                            continue;
                        }
                        let Some(cidr) = peer.get("ipBlock").and_then(|b| b.get("cidr")) else {
                            continue;
                        };
                        let v = cidr.as_str().unwrap_or("").trim();
                        if v == "0.0.0.0/0" || v == "::/0" {
                            let except = if peer
                                .path(&["ipBlock", "except"])
                                .is_some_and(|e| e.items().next().is_some())
                            {
                                " but the listed exceptions"
                            } else {
                                ""
                            };
                            out.push(
                                object_finding(obj, cidr.span(), format_args!("ipBlock `{v}` in `{dir}.{peers_key}` opens {open} every address{except}"))
                                .with_help("Restrict the ipBlock to the CIDRs the traffic really needs."),
                            );
                        }
                    }
                }
            }
        }
    }
});
