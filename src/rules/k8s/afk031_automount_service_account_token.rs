use std::collections::BTreeSet;

use crate::finding::{Applicability, Finding};
use crate::k8s::{DEFAULT_NAMESPACE, entry_span, pod_spec_anchor, workloads};
use crate::rules::{Findings, ProjectCx};

use super::sc::{FindingExt, Pod};

crate::rule!(Afk031, "AFK031", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        // ServiceAccounts that opt out themselves, and service accounts that
        // are bound to a role (their pods use the API): (namespace, name).
        let mut opted_out: BTreeSet<(String, String)> = BTreeSet::new();
        let mut bound: BTreeSet<(String, String)> = BTreeSet::new();
        for f in cx.files {
            let Some(y) = f.yaml() else { continue };
            for obj in &y.objects {
                let node = obj.node(&y.stream);
                let ns = obj
                    .namespace
                    .clone()
                    .unwrap_or_else(|| DEFAULT_NAMESPACE.into());
                match obj.kind.as_str() {
                    "ServiceAccount" if obj.group().is_empty() => {
                        if node
                            .get("automountServiceAccountToken")
                            .and_then(|v| v.as_bool())
                            == Some(false)
                            && let Some(name) = &obj.name
                        {
                            opted_out.insert((ns, name.clone()));
                        }
                    }
                    "RoleBinding" | "ClusterRoleBinding"
                        if obj.group() == "rbac.authorization.k8s.io" =>
                    {
                        let Some(subjects) = node.get("subjects") else {
                            continue;
                        };
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
                            bound.insert((sns, name.to_string()));
                        }
                    }
                    _ => {}
                }
            }
        }
        for (fi, f) in cx.files.iter().enumerate() {
            let Some(y) = f.yaml() else { continue };
            for (obj, pod) in workloads(&y.objects, &y.stream) {
                let setting = pod
                    .spec
                    .get("automountServiceAccountToken")
                    .and_then(|v| v.as_bool());
                // Unset in a patch fragment: the base decides.
                if setting == Some(false) || (setting.is_none() && pod.is_fragment()) {
                    continue;
                }
                let ns = obj
                    .namespace
                    .clone()
                    .unwrap_or_else(|| DEFAULT_NAMESPACE.into());
                let sa = pod
                    .spec
                    .get("serviceAccountName")
                    .or_else(|| pod.spec.get("serviceAccount"))
                    .and_then(|v| v.as_str())
                    .unwrap_or("default")
                    .to_string();
                let key = (ns, sa);
                if setting.is_none() && opted_out.contains(&key) {
                    continue;
                }
                // A pod whose service account is bound to a role needs the API.
                if bound.contains(&key) {
                    continue;
                }
                let span = if setting == Some(true) {
                    entry_span(pod.spec, "automountServiceAccountToken")
                        .unwrap_or(pod_spec_anchor(obj, &y.stream))
                } else {
                    pod_spec_anchor(obj, &y.stream)
                };
                // Unsafe: a pod that does call the API loses its credentials.
                let edits = Pod::new(&f.file, &y.stream, obj, pod)
                    .set(&["automountServiceAccountToken"], "false");
                out.push(
                    Finding::new(span,
                        format!(
                            "{}: pods get a token for service account `{}` mounted; set `automountServiceAccountToken: false` if they do not call the Kubernetes API",
                            obj.display(),
                            key.1
                        ),
                    )
                    .fix(Applicability::Unsafe, edits)
                    .in_file(fi as u32),
                );
            }
        }
    }
});
