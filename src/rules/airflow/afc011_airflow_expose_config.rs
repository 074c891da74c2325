use super::common::{at, groups};
use super::versioned::effective_of;
use crate::airflow::knowledge;
use crate::airflow::sources::Via;
use crate::finding::Severity;
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afc011, "AFC011", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            for a in effective_of(
                g,
                &[("webserver", "expose_config"), ("api", "expose_config")],
            ) {
                if a.s.via != Via::Value {
                    continue;
                }
                let Some(v) = a.s.value.as_deref() else {
                    continue;
                };
                if knowledge::parse_bool(v) != Some(true) {
                    continue;
                }
                let sec = &a.s.section;
                // Masking follows the release that introduced it; between
                // the last release documented without it and the first
                // documented with it, afcheck does not know.
                let ver = g.version_label();
                let f = match knowledge::expose_config_masked(g.version) {
                    Some(true) => at(a, a.s.value_span, format!("[{sec}] expose_config is true ({ver}): the configuration page shows the whole configuration, sensitive values masked"))
                        .with_severity(Severity::Note),
                    Some(false) => at(
                        a,
                        a.s.value_span,
                        format!("[{sec}] expose_config is true ({ver}): the UI and API show every configuration value, connection strings and keys included"),
                    ),
                    None => at(
                        a,
                        a.s.value_span,
                        format!(
                            "[{sec}] expose_config is true ({ver}): the UI and API show the whole configuration; whether this release masks connection strings and keys is not known (Airflow documents masking from {})",
                            knowledge::documented_from().0.unwrap_or("a later release")
                        ),
                    ),
                };
                out.push(f);
            }
        }
    }
});
