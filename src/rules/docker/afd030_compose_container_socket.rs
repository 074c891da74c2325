use super::compose::{list, services, text};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

const SOCKETS: &[&str] = &[
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/run/containerd/containerd.sock",
    "/var/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/run/podman/podman.sock",
];

crate::rule!(Afd030, "AFD030", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for svc in services(cx) {
            for v in list(&svc, "volumes") {
                // Short syntax `SOURCE:TARGET[:MODE]`, or long `{source: ...}`.
                let source = if v.is_mapping() {
                    v.get("source").and_then(text)
                } else {
                    text(v).map(|t| t.split(':').next().unwrap_or("").to_string())
                };
                let Some(src) = source else { continue };
                let src = src.trim_end_matches('/');
                if SOCKETS.contains(&src) {
                    out.push(
                        Finding::new(v.span(), format!("Compose service `{}` mounts the container runtime socket `{src}`: whoever controls the service can start privileged containers on the host", svc.name))
                    );
                }
            }
        }
    }
});
