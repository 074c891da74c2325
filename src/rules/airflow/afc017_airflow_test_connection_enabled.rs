use super::common::{at, groups};
use super::versioned::effective;
use crate::airflow::sources::Via;
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afc017, "AFC017", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            let Some(a) = effective(g, "core", "test_connection") else {
                continue;
            };
            if a.s.via != Via::Value {
                continue;
            }
            if a.s
                .value
                .as_deref()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("enabled"))
            {
                out.push(
                    at(a, a.s.value_span, format!("[core] test_connection is Enabled ({}): users who can edit connections can make Airflow run connection tests with their parameters (code execution, file reads)", g.version_label()))
                        .with_help("Set `test_connection = Disabled` (or `Hidden`), unless every connection editor is fully trusted."),
                );
            }
        }
    }
});
