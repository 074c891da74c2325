//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc032, "AFC032", bad: false,
locs: &[("kubernetes_executor", "verify_ssl"), ("kubernetes", "verify_ssl")],
why: "the executor talks to the Kubernetes API without verifying its TLS certificate" }
