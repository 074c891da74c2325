use super::common::{
    apt_sub, dockerfile, final_lineage, in_final_lineage, later_use, removal_fix, runs,
};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd006, "AFD006", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        let lineage = final_lineage(df);
        let mut apt_use = None;
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
            let later = apt_use.get_or_insert_with(|| later_use(df, |c| apt_sub(c).is_some()));
            let (applicability, edits) = removal_fix(
                &cx.file.text,
                &r,
                install,
                "rm -rf /var/lib/apt/lists/*",
                later,
            );
            out.push(
                Finding::new(install.span, "apt package lists are left in the image: this RUN installs packages and does not remove `/var/lib/apt/lists`")
                    .with_edits(applicability, edits),
            );
        }
    }
});
