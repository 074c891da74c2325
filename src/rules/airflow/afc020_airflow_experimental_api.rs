//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc020, "AFC020", bad: true,
locs: &[("api", "enable_experimental_api")],
why: "the experimental REST API has no access control: any authenticated user gets full access" }
