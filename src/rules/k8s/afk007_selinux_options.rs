use crate::k8s::entry_span;
use crate::k8s::psa::selinux_type_allowed;
use crate::rules::{FileCx, Findings};

use super::sc::{Scope, field, pods};

crate::rule!(Afk007, "AFK007", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let minor = cx.settings.k8s_minor;
        for pod in pods(cx, out.rule(), Scope::PSS) {
            for (c, sc) in pod.contexts() {
                let Some(opts) = field(sc, "seLinuxOptions").map(|f| f.value) else {
                    continue;
                };
                let who = match c {
                    Some(c) => c.who(),
                    None => format!("{} (pod)", pod.obj.display()),
                };
                if let Some(t) = opts.get("type") {
                    let v = t.as_str().unwrap_or("");
                    if !selinux_type_allowed(v, minor)
                        && let Some(span) = entry_span(opts, "type")
                    {
                        out.push(
                            crate::finding::Finding::new(span, format!("{who}: SELinux type `{v}` is not allowed; remove `seLinuxOptions.type` or set it to `container_t`"))
                                .with_help("Remove `seLinuxOptions.type` or set it to `container_t`, `container_init_t` or `container_kvm_t`."),
                        );
                    }
                }
                for key in ["user", "role"] {
                    let s = opts.get(key).map(|v| v.as_str().unwrap_or(""));
                    if let Some(s) = s.filter(|s| !s.is_empty())
                        && let Some(span) = entry_span(opts, key)
                    {
                        out.push(crate::finding::Finding::new(
                            span,
                            format!("{who}: custom SELinux {key} `{s}` is not allowed; remove `seLinuxOptions.{key}`"),
                        ));
                    }
                }
            }
        }
    }
});
