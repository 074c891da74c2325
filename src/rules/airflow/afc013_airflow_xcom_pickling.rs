use super::versioned::{BoolSpec, check};
use crate::finding::Finding;
use crate::rules::ProjectCx;

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: "AFC013",
    locs: &[("core", "enable_xcom_pickling")],
    bad: true,
    why: "XCom values are unpickled, so anyone who can write an XCom can run code in Airflow",
    fix: "Set `enable_xcom_pickling = False` and pass JSON-serialisable XCom values.",
};

crate::rule!(Afc013, "AFC013", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        check(cx, out, &SPEC);
    }
});
