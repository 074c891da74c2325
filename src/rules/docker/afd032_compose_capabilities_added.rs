use super::compose::{list, services, text};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd032, "AFD032", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for svc in services(cx) {
            for c in list(&svc, "cap_add") {
                let Some(t) = text(c) else { continue };
                let cap = t.trim_start_matches("cap_");
                // ALL and SYS_ADMIN are AFD028.
                if cap == "all" || cap == "sys_admin" {
                    continue;
                }
                out.push(Finding::new(
                    c.span(),
                    format!(
                        "Compose service `{}` adds capability `{}`",
                        svc.name,
                        cap.to_ascii_uppercase()
                    ),
                ));
            }
        }
    }
});
