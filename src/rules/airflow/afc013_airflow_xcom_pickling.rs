use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc013::ID,
    locs: &[("core", "enable_xcom_pickling")],
    bad: true,
    why: "XCom values are unpickled, so anyone who can write an XCom can run code in Airflow",
    fix: "Set `enable_xcom_pickling = False` and pass JSON-serialisable XCom values.",
};

crate::rule!(Afc013, "AFC013", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
