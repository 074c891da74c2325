//! Helpers for the AFH rules: the values root of an official-chart values file.

use crate::classify::YamlKind;
use crate::engine::{AnalyzedFile, Parsed};
use crate::yaml::NodeRef;

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

/// The root mapping of a Helm values file for the official Airflow chart.
pub fn airflow_values(af: &AnalyzedFile) -> Option<NodeRef<'_>> {
    let root = values_root(af)?;
    if !root.is_mapping() {
        return None;
    }
    official_root(root)
}

/// The community chart's (airflow-helm/charts) `airflow:` mapping of a
/// values file, if it is one.
pub fn community_values(af: &AnalyzedFile) -> Option<NodeRef<'_>> {
    crate::airflow::sources::community_root(values_root(af)?)
}

/// The root node of a Helm values file.
fn values_root(af: &AnalyzedFile) -> Option<NodeRef<'_>> {
    let Parsed::Yaml(y) = &af.parsed else {
        return None;
    };
    if y.kind != YamlKind::HelmValues {
        return None;
    }
    y.stream.docs.first()?.root.map(|r| y.stream.node(r))
}

/// `root` when it holds the official chart's values (not the community
/// chart's, which keeps its settings under `airflow:`).
pub fn official_root(root: NodeRef<'_>) -> Option<NodeRef<'_>> {
    if !root.is_mapping() || crate::airflow::sources::community_root(root).is_some() {
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

/// Every official-chart values root of a file: the file's own root (a
/// values file), or the inline values of each Flux `HelmRelease` / Argo CD
/// `Application` for an Airflow chart in it.
pub fn airflow_values_all(af: &AnalyzedFile) -> Vec<NodeRef<'_>> {
    if let Some(r) = airflow_values(af) {
        return vec![r];
    }
    let Parsed::Yaml(y) = &af.parsed else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for obj in &y.objects {
        for v in crate::airflow::gitops::wrapper_values(obj, &y.stream) {
            if let crate::airflow::gitops::Values::Tree(n) = v
                && let Some(r) = official_root(n)
            {
                out.push(r);
            }
        }
    }
    out
}

/// The text of a scalar at `path`, if any.
pub fn str_at<'a>(root: NodeRef<'a>, path: &[&str]) -> Option<(&'a str, crate::source::Span)> {
    let n = root.path(path)?;
    Some((n.as_str()?, n.span()))
}
