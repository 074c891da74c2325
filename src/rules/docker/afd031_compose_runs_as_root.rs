use super::compose::{services, text};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd031, "AFD031", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for svc in services(cx) {
            let Some(u) = svc.node.get("user") else {
                continue;
            };
            let Some(t) = text(u) else { continue };
            let user = t.split(':').next().unwrap_or("");
            if user == "root" || user == "0" {
                out.push(Finding::new(
                    u.span(),
                    format!("Compose service `{}` runs as root (`user: {t}`)", svc.name),
                ));
            }
        }
    }
});
