use crate::finding::{Finding, Severity};
use crate::k8s::deprecated_api;
use crate::rules::{FileCx, Findings};

use super::util::manifests;

crate::rule!(Afk028, "AFK028", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(y) = manifests(cx) else { return };
        let target = cx.settings.k8s_minor;
        for obj in &y.objects {
            let Some(d) = deprecated_api(&obj.api_version, &obj.kind) else {
                continue;
            };
            let removed = d.removed_in.is_some_and(|r| target >= r);
            let deprecated = d.deprecated_in.is_some_and(|r| target >= r);
            if !removed && !deprecated {
                continue;
            }
            let node = obj.node(&y.stream);
            let span = node.get("apiVersion").map(|v| v.span()).unwrap_or(obj.span);
            let (replacement, fix) = match d.replacement.strip_prefix("none: ") {
                Some(advice) => (
                    format!("there is no replacement API: {advice}"),
                    format!("Remove the object; {advice}."),
                ),
                None => (
                    format!("use `{}`", d.replacement),
                    format!(
                        "Change `apiVersion` to `{}` and adapt any fields that changed.",
                        d.replacement
                    ),
                ),
            };
            let (sev, msg) = if removed {
                (
                    Severity::Error,
                    format!(
                        "{}: `{}` {} was removed in Kubernetes 1.{} (target 1.{target}); {replacement}",
                        obj.display(),
                        d.api_version,
                        obj.kind,
                        d.removed_in.unwrap_or(0)
                    ),
                )
            } else {
                let when = match d.removed_in {
                    Some(r) => format!(", removal in 1.{r}"),
                    None => String::new(),
                };
                (
                    Severity::Warning,
                    format!(
                        "{}: `{}` {} is deprecated since Kubernetes 1.{}{when}; {replacement}",
                        obj.display(),
                        d.api_version,
                        obj.kind,
                        d.deprecated_in.unwrap_or(0)
                    ),
                )
            };
            out.push(Finding::new(span, msg).with_severity(sev).with_help(fix));
        }
    }
});
