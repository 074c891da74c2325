use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc020::ID,
    locs: &[("api", "enable_experimental_api")],
    bad: true,
    why: "the experimental REST API has no access control: any authenticated user gets full access",
    fix: "Set `enable_experimental_api = False` and use the stable REST API.",
};

crate::rule!(Afc020, "AFC020", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
