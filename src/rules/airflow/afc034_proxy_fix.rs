use super::common::bool_rule;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc034, "AFC034", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        bool_rule(
            cx,
            out,
            "AFC034",
            &[
                ("webserver", "enable_proxy_fix"),
                ("fab", "enable_proxy_fix"),
            ],
            true,
            "X-Forwarded-* headers are trusted; if clients can reach the server without the reverse proxy they can spoof their address, scheme and host",
            "Enable it only behind a trusted reverse proxy that overwrites X-Forwarded-*, with `proxy_fix_x_*` equal to the number of proxies.",
        );
    }
});
