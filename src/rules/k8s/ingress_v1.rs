//! The move of an Ingress from `extensions/v1beta1` or
//! `networking.k8s.io/v1beta1` to `networking.k8s.io/v1`, where the shape
//! maps one to one: every backend names a service (`serviceName` and
//! `servicePort` become `service.name` and `service.port.number`, or
//! `port.name` for a named port) or a `resource`; a path without `pathType`
//! gets `ImplementationSpecific`, the default the beta APIs applied; the
//! default backend `spec.backend` becomes `spec.defaultBackend`. Anything
//! else (a backend with other fields, comments inside a backend, anchors)
//! gets no fix.

use crate::finding::Edit;
use crate::yaml::NodeRef;

use crate::k8s::edit::Yed;

/// The edits of the backend mapping `b`.
fn backend(y: &Yed<'_>, b: NodeRef<'_>, out: &mut Vec<Edit>) -> Option<()> {
    if b.is_alias() || !b.is_mapping() {
        return None;
    }
    let keys: Vec<&str> = b.entries().filter_map(|(k, _)| k.scalar()).collect();
    if keys == ["resource"] {
        return Some(());
    }
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    if sorted != ["serviceName", "servicePort"] {
        return None;
    }
    let (nk, nv) = b.entry("serviceName")?;
    let (pk, pv) = b.entry("servicePort")?;
    if !nv.is_scalar() || !pv.is_scalar() || nv.is_alias() || pv.is_alias() {
        return None;
    }
    let name = y.src(nv);
    let port = match pv.as_i64() {
        Some(_) => format!("number: {}", y.src(pv)),
        None => format!("name: {}", y.src(pv)),
    };
    if y.is_flow_line(b) {
        out.push(Edit::replace(
            b.span(),
            format!("{{service: {{name: {name}, port: {{{port}}}}}}}"),
        ));
        return Some(());
    }
    let (name_line, col) = y.own_lines(nk, nv)?;
    let (port_line, _) = y.own_lines(pk, pv)?;
    let (nl, step) = (y.nl(), y.step());
    let ind = |n: usize| " ".repeat(col + n * step);
    out.push(Edit::replace(
        name_line,
        format!(
            "{}service:{nl}{}name: {name}{nl}{}port:{nl}{}{port}{nl}",
            ind(0),
            ind(1),
            ind(1),
            ind(2)
        ),
    ));
    out.push(Edit::delete(port_line));
    Some(())
}

/// The edits that move the Ingress `node` to `networking.k8s.io/v1`
/// (besides its `apiVersion`), or None when its shape does not map.
pub fn edits(y: &Yed<'_>, node: NodeRef<'_>) -> Option<Vec<Edit>> {
    let spec = node.get("spec")?;
    if spec.is_alias() || !spec.is_mapping() {
        return None;
    }
    let mut out = Vec::new();
    if let Some((k, b)) = spec.entry("backend") {
        if spec.entry("defaultBackend").is_some() {
            return None;
        }
        out.push(Edit::replace(k.span(), "defaultBackend"));
        backend(y, b, &mut out)?;
    }
    for rule in spec.get("rules").into_iter().flat_map(|r| r.items()) {
        let Some(paths) = rule.deref().path(&["http", "paths"]) else {
            continue;
        };
        for p in paths.items() {
            if p.is_alias() {
                return None;
            }
            backend(y, p.get("backend")?, &mut out)?;
            if p.get("pathType").is_none() {
                out.extend(y.set(p, &["pathType"], "ImplementationSpecific")?);
            }
        }
    }
    out.sort();
    let overlapping = out
        .windows(2)
        .any(|w| w[1].range.start < w[0].range.end || (w[0].range == w[1].range));
    (!overlapping).then_some(out)
}
