use super::common::dockerfile;
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd027, "AFD027", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for e in &df.errors {
            out.push(Finding::new(
                e.span,
                format!("Dockerfile syntax error: {}", e.message),
            ));
        }
    }
});
