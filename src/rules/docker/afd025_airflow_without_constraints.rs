use super::common::{dockerfile, pip_install, pip_split, runs, var_set};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

/// `apache-airflow==X` or `apache-airflow[extras]==X` (X may be a variable).
fn is_airflow_pin(pkg: &str) -> bool {
    let p = pkg.trim_matches(['"', '\'']);
    let Some(rest) = p.strip_prefix("apache-airflow") else {
        return false;
    };
    let rest = match rest.strip_prefix('[') {
        Some(r) => r.split_once(']').map(|(_, r)| r).unwrap_or(""),
        None => rest,
    };
    rest.strip_prefix("==").is_some_and(|v| !v.is_empty())
}

crate::rule!(Afd025, "AFD025", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for r in runs(df) {
            for c in &r.script.commands {
                let Some(args) = pip_install(c) else { continue };
                let (opts, pkgs) = pip_split(args);
                let Some(pkg) = pkgs
                    .iter()
                    .find(|w| w.text.to_ascii_lowercase().starts_with("apache-airflow"))
                else {
                    continue;
                };
                let constrained = opts.iter().any(|o| {
                    o.text == "-c"
                        || o.text.starts_with("--constraint")
                        || (o.text.starts_with("-c")
                            && o.text.len() > 2
                            && !o.text.starts_with("--"))
                });
                if constrained || var_set(df, r.index, Some(c), "PIP_CONSTRAINT") {
                    continue;
                }
                // Extending the official image with `apache-airflow==${AIRFLOW_VERSION}`
                // next to the providers (what Airflow's docs recommend): the
                // pin keeps the image's Airflow, and its dependencies, in place.
                let pinned = pkgs.iter().any(|w| is_airflow_pin(&w.text));
                let extends = df
                    .instructions
                    .get(r.index)
                    .and_then(|i| i.stage)
                    .and_then(|s| df.stages.get(s))
                    .is_some_and(|st| st.base_resolved.contains("apache/airflow"));
                if pinned && (extends || pkgs.iter().any(|w| w.text.contains("AIRFLOW_VERSION"))) {
                    continue;
                }
                out.push(
                    Finding::new(pkg.span, format!("`pip install {}` without Airflow's constraints file: dependency versions drift and may break Airflow", pkg.text))
                );
            }
        }
    }
});
