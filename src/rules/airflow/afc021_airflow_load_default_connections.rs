use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc021::ID,
    locs: &[("database", "load_default_connections")],
    bad: true,
    why: "dozens of sample connections (with default hosts and credentials) are created in the metadata database",
    fix: "Set `load_default_connections = False` and create the connections you need explicitly.",
};

crate::rule!(Afc021, "AFC021", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
