use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc026::ID,
    locs: &[
        ("webserver", "expose_stacktrace"),
        ("api", "expose_stacktrace"),
        ("webserver", "expose_hostname"),
        ("fab", "expose_hostname"),
    ],
    bad: true,
    why: "error pages show stack traces or host names to users",
    fix: "Set it to False in production.",
};

crate::rule!(Afc026, "AFC026", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
