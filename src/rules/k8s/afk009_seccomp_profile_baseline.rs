use crate::finding::Finding;
use crate::k8s::psa::{seccomp_annotation_ok, seccomp_type_ok};
use crate::k8s::{entry_span, present};
use crate::rules::{FileCx, Findings};
use crate::source::Span;
use crate::yaml::NodeRef;

use super::util::psa_pods;

const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// A set seccompProfile whose type is not RuntimeDefault/Localhost.
fn bad_seccomp(sc: NodeRef<'_>) -> Option<(Span, String)> {
    let p = present(sc, "seccompProfile")?;
    let t = p.get("type").and_then(|t| t.as_str());
    if seccomp_type_ok(t) {
        return None;
    }
    let span = entry_span(p, "type").or_else(|| sc.key_span("seccompProfile"))?;
    Some((span, t.unwrap_or("").to_string()))
}

crate::rule!(Afk009, "AFK009", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let fields = cx.settings.k8s_minor >= 19;
        for (obj, pod) in psa_pods(cx, out.rule()) {
            if !fields {
                let Some(ann) = pod.annotations() else {
                    continue;
                };
                let names: Vec<&str> = pod.containers().iter().filter_map(|c| c.name).collect();
                for (k, v) in ann.entries() {
                    let Some(key) = k.as_str() else { continue };
                    let relevant = key == POD_ANNOTATION
                        || key
                            .strip_prefix(CONTAINER_PREFIX)
                            .is_some_and(|n| names.contains(&n));
                    let value = v.as_str().unwrap_or("");
                    if relevant && !seccomp_annotation_ok(value) {
                        out.push(
                            Finding::new(k.span().cover(v.span()),
                                format!(
                                    "{}: seccomp profile `{value}` is not allowed; set the annotation to `runtime/default`",
                                    obj.display()
                                ),
                            )
                            .with_help(
                                "Set the annotation to `runtime/default` or `localhost/<profile>`.",
                            ),
                        );
                    }
                }
                continue;
            }
            let fix = "Set `seccompProfile.type` to `RuntimeDefault` or `Localhost`.";
            if let Some(sc) = pod.security_context()
                && let Some((span, t)) = bad_seccomp(sc)
            {
                out.push(
                    Finding::new(span,
                        format!(
                            "{}: pod seccomp profile type `{t}` is not allowed; set `seccompProfile.type: RuntimeDefault` (or `Localhost`)",
                            obj.display()
                        ),
                    )
                    .with_help(fix),
                );
            }
            for c in pod.containers() {
                if let Some(sc) = c.security_context()
                    && let Some((span, t)) = bad_seccomp(sc)
                {
                    out.push(
                        Finding::new(span,
                            format!(
                                "{}: {} seccomp profile type `{t}` is not allowed; set `seccompProfile.type: RuntimeDefault` (or `Localhost`)",
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
