use super::common::airflow_values_all;
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};
use crate::source::Span;

fn check(root: crate::yaml::NodeRef<'_>, out: &mut Findings<'_>) {
    let np = root.get("networkPolicies");
    let entry = np.and_then(|n| n.entry("enabled"));
    let span = match entry {
        Some((_, v)) if v.as_bool() == Some(true) => return,
        Some((_, v)) => v.span(),
        None => root
            .key_span("networkPolicies")
            .or_else(|| root.entries().next().map(|(k, _)| k.span()))
            .unwrap_or(Span::empty(0)),
    };
    let msg = if entry.is_some() {
        "`networkPolicies.enabled` is false: every pod in the cluster can reach the Airflow components, the database and Redis"
    } else {
        "`networkPolicies.enabled` is not set and defaults to false: every pod in the cluster can reach the Airflow components, the database and Redis"
    };
    out.push(Finding::new(span, msg));
}

crate::rule!(Afh004, "AFH004", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for root in airflow_values_all(cx.analyzed) {
            check(root, out);
        }
    }
});
