use super::compose::{services, text};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd029, "AFD029", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for svc in services(cx) {
            for (key, what) in [
                (
                    "network_mode",
                    "the host's network stack (every host port and local-only service)",
                ),
                ("pid", "the host's processes"),
                ("ipc", "the host's shared memory"),
                ("uts", "the host's hostname"),
                ("userns_mode", "the host's user namespace"),
            ] {
                let Some(v) = svc.node.get(key) else { continue };
                if text(v).as_deref() != Some("host") {
                    continue;
                }
                out.push(
                    Finding::new(v.span(), format!("Compose service `{}` sets `{key}: host`: it shares {what}", svc.name))
                        .with_help(format!("Remove `{key}: host`; publish the ports or share the volumes the service needs instead.")),
                );
            }
        }
    }
});
