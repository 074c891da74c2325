use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc033::ID,
    locs: &[("core", "unit_test_mode")],
    bad: true,
    why: "Airflow loads its unit-test settings on top of this configuration",
    fix: "Set `unit_test_mode = False` outside Airflow's own test suite.",
};

crate::rule!(Afc033, "AFC033", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
