use crate::finding::Applicability;
use crate::k8s::psa::{seccomp_annotation_ok, seccomp_type_ok};
use crate::k8s::{entry_span, present};
use crate::rules::{FileCx, Findings};
use crate::source::Span;
use crate::yaml::NodeRef;

use super::sc::{FindingExt, Scope, pods};
use crate::k8s::edit::Yed;

const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// A set seccompProfile whose type is not RuntimeDefault/Localhost, with
/// the fix: its type set to RuntimeDefault. Unsafe: the profile was turned
/// off on purpose, perhaps for a syscall the runtime's profile blocks.
fn bad_seccomp(
    sc: NodeRef<'_>,
    yed: Yed<'_>,
) -> Option<(Span, String, Option<Vec<crate::finding::Edit>>)> {
    let p = present(sc, "seccompProfile")?;
    let t = p.get("type").and_then(|t| t.as_str());
    if seccomp_type_ok(t) {
        return None;
    }
    let span = entry_span(p, "type").or_else(|| sc.key_span("seccompProfile"))?;
    let edits = yed.set(sc, &["seccompProfile", "type"], "RuntimeDefault");
    Some((span, t.unwrap_or("").to_string(), edits))
}

crate::rule!(Afk009, "AFK009", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let fields = cx.settings.k8s_minor >= 19;
        for pod in pods(cx, out.rule(), Scope::PSS) {
            if !fields {
                let Some(ann) = pod.spec.annotations() else {
                    continue;
                };
                let names: Vec<&str> = pod.containers().filter_map(|c| c.c.name).collect();
                for (k, v) in ann.entries() {
                    let Some(key) = k.as_str() else { continue };
                    let relevant = key == POD_ANNOTATION
                        || key
                            .strip_prefix(CONTAINER_PREFIX)
                            .is_some_and(|n| names.contains(&n));
                    let value = v.as_str().unwrap_or("");
                    if relevant && !seccomp_annotation_ok(value) {
                        out.push(
                            pod.finding(
                                k.span().cover(v.span()),
                                format_args!("seccomp profile `{value}` is not allowed; set the annotation to `runtime/default`"),
                            )
                            .with_help("Set the annotation to `runtime/default` or `localhost/<profile>`."),
                        );
                    }
                }
                continue;
            }
            for (c, sc) in pod.contexts() {
                let Some((span, t, edits)) = bad_seccomp(sc, pod.yed()) else {
                    continue;
                };
                let text = format!(
                    "seccomp profile type `{t}` is not allowed; set `seccompProfile.type: RuntimeDefault` (or `Localhost`)"
                );
                let f = match c {
                    Some(c) => c.finding(span, text),
                    None => pod.finding(span, format_args!("pod {text}")),
                };
                out.push(f.fix(Applicability::Unsafe, edits));
            }
        }
    }
});
