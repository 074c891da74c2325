use std::collections::BTreeSet;

use crate::finding::{Applicability, Finding};
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afk031, "AFK031", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        // ServiceAccounts that opt out themselves, and service accounts that
        // are bound to a role (their pods use the API): (namespace, name).
        let mut opted_out: BTreeSet<(String, String)> = BTreeSet::new();
        let mut bound: BTreeSet<(String, String)> = BTreeSet::new();
        for (_, obj) in cx.objects() {
            if obj.automount == Some(false)
                && let Some(name) = &obj.name
            {
                opted_out.insert((obj.namespace_or_default().to_string(), name.clone()));
            }
            bound.extend(obj.service_account_subjects.iter().cloned());
        }
        for (fi, obj) in cx.objects() {
            let Some(pod) = &obj.pod else { continue };
            {
                let setting = pod.automount;
                // Unset in a patch fragment: the base decides.
                if setting == Some(false) || (setting.is_none() && pod.fragment) {
                    continue;
                }
                let key = (
                    obj.namespace_or_default().to_string(),
                    pod.service_account.clone(),
                );
                if setting.is_none() && opted_out.contains(&key) {
                    continue;
                }
                // A pod whose service account is bound to a role needs the API.
                if bound.contains(&key) {
                    continue;
                }
                let span = if setting == Some(true) {
                    pod.automount_span.unwrap_or(pod.anchor)
                } else {
                    pod.anchor
                };
                // Unsafe: a pod that does call the API loses its credentials.
                out.push(
                    Finding::new(span,
                        format!(
                            "{}: pods get a token for service account `{}` mounted; set `automountServiceAccountToken: false` if they do not call the Kubernetes API",
                            obj.display(),
                            key.1
                        ),
                    )
                    .with_edits(Applicability::Unsafe, pod.automount_fix.clone().unwrap_or_default())
                    .in_file(fi),
                );
            }
        }
    }
});
