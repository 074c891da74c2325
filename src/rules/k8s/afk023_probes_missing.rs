use crate::finding::Finding;
use crate::k8s::{ContainerKind, present};
use crate::rules::{FileCx, Findings};

use super::util::pods;

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
        for (obj, pod) in pods(cx) {
            // A bare Pod is long-running unless its restartPolicy says it
            // runs to completion (Airflow task pods use `Never`).
            let long_running = LONG_RUNNING.contains(&obj.kind.as_str())
                || (obj.kind == "Pod"
                    && !matches!(
                        pod.spec.get("restartPolicy").and_then(|v| v.as_str()),
                        Some("Never") | Some("OnFailure")
                    ));
            if !long_running {
                continue;
            }
            for c in pod.containers() {
                if c.kind != ContainerKind::Container || c.is_fragment() {
                    continue;
                }
                if present(c.node, "livenessProbe").is_some()
                    || present(c.node, "readinessProbe").is_some()
                {
                    continue;
                }
                out.push(
                    Finding::new(
                        c.anchor(),
                        format!(
                            "{}: {} has neither a `livenessProbe` nor a `readinessProbe`",
                            obj.display(),
                            c.label()
                        ),
                    )
                    .with_help("Add a `livenessProbe` and a `readinessProbe` to the container."),
                );
            }
        }
    }
});
