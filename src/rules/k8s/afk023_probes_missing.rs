use crate::k8s::{ContainerKind, present};
use crate::rules::{FileCx, Findings};

use super::sc::{Scope, pods};

/// Kinds whose pods are meant to run continuously.
const LONG_RUNNING: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
];

crate::rule!(Afk023, "AFK023", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for pod in pods(cx, out.rule(), Scope::PODS) {
            // A bare Pod is long-running unless its restartPolicy says it
            // runs to completion (Airflow task pods use `Never`).
            let long_running = LONG_RUNNING.contains(&pod.obj.kind.as_str())
                || (pod.obj.kind == "Pod"
                    && !matches!(
                        pod.spec.spec.get("restartPolicy").and_then(|v| v.as_str()),
                        Some("Never") | Some("OnFailure")
                    ));
            if !long_running {
                continue;
            }
            for c in pod.containers() {
                if c.c.kind != ContainerKind::Container || c.is_fragment() {
                    continue;
                }
                if present(c.c.node, "livenessProbe").is_some()
                    || present(c.c.node, "readinessProbe").is_some()
                {
                    continue;
                }
                out.push(c.finding(
                    c.anchor(),
                    "has neither a `livenessProbe` nor a `readinessProbe`",
                ));
            }
        }
    }
});
