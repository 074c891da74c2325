//! The generated Airflow tables are current, and afcheck covers everything
//! `airflow config lint` (and the deprecation tables) know, with locations.

use std::process::Command;

use afcheck::airflow::knowledge::{self, Version};
use afcheck::airflow::tables::SECURITY;
use afcheck::engine::{self, Input, Options};
use afcheck::finding::Severity;
use afcheck::rules::registry;
use serde_json::Value;

/// The Airflow reference data (`../shared/reference/airflow`).
fn reference() -> std::path::PathBuf {
    let d = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/airflow");
    assert!(
        d.join("versions/index.json").is_file(),
        "{} is missing: run scripts/fetch-test-data.sh",
        d.display()
    );
    d
}

/// The committed tables are what the generator makes of the data today.
#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/reference/airflow; run scripts/fetch-test-data.sh"
)]
fn generated_tables_are_current() {
    let root = env!("CARGO_MANIFEST_DIR");
    let reference = reference();
    let out = Command::new("python3")
        .arg(format!("{root}/scripts/gen_airflow_tables.py"))
        .arg(&reference)
        .output()
        .expect("python3 is needed to check the generated tables");
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

/// Every rename and removal `airflow config lint` of each 3.x release
/// reports yields AFC001/AFC002 at the key at that release, as a warning,
/// naming the replacement for renames; every `deprecated_options` entry of
/// every release yields AFC002 at that release.
#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/reference/airflow; run scripts/fetch-test-data.sh"
)]
fn covers_airflow_config_lint() {
    let reference = reference();
    let mut checked = 0;
    let mut failures = Vec::new();
    for release in afcheck::airflow::tables::RELEASES {
        let text =
            std::fs::read_to_string(reference.join(format!("versions/{release}.json"))).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let declared = |s: &str, k: &str| {
            v["options"]
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["section"] == s && o["key"] == k)
        };
        let ver = Version::parse(release).unwrap();
        let mut cases: Vec<(String, String, &str, Option<String>, String)> = Vec::new();
        if release.starts_with('3') {
            for c in v["config_lint"]["changes"].as_array().into_iter().flatten() {
                let (sec, key) = (
                    c["config"]["section"].as_str().unwrap(),
                    c["config"]["option"].as_str().unwrap(),
                );
                let renamed = c["renamed_to"]["option"].as_str().map(str::to_string);
                // A rename to an option the release does not read either
                // is a removal there.
                // (a chain of renames counts when its last name is read).
                let target_read = c["renamed_to"]["section"].as_str().is_some_and(|s| {
                    let k = c["renamed_to"]["option"].as_str().unwrap();
                    knowledge::reads(s, k, ver)
                        || matches!(
                            knowledge::status(s, k, ver),
                            knowledge::Status::Renamed { .. }
                        )
                });
                let (rule, value) = if let Some(r) = c["remove_if_equals"].as_str() {
                    ("AFC001", r.to_string())
                } else if renamed.is_some() && target_read {
                    ("AFC002", "x".to_string())
                } else if c["was_removed"] == true {
                    ("AFC001", "x".to_string())
                } else {
                    continue;
                };
                // Still declared by this release: lint's entry is about the
                // value only, or the option came back.
                if declared(sec, key) && c["remove_if_equals"].is_null() {
                    continue;
                }
                cases.push((sec.into(), key.into(), rule, renamed, value));
            }
        }
        for d in v["deprecated_options"].as_array().into_iter().flatten() {
            let (sec, key) = (
                d["old_section"].as_str().unwrap(),
                d["old_key"].as_str().unwrap(),
            );
            if declared(sec, key) {
                continue;
            }
            let new = d["new_key"].as_str().map(str::to_string);
            cases.push((sec.into(), key.into(), "AFC002", new, "x".into()));
        }
        for (sec, key, rule, new_key, value) in cases {
            let value = value.replace('%', "%%");
            let cfg = format!("[core]\nload_examples = False\n[{sec}]\n{key} = {value}\n");
            let run = run_cfg(&cfg, release);
            let hit = run.findings.iter().find(|f| {
                (f.rule == "AFC001" || f.rule == "AFC002")
                    && run.file(f.file).position(f.span.start()).line == 4
            });
            checked += 1;
            match hit {
                None => failures.push(format!("{release}: [{sec}] {key}: no {rule}")),
                Some(f) => {
                    // A name still read is a note, a lost one a warning.
                    let still_read = matches!(
                        knowledge::status(&sec, &key, ver),
                        knowledge::Status::Alias(_)
                    );
                    let want = if still_read {
                        Severity::Note
                    } else {
                        Severity::Warning
                    };
                    if f.severity != want {
                        failures.push(format!(
                            "{release}: [{sec}] {key}: severity {:?}",
                            f.severity
                        ));
                    }
                    if f.rule != rule {
                        failures.push(format!(
                            "{release}: [{sec}] {key}: {} instead of {rule}: {}",
                            f.rule, f.message
                        ));
                    }
                    if let Some(n) = new_key
                        && f.rule == "AFC002"
                        && !f.help.clone().unwrap_or_default().contains(&n)
                        && !f.message.contains(&n)
                    {
                        failures.push(format!(
                            "{release}: [{sec}] {key}: `{}` does not name `{n}`",
                            f.message
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 2000, "only {checked} entries checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} entries:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
