use crate::finding::Finding;
use crate::k8s::entry_span;
use crate::rules::{FileCx, Findings};

use super::util::psa_pods;

crate::rule!(Afk015, "AFK015", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, pod) in psa_pods(cx, out.rule()) {
            if cx.settings.k8s_minor >= 35 && pod.host_users_false() {
                continue;
            }
            let mut pod_ok = false;
            if let Some(sc) = pod.security_context()
                && let Some(v) = sc.get("runAsNonRoot").filter(|v| !v.is_null())
            {
                if v.as_bool() == Some(true) {
                    pod_ok = true;
                } else if let Some(span) = entry_span(sc, "runAsNonRoot") {
                    out.push(
                        Finding::new(span,
                            format!(
                                "{}: the pod sets `runAsNonRoot` to a value other than true; set `securityContext.runAsNonRoot: true`",
                                obj.display()
                            ),
                        )
                        .with_help("Set `securityContext.runAsNonRoot: true` on the pod."),
                    );
                }
            }
            for c in pod.containers() {
                let sc = c.security_context();
                match sc.and_then(|sc| sc.get("runAsNonRoot")).filter(|v| !v.is_null()) {
                    Some(v) => {
                        if v.as_bool() != Some(true)
                            && let Some(span) = sc.and_then(|sc| entry_span(sc, "runAsNonRoot"))
                        {
                            out.push(
                                Finding::new(span,
                                    format!(
                                        "{}: {} sets `runAsNonRoot` to a value other than true; set `securityContext.runAsNonRoot: true`",
                                        obj.display(),
                                        c.label()
                                    ),
                                )
                                .with_help("Set `securityContext.runAsNonRoot: true`."),
                            );
                        }
                    }
                    None if !pod_ok && !c.is_fragment() => out.push(
                        Finding::new(c.anchor(),
                            match c
                                .sc_field("runAsUser")
                                .or_else(|| pod.sc_field("runAsUser"))
                                .and_then(|u| u.as_i64())
                            {
                                // A non-zero UID runs as that user, but
                                // nothing stops an override to root, and the
                                // restricted level requires the guarantee.
                                Some(uid) if uid != 0 => format!(
                                    "{}: {} runs as UID {uid} but neither it nor the pod sets `securityContext.runAsNonRoot: true`, which the restricted level requires to guarantee it never runs as root",
                                    obj.display(),
                                    c.label()
                                ),
                                _ => format!(
                                    "{}: {} may run as root: neither it nor the pod sets `securityContext.runAsNonRoot: true`",
                                    obj.display(),
                                    c.label()
                                ),
                            },
                        )
                        .with_help("Set `securityContext.runAsNonRoot: true` on the pod (or on every container)."),
                    ),
                    None => {}
                }
            }
        }
    }
});
