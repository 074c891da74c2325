use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc022::ID,
    locs: &[("core", "dags_are_paused_at_creation")],
    bad: false,
    why: "a newly deployed DAG file starts running on its schedule at once, before anyone reviews it",
    fix: "Keep `dags_are_paused_at_creation = True` and unpause DAGs deliberately.",
};

crate::rule!(Afc022, "AFC022", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
