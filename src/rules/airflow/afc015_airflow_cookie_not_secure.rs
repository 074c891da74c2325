//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc015, "AFC015", bad: false,
locs: &[("webserver", "cookie_secure"), ("fab", "cookie_secure")],
why: "the session cookie is also sent over plain HTTP" }
