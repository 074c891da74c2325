//! GitOps wrappers of a Helm release: a Flux `HelmRelease` (`spec.values`)
//! or an Argo CD `Application` (`spec.source.helm.valuesObject`, or the
//! `values` string) installing an Airflow chart. Their inline values are
//! read as the chart's values (unit `<Kind>/<namespace>/<name>`).

use super::sources::{Setting, community_root, from_community_values, from_helm_root};
use crate::k8s::Object;
use crate::source::SpanMap;
use crate::yaml::{NodeRef, YamlStream};

/// Inline Helm values of a GitOps object for an Airflow chart: the values
/// mapping (in the file's own tree), or an embedded `values:` string.
pub enum Values<'a> {
    Tree(NodeRef<'a>),
    Text(NodeRef<'a>),
}

fn is_airflow_chart(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    s.contains("airflow")
}

/// The inline values of a Flux HelmRelease or Argo CD Application that
/// installs an Airflow chart.
pub fn wrapper_values<'a>(obj: &Object, stream: &'a YamlStream) -> Vec<Values<'a>> {
    let node = obj.node(stream);
    let mut out = Vec::new();
    match (obj.kind.as_str(), obj.group()) {
        ("HelmRelease", g) if g.starts_with("helm.toolkit.fluxcd.io") => {
            let chart = node
                .path(&["spec", "chart", "spec", "chart"])
                .and_then(|c| c.as_str())
                .or_else(|| {
                    node.path(&["spec", "chartRef", "name"])
                        .and_then(|c| c.as_str())
                });
            if chart.is_some_and(is_airflow_chart)
                && let Some(v) = node.path(&["spec", "values"])
                && v.is_mapping()
            {
                out.push(Values::Tree(v));
            }
        }
        ("Application", "argoproj.io") => {
            let spec = node.get("spec");
            let mut sources: Vec<NodeRef<'a>> = Vec::new();
            if let Some(s) = spec.and_then(|s| s.get("source")) {
                sources.push(s);
            }
            if let Some(list) = spec.and_then(|s| s.get("sources")) {
                sources.extend(list.items().map(|i| i.deref()));
            }
            for src in sources {
                let name = src
                    .get("chart")
                    .and_then(|c| c.as_str())
                    .or_else(|| src.get("path").and_then(|c| c.as_str()))
                    .unwrap_or("");
                if !is_airflow_chart(name) {
                    continue;
                }
                if let Some(v) = src.path(&["helm", "valuesObject"])
                    && v.is_mapping()
                {
                    out.push(Values::Tree(v));
                } else if let Some(v) = src.path(&["helm", "values"])
                    && v.as_str().is_some()
                {
                    out.push(Values::Text(v));
                }
            }
        }
        _ => {}
    }
    out
}

/// Settings of a GitOps wrapper's inline values; false when `obj` is not one.
pub fn from_wrapper(obj: &Object, stream: &YamlStream, text: &str, out: &mut Vec<Setting>) -> bool {
    let vals = wrapper_values(obj, stream);
    if vals.is_empty() {
        return false;
    }
    let unit = super::sources::object_unit(
        &obj.kind,
        obj.namespace.as_deref(),
        obj.name.as_deref().unwrap_or(""),
    );
    for v in vals {
        match v {
            Values::Tree(root) => read(root, text, &unit, out),
            Values::Text(n) => {
                let Some(body) = n.as_str() else { continue };
                let inner = crate::yaml::parse(body);
                let Some(root) = inner
                    .docs
                    .first()
                    .and_then(|d| d.root)
                    .map(|r| inner.node(r))
                    .filter(|r| r.is_mapping())
                else {
                    continue;
                };
                let map: SpanMap = n.scalar_map(text);
                let start = out.len();
                read(root, body, &unit, out);
                // Spans of the embedded text, mapped to the file; offsets
                // inside a value are not kept.
                for s in &mut out[start..] {
                    s.key_span = map.map_span(s.key_span);
                    s.value_span = map.map_span(s.value_span);
                    s.value_map = None;
                }
            }
        }
    }
    true
}

fn read(root: NodeRef<'_>, text: &str, unit: &str, out: &mut Vec<Setting>) {
    match community_root(root) {
        Some(a) => from_community_values(a, text, unit, out),
        None => from_helm_root(root, text, unit, out),
    }
}

/// Keys only the official Apache Airflow chart uses at the top level.
const CHART_KEYS: &[&str] = &[
    "airflowVersion",
    "defaultAirflowTag",
    "defaultAirflowRepository",
    "fernetKey",
    "fernetKeySecretName",
    "webserverSecretKey",
    "webserverSecretKeySecretName",
    "apiSecretKey",
    "apiSecretKeySecretName",
    "jwtSecret",
    "jwtSecretName",
    "createUserJob",
    "migrateDatabaseJob",
    "dagProcessor",
    "triggerer",
    "pgbouncer",
    "airflowHome",
    "enableBuiltInSecretEnvVars",
    "apiServer",
];

/// `root` when it holds the official chart's values (not the community
/// chart's, which keeps its settings under `airflow:`).
pub fn official_root(root: NodeRef<'_>) -> Option<NodeRef<'_>> {
    if !root.is_mapping() || super::sources::community_root(root).is_some() {
        return None;
    }
    let chart = root
        .entries()
        .any(|(k, _)| k.as_str().is_some_and(|k| CHART_KEYS.contains(&k)))
        || root.path(&["images", "airflow"]).is_some()
        || root.path(&["config", "core"]).is_some()
        || (root
            .get("executor")
            .and_then(|e| e.as_str())
            .is_some_and(|e| e.ends_with("Executor")));
    chart.then_some(root)
}

/// A non-empty literal string value.
pub fn literal(n: Option<NodeRef<'_>>) -> Option<(&str, crate::source::Span)> {
    let n = n?;
    let s = n.as_str()?;
    (!s.trim().is_empty() && n.is_scalar()).then(|| (s, n.span()))
}

/// True for a non-empty string value (a Secret name is set).
pub fn is_set(n: Option<NodeRef<'_>>) -> bool {
    literal(n).is_some()
}

/// Every official-chart values root of a YAML file: the file's own root (a
/// Helm values file), or the inline values of each Flux `HelmRelease` / Argo
/// CD `Application` for an Airflow chart in it.
pub fn chart_values_roots<'a>(
    stream: &'a YamlStream,
    kind: crate::classify::YamlKind,
    objects: &[Object],
) -> Vec<NodeRef<'a>> {
    if kind == crate::classify::YamlKind::HelmValues
        && let Some(root) = stream
            .docs
            .first()
            .and_then(|d| d.root)
            .map(|r| stream.node(r))
        && root.is_mapping()
        && let Some(r) = official_root(root)
    {
        return vec![r];
    }
    let mut out = Vec::new();
    for obj in objects {
        for v in wrapper_values(obj, stream) {
            if let Values::Tree(n) = v
                && let Some(r) = official_root(n)
            {
                out.push(r);
            }
        }
    }
    out
}
