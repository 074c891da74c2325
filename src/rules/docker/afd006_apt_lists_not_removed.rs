use super::common::{append_to_run, apt_sub, dockerfile, final_lineage, in_final_lineage, runs};
use crate::dockerfile::Dockerfile;
use crate::finding::{Applicability, Finding};
use crate::rules::{FileCx, Findings};

/// For each stage: the index of the last RUN that uses apt in it or in a
/// stage built on it (directly or not), if any. A RUN before that index
/// whose lists are removed could break that later `apt-get install` when
/// it does not run `apt-get update` first. One pass over the RUNs and one
/// over the stages.
fn last_apt_use(df: &Dockerfile) -> Vec<Option<usize>> {
    let mut last: Vec<Option<usize>> = vec![None; df.stages.len()];
    for r in runs(df) {
        if let Some(slot) = r.stage.and_then(|s| last.get_mut(s))
            && r.script.commands.iter().any(|c| apt_sub(c).is_some())
        {
            *slot = Some(r.index);
        }
    }
    // Children come after their parent: fold them in from the end.
    for s in (0..df.stages.len()).rev() {
        let parent = df.stages.get(s).and_then(|st| st.parent).filter(|&p| p < s);
        let here = last.get(s).copied().flatten();
        if let Some(p) = parent
            && let Some(slot) = last.get_mut(p)
        {
            *slot = (*slot).max(here);
        }
    }
    last
}

crate::rule!(Afd006, "AFD006", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        let lineage = final_lineage(df);
        let mut apt_use: Option<Vec<Option<usize>>> = None;
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
            let apt_use = apt_use.get_or_insert_with(|| last_apt_use(df));
            let later = match r.stage {
                Some(s) => apt_use
                    .get(s)
                    .copied()
                    .flatten()
                    .is_some_and(|i| i > r.index),
                None => true,
            };
            let applicability = if later {
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
