//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc031, "AFC031", bad: false,
locs: &[("fab", "auth_rate_limited"), ("webserver", "auth_rate_limited")],
why: "the login form has no brute-force protection" }
