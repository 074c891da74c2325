use crate::finding::Finding;
use crate::k8s::entry_span;
use crate::rules::FileCx;

use super::util::psa_pods;

crate::rule!(Afk019, "AFK019", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        for (obj, pod) in psa_pods(cx, "AFK019") {
            for c in pod.containers() {
                let Some(sc) = c.security_context() else {
                    continue;
                };
                let Some(pm) = sc.get("procMount").filter(|v| !v.is_null()) else {
                    continue;
                };
                let v = pm.as_str().unwrap_or("");
                if v != "Default"
                    && let Some(span) = entry_span(sc, "procMount")
                {
                    out.push(
                        Finding::new(
                            "AFK019",
                            span,
                            format!(
                                "{}: {} sets `procMount: {v}`; the restricted level requires the default /proc mount even in a user namespace; set `securityContext.procMount: Default`",
                                obj.display(),
                                c.label()
                            ),
                        )
                        .with_fix("Remove `procMount` or set `securityContext.procMount: Default`."),
                    );
                }
            }
        }
    }
});
