use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc021, "AFC021", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC021",
            &[("database", "load_default_connections")],
            true,
            "dozens of sample connections (with default hosts and credentials) are created in the metadata database",
            "Set `load_default_connections = False` and create the connections you need explicitly.",
        );
    }
});
