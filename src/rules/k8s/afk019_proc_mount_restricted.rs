use crate::rules::{FileCx, Findings};

use super::util::non_default_proc_mounts;

crate::rule!(Afk019, "AFK019", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        // The restricted control has no user-namespace exemption; every
        // other non-default procMount is the baseline control AFK008's.
        for (c, value, span) in non_default_proc_mounts(cx, out.rule(), true) {
            out.push(c.finding(span, format_args!("sets `procMount: {value}`; the baseline level allows it in a user namespace (`hostUsers: false`) but the restricted level does not; set `securityContext.procMount: Default`")));
        }
    }
});
