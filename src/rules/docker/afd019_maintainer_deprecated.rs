use super::common::dockerfile;
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd019, "AFD019", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for ins in &df.instructions {
            if ins.is("MAINTAINER") {
                let who = ins.shell_text().map(|w| w.value.as_str()).unwrap_or("");
                out.push(
                    Finding::new(ins.keyword_span, "MAINTAINER is deprecated").with_help(format!(
                        "Use a label: `LABEL org.opencontainers.image.authors=\"{}\"`.",
                        who.replace('"', "'")
                    )),
                );
            }
        }
    }
});
