use crate::finding::Finding;
use crate::k8s::present;
use crate::rules::{FileCx, Findings};

use super::util::psa_pods;

crate::rule!(Afk004, "AFK004", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, pod) in psa_pods(cx, out.rule()) {
            let Some(vols) = pod.spec.get("volumes") else {
                continue;
            };
            for v in vols.items() {
                let v = v.deref();
                if present(v, "hostPath").is_some()
                    && let Some(span) = v.key_span("hostPath")
                {
                    let name = v
                        .get("name")
                        .and_then(|n| n.as_str())
                        .unwrap_or("<unnamed>");
                    let what = match v.path(&["hostPath", "path"]).and_then(|p| p.as_str()) {
                        Some(p) => format!("the node's `{p}`"),
                        None => "a path of the node".to_string(),
                    };
                    out.push(
                        Finding::new(span,
                            format!("{}: volume `{name}` mounts {what} (hostPath), which the baseline Pod Security level forbids; use a configMap, secret, emptyDir or persistentVolumeClaim volume instead", obj.display()),
                        )
                        .with_help("Replace the hostPath volume with a configMap, secret, emptyDir or persistentVolumeClaim volume."),
                    );
                }
            }
        }
    }
});
