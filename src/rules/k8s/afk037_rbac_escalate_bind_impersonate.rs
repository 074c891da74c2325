use crate::rules::{FileCx, Findings};

use super::util::rbac_rules;

crate::rule!(Afk037, "AFK037", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for r in rbac_rules(cx) {
            // A rule limited by `resourceNames` to given roles or
            // identities is the documented way to grant these verbs.
            if r.limited_to_names() {
                continue;
            }
            // Only verbs named explicitly: `*` is AFK034's.
            for (verb, node) in r.items("verbs") {
                let what = match verb {
                    "escalate" => {
                        "lets the subject grant itself permissions it does not hold by editing Roles and ClusterRoles"
                    }
                    "bind" => {
                        "lets the subject bind Roles and ClusterRoles with permissions it does not hold (cluster-admin included)"
                    }
                    "impersonate" => {
                        "lets the subject act as other users, groups or service accounts, with their permissions"
                    }
                    _ => continue,
                };
                out.push(
                    r.finding(node.span(), format_args!("verb `{verb}` {what}"))
                    .with_help(format!(
                        "Remove `{verb}`; if it is needed, limit the rule with `resourceNames` to the roles or identities involved."
                    )),
                );
            }
        }
    }
});
