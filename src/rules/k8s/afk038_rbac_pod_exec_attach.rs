use crate::rules::{FileCx, Findings};

use super::util::rbac_rules;

crate::rule!(Afk038, "AFK038", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for r in rbac_rules(cx) {
            if !r.group("") {
                continue;
            }
            // `create` opens the stream; `get` does too over WebSockets on
            // API servers before the exec permission check was tightened.
            let Some(verb) = r.verb(&["create", "get"]) else {
                continue;
            };
            for (res, node) in r.named(&["pods/exec", "pods/attach"]) {
                let names = if r.limited_to_names() {
                    " (limited by `resourceNames`)"
                } else {
                    ""
                };
                out.push(
                    r.finding(node.span(), format_args!("`{verb}` on `{res}`{names} runs commands in pods {}, with their service accounts, mounted Secrets and network access", r.scope()))
                    .with_help(format!(
                        "Remove `{res}` unless the subject must run commands in pods (Airflow's KubernetesExecutor does not; KubernetesPodOperator needs `pods/exec` only for XCom sidecars)."
                    )),
                );
            }
        }
    }
});
