use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc025, "AFC025", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC025",
            &[("webserver", "x_frame_enabled")],
            true,
            "the UI may be embedded in frames on other sites (clickjacking)",
            "Set `x_frame_enabled = False`.",
        );
    }
});
