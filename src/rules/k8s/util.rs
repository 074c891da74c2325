//! Helpers shared by the Kubernetes rules.

use crate::engine::{Parsed, YamlFile};
use crate::k8s::{self, Object, PodSpec};
use crate::rules::FileCx;

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
