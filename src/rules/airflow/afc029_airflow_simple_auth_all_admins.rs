use super::versioned::{BoolSpec, check};
use crate::finding::Finding;
use crate::rules::ProjectCx;

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: "AFC029",
    locs: &[("core", "simple_auth_manager_all_admins")],
    bad: true,
    why: "authentication is off: every visitor is an admin",
    fix: "Set `simple_auth_manager_all_admins = False` and use a production auth manager (FAB, Keycloak) outside development.",
};

crate::rule!(Afc029, "AFC029", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        check(cx, out, &SPEC);
    }
});
