//! Helpers shared by the Kubernetes rules.

use crate::document::{Parsed, YamlFile};
use crate::k8s::{self, Object, PodSpec};
use crate::rules::FileCx;
use crate::source::Span;

/// The file's manifests, if it is a YAML file with Kubernetes objects.
pub fn manifests<'a>(cx: &FileCx<'a>) -> Option<&'a YamlFile> {
    match cx.parsed() {
        Parsed::Yaml(y) if !y.objects.is_empty() => Some(y),
        _ => None,
    }
}

/// Every workload of the file with its pod spec.
pub fn pods<'a>(cx: &FileCx<'a>) -> impl Iterator<Item = (&'a Object, PodSpec<'a>)> + 'a {
    let y = manifests(cx);
    y.into_iter()
        .flat_map(|y| k8s::workloads(&y.objects, &y.stream))
}

/// Per-file prelude for a Pod Security control: the workloads to check, or
/// nothing when the control does not apply to the target level/version.
pub fn psa_pods<'a>(
    cx: &FileCx<'a>,
    rule: &str,
) -> impl Iterator<Item = (&'a Object, PodSpec<'a>)> + 'a {
    let on = k8s::psa::active(rule, cx.settings);
    let y = if on { manifests(cx) } else { None };
    y.into_iter()
        .flat_map(|y| k8s::workloads(&y.objects, &y.stream))
}

/// A container that sets `procMount` to something other than `Default`.
pub struct ProcMount<'a> {
    pub obj: &'a Object,
    pub container: String,
    pub value: &'a str,
    pub span: Span,
}

/// Every non-default `procMount` in the file's workloads, for the control
/// `rule`. From Kubernetes 1.35 the baseline control (AFK008) exempts pods
/// in a user namespace (`hostUsers: false`); the restricted control
/// (AFK019, `in_user_ns_only`) reports exactly those, so one procMount is
/// reported once, as the baseline error wherever the baseline level forbids it.
pub fn non_default_proc_mounts<'a>(
    cx: &FileCx<'a>,
    rule: &str,
    in_user_ns_only: bool,
) -> Vec<ProcMount<'a>> {
    let mut out = Vec::new();
    for (obj, pod) in psa_pods(cx, rule) {
        let user_ns = cx.settings.k8s_minor >= 35 && pod.host_users_false();
        if user_ns != in_user_ns_only {
            continue;
        }
        for c in pod.containers() {
            let Some(sc) = c.security_context() else {
                continue;
            };
            let Some(pm) = sc.get("procMount").filter(|v| !v.is_null()) else {
                continue;
            };
            let value = pm.as_str().unwrap_or("");
            if value != "Default"
                && let Some(span) = k8s::entry_span(sc, "procMount")
            {
                out.push(ProcMount {
                    obj,
                    container: c.label(),
                    value,
                    span,
                });
            }
        }
    }
    out
}

/// One rule of a Role or ClusterRole.
pub struct RbacRule<'a> {
    pub obj: &'a Object,
    pub node: crate::yaml::NodeRef<'a>,
}

impl<'a> RbacRule<'a> {
    /// The string items of a list field (`verbs`, `resources`...), with
    /// their nodes.
    pub fn items(&self, key: &str) -> Vec<(&'a str, crate::yaml::NodeRef<'a>)> {
        self.node
            .get(key)
            .map(|l| {
                l.items()
                    .filter_map(|i| i.as_str().map(|s| (s, i)))
                    .collect()
            })
            .unwrap_or_default()
    }
    /// Does the rule apply to this API group (listed, or `*`)?
    pub fn group(&self, g: &str) -> bool {
        self.items("apiGroups")
            .iter()
            .any(|(s, _)| *s == g || *s == "*")
    }
    /// The first of `verbs` the rule grants (by name or through `*`).
    pub fn verb(&self, verbs: &[&str]) -> Option<&'a str> {
        self.items("verbs")
            .into_iter()
            .map(|(s, _)| s)
            .find(|s| *s == "*" || verbs.contains(s))
    }
    /// The resources of `names` the rule lists by name (wildcards are
    /// AFK034's), with their nodes.
    pub fn named(&self, names: &[&str]) -> Vec<(&'a str, crate::yaml::NodeRef<'a>)> {
        self.items("resources")
            .into_iter()
            .filter(|(s, _)| names.contains(s))
            .collect()
    }
    /// `resourceNames` limits the rule to some objects.
    pub fn limited_to_names(&self) -> bool {
        self.node
            .get("resourceNames")
            .is_some_and(|r| r.items().next().is_some())
    }
    /// Where the grant applies, for messages.
    pub fn scope(&self) -> String {
        if self.obj.kind == "ClusterRole" {
            "wherever it is bound (every namespace through a ClusterRoleBinding)".to_string()
        } else {
            match self.obj.namespace.as_deref() {
                Some(ns) => format!("in namespace `{ns}`"),
                None => "in its namespace".to_string(),
            }
        }
    }
}

/// Every rule of the file's Roles and ClusterRoles.
pub fn rbac_rules<'a>(cx: &FileCx<'a>) -> Vec<RbacRule<'a>> {
    let mut out = Vec::new();
    let Some(y) = manifests(cx) else { return out };
    for obj in y.objects.iter().filter(|o| {
        o.group() == "rbac.authorization.k8s.io"
            && matches!(o.kind.as_str(), "Role" | "ClusterRole")
    }) {
        if let Some(rules) = obj.node(&y.stream).get("rules") {
            for r in rules.items() {
                let r = r.deref();
                if r.is_mapping() {
                    out.push(RbacRule { obj, node: r });
                }
            }
        }
    }
    out
}
