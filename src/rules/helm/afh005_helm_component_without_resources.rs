use super::common::{ChartRoot, airflow_values_all};
use crate::rules::{FileCx, Findings};

const COMPONENTS: &[&str] = &[
    "webserver",
    "apiServer",
    "scheduler",
    "workers",
    "triggerer",
    "dagProcessor",
];

fn check(cr: ChartRoot<'_>, t: &str, out: &mut Findings<'_>) {
    let root = cr.root;
    for name in COMPONENTS {
        let Some((k, v)) = root.entry(name) else {
            continue;
        };
        let v = v.deref();
        if !v.is_mapping() || v.get("enabled").and_then(|e| e.as_bool()) == Some(false) {
            continue;
        }
        let res = v.get("resources");
        let has = |part: &str| {
            res.and_then(|r| r.get(part))
                .is_some_and(|p| p.entries().next().is_some())
        };
        let missing: Vec<&str> = ["requests", "limits"]
            .into_iter()
            .filter(|p| !has(p))
            .collect();
        if missing.is_empty() || !cr.unset_known(&[name, "resources"]) {
            continue;
        }
        let span = v.key_span("resources").unwrap_or(k.span());
        out.push(
            cr.finding(span, t, format!("`{name}` has no resource {}: its pods are scheduled without guarantees and can starve the node", missing.join(" or ")))
                .with_help(format!("Set `{name}.resources.requests` and `{name}.resources.limits` (cpu and memory).")),
        );
    }
}

crate::rule!(Afh005, "AFH005", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for cr in airflow_values_all(cx.analyzed) {
            check(cr, &cx.file.text, out);
        }
    }
});
