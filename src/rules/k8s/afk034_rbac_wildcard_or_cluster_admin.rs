use crate::finding::Finding;
use crate::rules::FileCx;

use super::util::manifests;

crate::rule!(Afk034, "AFK034", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let Some(y) = manifests(cx) else { return };
        for obj in y
            .objects
            .iter()
            .filter(|o| o.group() == "rbac.authorization.k8s.io")
        {
            let node = obj.node(&y.stream);
            match obj.kind.as_str() {
                "Role" | "ClusterRole" => {
                    let Some(rules) = node.get("rules") else {
                        continue;
                    };
                    for rule in rules.items() {
                        for field in ["apiGroups", "resources", "verbs"] {
                            let Some(list) = rule.get(field) else {
                                continue;
                            };
                            for item in list.items() {
                                if item.as_str() == Some("*") {
                                    out.push(
                                        Finding::new(
                                            "AFK034",
                                            item.span(),
                                            format!(
                                                "{}: wildcard `*` in `{field}` grants every {}, including future ones",
                                                obj.display(),
                                                match field {
                                                    "verbs" => "verb",
                                                    "resources" => "resource",
                                                    _ => "API group (custom resources included)",
                                                }
                                            ),
                                        )
                                        .with_fix(format!("List the needed {field} explicitly.")),
                                    );
                                }
                            }
                        }
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
                            Finding::new(
                                "AFK034",
                                name.span(),
                                format!("{}: binds the `cluster-admin` ClusterRole, full control of the cluster", obj.display()),
                            )
                            .with_fix("Bind a Role with only the permissions the subject needs."),
                        );
                    }
                }
                _ => {}
            }
        }
    }
});
