//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc029, "AFC029", bad: true,
locs: &[("core", "simple_auth_manager_all_admins")],
why: "authentication is off: every visitor is an admin" }
