//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc013, "AFC013", bad: true,
locs: &[("core", "enable_xcom_pickling")],
why: "XCom values are unpickled, so anyone who can write an XCom can run code in Airflow" }
