use super::common::{airflow_values_all, str_at};
use crate::finding::Severity;
use crate::rules::{FileCx, Findings};

crate::rule!(Afh008, "AFH008", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for cr in airflow_values_all(cx.analyzed) {
            let root = cr.root;
            if let Some((e, span)) = str_at(root, &["executor"])
                && e.split(',').any(|x| x.trim() == "SequentialExecutor")
                && !cr.overridden(&["executor"])
            {
                out.push(
                    cr.finding(span, &cx.file.text, "`executor` is SequentialExecutor: one task at a time, in the scheduler's pod (development only; removed in Airflow 3)")
                        .with_severity(Severity::Warning)
                        .with_help("Use CeleryExecutor, KubernetesExecutor or LocalExecutor (`executor:`)."),
                );
            }
            let sqlite = [
                &["data", "metadataConnection", "protocol"][..],
                &["config", "database", "sql_alchemy_conn"][..],
                &["config", "core", "sql_alchemy_conn"][..],
            ]
            .iter()
            .filter(|p| !cr.overridden(p))
            .find_map(|p| {
                str_at(root, p)
                    .filter(|(v, _)| v.trim().starts_with("sqlite"))
                    .map(|(_, s)| (p.join("."), s))
            });
            if let Some((key, span)) = sqlite {
                out.push(
                    cr.finding(span, &cx.file.text, format!("`{key}` uses SQLite: every pod gets its own database file, so the scheduler, API server and workers do not share state"))
                        .with_severity(Severity::Error)
                        .with_help("Use PostgreSQL or MySQL: `data.metadataSecretName` with the connection string."),
                );
            }
        }
    }
});
