use crate::finding::Finding;
use crate::k8s::present;
use crate::rules::FileCx;

use super::util::pods;

const SOCKETS: &[&str] = &[
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "cri-dockerd.sock",
    "podman.sock",
];
/// Directories whose mount exposes a runtime socket.
const SOCKET_DIRS: &[&str] = &[
    "/",
    "/var",
    "/run",
    "/var/run",
    "/run/docker",
    "/var/run/docker",
    "/run/containerd",
    "/var/run/containerd",
    "/run/crio",
    "/var/run/crio",
    "/run/k3s/containerd",
    "/run/podman",
];

/// Does a host path expose the container runtime socket?
pub fn is_runtime_socket(path: &str) -> bool {
    let p = path.trim();
    let p = if p.len() > 1 {
        p.trim_end_matches('/')
    } else {
        p
    };
    let file = p.rsplit('/').next().unwrap_or(p);
    SOCKETS.contains(&file) || SOCKET_DIRS.contains(&p)
}

crate::rule!(Afk032, "AFK032", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        for (obj, pod) in pods(cx) {
            let Some(vols) = pod.spec.get("volumes") else {
                continue;
            };
            for v in vols.items() {
                let Some(path) = present(v.deref(), "hostPath").and_then(|h| h.get("path")) else {
                    continue;
                };
                let Some(p) = path.as_str() else { continue };
                if is_runtime_socket(p) {
                    out.push(
                        Finding::new(
                            "AFK032",
                            path.span(),
                            format!(
                                "{}: hostPath `{p}` is or contains the container runtime socket; the pod can take over the node",
                                obj.display()
                            ),
                        )
                        .with_fix("Remove the runtime socket mount; build images with a rootless builder instead."),
                    );
                }
            }
        }
    }
});

#[cfg(test)]
mod tests {
    use super::is_runtime_socket;

    #[test]
    fn sockets() {
        assert!(is_runtime_socket("/var/run/docker.sock"));
        assert!(is_runtime_socket("/run/containerd/containerd.sock"));
        assert!(is_runtime_socket("/var/run/"));
        assert!(!is_runtime_socket("/var/log"));
        assert!(!is_runtime_socket("/data/docker"));
    }
}
