use crate::k8s::psa::sysctl_allowed;
use crate::rules::{FileCx, Findings};

use super::sc::{Scope, pods};

crate::rule!(Afk010, "AFK010", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let minor = cx.settings.k8s_minor;
        for pod in pods(cx, out.rule(), Scope::PSS) {
            let Some(list) = pod.field("sysctls") else {
                continue;
            };
            for item in list.value.items().map(|i| i.deref()) {
                let name_node = item.get("name");
                let name = name_node.and_then(|n| n.as_str()).unwrap_or("");
                if sysctl_allowed(name, minor) {
                    continue;
                }
                let span = name_node.map(|n| n.span()).unwrap_or(item.span());
                out.push(
                    pod.finding(span, format_args!("sysctl `{name}` is not in the baseline Pod Security safe set for Kubernetes 1.{minor}; remove it from `securityContext.sysctls`")),
                );
            }
        }
    }
});
