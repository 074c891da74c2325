use super::common::{
    dockerfile, exported_before, final_lineage, in_final_lineage, pip_install, runs, var_set,
};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd009, "AFD009", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        let lineage = final_lineage(df);
        for r in runs(df) {
            if !in_final_lineage(&lineage, r.inst.stage) || r.inst.has_cache_mount(None) {
                continue;
            }
            for c in &r.script.commands {
                if pip_install(c).is_none() {
                    continue;
                }
                if c.program() == Some("uv") {
                    continue;
                }
                // Options may come before `install` (`pip --no-cache-dir install`).
                if c.argv().iter().any(|w| {
                    w.text == "--no-cache-dir"
                        || w.text.starts_with("--no-cache-dir=")
                        || w.text.starts_with("--cache-dir")
                }) {
                    continue;
                }
                if var_set(df, r.index, Some(c), "PIP_NO_CACHE_DIR")
                    || exported_before(r.script, c, "PIP_NO_CACHE_DIR")
                {
                    continue;
                }
                out.push(
                    Finding::new(c.span, "`pip install` without `--no-cache-dir` leaves pip's download cache in the image")
                        .with_help("Add `--no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or use `RUN --mount=type=cache,target=/root/.cache/pip`."),
                );
            }
        }
    }
});
