use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

use super::util::non_default_proc_mounts;

crate::rule!(Afk008, "AFK008", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        // From 1.35, pods in a user namespace may use any procMount.
        for pm in non_default_proc_mounts(cx, out.rule(), false) {
            out.push(
                Finding::new(pm.span,
                    format!(
                        "{}: {} sets `procMount: {}`, unmasking /proc; set `securityContext.procMount: Default` (or remove it)",
                        pm.obj.display(),
                        pm.container,
                        pm.value
                    ),
                )
                .with_help("Remove `procMount` or set `securityContext.procMount: Default`."),
            );
        }
    }
});
