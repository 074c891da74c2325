use crate::finding::Severity;
use crate::k8s::present;
use crate::rules::{FileCx, Findings};

use super::sc::{Scope, pods};

crate::rule!(Afk024, "AFK024", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for pod in pods(cx, out.rule(), Scope::PODS) {
            for c in pod.containers() {
                let ports: Vec<_> =
                    c.c.node
                        .get("ports")
                        .map(|p| p.items().map(|i| i.deref()).collect())
                        .unwrap_or_default();
                for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                    let Some(p) = present(c.c.node, probe) else {
                        continue;
                    };
                    for action in ["httpGet", "tcpSocket", "grpc"] {
                        let Some(port) = present(p, action).and_then(|a| present(a, "port")) else {
                            continue;
                        };
                        let Some(text) = port.as_str() else { continue };
                        let declared = match port.as_i64() {
                            Some(n) => ports.iter().any(|d| {
                                d.get("containerPort").and_then(|v| v.as_i64()) == Some(n)
                            }),
                            None => ports
                                .iter()
                                .any(|d| d.get("name").and_then(|v| v.as_str()) == Some(text)),
                        };
                        if declared {
                            continue;
                        }
                        let numeric = port.as_i64().is_some();
                        // A number the container does not declare still
                        // reaches a process that listens there (`ports` is
                        // informational): a note, not a broken probe.
                        let (what, effect) = if numeric {
                            (
                                "port",
                                "the probe works only if the process listens there, which afcheck cannot see; declaring it documents the port",
                            )
                        } else {
                            (
                                "named port",
                                "the kubelet cannot resolve the name, so the probe fails on every attempt",
                            )
                        };
                        let mut f = c.finding(port.span(), format_args!("{probe} targets {what} `{text}`, which the container does not declare in `ports`: {effect}"))
                            .with_help(format!(
                                "Declare the port in the container's `ports` (`- containerPort: ...`{}), or point the probe at a declared port.",
                                if numeric { "" } else { " with this `name`" }
                            ));
                        if numeric {
                            f = f.with_severity(Severity::Note);
                        }
                        out.push(f);
                    }
                }
            }
        }
    }
});
