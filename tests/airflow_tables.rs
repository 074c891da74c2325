//! The generated Airflow tables are current, and afcheck covers everything
//! `airflow config lint` (and the deprecation tables) know, with locations.

use std::process::Command;

use afcheck::airflow::tables::SECURITY;
use afcheck::engine::{self, Input, Options};
use afcheck::finding::Severity;
use afcheck::rules::registry;
use serde_json::Value;

/// The Airflow reference data (`../shared/reference/airflow`).
fn reference() -> std::path::PathBuf {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/airflow");
    assert!(
        p.is_dir(),
        "{} is missing: run scripts/fetch-test-data.sh",
        p.display()
    );
    p
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/reference/airflow; run scripts/fetch-test-data.sh"
)]
fn generated_tables_are_current() {
    let root = env!("CARGO_MANIFEST_DIR");
    let reference = reference();
    let Ok(out) = Command::new("python3")
        .arg(format!("{root}/scripts/gen_airflow_tables.py"))
        .arg(&reference)
        .output()
    else {
        eprintln!("skipped: python3 not available");
        return;
    };
    assert!(
        out.status.success(),
        "generator failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read_to_string(format!("{root}/src/airflow/tables.rs")).unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout) == committed,
        "src/airflow/tables.rs is stale: run `python3 scripts/gen_airflow_tables.py -o src/airflow/tables.rs`"
    );
}

#[test]
fn every_reference_security_setting_has_a_rule() {
    let ids: Vec<&str> = registry().iter().map(|r| r.id()).collect();
    let map = afcheck::rules::airflow::SECURITY_RULES;
    for (id, _, _) in SECURITY {
        let rule = map.iter().find(|(k, _)| k == id).map(|(_, r)| *r);
        assert!(
            rule.is_some_and(|r| ids.contains(&r)),
            "reference setting `{id}` has no rule"
        );
    }
    assert_eq!(SECURITY.len(), 33);
}

fn run_cfg(text: &str, version: &str) -> engine::Run {
    let mut opts = Options::default();
    opts.settings.airflow_version = Some(version.to_string());
    let inputs = vec![Input::Text {
        name: "airflow.cfg".into(),
        bytes: text.as_bytes().to_vec(),
    }];
    engine::run(&inputs, &opts)
}

/// Every rename and removal `airflow config lint` reports (and every
/// deprecated option Airflow 2/3 still maps) yields AFC001/AFC002 at the
/// key, as a warning, naming the replacement.
#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/reference/airflow; run scripts/fetch-test-data.sh"
)]
fn covers_airflow_config_lint() {
    let text = std::fs::read_to_string(reference().join("airflow-config-changes.json"))
        .expect("airflow-config-changes.json");
    let v: Value = serde_json::from_str(&text).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    let lists = [
        "airflow3_lint",
        "deprecated_options_2x",
        "deprecated_options_3x",
        "many_to_one_deprecated_options_2x",
        "manual_curated",
    ];
    for list in lists {
        for c in v[list].as_array().into_iter().flatten() {
            let kind = c["kind"].as_str().unwrap_or("");
            let (rule, cond) = match kind {
                "removed" => ("AFC001", None),
                "removed_if_value" => (
                    "AFC001",
                    c["remove_if_equals"]
                        .as_str()
                        .or(c["is_invalid_if"].as_str()),
                ),
                "moved" | "renamed" | "merged" => ("AFC002", None),
                _ => continue,
            };
            let (Some(sec), Some(key)) = (c["old_section"].as_str(), c["old_key"].as_str()) else {
                continue;
            };
            let version = c["version"].as_str().unwrap_or("3.0");
            let version = version.rsplit("->").next().unwrap_or(version);
            // Lint entries are judged at the newest release, deprecations at theirs.
            let target = if list == "airflow3_lint" {
                "3.3.2"
            } else {
                version
            };
            let value = cond.unwrap_or("x").replace('%', "%%");
            let cfg = format!("[core]\nload_examples = False\n[{sec}]\n{key} = {value}\n");
            let run = run_cfg(&cfg, target);
            let hit = run.findings.iter().find(|f| {
                (f.rule == "AFC001" || f.rule == "AFC002")
                    && run.file(f.file).position(f.span.start()).line == 4
            });
            checked += 1;
            match hit {
                None => failures.push(format!(
                    "{list}: [{sec}] {key} ({kind} {version}) at {target}: no AFC001/AFC002"
                )),
                Some(f) => {
                    if f.severity != Severity::Warning {
                        failures.push(format!("[{sec}] {key}: severity {:?}", f.severity));
                    }
                    // A later removal may supersede an older rename and vice versa.
                    if f.rule != rule && list == "airflow3_lint" {
                        failures.push(format!("[{sec}] {key}: {} instead of {rule}", f.rule));
                    }
                    if f.rule == "AFC002" && rule == "AFC002" {
                        let new_key = c["new_key"].as_str().unwrap_or("");
                        let fix = f.fix.clone().unwrap_or_default();
                        if list == "airflow3_lint" && !fix.contains(new_key) {
                            failures.push(format!(
                                "[{sec}] {key}: fix `{fix}` does not name `{new_key}`"
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 250, "only {checked} entries checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} entries:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// An airflow.cfg holding every option of a version at its default value
/// (what `airflow config list --defaults` writes) has no correctness finding.
#[test]
fn default_configs_are_clean() {
    use afcheck::airflow::tables::OPTIONS;
    for (version, three) in [("2.11.2", false), ("3.3.2", true)] {
        let mut text = String::new();
        let mut section = "";
        for o in OPTIONS
            .iter()
            .filter(|o| o.provider || if three { o.in3 } else { o.in2 })
        {
            if o.section != section {
                section = o.section;
                text.push_str(&format!("\n[{section}]\n"));
            }
            let d = o.default.unwrap_or("");
            // Multi-line defaults are written as continuation lines.
            let d = d.trim_end().replace('\n', "\n    ");
            text.push_str(&format!("{} = {d}\n", o.key));
        }
        let run = run_cfg(&text, version);
        let bad: Vec<String> = run
            .findings
            .iter()
            .filter(|f| {
                matches!(
                    f.rule,
                    "AFC001"
                        | "AFC002"
                        | "AFC003"
                        | "AFC004"
                        | "AFC005"
                        | "AFC006"
                        | "AFC007"
                        | "AFC018"
                )
            })
            .map(|f| {
                let p = run.file(f.file).position(f.span.start());
                format!("{version} line {}: {} {}", p.line, f.rule, f.message)
            })
            .collect();
        assert!(
            bad.is_empty(),
            "{} findings on the default config:\n{}",
            bad.len(),
            bad.join("\n")
        );
    }
}
