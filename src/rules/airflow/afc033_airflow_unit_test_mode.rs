//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc033, "AFC033", bad: true,
locs: &[("core", "unit_test_mode")],
why: "Airflow loads its unit-test settings on top of this configuration" }
