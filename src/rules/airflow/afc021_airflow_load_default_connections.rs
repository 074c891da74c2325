use super::versioned::{BoolSpec, check};
use crate::finding::Finding;
use crate::rules::ProjectCx;

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: "AFC021",
    locs: &[("database", "load_default_connections")],
    bad: true,
    why: "dozens of sample connections (with default hosts and credentials) are created in the metadata database",
    fix: "Set `load_default_connections = False` and create the connections you need explicitly.",
};

crate::rule!(Afc021, "AFC021", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        check(cx, out, &SPEC);
    }
});
