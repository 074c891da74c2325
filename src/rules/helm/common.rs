//! Helpers for the AFH rules: the values root of an official-chart values file.

use crate::classify::YamlKind;
use crate::document::{AnalyzedFile, Parsed};
use crate::yaml::NodeRef;

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

pub use crate::airflow::gitops::{is_set, literal};

/// Every official-chart values root of a file: the file's own root (a
/// values file), or the inline values of each Flux `HelmRelease` / Argo CD
/// `Application` for an Airflow chart in it.
pub fn airflow_values_all(af: &AnalyzedFile) -> Vec<NodeRef<'_>> {
    match &af.parsed {
        Parsed::Yaml(y) => {
            crate::airflow::gitops::chart_values_roots(&y.stream, y.kind, &y.objects)
        }
        _ => Vec::new(),
    }
}

/// The text of a scalar at `path`, if any.
pub fn str_at<'a>(root: NodeRef<'a>, path: &[&str]) -> Option<(&'a str, crate::source::Span)> {
    let n = root.path(path)?;
    Some((n.as_str()?, n.span()))
}
