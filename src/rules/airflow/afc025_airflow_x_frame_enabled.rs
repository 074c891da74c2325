use super::versioned::{BoolSpec, check};
use crate::finding::Finding;
use crate::rules::ProjectCx;

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: "AFC025",
    locs: &[("webserver", "x_frame_enabled")],
    bad: true,
    why: "the UI may be embedded in frames on other sites (clickjacking)",
    fix: "Set `x_frame_enabled = False`.",
};

crate::rule!(Afc025, "AFC025", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        check(cx, out, &SPEC);
    }
});
