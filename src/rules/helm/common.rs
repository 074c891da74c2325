//! Helpers for the AFH rules: the values roots of a file (a Helm values
//! file, or the inline values of a Flux `HelmRelease` / Argo CD
//! `Application` for an Airflow chart: `values`, `valuesObject`, or the
//! `values` string).

use crate::document::{AnalyzedFile, Parsed};
use crate::yaml::NodeRef;

pub use crate::airflow::gitops::{ChartRoot, is_set, literal};

/// The community chart's (airflow-helm/charts) `airflow:` mappings of a
/// file.
pub fn community_values_all(af: &AnalyzedFile) -> Vec<ChartRoot<'_>> {
    roots_of(af, crate::airflow::gitops::community_values_roots)
}

/// Every official-chart values root of a file.
pub fn airflow_values_all(af: &AnalyzedFile) -> Vec<ChartRoot<'_>> {
    roots_of(af, crate::airflow::gitops::chart_values_roots)
}

type RootsFn = for<'a> fn(
    &'a crate::yaml::YamlStream,
    crate::classify::YamlKind,
    &'a [crate::k8s::Object],
    &'a [crate::airflow::gitops::Embedded],
    &'a str,
) -> Vec<ChartRoot<'a>>;

/// The values roots `find` gives for a YAML file.
fn roots_of(af: &AnalyzedFile, find: RootsFn) -> Vec<ChartRoot<'_>> {
    match &af.parsed {
        Parsed::Yaml(y) => find(&y.stream, y.kind, &y.objects, &y.embedded, &af.file.text),
        _ => Vec::new(),
    }
}

/// The text of a scalar at `path`, if any.
pub fn str_at<'a>(root: NodeRef<'a>, path: &[&str]) -> Option<(&'a str, crate::source::Span)> {
    let n = root.path(path)?;
    Some((n.as_str()?, n.span()))
}

/// The span of the first key of a values root, for findings about
/// something the values leave unset.
pub fn first_key(root: NodeRef<'_>) -> crate::source::Span {
    root.entries()
        .next()
        .map(|(k, _)| k.span())
        .unwrap_or(crate::source::Span::empty(0))
}
