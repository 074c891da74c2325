use super::common::{ChartRoot, airflow_values_all, first_key};
use crate::rules::{FileCx, Findings};

fn check(cr: ChartRoot<'_>, t: &str, out: &mut Findings<'_>) {
    let root = cr.root;
    let np = root.get("networkPolicies");
    let entry = np.and_then(|n| n.entry("enabled"));
    // Set elsewhere (a values file merged under these, an Argo CD
    // parameter): not known here.
    if (entry.is_none() && !cr.unset_known(&["networkPolicies", "enabled"]))
        || cr.overridden(&["networkPolicies", "enabled"])
    {
        return;
    }
    let span = match entry {
        Some((_, v)) if v.as_bool() == Some(true) => return,
        Some((_, v)) => v.span(),
        None => root
            .key_span("networkPolicies")
            .unwrap_or_else(|| first_key(root)),
    };
    let msg = if entry.is_some() {
        "`networkPolicies.enabled` is false: every pod in the cluster can reach the Airflow components, the database and Redis"
    } else {
        "`networkPolicies.enabled` is not set and defaults to false: every pod in the cluster can reach the Airflow components, the database and Redis"
    };
    out.push(cr.finding(span, t, msg));
}

crate::rule!(Afh004, "AFH004", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for cr in airflow_values_all(cx.analyzed) {
            check(cr, &cx.file.text, out);
        }
    }
});
