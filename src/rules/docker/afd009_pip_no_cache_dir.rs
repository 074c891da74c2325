use super::common::{dockerfile, final_lineage, in_final_lineage, pip_install, runs, var_set};
use crate::finding::Finding;
use crate::rules::FileCx;

crate::rule!(Afd009, "AFD009", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let Some(df) = dockerfile(cx) else { return };
        let lineage = final_lineage(df);
        for r in runs(df) {
            if !in_final_lineage(&lineage, r.inst.stage) || r.inst.has_cache_mount(None) {
                continue;
            }
            for c in &r.script.commands {
                let Some(args) = pip_install(c) else { continue };
                if c.program() == Some("uv") {
                    continue;
                }
                if args
                    .iter()
                    .any(|w| w.text == "--no-cache-dir" || w.text.starts_with("--cache-dir"))
                {
                    continue;
                }
                if var_set(df, r.index, Some(c), "PIP_NO_CACHE_DIR") {
                    continue;
                }
                out.push(
                    Finding::new("AFD009", c.span, "`pip install` without `--no-cache-dir` leaves pip's download cache in the image")
                        .with_fix("Add `--no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or use `RUN --mount=type=cache,target=/root/.cache/pip`."),
                );
            }
        }
    }
});
