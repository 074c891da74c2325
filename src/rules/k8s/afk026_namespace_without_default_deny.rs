use std::collections::{BTreeMap, BTreeSet};

use crate::finding::Finding;
use crate::k8s::{DEFAULT_NAMESPACE, Object, builtin_group, object_anchor, pod_spec};
use crate::rules::{Findings, ProjectCx};
use crate::yaml::NodeRef;

/// Which directions a NetworkPolicy with an empty podSelector isolates for
/// every pod of its namespace: (ingress, egress).
fn isolates_all(np: NodeRef<'_>) -> (bool, bool) {
    let Some(spec) = np.get("spec") else {
        return (false, false);
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
        return (false, false);
    }
    match spec.get("policyTypes").filter(|p| p.is_sequence()) {
        Some(types) => {
            let has = |t: &str| types.items().any(|i| i.as_str() == Some(t));
            (has("Ingress"), has("Egress"))
        }
        // Default policyTypes: Ingress, plus Egress when egress rules exist.
        None => (true, spec.get("egress").is_some_and(|e| !e.is_null())),
    }
}

/// Objects without `metadata.namespace` are counted in `default`.
fn ns(obj: &Object) -> &str {
    obj.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE)
}

crate::rule!(Afk026, "AFK026", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        let mut ingress: BTreeSet<&str> = BTreeSet::new();
        let mut egress: BTreeSet<&str> = BTreeSet::new();
        // namespace -> first workload (file, object)
        let mut first: BTreeMap<&str, (u32, &Object)> = BTreeMap::new();
        for (fi, f) in cx.files.iter().enumerate() {
            let Some(y) = f.yaml() else { continue };
            for obj in &y.objects {
                if obj.kind == "NetworkPolicy" && builtin_group(&obj.kind, obj.group()) {
                    let (i, e) = isolates_all(obj.node(&y.stream));
                    if i {
                        ingress.insert(ns(obj));
                    }
                    if e {
                        egress.insert(ns(obj));
                    }
                } else if obj.kind != "PodTemplate" && pod_spec(obj, &y.stream).is_some() {
                    first.entry(ns(obj)).or_insert((fi as u32, obj));
                }
            }
        }
        for (namespace, (fi, obj)) in first {
            if ingress.contains(namespace) && egress.contains(namespace) {
                continue;
            }
            let Some(y) = cx.files.get(fi as usize).and_then(|f| f.yaml()) else {
                continue;
            };
            let missing = match (ingress.contains(namespace), egress.contains(namespace)) {
                (true, false) => "Egress",
                (false, true) => "Ingress",
                _ => "Ingress and Egress",
            };
            out.push(
                Finding::new(object_anchor(obj, &y.stream),
                    format!(
                        "namespace `{namespace}` has workloads (first: {}) but no default-deny NetworkPolicy for {missing} (empty `podSelector`)",
                        obj.display()
                    ),
                )
                .with_help(format!(
                    "Add a NetworkPolicy in `{namespace}` with `podSelector: {{}}` and `policyTypes: [Ingress, Egress]`, then allow the required flows explicitly."
                ))
                .in_file(fi),
            );
        }
    }
});
