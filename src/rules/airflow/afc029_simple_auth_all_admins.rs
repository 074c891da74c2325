use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc029, "AFC029", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC029",
            &[("core", "simple_auth_manager_all_admins")],
            true,
            "authentication is off: every visitor is an admin",
            "Set `simple_auth_manager_all_admins = False` and use a production auth manager (FAB, Keycloak) outside development.",
        );
    }
});
