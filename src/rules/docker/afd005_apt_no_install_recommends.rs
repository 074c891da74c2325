use super::common::{apt_sub_word, dockerfile, insert_after, runs};
use crate::finding::{Applicability, Finding};
use crate::rules::{FileCx, Findings};

crate::rule!(Afd005, "AFD005", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for r in runs(df) {
            for c in &r.script.commands {
                let Some((install, _)) = apt_sub_word(c).filter(|(w, _)| w.text == "install")
                else {
                    continue;
                };
                if c.program() == Some("aptitude") {
                    continue;
                }
                let ok = c.args().iter().any(|w| {
                    w.text == "--no-install-recommends"
                        || w.text.contains("APT::Install-Recommends=false")
                        || w.text.contains("APT::Install-Recommends=0")
                });
                if ok {
                    continue;
                }
                // Unsafe: the recommended packages are no longer installed,
                // and the software may rely on one (`ca-certificates`).
                let edit = insert_after(&cx.file.text, install, "--no-install-recommends");
                out.push(
                    Finding::new(c.span, "`apt-get install` without `--no-install-recommends` pulls in recommended packages the image does not need")
                        .with_edits(Applicability::Unsafe, edit.into_iter().collect()),
                );
            }
        }
    }
});
