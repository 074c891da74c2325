use crate::finding::{Applicability, Edit, Finding, Severity};
use crate::k8s::{DeprecatedApi, deprecated_api};
use crate::rules::{FileCx, Findings};
use crate::yaml::NodeRef;

use super::sc::{FindingExt, safe_if};
use crate::k8s::edit::Yed;

/// Moves to the replacement API that change only `apiVersion`: the
/// replacement has the same fields and the same defaults (safe), or the
/// same fields with other defaults (unsafe), with the edits besides the
/// `apiVersion` they need. The Ingress move is `super::ingress_v1`'s; other
/// moves (webhooks, CustomResourceDefinitions, `autoscaling/v2beta1`
/// metrics...) change the object's shape: no fix.
fn mechanical(
    d: &DeprecatedApi,
    kind: &str,
    node: NodeRef<'_>,
    yed: &Yed<'_>,
) -> Option<(Applicability, Vec<Edit>)> {
    let has_selector = || {
        node.path(&["spec", "selector"])
            .is_some_and(|s| s.entries().next().is_some())
    };
    let same = match (d.api_version, kind) {
        (
            "extensions/v1beta1" | "apps/v1beta1",
            "Deployment" | "DaemonSet" | "ReplicaSet" | "StatefulSet",
        ) => {
            // apps/v1 changes the defaults of the update strategy and
            // history, and requires the selector the old APIs defaulted to
            // the pod template's labels: that default is written out.
            let extra = if has_selector() {
                Vec::new()
            } else {
                default_selector(node, yed)?
            };
            return Some((Applicability::Unsafe, extra));
        }
        // An empty selector selects no pod in v1beta1 and every pod in v1.
        ("policy/v1beta1", "PodDisruptionBudget") => has_selector(),
        ("apps/v1beta2", _) => kind == "ControllerRevision" || has_selector(),
        ("extensions/v1beta1", "NetworkPolicy")
        | ("networking.k8s.io/v1beta1", "IngressClass")
        | ("rbac.authorization.k8s.io/v1beta1", _)
        | ("scheduling.k8s.io/v1beta1" | "scheduling.k8s.io/v1alpha1", _)
        | ("storage.k8s.io/v1beta1", _)
        | ("coordination.k8s.io/v1beta1", _)
        | ("batch/v1beta1", "CronJob")
        | ("autoscaling/v2beta2", _)
        | ("node.k8s.io/v1beta1", _)
        | ("apiregistration.k8s.io/v1beta1", _)
        | ("flowcontrol.apiserver.k8s.io/v1beta3", _) => true,
        _ => false,
    };
    same.then_some((Applicability::Safe, Vec::new()))
}

/// `spec.selector.matchLabels` with the pod template's labels (each a
/// one-line scalar key and value), as the beta APIs defaulted it.
fn default_selector(node: NodeRef<'_>, yed: &Yed<'_>) -> Option<Vec<Edit>> {
    let labels = node.path(&["spec", "template", "metadata", "labels"])?;
    let mut pairs = Vec::new();
    for (k, v) in labels.entries() {
        let (ks, vs) = (yed.src(k), yed.src(v));
        if !k.is_scalar()
            || !v.is_scalar()
            || v.is_alias()
            || ks.contains('\n')
            || vs.contains('\n')
        {
            return None;
        }
        pairs.push(format!("{ks}: {vs}"));
    }
    if pairs.is_empty() {
        return None;
    }
    let spec = node.get("spec")?;
    yed.set(
        spec,
        &["selector", "matchLabels"],
        &format!("{{{}}}", pairs.join(", ")),
    )
}

/// The edit that writes `to` over the `apiVersion` value (quotes kept).
fn rewrite(cx: &FileCx<'_>, v: NodeRef<'_>, to: &str) -> Option<Vec<Edit>> {
    let old = cx.file.slice(v.span());
    let q = old.chars().next().filter(|c| *c == '"' || *c == '\'');
    (v.is_scalar() && !v.is_alias() && !old.contains('\n')).then(|| {
        let q = q.map(String::from).unwrap_or_default();
        vec![Edit::replace(v.span(), format!("{q}{to}{q}"))]
    })
}

use super::util::manifests;

crate::rule!(Afk028, "AFK028", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(y) = manifests(cx) else { return };
        let target = cx.settings.k8s_minor;
        for obj in &y.objects {
            let Some(d) = deprecated_api(&obj.api_version, &obj.kind) else {
                continue;
            };
            let removed = d.removed_in.is_some_and(|r| target >= r);
            let deprecated = d.deprecated_in.is_some_and(|r| target >= r);
            if !removed && !deprecated {
                continue;
            }
            let node = obj.node(&y.stream);
            let span = node.get("apiVersion").map(|v| v.span()).unwrap_or(obj.span);
            let (replacement, fix) = match d.replacement.strip_prefix("none: ") {
                Some(advice) => (
                    format!("there is no replacement API: {advice}"),
                    format!("Remove the object; {advice}."),
                ),
                None => (
                    format!("use `{}`", d.replacement),
                    format!(
                        "Change `apiVersion` to `{}` and adapt any fields that changed.",
                        d.replacement
                    ),
                ),
            };
            let (sev, msg) = if removed {
                (
                    Severity::Error,
                    format!(
                        "{}: `{}` {} was removed in Kubernetes 1.{} (target 1.{target}); {replacement}",
                        obj.display(),
                        d.api_version,
                        obj.kind,
                        d.removed_in.unwrap_or(0)
                    ),
                )
            } else {
                let when = match d.removed_in {
                    Some(r) => format!(", removal in 1.{r}"),
                    None => String::new(),
                };
                (
                    Severity::Warning,
                    format!(
                        "{}: `{}` {} is deprecated since Kubernetes 1.{}{when}; {replacement}",
                        obj.display(),
                        d.api_version,
                        obj.kind,
                        d.deprecated_in.unwrap_or(0)
                    ),
                )
            };
            let edit = node.get("apiVersion").and_then(|v| {
                let mut edits = rewrite(cx, v, d.replacement)?;
                if obj.kind == "Ingress" && d.replacement == "networking.k8s.io/v1" {
                    // networking.k8s.io/v1 is served from 1.19 on.
                    if target < 19 {
                        return None;
                    }
                    let yed = Yed::new(cx.file, node);
                    edits.extend(super::ingress_v1::edits(&yed, node)?);
                    edits.sort();
                    return Some((Applicability::Safe, edits));
                }
                let (a, extra) = mechanical(d, &obj.kind, node, &Yed::new(cx.file, node))?;
                edits.extend(extra);
                edits.sort();
                Some((a, edits))
            });
            let (a, edits) = match edit {
                Some((a, e)) => (a, Some(e)),
                None => (safe_if(false), None),
            };
            out.push(
                Finding::new(span, msg)
                    .with_severity(sev)
                    .with_help(fix)
                    .fix(a, edits),
            );
        }
    }
});
