//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc021, "AFC021", bad: true,
locs: &[("database", "load_default_connections")],
why: "dozens of sample connections (with default hosts and credentials) are created in the metadata database" }
