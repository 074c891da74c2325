//! Kubernetes object model over the YAML tree: objects (with `kind: List`
//! items and objects recovered from fused documents), workloads, their pod
//! specs and containers. Built once per file; rules read it.

use crate::source::Span;
use crate::yaml::{NodeId, NodeRef, YamlStream};

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
        format!(
            "{}/{}",
            self.kind,
            self.name.as_deref().unwrap_or("<unnamed>")
        )
    }
    /// The API group (empty for core).
    pub fn group(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map(|(g, _)| g)
            .unwrap_or("")
    }
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

pub fn pod_spec<'a>(obj: &Object, stream: &'a YamlStream) -> Option<PodSpec<'a>> {
    let path = pod_spec_path(&obj.kind)?;
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
