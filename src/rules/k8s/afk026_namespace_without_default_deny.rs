use std::collections::{BTreeMap, BTreeSet};

use crate::finding::Finding;
use crate::k8s::index::ObjectSummary;
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afk026, "AFK026", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        let mut ingress: BTreeSet<&str> = BTreeSet::new();
        let mut egress: BTreeSet<&str> = BTreeSet::new();
        // namespace -> first workload (file, object)
        let mut first: BTreeMap<&str, (u32, &ObjectSummary)> = BTreeMap::new();
        for (fi, obj) in cx.objects() {
            if let Some(iso) = obj.isolates {
                if iso.ingress {
                    ingress.insert(obj.namespace_or_default());
                }
                if iso.egress {
                    egress.insert(obj.namespace_or_default());
                }
            } else if obj.kind != "PodTemplate" && obj.pod.is_some() {
                first.entry(obj.namespace_or_default()).or_insert((fi, obj));
            }
        }
        for (namespace, (fi, obj)) in first {
            if ingress.contains(namespace) && egress.contains(namespace) {
                continue;
            }
            let missing = match (ingress.contains(namespace), egress.contains(namespace)) {
                (true, false) => "Egress",
                (false, true) => "Ingress",
                _ => "Ingress and Egress",
            };
            out.push(
                Finding::new(obj.anchor,
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
