use crate::document::Parsed;
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afy001, "AFY001", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Parsed::Yaml(y) = cx.parsed() else { return };
        for e in &y.stream.errors {
            out.push(Finding::new(e.span, e.message.clone()));
        }
    }
});
