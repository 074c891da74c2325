use crate::k8s::psa::BASELINE_CAPABILITIES;
use crate::rules::{FileCx, Findings};

use super::sc::{Scope, containers};

crate::rule!(Afk003, "AFK003", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for c in containers(cx, out.rule(), Scope::PSS) {
            let Some(add) = c.own("capabilities").and_then(|f| f.value.get("add")) else {
                continue;
            };
            for item in add.items() {
                let cap = item.as_str().unwrap_or("");
                if !BASELINE_CAPABILITIES.contains(&cap) {
                    out.push(
                        c.finding(item.span(), format_args!("adds capability `{cap}`, which the baseline Pod Security level does not allow; remove it from `securityContext.capabilities.add`"))
                            .with_help(format!(
                                "Remove `{cap}` from `securityContext.capabilities.add` (allowed: {}).",
                                BASELINE_CAPABILITIES.join(", ")
                            )),
                    );
                }
            }
        }
    }
});
