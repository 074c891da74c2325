use super::common::{at, literal, name_of, read_options};
use crate::airflow::knowledge;
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afc004, "AFC004", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for (g, a) in read_options(cx) {
            let s = a.s;
            let Some(value) = literal(s) else { continue };
            // Judge the value as the option it is read as (an old name
            // as its new one); options this version ignores are AFC001's.
            let (sec, key) = knowledge::canonical(&s.section, &s.key, g.version);
            if !knowledge::reads(&sec, &key, g.version) {
                continue;
            }
            // A deprecated value Airflow upgrades on read is AFC036's.
            if knowledge::upgraded_value(&sec, &key, value, g.version).is_some() {
                continue;
            }
            if let Some(c) = knowledge::invalid_value(&sec, &key, value, g.version) {
                let shown: String = value.chars().take(60).collect();
                out.push(
                    at(
                        a,
                        s.value_span,
                        format!(
                            "`{shown}` is not valid for {} from Airflow {} ({}){}",
                            name_of(s),
                            c.since,
                            g.version_label(),
                            if c.message.is_empty() {
                                String::new()
                            } else {
                                format!(": {}", c.message)
                            }
                        ),
                    )
                    .with_help(fix_for(&sec, &key)),
                );
                continue;
            }
            let Some(info) = knowledge::option_in(&sec, &key, g.version) else {
                continue;
            };
            if let Some(problem) = knowledge::value_problem(info, value, g.version) {
                out.push(at(
                    a,
                    s.value_span,
                    format!("invalid value for {}: {problem}", name_of(s)),
                ));
            }
        }
    }
});

fn fix_for(section: &str, key: &str) -> String {
    match (section, key) {
        ("core", "executor") => "Use LocalExecutor, CeleryExecutor or KubernetesExecutor (a comma-separated list for several executors), or an executor's import path.".into(),
        ("core", "parallelism") => "Set a value greater than 0.".into(),
        _ => "Use a value this Airflow version accepts.".into(),
    }
}
