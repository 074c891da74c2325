use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc031::ID,
    locs: &[
        ("fab", "auth_rate_limited"),
        ("webserver", "auth_rate_limited"),
    ],
    bad: false,
    why: "the login form has no brute-force protection",
    fix: "Keep `auth_rate_limited = True`.",
};

crate::rule!(Afc031, "AFC031", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
