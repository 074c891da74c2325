use crate::rules::{FileCx, Findings};

use super::util::rbac_rules;

const WEBHOOKS: &[&str] = &[
    "mutatingwebhookconfigurations",
    "validatingwebhookconfigurations",
];

crate::rule!(Afk039, "AFK039", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for r in rbac_rules(cx) {
            if !r.group("admissionregistration.k8s.io") || r.limited_to_names() {
                continue;
            }
            let Some(verb) = r.verb(&["create", "update", "patch", "delete", "deletecollection"])
            else {
                continue;
            };
            for (res, node) in r.named(WEBHOOKS) {
                out.push(
                    r.finding(node.span(), format_args!("`{verb}` on `{res}` controls admission for the whole cluster: the subject can intercept and rewrite every object the webhook matches, or switch off the checks that guard them")),
                );
            }
        }
    }
});
