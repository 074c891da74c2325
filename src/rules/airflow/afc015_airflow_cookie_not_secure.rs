use super::versioned::{BoolSpec, check};
use crate::finding::Finding;
use crate::rules::ProjectCx;

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: "AFC015",
    locs: &[("webserver", "cookie_secure"), ("fab", "cookie_secure")],
    bad: false,
    why: "the session cookie is also sent over plain HTTP",
    fix: "Serve the UI over HTTPS and set `cookie_secure = True`.",
};

crate::rule!(Afc015, "AFC015", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        check(cx, out, &SPEC);
    }
});
