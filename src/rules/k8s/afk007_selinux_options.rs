use crate::finding::Finding;
use crate::k8s::psa::selinux_type_allowed;
use crate::k8s::{entry_span, present};
use crate::rules::{FileCx, Findings};
use crate::yaml::NodeRef;

use super::util::psa_pods;

fn check(sc: Option<NodeRef<'_>>, who: &str, minor: u32, out: &mut Findings<'_>) {
    let Some(opts) = sc.and_then(|sc| present(sc, "seLinuxOptions")) else {
        return;
    };
    if let Some(t) = opts.get("type") {
        let v = t.as_str().unwrap_or("");
        if !selinux_type_allowed(v, minor)
            && let Some(span) = entry_span(opts, "type")
        {
            out.push(
                Finding::new(span, format!("{who}: SELinux type `{v}` is not allowed; remove `seLinuxOptions.type` or set it to `container_t`"))
                    .with_help("Remove `seLinuxOptions.type` or set it to `container_t`, `container_init_t` or `container_kvm_t`."),
            );
        }
    }
    for key in ["user", "role"] {
        if let Some(v) = opts.get(key) {
            let s = v.as_str().unwrap_or("");
            if !s.is_empty()
                && let Some(span) = entry_span(opts, key)
            {
                out.push(
                    Finding::new(span,
                        format!("{who}: custom SELinux {key} `{s}` is not allowed; remove `seLinuxOptions.{key}`"),
                    )
                    .with_help(format!("Remove `seLinuxOptions.{key}`.")),
                );
            }
        }
    }
}

crate::rule!(Afk007, "AFK007", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let minor = cx.settings.k8s_minor;
        for (obj, pod) in psa_pods(cx, out.rule()) {
            check(
                pod.security_context(),
                &format!("{} (pod)", obj.display()),
                minor,
                out,
            );
            for c in pod.containers() {
                check(
                    c.security_context(),
                    &format!("{}: {}", obj.display(), c.label()),
                    minor,
                    out,
                );
            }
        }
    }
});
