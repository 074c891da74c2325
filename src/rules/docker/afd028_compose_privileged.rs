use super::compose::{list, services, text};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd028, "AFD028", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for svc in services(cx) {
            if let Some(p) = svc.node.get("privileged")
                && text(p).as_deref() == Some("true")
            {
                out.push(
                    Finding::new(p.span(), format!("Compose service `{}` runs privileged: it has every capability and the host's devices, so a compromise of the container is a compromise of the host", svc.name))
                        .with_help("Remove `privileged: true`; add only the capabilities or devices the service needs."),
                );
            }
            for c in list(&svc, "cap_add") {
                let Some(t) = text(c) else { continue };
                let cap = t.trim_start_matches("cap_");
                if cap == "all" || cap == "sys_admin" {
                    out.push(
                        Finding::new(c.span(), format!("Compose service `{}` adds capability `{}`, which is as good as privileged", svc.name, cap.to_ascii_uppercase()))
                            .with_help("Remove it from `cap_add`; add only the narrow capabilities the service needs."),
                    );
                }
            }
        }
    }
});
