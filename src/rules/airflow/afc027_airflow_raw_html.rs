//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc027, "AFC027", bad: true,
locs: &[("webserver", "allow_raw_html_descriptions"), ("webserver", "instance_name_has_markup")],
why: "HTML from DAG parameters or the instance name is rendered as is in the UI (cross-site scripting)" }
