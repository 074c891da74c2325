use crate::finding::Finding;
use crate::k8s::{ContainerKind, entry_span};
use crate::rules::{FileCx, Findings};

use super::util::pods;

crate::rule!(Afk021, "AFK021", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, pod) in pods(cx) {
            for c in pod.containers() {
                if c.kind == ContainerKind::Ephemeral {
                    continue;
                }
                let sc = c.security_context();
                let v = sc
                    .and_then(|sc| sc.get("readOnlyRootFilesystem"))
                    .filter(|v| !v.is_null());
                if v.and_then(|v| v.as_bool()) == Some(true) || (v.is_none() && c.is_fragment()) {
                    continue;
                }
                let span = match (sc, v) {
                    (Some(sc), Some(_)) => {
                        entry_span(sc, "readOnlyRootFilesystem").unwrap_or(c.anchor())
                    }
                    _ => c.anchor(),
                };
                out.push(
                    Finding::new(span,
                        format!(
                            "{}: {} has a writable root file system; set `securityContext.readOnlyRootFilesystem: true`",
                            obj.display(),
                            c.label()
                        ),
                    )
                    .with_help("Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir where the process writes (for example /tmp)."),
                );
            }
        }
    }
});
