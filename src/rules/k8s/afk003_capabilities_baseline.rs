use crate::finding::Finding;
use crate::k8s::psa::BASELINE_CAPABILITIES;
use crate::rules::{FileCx, Findings};

use super::util::psa_pods;

crate::rule!(Afk003, "AFK003", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, pod) in psa_pods(cx, out.rule()) {
            for c in pod.containers() {
                let Some(add) = c.sc_field("capabilities").and_then(|caps| caps.get("add")) else {
                    continue;
                };
                for item in add.items() {
                    let cap = item.as_str().unwrap_or("");
                    if !BASELINE_CAPABILITIES.contains(&cap) {
                        out.push(
                            Finding::new(item.span(),
                                format!(
                                    "{}: {} adds capability `{cap}`, which the baseline Pod Security level does not allow; remove it from `securityContext.capabilities.add`",
                                    obj.display(),
                                    c.label()
                                ),
                            )
                            .with_help(format!(
                                "Remove `{cap}` from `securityContext.capabilities.add` (allowed: {}).",
                                BASELINE_CAPABILITIES.join(", ")
                            )),
                        );
                    }
                }
            }
        }
    }
});
