use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc032::ID,
    locs: &[
        ("kubernetes_executor", "verify_ssl"),
        ("kubernetes", "verify_ssl"),
    ],
    bad: false,
    why: "the executor talks to the Kubernetes API without verifying its TLS certificate",
    fix: "Keep `verify_ssl = True` and give the executor the cluster CA.",
};

crate::rule!(Afc032, "AFC032", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
