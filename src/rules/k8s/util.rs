//! Helpers shared by the Kubernetes rules.

use crate::engine::{Parsed, YamlFile};
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
