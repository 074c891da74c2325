use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc027, "AFC027", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC027",
            &[
                ("webserver", "allow_raw_html_descriptions"),
                ("webserver", "instance_name_has_markup"),
            ],
            true,
            "HTML from DAG parameters or the instance name is rendered as is in the UI (cross-site scripting)",
            "Set it to False and use Markdown.",
        );
    }
});
