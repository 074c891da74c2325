//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc026, "AFC026", bad: true,
locs: &[("webserver", "expose_stacktrace"), ("api", "expose_stacktrace"), ("webserver", "expose_hostname"), ("fab", "expose_hostname")],
why: "error pages show stack traces or host names to users" }
