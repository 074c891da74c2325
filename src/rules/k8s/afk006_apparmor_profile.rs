use crate::finding::Finding;
use crate::k8s::psa::apparmor_annotation_ok;
use crate::k8s::{entry_span, present};
use crate::rules::{FileCx, Findings};
use crate::source::Span;
use crate::yaml::NodeRef;

use super::util::psa_pods;

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
        let fix = "Set `appArmorProfile.type` to `RuntimeDefault` or `Localhost` (or remove it).";
        for (obj, pod) in psa_pods(cx, out.rule()) {
            if let Some(ann) = pod.annotations() {
                for (k, v) in ann.entries() {
                    let Some(name) = k.as_str().and_then(|k| k.strip_prefix(PREFIX)) else {
                        continue;
                    };
                    let value = v.as_str().unwrap_or("");
                    if !apparmor_annotation_ok(value) {
                        out.push(
                            Finding::new(k.span().cover(v.span()),
                                format!(
                                    "{}: AppArmor profile `{value}` for container `{name}` is not allowed; set the annotation to `runtime/default` or `localhost/<profile>`",
                                    obj.display()
                                ),
                            )
                            .with_help("Set the annotation to `runtime/default` or `localhost/<profile>`."),
                        );
                    }
                }
            }
            if let Some(sc) = pod.security_context()
                && let Some((span, t)) = bad_profile(sc)
            {
                out.push(
                    Finding::new(span,
                        format!(
                            "{}: pod AppArmor profile type `{t}` is not allowed; set `appArmorProfile.type: RuntimeDefault` (or `Localhost`)",
                            obj.display()
                        ),
                    )
                    .with_help(fix),
                );
            }
            for c in pod.containers() {
                if let Some(sc) = c.security_context()
                    && let Some((span, t)) = bad_profile(sc)
                {
                    out.push(
                        Finding::new(span,
                            format!(
                                "{}: {} AppArmor profile type `{t}` is not allowed; set `appArmorProfile.type: RuntimeDefault` (or `Localhost`)",
                                obj.display(),
                                c.label()
                            ),
                        )
                        .with_help(fix),
                    );
                }
            }
        }
    }
});
