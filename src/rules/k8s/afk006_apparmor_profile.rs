use crate::k8s::psa::apparmor_annotation_ok;
use crate::k8s::{entry_span, present};
use crate::rules::{FileCx, Findings};
use crate::source::Span;
use crate::yaml::NodeRef;

use super::sc::{Scope, pods};

const PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

/// A set `appArmorProfile` whose type is neither RuntimeDefault nor Localhost.
fn bad_profile(sc: NodeRef<'_>) -> Option<(Span, String)> {
    let p = present(sc, "appArmorProfile")?;
    let t = p.get("type").and_then(|t| t.as_str());
    if matches!(t, Some("RuntimeDefault") | Some("Localhost")) {
        return None;
    }
    let span = entry_span(p, "type").or_else(|| sc.key_span("appArmorProfile"))?;
    Some((span, t.unwrap_or("").to_string()))
}

crate::rule!(Afk006, "AFK006", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for pod in pods(cx, out.rule(), Scope::PSS) {
            if let Some(ann) = pod.spec.annotations() {
                for (k, v) in ann.entries() {
                    let Some(name) = k.as_str().and_then(|k| k.strip_prefix(PREFIX)) else {
                        continue;
                    };
                    let value = v.as_str().unwrap_or("");
                    if !apparmor_annotation_ok(value) {
                        out.push(pod.finding(
                            k.span().cover(v.span()),
                            format_args!("AppArmor profile `{value}` for container `{name}` is not allowed; set the annotation to `runtime/default` or `localhost/<profile>`"),
                        ));
                    }
                }
            }
            for (c, sc) in pod.contexts() {
                let Some((span, t)) = bad_profile(sc) else {
                    continue;
                };
                let text = format!(
                    "AppArmor profile type `{t}` is not allowed; set `appArmorProfile.type: RuntimeDefault` (or `Localhost`)"
                );
                out.push(match c {
                    Some(c) => c.finding(span, text),
                    None => pod.finding(span, format_args!("pod {text}")),
                });
            }
        }
    }
});
