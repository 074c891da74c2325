use crate::finding::Finding;
use crate::k8s::psa::BASELINE_CAPABILITIES;
use crate::rules::{FileCx, Findings};

use super::util::psa_pods;

crate::rule!(Afk018, "AFK018", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, pod) in psa_pods(cx, out.rule()) {
            if cx.settings.k8s_minor >= 25 && pod.is_windows() {
                continue;
            }
            for c in pod.containers() {
                let caps = c.sc_field("capabilities");
                let drop = caps.and_then(|cp| cp.get("drop"));
                let drops_all = drop.is_some_and(|d| d.items().any(|i| i.as_str() == Some("ALL")));
                let fragment_unset = drop.is_none() && c.is_fragment();
                if !drops_all && !fragment_unset {
                    let span = caps
                        .and_then(|cp| cp.key_span("drop"))
                        .unwrap_or(c.anchor());
                    out.push(
                        Finding::new(span,
                            format!(
                                "{}: {} does not drop all capabilities; set `securityContext.capabilities.drop: [\"ALL\"]`",
                                obj.display(),
                                c.label()
                            ),
                        )
                        .with_help("Add `securityContext.capabilities.drop: [\"ALL\"]` to the container."),
                    );
                }
                if let Some(add) = caps.and_then(|cp| cp.get("add")) {
                    for item in add.items() {
                        let cap = item.as_str().unwrap_or("");
                        // Capabilities outside the baseline list are the
                        // baseline control AFK003's (an error), not reported twice.
                        if cap != "NET_BIND_SERVICE" && BASELINE_CAPABILITIES.contains(&cap) {
                            out.push(
                                Finding::new(item.span(),
                                    format!(
                                        "{}: {} adds capability `{cap}`; the restricted level allows only NET_BIND_SERVICE; remove it from `securityContext.capabilities.add`",
                                        obj.display(),
                                        c.label()
                                    ),
                                )
                                .with_help(format!("Remove `{cap}` from `securityContext.capabilities.add`.")),
                            );
                        }
                    }
                }
            }
        }
    }
});
