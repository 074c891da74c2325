use std::collections::{BTreeMap, BTreeSet};

use crate::finding::Finding;
use crate::k8s::index::RuleHost;
use crate::rules::{Findings, ProjectCx};

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

crate::rule!(Afk033, "AFK033", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        // TLS hosts per namespace, across every Ingress: another Ingress
        // may terminate TLS for the same host.
        let mut tls_hosts: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (_, obj) in cx.objects() {
            if let Some(ing) = &obj.ingress {
                tls_hosts
                    .entry(obj.namespace_or_default())
                    .or_default()
                    .extend(ing.tls_hosts.iter().map(String::as_str));
            }
        }
        for (fi, obj) in cx.objects() {
            let Some(ing) = &obj.ingress else { continue };
            {
                let any_tls = ing.any_tls;
                // A TLS entry without hosts applies to every host of its Ingress.
                if ing.hostless_tls {
                    continue;
                }
                let known = tls_hosts.get(obj.namespace_or_default());
                let mut hostless_rule = false;
                let has_rules = !ing.rules.is_empty();
                for r in &ing.rules {
                    let (host, span) = match r {
                        RuleHost::Hostless => {
                            hostless_rule = true;
                            continue;
                        }
                        RuleHost::Other => continue,
                        RuleHost::Host(h, span) => (h.as_str(), *span),
                    };
                    if known.is_some_and(|k| k.iter().any(|t| covers(t, host))) {
                        continue;
                    }
                    out.push(
                        Finding::new(span,
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
                        .in_file(fi),
                    );
                }
                // Traffic without a host (a rule without `host`, or only a
                // default backend) can only be TLS through this Ingress's own
                // `tls`.
                let default_backend = ing.default_backend;
                if !any_tls && (hostless_rule || (!has_rules && default_backend)) {
                    out.push(
                        Finding::new(obj.anchor,
                            format!(
                                "{}: no `spec.tls`, so the Ingress serves requests without a host over plain HTTP",
                                obj.display()
                            ),
                        )
                        .with_help(
                            "Add `spec.tls` with the hosts and the name of a TLS certificate Secret.",
                        )
                        .in_file(fi),
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
