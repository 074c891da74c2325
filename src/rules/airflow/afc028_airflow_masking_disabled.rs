use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc028::ID,
    locs: &[("core", "hide_sensitive_var_conn_fields")],
    bad: false,
    why: "sensitive variable and connection fields are shown in the UI and written to logs unmasked",
    fix: "Keep `hide_sensitive_var_conn_fields = True`.",
};

crate::rule!(Afc028, "AFC028", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
