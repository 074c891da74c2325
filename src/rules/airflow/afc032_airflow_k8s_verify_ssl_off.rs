use super::versioned::{BoolSpec, check};
use crate::finding::Finding;
use crate::rules::ProjectCx;

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: "AFC032",
    locs: &[
        ("kubernetes_executor", "verify_ssl"),
        ("kubernetes", "verify_ssl"),
    ],
    bad: false,
    why: "the executor talks to the Kubernetes API without verifying its TLS certificate",
    fix: "Keep `verify_ssl = True` and give the executor the cluster CA.",
};

crate::rule!(Afc032, "AFC032", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        check(cx, out, &SPEC);
    }
});
