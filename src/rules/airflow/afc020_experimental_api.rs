use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc020, "AFC020", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC020",
            &[("api", "enable_experimental_api")],
            true,
            "the experimental REST API has no access control: any authenticated user gets full access",
            "Set `enable_experimental_api = False` and use the stable REST API.",
        );
    }
});
