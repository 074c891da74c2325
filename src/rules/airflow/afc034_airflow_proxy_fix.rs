use super::versioned::{BoolSpec, check};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc034::ID,
    locs: &[
        ("webserver", "enable_proxy_fix"),
        ("fab", "enable_proxy_fix"),
    ],
    bad: true,
    why: "X-Forwarded-* headers are trusted; if clients can reach the server without the reverse proxy they can spoof their address, scheme and host",
    fix: "Enable it only behind a trusted reverse proxy that overwrites X-Forwarded-*, with `proxy_fix_x_*` equal to the number of proxies.",
};

crate::rule!(Afc034, "AFC034", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
    }
});
