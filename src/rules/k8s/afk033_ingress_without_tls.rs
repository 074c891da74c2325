use std::collections::{BTreeMap, BTreeSet};

use crate::finding::Finding;
use crate::k8s::{DEFAULT_NAMESPACE, Object, object_anchor};
use crate::rules::{Findings, ProjectCx};
use crate::yaml::NodeRef;

fn is_ingress(o: &Object) -> bool {
    o.kind == "Ingress" && matches!(o.group(), "networking.k8s.io" | "extensions")
}

/// Does a TLS host (possibly `*.example.com`) cover `host`?
fn covers(tls_host: &str, host: &str) -> bool {
    let (t, h) = (tls_host.to_ascii_lowercase(), host.to_ascii_lowercase());
    if t == h {
        return true;
    }
    // A wildcard covers exactly one more label.
    match (t.strip_prefix("*."), h.split_once('.')) {
        (Some(suffix), Some((_, rest))) => rest == suffix,
        _ => false,
    }
}

/// `spec.tls` entries of an Ingress: (hosts listed, an entry without hosts).
fn tls_of(spec: Option<NodeRef<'_>>) -> (Vec<String>, bool, bool) {
    let mut hosts = Vec::new();
    let (mut any, mut hostless) = (false, false);
    if let Some(tls) = spec.and_then(|s| s.get("tls")) {
        for e in tls.items() {
            let e = e.deref();
            any = true;
            let mut listed = false;
            if let Some(hs) = e.get("hosts") {
                for h in hs.items() {
                    if let Some(h) = h.as_str() {
                        hosts.push(h.to_string());
                        listed = true;
                    }
                }
            }
            hostless |= !listed;
        }
    }
    (hosts, any, hostless)
}

fn ns(obj: &Object) -> &str {
    obj.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE)
}

crate::rule!(Afk033, "AFK033", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        // TLS hosts per namespace, across every Ingress: another Ingress
        // may terminate TLS for the same host.
        let mut tls_hosts: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for f in cx.files {
            let Some(y) = f.yaml() else { continue };
            for obj in y.objects.iter().filter(|o| is_ingress(o)) {
                let (hosts, _, _) = tls_of(obj.node(&y.stream).get("spec"));
                tls_hosts.entry(ns(obj)).or_default().extend(hosts);
            }
        }
        for (fi, f) in cx.files.iter().enumerate() {
            let Some(y) = f.yaml() else { continue };
            for obj in y.objects.iter().filter(|o| is_ingress(o)) {
                let spec = obj.node(&y.stream).get("spec");
                let (_, any_tls, hostless_tls) = tls_of(spec);
                // A TLS entry without hosts applies to every host of its Ingress.
                if hostless_tls {
                    continue;
                }
                let known = tls_hosts.get(ns(obj));
                let mut hostless_rule = false;
                let mut has_rules = false;
                if let Some(rules) = spec.and_then(|s| s.get("rules")) {
                    for r in rules.items() {
                        let r = r.deref();
                        has_rules = true;
                        let Some(h) = r.get("host").filter(|h| !h.is_null()) else {
                            hostless_rule = true;
                            continue;
                        };
                        let Some(host) = h.as_str() else { continue };
                        if known.is_some_and(|k| k.iter().any(|t| covers(t, host))) {
                            continue;
                        }
                        out.push(
                            Finding::new(h.span(),
                                format!(
                                    "{}: host `{host}` has no TLS in any Ingress of {}, so it is served over plain HTTP",
                                    obj.display(),
                                    match &obj.namespace {
                                        Some(n) => format!("namespace `{n}`"),
                                        None => "its namespace".to_string(),
                                    }
                                ),
                            )
                            .with_help(format!(
                                "Add `{host}` to `spec.tls[].hosts` with the name of a TLS certificate Secret."
                            ))
                            .in_file(fi as u32),
                        );
                    }
                }
                // Traffic without a host (a rule without `host`, or only a
                // default backend) can only be TLS through this Ingress's own
                // `tls`.
                let default_backend = spec
                    .and_then(|s| s.get("defaultBackend").or_else(|| s.get("backend")))
                    .is_some_and(|b| !b.is_null());
                if !any_tls && (hostless_rule || (!has_rules && default_backend)) {
                    out.push(
                        Finding::new(object_anchor(obj, &y.stream),
                            format!(
                                "{}: no `spec.tls`, so the Ingress serves requests without a host over plain HTTP",
                                obj.display()
                            ),
                        )
                        .with_help(
                            "Add `spec.tls` with the hosts and the name of a TLS certificate Secret.",
                        )
                        .in_file(fi as u32),
                    );
                }
            }
        }
    }
});

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn wildcards_cover_one_label() {
        for (pattern, host, want) in [
            ("a.example.com", "A.example.com", true),
            ("*.example.com", "a.example.com", true),
            ("*.example.com", "a.b.example.com", false),
            ("*.example.com", "example.com", false),
        ] {
            assert_eq!(covers(pattern, host), want, "{pattern} {host}");
        }
    }
}
