use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc025::ID,
    locs: &[("webserver", "x_frame_enabled")],
    bad: true,
    why: "the UI may be embedded in frames on other sites (clickjacking)",
    fix: "Set `x_frame_enabled = False`.",
};

crate::rule!(Afc025, "AFC025", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
