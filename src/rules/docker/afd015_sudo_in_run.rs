use super::common::{dockerfile, runs};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd015, "AFD015", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for r in runs(df) {
            for c in &r.script.commands {
                if let Some(s) = c.sudo {
                    out.push(
                        Finding::new(s, "`sudo` in RUN: build steps already run as the current USER, and sudo adds unpredictable TTY and signal behaviour")
                    );
                }
            }
        }
    }
});
