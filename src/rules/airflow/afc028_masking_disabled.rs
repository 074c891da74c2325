use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc028, "AFC028", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC028",
            &[("core", "hide_sensitive_var_conn_fields")],
            false,
            "sensitive variable and connection fields are shown in the UI and written to logs unmasked",
            "Keep `hide_sensitive_var_conn_fields = True`.",
        );
    }
});
