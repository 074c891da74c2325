use super::common::dockerfile;
use crate::finding::Finding;
use crate::rules::FileCx;

crate::rule!(Afd027, "AFD027", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let Some(df) = dockerfile(cx) else { return };
        for e in &df.errors {
            out.push(
                Finding::new(
                    "AFD027",
                    e.span,
                    format!("Dockerfile syntax error: {}", e.message),
                )
                .with_fix("Fix the instruction so that `docker build` accepts it."),
            );
        }
    }
});
