use super::common::{dockerfile, pip_install, pip_split, runs, var_set};
use crate::finding::Finding;
use crate::rules::FileCx;

crate::rule!(Afd025, "AFD025", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
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
                out.push(
                    Finding::new("AFD025", pkg.span, format!("`pip install {}` without Airflow's constraints file: dependency versions drift and may break Airflow", pkg.text))
                        .with_fix("Add `--constraint \"https://raw.githubusercontent.com/apache/airflow/constraints-${AIRFLOW_VERSION}/constraints-${PYTHON_VERSION}.txt\"` and pin `apache-airflow==${AIRFLOW_VERSION}` in the same command."),
                );
            }
        }
    }
});
