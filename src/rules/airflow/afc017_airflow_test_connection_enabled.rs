use super::common::at;
use super::versioned::effective_values;
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afc017, "AFC017", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for (g, a, v) in effective_values(cx, &[("core", "test_connection")]) {
            if v.trim().eq_ignore_ascii_case("enabled") {
                out.push(
                    at(a, a.s.value_span, format!("[core] test_connection is Enabled ({}): users who can edit connections can make Airflow run connection tests with their parameters (code execution, file reads)", g.version_label())),
                );
            }
        }
    }
});
