use crate::rules::{FileCx, Findings};

use super::util::rbac_rules;

crate::rule!(Afk036, "AFK036", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for r in rbac_rules(cx) {
            // `resourceNames` limits `get` to named Secrets; `*` resources
            // are AFK034's.
            if !r.group("") || r.limited_to_names() {
                continue;
            }
            let (verb, reach) = match (r.verb(&["list", "watch"]), r.verb(&["get"])) {
                (Some(v), _) => (v, "reads every Secret"),
                (None, Some(v)) => (v, "reads any Secret whose name is known"),
                (None, None) => continue,
            };
            for (_, node) in r.named(&["secrets"]) {
                out.push(
                    r.finding(node.span(), format_args!("`{verb}` on `secrets` {reach} {} (service account tokens, database passwords, TLS keys)", r.scope())),
                );
            }
        }
    }
});
