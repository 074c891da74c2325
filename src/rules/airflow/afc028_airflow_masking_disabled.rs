//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc028, "AFC028", bad: false,
locs: &[("core", "hide_sensitive_var_conn_fields")],
why: "sensitive variable and connection fields are shown in the UI and written to logs unmasked" }
