//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc025, "AFC025", bad: true,
locs: &[("webserver", "x_frame_enabled")],
why: "the UI may be embedded in frames on other sites (clickjacking)" }
