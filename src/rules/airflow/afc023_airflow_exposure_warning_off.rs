use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc023::ID,
    locs: &[("webserver", "warn_deployment_exposure")],
    bad: false,
    why: "the UI no longer warns when crawlers reach it, a sign that it is exposed to the internet",
    fix: "Keep `warn_deployment_exposure = True`.",
};

crate::rule!(Afc023, "AFC023", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
