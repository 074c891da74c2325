use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc029::ID,
    locs: &[("core", "simple_auth_manager_all_admins")],
    bad: true,
    why: "authentication is off: every visitor is an admin",
    fix: "Set `simple_auth_manager_all_admins = False` and use a production auth manager (FAB, Keycloak) outside development.",
};

crate::rule!(Afc029, "AFC029", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
