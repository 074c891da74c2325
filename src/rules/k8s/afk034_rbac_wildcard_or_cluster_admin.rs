use super::sc::{object_finding, objects};
use crate::rules::{FileCx, Findings};

crate::rule!(Afk034, "AFK034", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, node) in objects(cx, |o| o.group() == "rbac.authorization.k8s.io") {
            match obj.kind.as_str() {
                "Role" | "ClusterRole" => {
                    let Some(rules) = node.get("rules") else {
                        continue;
                    };
                    for rule in rules.items() {
                        // One finding per rule, at its first wildcard, naming
                        // every field that has one.
                        let mut first = None;
                        let mut fields: Vec<(&str, &str)> = Vec::new();
                        for (field, what) in [
                            ("apiGroups", "API group (custom resources included)"),
                            ("resources", "resource"),
                            ("verbs", "verb"),
                        ] {
                            let Some(list) = rule.get(field) else {
                                continue;
                            };
                            if let Some(item) = list.items().find(|i| i.as_str() == Some("*")) {
                                first.get_or_insert(item.span());
                                fields.push((field, what));
                            }
                        }
                        let Some(span) = first else { continue };
                        let names: Vec<String> =
                            fields.iter().map(|(f, _)| format!("`{f}`")).collect();
                        let grants: Vec<&str> = fields.iter().map(|(_, w)| *w).collect();
                        out.push(
                            object_finding(
                                obj,
                                span,
                                format_args!(
                                    "wildcard `*` in {} grants every {}, including future ones",
                                    names.join(" and "),
                                    grants.join(", every ")
                                ),
                            )
                            .with_help(format!(
                                "List the needed {} explicitly.",
                                fields
                                    .iter()
                                    .map(|(f, _)| *f)
                                    .collect::<Vec<_>>()
                                    .join(" and ")
                            )),
                        );
                    }
                }
                "RoleBinding" | "ClusterRoleBinding" => {
                    let Some(role) = node.get("roleRef") else {
                        continue;
                    };
                    let Some(name) = role.get("name") else {
                        continue;
                    };
                    if name.as_str() == Some("cluster-admin")
                        && role.get("kind").and_then(|k| k.as_str()) == Some("ClusterRole")
                    {
                        out.push(
                            object_finding(obj, name.span(), format_args!("binds the `cluster-admin` ClusterRole, full control of the cluster"))
                            .with_help("Bind a Role with only the permissions the subject needs."),
                        );
                    }
                }
                _ => {}
            }
        }
    }
});
