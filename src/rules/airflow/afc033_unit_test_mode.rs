use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc033, "AFC033", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC033",
            &[("core", "unit_test_mode")],
            true,
            "Airflow loads its unit-test settings on top of this configuration",
            "Set `unit_test_mode = False` outside Airflow's own test suite.",
        );
    }
});
