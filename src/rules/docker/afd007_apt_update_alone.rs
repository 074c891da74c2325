use super::common::{apt_sub, dockerfile, runs};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd007, "AFD007", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for r in runs(df) {
            let Some(update) = r
                .script
                .commands
                .iter()
                .find(|c| matches!(apt_sub(c), Some(("update", _))))
            else {
                continue;
            };
            let installs = r.script.commands.iter().any(|c| {
                matches!(
                    apt_sub(c),
                    Some((
                        "install"
                            | "upgrade"
                            | "dist-upgrade"
                            | "full-upgrade"
                            | "build-dep"
                            | "source",
                        _
                    ))
                )
            });
            if !installs {
                out.push(
                    Finding::new(update.span, "`apt-get update` in a RUN without an install: the cached layer keeps stale lists and later installs may fail or get old packages")
                );
            }
        }
    }
});
