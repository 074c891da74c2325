use crate::k8s::{ContainerKind, builtin_group, pod_spec_path};
use crate::rules::{FileCx, Findings};
use crate::source::Span;
use crate::yaml::NodeRef;

use super::sc::{object_finding, objects};

fn type_name(n: NodeRef<'_>) -> &'static str {
    if n.is_mapping() {
        "a mapping"
    } else if n.is_sequence() {
        "a list"
    } else {
        "a scalar"
    }
}

crate::rule!(Afk042, "AFK042", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let scope = |o: &crate::k8s::Object| {
            pod_spec_path(&o.kind).is_some() && builtin_group(&o.kind, o.group())
        };
        for (obj, root) in objects(cx, scope) {
            let Some(path) = pod_spec_path(&obj.kind) else {
                continue;
            };
            let mut bad = |n: NodeRef<'_>, at: Option<Span>, field: &str, want: &str| {
                out.push(
                    object_finding(obj, at.unwrap_or(n.span()), format_args!(
                            "`{field}` is {}, not {want}: the API server rejects the object, and afcheck cannot check its pods",
                            type_name(n)
                        ),
                    )
                    .with_help(format!("Make `{field}` {want} as the {} schema defines it.", obj.kind)),
                );
            };
            // Every step of the pod spec path: a mapping when present (a
            // missing step is a partial object, such as a kustomize patch).
            let mut node = root;
            let mut spec = None;
            for (i, key) in path.iter().enumerate() {
                let Some(next) = node.get(key).map(|n| n.deref()).filter(|n| !n.is_null()) else {
                    break;
                };
                if !next.is_mapping() {
                    bad(next, node.key_span(key), &path[..=i].join("."), "a mapping");
                    break;
                }
                node = next;
                if i == path.len() - 1 {
                    spec = Some(next);
                }
            }
            let Some(spec) = spec else { continue };
            let prefix = path.join(".");
            for kind in [
                ContainerKind::Container,
                ContainerKind::Init,
                ContainerKind::Ephemeral,
            ] {
                let field = kind.field();
                let Some(list) = spec.get(field).map(|n| n.deref()).filter(|n| !n.is_null()) else {
                    continue;
                };
                if !list.is_sequence() {
                    bad(
                        list,
                        spec.key_span(field),
                        &format!("{prefix}.{field}"),
                        "a list",
                    );
                    continue;
                }
                for (i, item) in list.items().enumerate() {
                    let item = item.deref();
                    if !item.is_mapping() {
                        bad(
                            item,
                            None,
                            &format!("{prefix}.{field}[{i}]"),
                            "a mapping (a container)",
                        );
                    }
                }
            }
        }
    }
});
