use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc022, "AFC022", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC022",
            &[("core", "dags_are_paused_at_creation")],
            false,
            "a newly deployed DAG file starts running on its schedule at once, before anyone reviews it",
            "Keep `dags_are_paused_at_creation = True` and unpause DAGs deliberately.",
        );
    }
});
