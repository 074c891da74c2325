use crate::finding::Severity;
use crate::k8s::{Container, present};
use crate::rules::{FileCx, Findings};
use crate::yaml::NodeRef;

use super::sc::{Scope, pods};

const SOCKETS: &[&str] = &[
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "cri-dockerd.sock",
    "podman.sock",
];
/// Directories that hold a runtime socket.
const SOCKET_DIRS: &[&str] = &[
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

/// What a host path exposes of the container runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exposure {
    /// The socket itself.
    Socket,
    /// A directory that holds the socket.
    SocketDir,
    /// The node's root file system (the socket and everything else).
    Root,
    /// `/var`: the socket is reachable only where `/var/run` is a real
    /// directory rather than the usual symlink to `/run`.
    Var,
}

fn normalize(path: &str) -> &str {
    let p = path.trim();
    if p.len() > 1 {
        p.trim_end_matches('/')
    } else {
        p
    }
}

/// Does a host path expose the container runtime socket?
pub fn exposure(path: &str) -> Option<Exposure> {
    let p = normalize(path);
    let file = p.rsplit('/').next().unwrap_or(p);
    if SOCKETS.contains(&file) {
        Some(Exposure::Socket)
    } else if SOCKET_DIRS.contains(&p) {
        Some(Exposure::SocketDir)
    } else if p == "/" {
        Some(Exposure::Root)
    } else if p == "/var" {
        Some(Exposure::Var)
    } else {
        None
    }
}

/// The host path a container sees through a mount (`subPath` appended).
fn mounted_path(host: &str, mount: NodeRef<'_>) -> String {
    match mount.get("subPath").and_then(|s| s.as_str()) {
        Some(sub) if !sub.trim_matches('/').is_empty() => format!(
            "{}/{}",
            normalize(host).trim_end_matches('/'),
            sub.trim_matches('/')
        ),
        _ => host.to_string(),
    }
}

/// The containers' mounts of volume `name`.
fn mounts_of<'a>(containers: &[Container<'a>], name: &str) -> Vec<(Container<'a>, NodeRef<'a>)> {
    let mut out = Vec::new();
    for c in containers {
        if let Some(list) = c.node.get("volumeMounts") {
            for m in list.items() {
                let m = m.deref();
                if m.get("name").and_then(|n| n.as_str()) == Some(name) {
                    out.push((*c, m));
                }
            }
        }
    }
    out
}

crate::rule!(Afk032, "AFK032", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for pod in pods(cx, out.rule(), Scope::PODS) {
            let Some(vols) = pod.spec.spec.get("volumes") else {
                continue;
            };
            let containers = pod.spec.containers();
            for v in vols.items() {
                let v = v.deref();
                let Some(path) = present(v, "hostPath").and_then(|h| h.get("path")) else {
                    continue;
                };
                let Some(p) = path.as_str() else { continue };
                let name = v.get("name").and_then(|n| n.as_str()).unwrap_or("");
                // A volume no container mounts exposes nothing; a subPath
                // narrows what is exposed. The first mount that reaches the
                // runtime is reported.
                let reached = mounts_of(&containers, name).into_iter().find_map(|(c, m)| {
                    let seen = mounted_path(p, m);
                    exposure(&seen).map(|e| (c, m, seen, e))
                });
                let Some((c, m, seen, e)) = reached else {
                    continue;
                };
                let at = m.get("mountPath").and_then(|p| p.as_str()).unwrap_or("?");
                let ro = m.get("readOnly").and_then(|r| r.as_bool()) == Some(true);
                let ro_note = if ro {
                    " (`readOnly` does not stop a process from connecting to a socket)"
                } else {
                    ""
                };
                let (sev, what) = match e {
                    Exposure::Socket => (
                        Severity::Error,
                        format!("the container runtime socket `{seen}` is reachable{ro_note}: whoever can use it starts privileged containers and takes over the node"),
                    ),
                    Exposure::SocketDir => (
                        Severity::Error,
                        format!("`{seen}` holds the container runtime socket, which is reachable{ro_note}: whoever can use it starts privileged containers and takes over the node"),
                    ),
                    Exposure::Root => (
                        Severity::Error,
                        format!("the node's root file system is mounted, including the container runtime socket under /run{ro_note}: the pod can take over the node"),
                    ),
                    Exposure::Var => (
                        Severity::Warning,
                        "the node's /var is mounted; where /var/run is a directory rather than the usual symlink to /run, the container runtime socket is reachable through it".to_string(),
                    ),
                };
                let mut f = pod.finding(
                    path.span(),
                    format_args!("hostPath `{p}` mounted by {} at `{at}`: {what}", c.label()),
                );
                if sev != Severity::Error {
                    f = f.with_severity(sev);
                }
                out.push(f);
            }
        }
    }
});

#[cfg(test)]
mod tests {
    use super::{Exposure, exposure};

    #[test]
    fn sockets() {
        assert_eq!(exposure("/var/run/docker.sock"), Some(Exposure::Socket));
        assert_eq!(
            exposure("/run/containerd/containerd.sock"),
            Some(Exposure::Socket)
        );
        assert_eq!(exposure("/var/run/"), Some(Exposure::SocketDir));
        assert_eq!(exposure("/"), Some(Exposure::Root));
        assert_eq!(exposure("/var"), Some(Exposure::Var));
        assert_eq!(exposure("/var/log"), None);
        assert_eq!(exposure("/data/docker"), None);
    }
}
