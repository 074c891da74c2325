use super::common::{apt_sub, dockerfile, runs};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd005, "AFD005", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for r in runs(df) {
            for c in &r.script.commands {
                let Some(("install", _)) = apt_sub(c) else {
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
                if !ok {
                    out.push(
                        Finding::new(c.span, "`apt-get install` without `--no-install-recommends` pulls in recommended packages the image does not need")
                            .with_help("Add `--no-install-recommends` to the `apt-get install` command."),
                    );
                }
            }
        }
    }
});
