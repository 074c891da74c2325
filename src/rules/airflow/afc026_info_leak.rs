use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc026, "AFC026", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC026",
            &[
                ("webserver", "expose_stacktrace"),
                ("api", "expose_stacktrace"),
                ("webserver", "expose_hostname"),
                ("fab", "expose_hostname"),
            ],
            true,
            "error pages show stack traces or host names to users",
            "Set it to False in production.",
        );
    }
});
