//! The per-run Kubernetes object index: what the project rules need to know
//! of every object, taken from the YAML tree while the file is parsed, so
//! the tree can be dropped once the file's own rules ran. One entry per
//! object of a file ([`summarize`]); the run's index is the entries of all
//! files.

use super::{
    DEFAULT_NAMESPACE, Object, builtin_group, entry_span, object_anchor, pod_spec, pod_spec_anchor,
};
use crate::finding::Edit;
use crate::source::{SourceFile, Span};
use crate::yaml::{NodeRef, YamlStream};

/// One Kubernetes object, as the project rules see it.
#[derive(Clone, Debug)]
pub struct ObjectSummary {
    pub api_version: std::borrow::Cow<'static, str>,
    pub kind: std::borrow::Cow<'static, str>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// The whole object.
    pub span: Span,
    /// Where a finding about the whole object points
    /// ([`super::object_anchor`]).
    pub anchor: Span,
    /// The pod template (or Pod spec) of a workload.
    pub pod: Option<Box<PodSummary>>,
    /// A NetworkPolicy with an empty `podSelector`: the directions it
    /// isolates for every pod of its namespace.
    pub isolates: Option<Isolation>,
    /// A ServiceAccount's `automountServiceAccountToken`.
    pub automount: Option<bool>,
    /// A (Cluster)RoleBinding's ServiceAccount subjects: (namespace, name),
    /// the namespace defaulting to the binding's.
    pub service_account_subjects: Vec<(String, String)>,
    /// An Ingress's hosts and TLS.
    pub ingress: Option<Box<IngressSummary>>,
}

impl ObjectSummary {
    /// `Kind/name` for messages.
    pub fn display(&self) -> String {
        super::display_name(&self.kind, self.name.as_deref())
    }
    /// The API group (empty for core).
    pub fn group(&self) -> &str {
        super::group_of(&self.api_version)
    }
    /// The namespace, `default` when unset.
    pub fn namespace_or_default(&self) -> &str {
        self.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE)
    }
}

/// What a pod spec says about the API token and service account.
#[derive(Clone, Debug)]
pub struct PodSummary {
    /// `automountServiceAccountToken` of the pod spec.
    pub automount: Option<bool>,
    /// The `automountServiceAccountToken` entry, if written.
    pub automount_span: Option<Span>,
    /// `serviceAccountName` (or the legacy `serviceAccount`), `default`.
    pub service_account: String,
    /// A patch fragment (no container names an image).
    pub fragment: bool,
    /// Where a finding about the pod spec points ([`super::pod_spec_anchor`]).
    pub anchor: Span,
    /// The edits that set `automountServiceAccountToken: false` in the pod
    /// spec (AFK031's fix), made while the tree is there; `None` when it
    /// is `false` already or the shape cannot be edited simply.
    pub automount_fix: Option<Vec<Edit>>,
}

/// The directions a default-deny NetworkPolicy isolates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Isolation {
    pub ingress: bool,
    pub egress: bool,
}

/// An Ingress's rules and TLS.
#[derive(Clone, Debug, Default)]
pub struct IngressSummary {
    /// Hosts listed in `spec.tls[].hosts`.
    pub tls_hosts: Vec<String>,
    /// Some `spec.tls` entry exists.
    pub any_tls: bool,
    /// A `spec.tls` entry lists no host (it applies to every host).
    pub hostless_tls: bool,
    /// `spec.rules[]`, in order.
    pub rules: Vec<RuleHost>,
    /// `spec.defaultBackend` (or the legacy `spec.backend`) is set.
    pub default_backend: bool,
}

/// The `host` of one Ingress rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleHost {
    /// No host (or null): traffic for any host.
    Hostless,
    /// A host that is not a string.
    Other,
    Host(String, Span),
}

/// An Ingress of the networking API.
pub fn is_ingress(kind: &str, group: &str) -> bool {
    kind == "Ingress" && matches!(group, "networking.k8s.io" | "extensions")
}

/// The index entries of a file's objects.
pub fn summarize(file: &SourceFile, objects: &[Object], stream: &YamlStream) -> Vec<ObjectSummary> {
    objects.iter().map(|o| summary(file, o, stream)).collect()
}

fn summary(file: &SourceFile, obj: &Object, stream: &YamlStream) -> ObjectSummary {
    let node = obj.node(stream);
    let group = obj.group();
    let ns = obj
        .namespace
        .clone()
        .unwrap_or_else(|| DEFAULT_NAMESPACE.into());
    let pod = pod_spec(obj, stream).map(|p| {
        Box::new(PodSummary {
            automount: p
                .spec
                .get("automountServiceAccountToken")
                .and_then(|v| v.as_bool()),
            automount_span: entry_span(p.spec, "automountServiceAccountToken"),
            service_account: p
                .spec
                .get("serviceAccountName")
                .or_else(|| p.spec.get("serviceAccount"))
                .and_then(|v| v.as_str())
                .unwrap_or("default")
                .to_string(),
            fragment: p.is_fragment(),
            anchor: pod_spec_anchor(obj, stream),
            automount_fix: (p
                .spec
                .get("automountServiceAccountToken")
                .and_then(|v| v.as_bool())
                != Some(false))
            .then(|| {
                super::edit::Yed::new(file, node).set(
                    p.spec,
                    &["automountServiceAccountToken"],
                    "false",
                )
            })
            .flatten(),
        })
    });
    let isolates = (obj.kind == "NetworkPolicy" && builtin_group(&obj.kind, group))
        .then(|| isolates_all(node))
        .flatten();
    let automount = (obj.kind == "ServiceAccount" && group.is_empty())
        .then(|| {
            node.get("automountServiceAccountToken")
                .and_then(|v| v.as_bool())
        })
        .flatten();
    let mut service_account_subjects = Vec::new();
    if matches!(obj.kind.as_str(), "RoleBinding" | "ClusterRoleBinding")
        && group == "rbac.authorization.k8s.io"
        && let Some(subjects) = node.get("subjects")
    {
        for s in subjects.items() {
            if s.get("kind").and_then(|k| k.as_str()) != Some("ServiceAccount") {
                continue;
            }
            let Some(name) = s.get("name").and_then(|n| n.as_str()) else {
                continue;
            };
            let sns = s
                .get("namespace")
                .and_then(|n| n.as_str())
                .map(String::from)
                .unwrap_or_else(|| ns.clone());
            service_account_subjects.push((sns, name.to_string()));
        }
    }
    let ingress = is_ingress(&obj.kind, group).then(|| Box::new(ingress_of(node.get("spec"))));
    ObjectSummary {
        api_version: interned(&obj.api_version),
        kind: interned(&obj.kind),
        name: obj.name.clone(),
        namespace: obj.namespace.clone(),
        span: obj.span,
        anchor: object_anchor(obj, stream),
        pod,
        isolates,
        automount,
        service_account_subjects,
        ingress,
    }
}

/// The common kinds and API versions, kept without an allocation of their
/// own in every summary.
const COMMON: &[&str] = &[
    "v1",
    "apps/v1",
    "batch/v1",
    "networking.k8s.io/v1",
    "rbac.authorization.k8s.io/v1",
    "policy/v1",
    "autoscaling/v2",
    "apiextensions.k8s.io/v1",
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "Service",
    "ConfigMap",
    "Secret",
    "ServiceAccount",
    "Role",
    "RoleBinding",
    "ClusterRole",
    "ClusterRoleBinding",
    "Ingress",
    "NetworkPolicy",
    "PersistentVolumeClaim",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "CustomResourceDefinition",
    "Namespace",
];

fn interned(s: &str) -> std::borrow::Cow<'static, str> {
    match COMMON.iter().find(|c| **c == s) {
        Some(c) => std::borrow::Cow::Borrowed(c),
        None => std::borrow::Cow::Owned(s.to_string()),
    }
}

/// Which directions a NetworkPolicy with an empty podSelector isolates for
/// every pod of its namespace; None when its selector is not empty.
fn isolates_all(np: NodeRef<'_>) -> Option<Isolation> {
    let none = Isolation {
        ingress: false,
        egress: false,
    };
    let Some(spec) = np.get("spec") else {
        return Some(none);
    };
    let selector_empty = match spec.get("podSelector") {
        None => true,
        Some(s) if s.is_null() => true,
        Some(s) => s.entries().all(|(_, v)| {
            v.is_null()
                || (v.is_mapping() && v.entries().next().is_none())
                || (v.is_sequence() && v.items().next().is_none())
        }),
    };
    if !selector_empty {
        return Some(none);
    }
    Some(match spec.get("policyTypes").filter(|p| p.is_sequence()) {
        Some(types) => {
            let has = |t: &str| types.items().any(|i| i.as_str() == Some(t));
            Isolation {
                ingress: has("Ingress"),
                egress: has("Egress"),
            }
        }
        // Default policyTypes: Ingress, plus Egress when egress rules exist.
        None => Isolation {
            ingress: true,
            egress: spec.get("egress").is_some_and(|e| !e.is_null()),
        },
    })
}

fn ingress_of(spec: Option<NodeRef<'_>>) -> IngressSummary {
    let mut out = IngressSummary::default();
    if let Some(tls) = spec.and_then(|s| s.get("tls")) {
        for e in tls.items() {
            let e = e.deref();
            out.any_tls = true;
            let mut listed = false;
            if let Some(hs) = e.get("hosts") {
                for h in hs.items() {
                    if let Some(h) = h.as_str() {
                        out.tls_hosts.push(h.to_string());
                        listed = true;
                    }
                }
            }
            out.hostless_tls |= !listed;
        }
    }
    if let Some(rules) = spec.and_then(|s| s.get("rules")) {
        for r in rules.items() {
            let r = r.deref();
            out.rules
                .push(match r.get("host").filter(|h| !h.is_null()) {
                    None => RuleHost::Hostless,
                    Some(h) => match h.as_str() {
                        Some(s) => RuleHost::Host(s.to_string(), h.span()),
                        None => RuleHost::Other,
                    },
                });
        }
    }
    out.default_backend = spec
        .and_then(|s| s.get("defaultBackend").or_else(|| s.get("backend")))
        .is_some_and(|b| !b.is_null());
    out
}
