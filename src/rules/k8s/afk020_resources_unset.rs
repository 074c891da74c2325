use crate::k8s::{ContainerKind, present};
use crate::rules::{FileCx, Findings};

use super::sc::{Scope, pods};

crate::rule!(Afk020, "AFK020", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for pod in pods(cx, out.rule(), Scope::PODS) {
            for c in pod.containers() {
                // Ephemeral containers cannot have resources.
                if c.c.kind == ContainerKind::Ephemeral || c.is_fragment() {
                    continue;
                }
                let res = present(c.c.node, "resources");
                let set = |section: &str, key: &str| {
                    res.and_then(|r| present(r, section))
                        .and_then(|s| present(s, key))
                        .is_some()
                };
                let mut missing: Vec<&str> = Vec::new();
                for (key, request, limit) in [
                    ("cpu", "resources.requests.cpu", "resources.limits.cpu"),
                    (
                        "memory",
                        "resources.requests.memory",
                        "resources.limits.memory",
                    ),
                ] {
                    let has_limit = set("limits", key);
                    // The API server copies a limit into an unset request.
                    if !set("requests", key) && !has_limit {
                        missing.push(request);
                    }
                    if !has_limit && (key != "cpu" || cx.settings.require_cpu_limits) {
                        missing.push(limit);
                    }
                }
                if missing.is_empty() {
                    continue;
                }
                let span = c.c.node.key_span("resources").unwrap_or(c.anchor());
                out.push(
                    c.finding(
                        span,
                        format_args!(
                            "does not set {}",
                            missing
                                .iter()
                                .map(|m| format!("`{m}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                    .with_help(format!("Set {} on the container.", missing.join(", "))),
                );
            }
        }
    }
});
