//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc022, "AFC022", bad: false,
locs: &[("core", "dags_are_paused_at_creation")],
why: "a newly deployed DAG file starts running on its schedule at once, before anyone reviews it" }
