use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc013, "AFC013", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC013",
            &[("core", "enable_xcom_pickling")],
            true,
            "XCom values are unpickled, so anyone who can write an XCom can run code in Airflow",
            "Set `enable_xcom_pickling = False` and pass JSON-serialisable XCom values.",
        );
    }
});
