use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc027::ID,
    locs: &[
        ("webserver", "allow_raw_html_descriptions"),
        ("webserver", "instance_name_has_markup"),
    ],
    bad: true,
    why: "HTML from DAG parameters or the instance name is rendered as is in the UI (cross-site scripting)",
    fix: "Set it to False and use Markdown.",
};

crate::rule!(Afc027, "AFC027", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
