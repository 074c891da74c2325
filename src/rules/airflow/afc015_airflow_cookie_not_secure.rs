use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc015::ID,
    locs: &[("webserver", "cookie_secure"), ("fab", "cookie_secure")],
    bad: false,
    why: "the session cookie is also sent over plain HTTP",
    fix: "Serve the UI over HTTPS and set `cookie_secure = True`.",
};

crate::rule!(Afc015, "AFC015", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
