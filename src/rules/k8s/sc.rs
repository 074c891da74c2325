//! The rule-author layer of the Kubernetes rules: a rule declares its
//! object scope ([`Scope`]: Pod Security gating and exemptions), walks the
//! pods and containers in that scope, reads each container's effective
//! `securityContext` (the container's value, else the pod's default, each
//! with the node and span it came from), builds its message with the
//! object and container named the same way everywhere, and attaches the
//! edit that sets a value (replacing a wrong one, or inserting the missing
//! key into the existing `securityContext` or a new one).

use crate::finding::{Applicability, Edit, Finding};
use crate::k8s::{self, Container, ContainerKind, Object, PodSpec, entry_span, present};
use crate::rules::FileCx;
use crate::source::{SourceFile, Span};
use crate::yaml::{NodeRef, YamlStream};

use super::util::manifests;
use crate::k8s::edit::Yed;

/// Which pods a rule applies to.
#[derive(Clone, Copy, Debug)]
pub struct Scope {
    /// A Pod Security control: only when it applies to the target level
    /// and version (`crate::k8s::psa::active`).
    pub pss: bool,
    /// Windows pods (`spec.os.name: windows`) are exempt from 1.25 on.
    pub windows_exempt: bool,
    /// Pods in a user namespace (`hostUsers: false`) are exempt from 1.35 on.
    pub user_ns_exempt: bool,
    /// Container kinds the rule skips.
    pub skip: Option<ContainerKind>,
}

impl Scope {
    /// Every workload's pod.
    pub const PODS: Scope = Scope {
        pss: false,
        windows_exempt: false,
        user_ns_exempt: false,
        skip: None,
    };
    /// A Pod Security control without exemptions.
    pub const PSS: Scope = Scope {
        pss: true,
        ..Scope::PODS
    };
    /// A Pod Security control Windows pods are exempt from.
    pub const PSS_LINUX: Scope = Scope {
        windows_exempt: true,
        ..Scope::PSS
    };
    /// A Pod Security control pods in a user namespace are exempt from.
    pub const PSS_HOST_USERS: Scope = Scope {
        user_ns_exempt: true,
        ..Scope::PSS
    };
}

/// Pod-level `securityContext` fields that are defaults for every container.
const POD_DEFAULTS: &[&str] = &[
    "runAsUser",
    "runAsGroup",
    "runAsNonRoot",
    "seccompProfile",
    "seLinuxOptions",
    "appArmorProfile",
    "windowsOptions",
];

/// A `securityContext` field that is set (present, not null).
#[derive(Clone, Copy, Debug)]
pub struct Field<'a> {
    pub value: NodeRef<'a>,
    /// The whole `key: value` entry.
    pub entry: Span,
}

/// The field `key` of a `securityContext`, if set.
pub fn field<'a>(sc: NodeRef<'a>, key: &str) -> Option<Field<'a>> {
    let value = present(sc, key)?;
    Some(Field {
        value,
        entry: entry_span(sc, key)?,
    })
}

/// A pod (a workload's pod spec) in a rule's scope.
#[derive(Clone, Copy)]
pub struct Pod<'a> {
    pub obj: &'a Object,
    pub spec: PodSpec<'a>,
    file: &'a SourceFile,
    stream: &'a YamlStream,
}

impl<'a> Pod<'a> {
    #[cfg(test)]
    pub fn new(
        file: &'a SourceFile,
        stream: &'a YamlStream,
        obj: &'a Object,
        spec: PodSpec<'a>,
    ) -> Self {
        Pod {
            obj,
            spec,
            file,
            stream,
        }
    }
    /// The pod-level `securityContext`, if set.
    pub fn sc(&self) -> Option<NodeRef<'a>> {
        self.spec.security_context()
    }
    /// A field of the pod-level `securityContext`, if set.
    pub fn field(&self, key: &str) -> Option<Field<'a>> {
        self.sc().and_then(|sc| field(sc, key))
    }
    /// containers, then initContainers, then ephemeralContainers.
    pub fn containers(self) -> impl Iterator<Item = Ctr<'a>> + 'a {
        let pod = self;
        self.spec
            .containers()
            .into_iter()
            .map(move |c| Ctr { pod, c })
    }
    /// The pod's volumes, with their names (`<unnamed>` when unset).
    pub fn volumes(self) -> impl Iterator<Item = (NodeRef<'a>, &'a str)> + 'a {
        self.spec
            .spec
            .get("volumes")
            .into_iter()
            .flat_map(|v| v.items())
            .map(|v| {
                let v = v.deref();
                let name = v.get("name").and_then(|n| n.as_str());
                (v, name.unwrap_or("<unnamed>"))
            })
    }
    /// The pod's `securityContext` then each container's, where set.
    pub fn contexts(self) -> impl Iterator<Item = (Option<Ctr<'a>>, NodeRef<'a>)> + 'a {
        let pod = self.sc().map(|sc| (None, sc));
        pod.into_iter().chain(
            self.containers()
                .filter_map(|c| c.sc().map(|sc| (Some(c), sc))),
        )
    }
    /// A finding about the pod: `Kind/name: <text>`.
    pub fn finding(&self, span: Span, text: impl std::fmt::Display) -> Finding {
        object_finding(self.obj, span, text)
    }
    /// Edits that set `path` (below the pod spec) to `value`.
    pub fn set(&self, path: &[&str], value: &str) -> Option<Vec<Edit>> {
        self.yed().set(self.spec.spec, path, value)
    }
    pub fn yed(&self) -> Yed<'a> {
        Yed::new(self.file, self.obj.node(self.stream))
    }
}

/// A container of a pod in a rule's scope.
#[derive(Clone, Copy)]
pub struct Ctr<'a> {
    pub pod: Pod<'a>,
    pub c: Container<'a>,
}

impl<'a> Ctr<'a> {
    /// The container's own `securityContext`, if set.
    pub fn sc(&self) -> Option<NodeRef<'a>> {
        self.c.security_context()
    }
    /// A field the container sets itself.
    pub fn own(&self, key: &str) -> Option<Field<'a>> {
        self.sc().and_then(|sc| field(sc, key))
    }
    /// The field that applies to the container: its own, else the pod's
    /// default for the fields the pod can set.
    pub fn effective(&self, key: &str) -> Option<Field<'a>> {
        self.own(key).or_else(|| {
            POD_DEFAULTS
                .contains(&key)
                .then(|| self.pod.field(key))
                .flatten()
        })
    }
    /// The effective UID when it is a known non-zero number: such a
    /// container already satisfies `runAsNonRoot: true`.
    pub fn non_root_uid(&self) -> Option<i64> {
        self.effective("runAsUser")
            .and_then(|f| f.value.as_i64())
            .filter(|&u| u != 0)
    }
    /// `Kind/name: <container label> <text>`.
    pub fn finding(&self, span: Span, text: impl std::fmt::Display) -> Finding {
        Finding::new(
            span,
            format!("{}: {} {text}", self.pod.obj.display(), self.c.label()),
        )
    }
    /// `Kind/name: <container label>`, for messages built around it.
    pub fn who(&self) -> String {
        format!("{}: {}", self.pod.obj.display(), self.c.label())
    }
    /// Where a finding about a missing field points.
    pub fn anchor(&self) -> Span {
        self.c.anchor()
    }
    /// Edits that set `securityContext.<path>` of the container to `value`.
    pub fn set(&self, path: &[&str], value: &str) -> Option<Vec<Edit>> {
        let mut full = vec!["securityContext"];
        full.extend_from_slice(path);
        self.pod.yed().set(self.c.node, &full, value)
    }
    pub fn is_fragment(&self) -> bool {
        self.c.is_fragment()
    }
}

/// A finding about an object: `Kind/name: <text>`.
pub fn object_finding(obj: &Object, span: Span, text: impl std::fmt::Display) -> Finding {
    Finding::new(span, format!("{}: {text}", obj.display()))
}

/// The file's objects a rule applies to (`scope` says which), with their
/// mapping nodes.
pub fn objects<'a>(
    cx: &FileCx<'a>,
    scope: impl Fn(&Object) -> bool + 'a,
) -> impl Iterator<Item = (&'a Object, NodeRef<'a>)> + 'a {
    manifests(cx)
        .into_iter()
        .flat_map(|y| y.objects.iter().map(move |o| (o, o.node(&y.stream))))
        .filter(move |(o, _)| scope(o))
}

/// The pods of the file's workloads in `scope` for the running `rule`.
pub fn pods<'a>(cx: &FileCx<'a>, rule: &str, scope: Scope) -> impl Iterator<Item = Pod<'a>> + 'a {
    let on = !scope.pss || k8s::psa::active(rule, cx.settings);
    let minor = cx.settings.k8s_minor;
    let file = cx.file;
    let y = if on { manifests(cx) } else { None };
    y.into_iter()
        .flat_map(move |y| {
            k8s::workloads(&y.objects, &y.stream).map(move |(obj, spec)| Pod {
                obj,
                spec,
                file,
                stream: &y.stream,
            })
        })
        .filter(move |p| {
            let windows = scope.windows_exempt && minor >= 25 && p.spec.is_windows();
            let user_ns = scope.user_ns_exempt && minor >= 35 && p.spec.host_users_false();
            !windows && !user_ns
        })
}

/// The containers of [`pods`], without the kinds the scope skips.
pub fn containers<'a>(
    cx: &FileCx<'a>,
    rule: &str,
    scope: Scope,
) -> impl Iterator<Item = Ctr<'a>> + 'a {
    pods(cx, rule, scope)
        .flat_map(|p| p.containers())
        .filter(move |c| Some(c.c.kind) != scope.skip)
}

/// The containers of [`containers`] that set `key` (not null), with its value.
pub fn containers_with<'a>(
    cx: &FileCx<'a>,
    rule: &str,
    scope: Scope,
    key: &'a str,
) -> impl Iterator<Item = (Ctr<'a>, NodeRef<'a>)> + 'a {
    containers(cx, rule, scope).filter_map(move |c| Some((c, present(c.c.node, key)?)))
}

/// Finding helpers shared by the rules.
pub trait FindingExt: Sized {
    /// Attaches the edits when there are some.
    fn fix(self, applicability: Applicability, edits: Option<Vec<Edit>>) -> Self;
}

impl FindingExt for Finding {
    fn fix(self, applicability: Applicability, edits: Option<Vec<Edit>>) -> Self {
        match edits {
            Some(e) if !e.is_empty() => self.with_edits(applicability, e),
            _ => self,
        }
    }
}

/// Safe when `safe` holds, else unsafe.
pub fn safe_if(safe: bool) -> Applicability {
    if safe {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effective_fields_fall_back_to_the_pod_for_pod_level_keys_only() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 1000, runAsNonRoot: true}\n  containers:\n  - name: a\n    image: x\n    securityContext: {runAsUser: 0, privileged: true}\n  - name: b\n    image: x\n";
        let file = SourceFile::new("p.yaml", text);
        let stream = crate::yaml::parse(text);
        let objects = k8s::objects(&stream);
        let (obj, spec) = k8s::workloads(&objects, &stream).next().unwrap();
        let pod = Pod::new(&file, &stream, obj, spec);
        let c: Vec<Ctr<'_>> = pod.containers().collect();
        let uid = |c: &Ctr<'_>| c.effective("runAsUser").and_then(|f| f.value.as_i64());
        assert_eq!(uid(&c[0]), Some(0), "the container's own value wins");
        assert_eq!(uid(&c[1]), Some(1000), "else the pod's default");
        assert_eq!(c[0].non_root_uid(), None);
        assert_eq!(c[1].non_root_uid(), Some(1000));
        assert_eq!(
            file.slice(c[0].own("privileged").unwrap().entry),
            "privileged: true"
        );
        assert!(
            c[1].effective("privileged").is_none(),
            "not a pod-level field"
        );
        assert_eq!(
            c[1].finding(c[1].anchor(), "says hi").message,
            "Pod/p: container `b` says hi"
        );
        let edits = c[1].set(&["allowPrivilegeEscalation"], "false").unwrap();
        assert_eq!(
            crate::fix::apply(text, &edits).unwrap(),
            format!("{text}    securityContext:\n      allowPrivilegeEscalation: false\n")
        );
    }
}
