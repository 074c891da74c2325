//! Kubernetes object model over the YAML tree: objects (with `kind: List`
//! items and objects recovered from fused documents), workloads, their pod
//! specs and containers. Built once per file; rules read it.

use crate::source::Span;
use crate::yaml::{NodeId, NodeRef, YamlStream};

/// Minimal YAML edits for fixes (used by the rules' fixes).
pub mod edit;

#[derive(Clone, Debug)]
pub struct Object {
    /// The object's mapping node.
    pub node: NodeId,
    pub api_version: String,
    pub kind: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub span: Span,
    /// Recovered from a mapping fused with others (missing `---`).
    pub fused: bool,
}

impl Object {
    pub fn node<'a>(&self, stream: &'a YamlStream) -> NodeRef<'a> {
        stream.node(self.node)
    }
    /// `Kind/name` for messages.
    pub fn display(&self) -> String {
        display_name(&self.kind, self.name.as_deref())
    }
    /// The API group (empty for core).
    pub fn group(&self) -> &str {
        group_of(&self.api_version)
    }
}

/// `Kind/name` for messages (`<unnamed>` when the object has no name).
pub fn display_name(kind: &str, name: Option<&str>) -> String {
    format!("{kind}/{}", name.unwrap_or("<unnamed>"))
}

/// The API group of an `apiVersion` (empty for the core group).
pub fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("")
}

/// Every Kubernetes object in a stream: documents with `apiVersion` and
/// `kind`, the items of `kind: List` (recursively), fused objects split apart.
pub fn objects(stream: &YamlStream) -> Vec<Object> {
    let mut out = Vec::new();
    for doc in &stream.docs {
        let fused = doc.objects.len() > 1;
        for &id in &doc.objects {
            collect(stream.node(id), fused, 0, &mut out);
        }
    }
    out
}

fn collect(n: NodeRef<'_>, fused: bool, depth: usize, out: &mut Vec<Object>) {
    let n = n.deref();
    let (Some(api), Some(kind)) = (
        n.get("apiVersion").and_then(|v| v.as_str()),
        n.get("kind").and_then(|v| v.as_str()),
    ) else {
        return;
    };
    // A kustomize deletion directive names an object to remove; it is not
    // an object that gets applied.
    if n.get("$patch").and_then(|v| v.as_str()) == Some("delete") {
        return;
    }
    if kind.ends_with("List") && depth < 8 {
        if let Some(items) = n.get("items") {
            for item in items.items() {
                collect(item, fused, depth + 1, out);
            }
        }
        if kind == "List" {
            return;
        }
    }
    let meta = n.get("metadata");
    out.push(Object {
        node: n.id,
        api_version: api.to_string(),
        kind: kind.to_string(),
        name: meta
            .and_then(|m| m.get("name"))
            .and_then(|v| v.as_str())
            .map(String::from),
        namespace: meta
            .and_then(|m| m.get("namespace"))
            .and_then(|v| v.as_str())
            .map(String::from),
        span: n.span(),
        fused,
    });
}

/// Where a workload keeps its pod spec, by kind.
pub fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Pod" => &["spec"],
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => &["spec", "template", "spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "PodTemplate" => &["template", "spec"],
        _ => return None,
    })
}

/// A workload's pod spec with the pod metadata that goes with it.
#[derive(Clone, Copy, Debug)]
pub struct PodSpec<'a> {
    pub spec: NodeRef<'a>,
    /// The pod template's (or Pod's) `metadata`, if present.
    pub metadata: Option<NodeRef<'a>>,
}

/// Is `kind` in this API group a built-in kind (not a custom resource of the
/// same name, such as OpenKruise's `apps.kruise.io` StatefulSet)?
pub fn builtin_group(kind: &str, group: &str) -> bool {
    // Custom resources always have a group; an empty group with a built-in
    // kind is a (mis-versioned) built-in object, still checked.
    if group.is_empty() {
        return true;
    }
    match kind {
        "Pod"
        | "ReplicationController"
        | "PodTemplate"
        | "Namespace"
        | "Secret"
        | "ConfigMap"
        | "Service"
        | "ServiceAccount" => group.is_empty(),
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => {
            matches!(group, "apps" | "extensions")
        }
        "Job" | "CronJob" => group == "batch",
        "NetworkPolicy" | "Ingress" => matches!(group, "networking.k8s.io" | "extensions"),
        _ => true,
    }
}

/// The pod spec of a built-in workload (custom resources with a workload's
/// kind name are skipped).
pub fn pod_spec<'a>(obj: &Object, stream: &'a YamlStream) -> Option<PodSpec<'a>> {
    let path = pod_spec_path(&obj.kind)?;
    if !builtin_group(&obj.kind, obj.group()) {
        return None;
    }
    let root = obj.node(stream);
    let spec = root.path(path)?;
    if !spec.is_mapping() {
        return None;
    }
    let meta_path = &path[..path.len() - 1];
    let metadata = if meta_path.is_empty() {
        root.get("metadata")
    } else {
        root.path(meta_path).and_then(|t| t.get("metadata"))
    };
    Some(PodSpec { spec, metadata })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    Container,
    Init,
    Ephemeral,
}

impl ContainerKind {
    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Container => "containers",
            ContainerKind::Init => "initContainers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Container<'a> {
    pub node: NodeRef<'a>,
    pub kind: ContainerKind,
    pub name: Option<&'a str>,
}

impl<'a> PodSpec<'a> {
    /// containers, then initContainers, then ephemeralContainers.
    pub fn containers(&self) -> Vec<Container<'a>> {
        let mut v = Vec::new();
        for kind in [
            ContainerKind::Container,
            ContainerKind::Init,
            ContainerKind::Ephemeral,
        ] {
            if let Some(list) = self.spec.get(kind.field()) {
                for c in list.items() {
                    let c = c.deref();
                    if c.is_mapping() {
                        v.push(Container {
                            node: c,
                            kind,
                            name: c.get("name").and_then(|n| n.as_str()),
                        });
                    }
                }
            }
        }
        v
    }
}

pub mod index;
pub mod psa;

/// Span from a mapping entry's key to the end of its value (the whole
/// `key: value` field), or None when the key is absent.
pub fn entry_span(map: NodeRef<'_>, key: &str) -> Option<Span> {
    map.entry(key).map(|(k, v)| k.span().cover(v.span()))
}

/// The value of `key` when present and not null (a Go pointer that is set).
pub fn present<'a>(map: NodeRef<'a>, key: &str) -> Option<NodeRef<'a>> {
    map.get(key).filter(|v| !v.is_null())
}

impl<'a> Container<'a> {
    /// Where a finding about a missing field points: the container's `name`
    /// value, or the start of the container mapping.
    pub fn anchor(&self) -> Span {
        match self.node.get("name") {
            Some(n) if !n.is_null() => n.span(),
            _ => Span::empty(self.node.span().start()),
        }
    }
    /// `container "web"`, `init container "setup"`, ... for messages.
    pub fn label(&self) -> String {
        let what = match self.kind {
            ContainerKind::Container => "container",
            ContainerKind::Init => "init container",
            ContainerKind::Ephemeral => "ephemeral container",
        };
        format!("{what} `{}`", self.name.unwrap_or("<unnamed>"))
    }
    /// A container without `image` is a fragment, such as a kustomize
    /// patch that adds one field to a container defined elsewhere: a field
    /// it does not set is not missing, it comes from the base. Rules that
    /// report a missing field skip fragments; rules that report a value that
    /// is set still check them.
    pub fn is_fragment(&self) -> bool {
        self.node.get("image").is_none()
    }
    /// The container's `securityContext`, if set (not null).
    pub fn security_context(&self) -> Option<NodeRef<'a>> {
        present(self.node, "securityContext")
    }
    /// A field of the container's `securityContext`, if set (not null).
    pub fn sc_field(&self, key: &str) -> Option<NodeRef<'a>> {
        self.security_context().and_then(|sc| present(sc, key))
    }
}

impl<'a> PodSpec<'a> {
    /// The pod-level `securityContext`, if set (not null).
    pub fn security_context(&self) -> Option<NodeRef<'a>> {
        present(self.spec, "securityContext")
    }
    /// A field of the pod `securityContext`, if set (not null).
    pub fn sc_field(&self, key: &str) -> Option<NodeRef<'a>> {
        self.security_context().and_then(|sc| present(sc, key))
    }
    /// A pod spec whose containers are all fragments (see
    /// [`Container::is_fragment`]), or that lists none: a patch, whose
    /// unset pod fields come from a base.
    pub fn is_fragment(&self) -> bool {
        self.containers().iter().all(|c| c.is_fragment())
    }
    /// `spec.os.name: windows`.
    pub fn is_windows(&self) -> bool {
        self.spec.path(&["os", "name"]).and_then(|v| v.as_str()) == Some("windows")
    }
    /// `spec.hostUsers: false` (the pod runs in a user namespace).
    pub fn host_users_false(&self) -> bool {
        self.spec.get("hostUsers").and_then(|v| v.as_bool()) == Some(false)
    }
    /// A pod metadata annotation.
    pub fn annotations(&self) -> Option<NodeRef<'a>> {
        self.metadata.and_then(|m| present(m, "annotations"))
    }
}

/// Where a finding about a whole pod spec points: the `spec:` key holding
/// the pod spec (the template's), or the object's start.
pub fn pod_spec_anchor(obj: &Object, stream: &YamlStream) -> Span {
    let root = obj.node(stream);
    if let Some(path) = pod_spec_path(&obj.kind)
        && let Some((last, parent)) = path.split_last()
        && let Some(p) = root.path(parent)
        && let Some(s) = p.key_span(last)
    {
        return s;
    }
    Span::empty(obj.span.start())
}

/// Where a finding about a whole object points: its `metadata.name` value,
/// else its `kind` key, else its start.
pub fn object_anchor(obj: &Object, stream: &YamlStream) -> Span {
    let root = obj.node(stream);
    if let Some(n) = root.path(&["metadata", "name"])
        && !n.is_null()
    {
        return n.span();
    }
    root.key_span("kind")
        .unwrap_or(Span::empty(obj.span.start()))
}

/// Every workload object with its pod spec.
pub fn workloads<'a>(
    objects: &'a [Object],
    stream: &'a YamlStream,
) -> impl Iterator<Item = (&'a Object, PodSpec<'a>)> + 'a {
    objects
        .iter()
        .filter_map(move |o| pod_spec(o, stream).map(|p| (o, p)))
}

/// The namespace objects without `metadata.namespace` are applied to.
pub const DEFAULT_NAMESPACE: &str = "default";

/// A deprecated or removed API version (from `deprecated_apis.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeprecatedApi {
    pub api_version: &'static str,
    /// Comma-separated kinds.
    pub kinds: &'static str,
    pub deprecated_in: Option<u32>,
    pub removed_in: Option<u32>,
    pub replacement: &'static str,
}

static DEPRECATED_APIS_TSV: &str = include_str!("deprecated_apis.tsv");

/// The deprecated-API table, parsed once.
pub fn deprecated_apis() -> &'static [DeprecatedApi] {
    static TABLE: std::sync::OnceLock<Vec<DeprecatedApi>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let minor = |s: &str| s.parse::<u32>().ok();
        DEPRECATED_APIS_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some(DeprecatedApi {
                    api_version: f.next()?,
                    kinds: f.next()?,
                    deprecated_in: minor(f.next()?),
                    removed_in: minor(f.next()?),
                    replacement: f.next()?,
                })
            })
            .collect()
    })
}

/// The table entry for an object's apiVersion and kind, if any.
pub fn deprecated_api(api_version: &str, kind: &str) -> Option<&'static DeprecatedApi> {
    deprecated_apis()
        .iter()
        .find(|d| d.api_version == api_version && d.kinds.split(',').any(|k| k == kind))
}

/// Spans of the values of every `Secret`'s `data` and `stringData`: secret by
/// their place, so reporters mask them in source snippets.
pub fn secret_value_spans(stream: &YamlStream, objects: &[Object]) -> Vec<Span> {
    let mut out = Vec::new();
    for obj in objects
        .iter()
        .filter(|o| o.kind == "Secret" && o.group().is_empty())
    {
        let node = obj.node(stream);
        for field in ["data", "stringData"] {
            if let Some(map) = node.get(field) {
                for (_, v) in map.entries() {
                    if !v.span().is_empty() {
                        out.push(v.span());
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_api_table_has_initializers_and_podpreset() {
        let i = deprecated_api(
            "admissionregistration.k8s.io/v1alpha1",
            "InitializerConfiguration",
        )
        .expect("InitializerConfiguration");
        assert_eq!(i.removed_in, Some(14));
        assert!(i.replacement.starts_with("none: "));
        assert_eq!(
            deprecated_api("settings.k8s.io/v1alpha1", "PodPreset").and_then(|d| d.removed_in),
            Some(20)
        );
    }

    /// Every row of the reference table is in afcheck's table, with the
    /// same versions: the table is the reference plus documented additions.
    #[test]
    #[cfg_attr(
        not(afcheck_shared_data),
        ignore = "needs ../shared/reference/kubernetes; run scripts/fetch-test-data.sh"
    )]
    fn removed_api_table_covers_the_reference() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/reference/kubernetes/deprecated-apis.tsv");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}: run scripts/fetch-test-data.sh", path.display()));
        let minor = |s: &str| s.strip_prefix("1.").and_then(|m| m.parse::<u32>().ok());
        let mut rows = 0;
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let f: Vec<&str> = line.split('\t').collect();
            let (versions, kinds) = (f[0], f[1]);
            let (group, vs) = versions.rsplit_once('/').unwrap_or(("", versions));
            for v in vs.split(',') {
                let api = if group.is_empty() {
                    v.to_string()
                } else {
                    format!("{group}/{v}")
                };
                for kind in kinds.split(',') {
                    rows += 1;
                    let d = deprecated_api(&api, kind)
                        .unwrap_or_else(|| panic!("{api} {kind} missing from deprecated_apis.tsv"));
                    assert_eq!(d.deprecated_in, minor(f[2]), "{api} {kind}");
                    assert_eq!(d.removed_in, minor(f[3]), "{api} {kind}");
                }
            }
        }
        assert!(rows > 50, "{rows}");
    }
}
