//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc023, "AFC023", bad: false,
locs: &[("webserver", "warn_deployment_exposure")],
why: "the UI no longer warns when crawlers reach it, a sign that it is exposed to the internet" }
