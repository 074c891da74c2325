use super::sc::{object_finding, objects};
use crate::k8s::present;
use crate::rules::{FileCx, Findings};

const PREFIX: &str = "nginx.ingress.kubernetes.io/";

crate::rule!(Afk040, "AFK040", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, node) in objects(cx, |o| {
            o.kind == "Ingress" && matches!(o.group(), "networking.k8s.io" | "extensions")
        }) {
            let Some(ann) = node.get("metadata").and_then(|m| present(m, "annotations")) else {
                continue;
            };
            for (k, v) in ann.entries() {
                let Some(name) = k.as_str().and_then(|k| k.strip_prefix(PREFIX)) else {
                    continue;
                };
                if !name.ends_with("-snippet") || v.as_str().is_some_and(|s| s.trim().is_empty()) {
                    continue;
                }
                out.push(
                    object_finding(obj, k.span(), format_args!("annotation `{PREFIX}{name}` injects raw NGINX configuration; the controller must allow snippets for it, which lets anyone who can create an Ingress read the controller's Secrets (CVE-2021-25742)")),
                );
            }
        }
    }
});
