use crate::airflow::compose::{interpolate, is_compose, services};
use crate::airflow::sources::merged_entries;
use crate::engine::Parsed;
use crate::finding::Finding;
use crate::report::redact::mask;
use crate::rules::{FileCx, Findings};

/// Passwords of Airflow's quickstart and docs.
const DEFAULTS: &[&str] = &["airflow", "admin"];

crate::rule!(Afc035, "AFC035", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Parsed::Yaml(y) = cx.parsed() else { return };
        if !is_compose(&cx.file.path, &y.stream) {
            return;
        }
        for svc in services(&y.stream) {
            let Some(env) = svc.node.get("environment") else {
                continue;
            };
            // Map form (anchors and merge keys resolved) or `KEY=VALUE` list.
            let mut pairs: Vec<(String, String, crate::source::Span)> = Vec::new();
            if env.is_mapping() {
                for (k, v) in merged_entries(env) {
                    if let (Some(k), Some(t)) = (k.as_str(), v.deref().scalar()) {
                        pairs.push((k.to_string(), t.to_string(), v.span()));
                    }
                }
            } else {
                for i in env.items() {
                    if let Some((k, v)) = i.deref().scalar().and_then(|l| l.split_once('=')) {
                        pairs.push((k.trim().to_string(), v.to_string(), i.span()));
                    }
                }
            }
            let create = pairs.iter().any(|(k, v, _)| {
                k == "_AIRFLOW_WWW_USER_CREATE"
                    && matches!(
                        interpolate(v).0.to_ascii_lowercase().as_str(),
                        "true" | "1" | "yes"
                    )
            });
            if !create {
                continue;
            }
            for (k, v, span) in &pairs {
                if k != "_AIRFLOW_WWW_USER_PASSWORD" {
                    continue;
                }
                let pw = interpolate(v).0;
                if !DEFAULTS.contains(&pw.as_str()) {
                    continue;
                }
                let how = if pw == v.as_str() {
                    "is"
                } else {
                    "defaults to"
                };
                out.push(
                    Finding::new(*span, format!("Compose service `{}` creates the Airflow admin user and `_AIRFLOW_WWW_USER_PASSWORD` {how} the well-known `{}`: anyone reaching the UI or API can log in as Admin", svc.name, mask(&pw)))
                        .with_secret(*span)
                        .with_fingerprint(format!("{}|_AIRFLOW_WWW_USER_PASSWORD", svc.name)),
                );
            }
        }
    }
});
