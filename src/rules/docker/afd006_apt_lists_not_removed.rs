use super::common::{append_to_run, apt_sub, dockerfile, final_lineage, in_final_lineage, runs};
use crate::dockerfile::Dockerfile;
use crate::finding::{Applicability, Finding};
use crate::rules::{FileCx, Findings};

/// Does a RUN after instruction `at`, in its stage or a stage built on it,
/// use apt? Removing the lists would make its `apt-get install` fail when
/// it does not run `apt-get update` first.
fn apt_later(df: &Dockerfile, at: usize, stage: Option<usize>) -> bool {
    let Some(stage) = stage else { return true };
    // Stages built on `stage`, directly or not (parents come first).
    let mut heirs = vec![false; df.stages.len()];
    if let Some(h) = heirs.get_mut(stage) {
        *h = true;
    }
    for (i, st) in df.stages.iter().enumerate().skip(stage + 1) {
        if st
            .parent
            .is_some_and(|p| p < i && heirs.get(p) == Some(&true))
        {
            heirs[i] = true;
        }
    }
    runs(df).any(|r| {
        r.index > at
            && r.stage.is_some_and(|s| heirs.get(s) == Some(&true))
            && r.script.commands.iter().any(|c| apt_sub(c).is_some())
    })
}

crate::rule!(Afd006, "AFD006", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        let lineage = final_lineage(df);
        for r in runs(df) {
            if !in_final_lineage(&lineage, r.stage) {
                continue;
            }
            let Some(install) = r.script.commands.iter().find(|c| {
                matches!(
                    apt_sub(c),
                    Some(("install" | "upgrade" | "dist-upgrade" | "full-upgrade", _))
                )
            }) else {
                continue;
            };
            // The lists live in /var/lib/apt/lists: a mount on
            // /var/cache/apt alone (the .deb cache) leaves them in the layer.
            if r.inst.has_cache_mount(Some("/var/lib/apt")) {
                continue;
            }
            let cleaned = r.script.commands.iter().any(|c| {
                // `rm -rf /var/lib/apt/lists/*`, `find /var/lib/apt/lists -delete`, `apt-get dist-clean`.
                (matches!(c.program(), Some("rm" | "find"))
                    && c.args()
                        .iter()
                        .any(|w| w.text.contains("/var/lib/apt/lists")))
                    || matches!(apt_sub(c), Some(("dist-clean", _)))
            });
            if cleaned {
                continue;
            }
            // The removal runs after the whole script, only when it
            // succeeded. Safe unless a later RUN of this image uses apt
            // (and might not update first). None when the install runs
            // under sudo: the RUN's user could not remove the lists
            // without it, and sudo in RUN is a finding of its own (AFD015).
            let last = r.script.commands.last().unwrap_or(install);
            let edit = install
                .sudo
                .is_none()
                .then(|| append_to_run(&cx.file.text, r.inst, last, "rm -rf /var/lib/apt/lists/*"))
                .flatten();
            let applicability = if apt_later(df, r.index, r.stage) {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            out.push(
                Finding::new(install.span, "apt package lists are left in the image: this RUN installs packages and does not remove `/var/lib/apt/lists`")
                    .with_edits(applicability, edit.into_iter().collect()),
            );
        }
    }
});
