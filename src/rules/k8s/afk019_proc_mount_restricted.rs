use crate::finding::Finding;
use crate::rules::FileCx;

use super::util::non_default_proc_mounts;

crate::rule!(Afk019, "AFK019", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        // The restricted control has no user-namespace exemption.
        for pm in non_default_proc_mounts(cx, "AFK019", false) {
            out.push(
                Finding::new(
                    "AFK019",
                    pm.span,
                    format!(
                        "{}: {} sets `procMount: {}`; the restricted level requires the default /proc mount even in a user namespace; set `securityContext.procMount: Default`",
                        pm.obj.display(),
                        pm.container,
                        pm.value
                    ),
                )
                .with_fix("Remove `procMount` or set `securityContext.procMount: Default`."),
            );
        }
    }
});
