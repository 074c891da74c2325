use super::common::{apt_sub, dockerfile, final_lineage, in_final_lineage, runs};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd006, "AFD006", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        let lineage = final_lineage(df);
        for r in runs(df) {
            if !in_final_lineage(&lineage, r.inst.stage) {
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
            if !cleaned {
                out.push(
                    Finding::new(install.span, "apt package lists are left in the image: remove them in the same RUN as the install")
                        .with_help("End the RUN with `&& rm -rf /var/lib/apt/lists/*`, or use `RUN --mount=type=cache,target=/var/lib/apt ...`."),
                );
            }
        }
    }
});
