use super::common::{airflow_values_all, first_key, is_set};
use crate::rules::{FileCx, Findings};

crate::rule!(Afh007, "AFH007", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for cr in airflow_values_all(cx.analyzed) {
            let root = cr.root;
            let enabled = root.path(&["postgresql", "enabled"]);
            if enabled.and_then(|e| e.as_bool()) == Some(false) {
                continue;
            }
            // What values merged under these or Argo CD parameters set is
            // not known here: the database may be configured there.
            let elsewhere = match enabled {
                Some(_) => cr.overridden(&["postgresql", "enabled"]),
                None => !cr.unset_known(&["postgresql", "enabled"]),
            };
            if elsewhere || !cr.unset_known(&["data"]) {
                continue;
            }
            // An external database configured: the bundled one is unused.
            let data = root.get("data");
            if data.is_some_and(|d| {
                is_set(d.get("metadataSecretName"))
                    || is_set(d.path(&["metadataConnection", "host"]))
            }) {
                continue;
            }
            let (span, how) = match enabled {
                Some(e) => (e.span(), "`postgresql.enabled` is true"),
                None => (
                    root.key_span("postgresql")
                        .unwrap_or_else(|| first_key(root)),
                    "`postgresql.enabled` is not set (the chart's default is true)",
                ),
            };
            out.push(
                cr.finding(span, &cx.file.text, format!("{how} and no external metadata database is configured: the chart's bundled PostgreSQL (not meant for production: no backups, no high availability, default password) holds all of Airflow's state")),
            );
        }
    }
});
