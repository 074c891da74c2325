use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc032, "AFC032", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC032",
            &[
                ("kubernetes_executor", "verify_ssl"),
                ("kubernetes", "verify_ssl"),
            ],
            false,
            "the executor talks to the Kubernetes API without verifying its TLS certificate",
            "Keep `verify_ssl = True` and give the executor the cluster CA.",
        );
    }
});
