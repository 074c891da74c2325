use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc015, "AFC015", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC015",
            &[("webserver", "cookie_secure"), ("fab", "cookie_secure")],
            false,
            "the session cookie is also sent over plain HTTP",
            "Serve the UI over HTTPS and set `cookie_secure = True`.",
        );
    }
});
