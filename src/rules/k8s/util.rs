//! Helpers shared by the Kubernetes rules.

use crate::document::{Parsed, YamlFile};
use crate::k8s::Object;
use crate::rules::FileCx;
use crate::source::Span;

use super::sc::{self, Ctr, Scope};

/// The file's manifests, if it is a YAML file with Kubernetes objects.
pub fn manifests<'a>(cx: &FileCx<'a>) -> Option<&'a YamlFile> {
    match cx.parsed() {
        Parsed::Yaml(y) if !y.objects.is_empty() => Some(y),
        _ => None,
    }
}

/// Every container of the file's workloads that sets a non-default
/// `procMount` (with its value and entry span), for the control `rule`.
/// From Kubernetes 1.35 the baseline control (AFK008) exempts pods in a
/// user namespace (`hostUsers: false`); the restricted control (AFK019,
/// `in_user_ns_only`) reports exactly those, so one procMount is reported
/// once, as the baseline error wherever the baseline level forbids it.
pub fn non_default_proc_mounts<'a>(
    cx: &FileCx<'a>,
    rule: &str,
    in_user_ns_only: bool,
) -> impl Iterator<Item = (Ctr<'a>, &'a str, Span)> + 'a {
    let minor = cx.settings.k8s_minor;
    sc::pods(cx, rule, Scope::PSS)
        .filter(move |p| (minor >= 35 && p.spec.host_users_false()) == in_user_ns_only)
        .flat_map(|p| p.containers())
        .filter_map(|c| {
            let f = c.own("procMount")?;
            let value = f.value.as_str().unwrap_or("");
            (value != "Default").then_some((c, value, f.entry))
        })
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
    /// `Kind/name: <text>` about the Role or ClusterRole.
    pub fn finding(&self, span: Span, text: impl std::fmt::Display) -> crate::finding::Finding {
        sc::object_finding(self.obj, span, text)
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
    let scope = |o: &Object| {
        o.group() == "rbac.authorization.k8s.io"
            && matches!(o.kind.as_str(), "Role" | "ClusterRole")
    };
    sc::objects(cx, scope)
        .flat_map(|(obj, node)| {
            node.get("rules")
                .into_iter()
                .flat_map(|r| r.items())
                .map(|r| r.deref())
                .filter(|r| r.is_mapping())
                .map(move |node| RbacRule { obj, node })
        })
        .collect()
}
