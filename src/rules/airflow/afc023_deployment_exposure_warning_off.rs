use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc023, "AFC023", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC023",
            &[("webserver", "warn_deployment_exposure")],
            false,
            "the UI no longer warns when crawlers reach it, a sign that it is exposed to the internet",
            "Keep `warn_deployment_exposure = True`.",
        );
    }
});
