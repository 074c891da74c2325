use crate::finding::Finding;
use crate::k8s::entry_span;
use crate::rules::FileCx;

use super::util::psa_pods;

crate::rule!(Afk008, "AFK008", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        for (obj, pod) in psa_pods(cx, "AFK008") {
            // From 1.35, pods in a user namespace may use any procMount.
            if cx.settings.k8s_minor >= 35 && pod.host_users_false() {
                continue;
            }
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
                            "AFK008",
                            span,
                            format!(
                                "{}: {} sets `procMount: {v}`, unmasking /proc; set `securityContext.procMount: Default` (or remove it)",
                                obj.display(),
                                c.label()
                            ),
                        )
                        .with_fix(
                            "Remove `procMount` or set `securityContext.procMount: Default`.",
                        ),
                    );
                }
            }
        }
    }
});
