use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc031, "AFC031", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC031",
            &[
                ("fab", "auth_rate_limited"),
                ("webserver", "auth_rate_limited"),
            ],
            false,
            "the login form has no brute-force protection",
            "Keep `auth_rate_limited = True`.",
        );
    }
});
