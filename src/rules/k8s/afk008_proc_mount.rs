use crate::rules::{FileCx, Findings};

use super::util::non_default_proc_mounts;

crate::rule!(Afk008, "AFK008", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        // From 1.35, pods in a user namespace may use any procMount.
        for (c, value, span) in non_default_proc_mounts(cx, out.rule(), false) {
            out.push(c.finding(span, format_args!("sets `procMount: {value}`, unmasking /proc; set `securityContext.procMount: Default` (or remove it)")));
        }
    }
});
