use crate::k8s::present;
use crate::rules::{FileCx, Findings};

use super::sc::{Scope, pods};

crate::rule!(Afk004, "AFK004", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for pod in pods(cx, out.rule(), Scope::PSS) {
            for (v, name) in pod.volumes() {
                if present(v, "hostPath").is_none() {
                    continue;
                }
                let Some(span) = v.key_span("hostPath") else {
                    continue;
                };
                let what = match v.path(&["hostPath", "path"]).and_then(|p| p.as_str()) {
                    Some(p) => format!("the node's `{p}`"),
                    None => "a path of the node".to_string(),
                };
                out.push(pod.finding(span, format_args!("volume `{name}` mounts {what} (hostPath), which the baseline Pod Security level forbids; use a configMap, secret, emptyDir or persistentVolumeClaim volume instead")));
            }
        }
    }
});
