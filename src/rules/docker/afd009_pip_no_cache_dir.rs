use super::common::{
    dockerfile, exported_before, final_lineage, in_final_lineage, insert_after, pip_install, runs,
    var_set,
};
use crate::finding::{Applicability, Finding};
use crate::rules::{FileCx, Findings};

crate::rule!(Afd009, "AFD009", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        let lineage = final_lineage(df);
        for r in runs(df) {
            if !in_final_lineage(&lineage, r.stage) || r.inst.has_cache_mount(None) {
                continue;
            }
            for c in &r.script.commands {
                let Some(args) = pip_install(c) else { continue };
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
                // Safe: only the download cache stays out of the layer.
                let argv = c.argv();
                let install = argv
                    .len()
                    .checked_sub(args.len() + 1)
                    .and_then(|i| argv.get(i))
                    .filter(|w| w.text == "install");
                let edit = install.and_then(|w| insert_after(&cx.file.text, w, "--no-cache-dir"));
                out.push(
                    Finding::new(c.span, "`pip install` without `--no-cache-dir` leaves pip's download cache in the image")
                        .with_edits(Applicability::Safe, edit.into_iter().collect()),
                );
            }
        }
    }
});
