use super::common::{self, apk_sub, dockerfile, later_use, removal_fix, runs};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd033, "AFD033", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        let lineage = common::final_lineage(df);
        let mut apk_use = None;
        for r in runs(df) {
            if !common::in_final_lineage(&lineage, r.stage)
                || r.inst.has_cache_mount(Some("/var/cache/apk"))
                || r.inst.has_cache_mount(Some("/etc/apk/cache"))
            {
                continue;
            }
            // The first apk command that fetches an index without --no-cache.
            let Some(c) = r.script.commands.iter().find(|c| {
                let fetches = match apk_sub(c) {
                    Some(("update" | "upgrade", _)) => true,
                    // Local `.apk` files alone need no index.
                    Some(("add", rest)) => {
                        let pkgs = common::package_args(rest);
                        pkgs.is_empty() || !pkgs.iter().all(|w| w.text.ends_with(".apk"))
                    }
                    _ => false,
                };
                fetches
                    // `--no-network` installs from local files: no index.
                    && !c
                        .args()
                        .iter()
                        .any(|w| w.text == "--no-cache" || w.text == "--no-network")
            }) else {
                continue;
            };
            let cleaned = r.script.commands.iter().any(|c| {
                (matches!(c.program(), Some("rm" | "find"))
                    && c.args().iter().any(|w| w.text.contains("/var/cache/apk")))
                    || matches!(apk_sub(c), Some(("cache", rest)) if rest.first().is_some_and(|w| w.text == "clean" || w.text == "purge"))
            });
            if cleaned {
                continue;
            }
            let later = apk_use.get_or_insert_with(|| later_use(df, |c| apk_sub(c).is_some()));
            let (applicability, edits) =
                removal_fix(&cx.file.text, &r, c, "rm -rf /var/cache/apk/*", later);
            out.push(
                Finding::new(c.span, "`apk` without `--no-cache` leaves the package index cache (`/var/cache/apk`) in the image")
                    .with_edits(applicability, edits),
            );
        }
    }
});
