//! No output format ever prints a secret value. The fixtures of every
//! secret detector (AFS001-AFS007) and of the domain rules that report
//! credentials (AFD016, AFK029, AFK030, AFC008-AFC010, AFH002), plus the
//! seed guide, are checked once through the engine to learn every secret
//! span afcheck finds; then the binary writes every format (and a baseline)
//! for the same files, and none may contain any of those values.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use afcheck::engine::{self, Options};

const DIRS: &[&str] = &[
    "fixtures/secrets",
    "fixtures/docker/AFD016",
    "fixtures/k8s/AFK029",
    "fixtures/k8s/AFK030",
    "fixtures/airflow/AFC008",
    "fixtures/airflow/AFC009",
    "fixtures/airflow/AFC010",
    "fixtures/helm/AFH002",
    "fixtures/seed-guide",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every secret value the engine marks, per detector rule.
fn planted() -> (BTreeSet<String>, BTreeSet<&'static str>) {
    std::env::set_current_dir(root()).unwrap();
    let opts = Options::default();
    let paths: Vec<_> = DIRS
        .iter()
        .map(|d| root().join(d))
        .filter(|p| p.exists())
        .collect();
    let inputs = engine::discover(&paths, &opts).unwrap();
    let run = engine::run(&inputs, &opts);
    let mut secrets = BTreeSet::new();
    let mut rules = BTreeSet::new();
    for f in &run.findings {
        for s in &f.secrets {
            let text = run
                .file(f.file)
                .slice(*s)
                .trim()
                .trim_matches(|c| c == '"' || c == '\'');
            // Short values (`admin`, `changeme`) are words that can occur in
            // messages for other reasons; every longer value must never appear.
            if text.chars().count() >= 10 {
                secrets.insert(text.to_string());
                rules.insert(f.rule);
            }
        }
    }
    (secrets, rules)
}

fn output(args: &[&str]) -> String {
    let mut full: Vec<&str> = vec!["--no-config", "--fail-on", "never"];
    full.extend_from_slice(args);
    full.extend(DIRS.iter().copied().filter(|d| root().join(d).exists()));
    let o = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .current_dir(root())
        .env_remove("NO_COLOR")
        .args(&full)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn no_format_prints_a_secret() {
    let (secrets, rules) = planted();
    for r in [
        "AFS001", "AFS002", "AFS003", "AFS004", "AFS005", "AFS006", "AFS007", "AFD016", "AFK029",
        "AFC008", "AFH002",
    ] {
        assert!(rules.contains(r), "no secret planted for {r}: {rules:?}");
    }
    assert!(
        secrets.len() >= 20,
        "too few planted secrets: {}",
        secrets.len()
    );

    let dir = std::env::temp_dir().join(format!("afcheck-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let baseline = dir.join("baseline.json");
    let mut outputs = vec![];
    for fmt in ["terminal", "compact", "json", "github"] {
        outputs.push((fmt.to_string(), output(&["--format", fmt])));
    }
    // SARIF: the results; the rule catalogue in `tool.driver.rules` is static
    // documentation (it names placeholders such as `temporary_key`).
    let mut sarif: serde_json::Value =
        serde_json::from_str(&output(&["--format", "sarif"])).unwrap();
    sarif["runs"][0]["tool"] = serde_json::Value::Null;
    outputs.push(("sarif".into(), sarif.to_string()));
    let b = baseline.to_string_lossy().into_owned();
    output(&["--write-baseline", &b]);
    outputs.push((
        "baseline".into(),
        std::fs::read_to_string(&baseline).unwrap(),
    ));

    let mut leaks = Vec::new();
    for (fmt, out) in &outputs {
        assert!(out.len() > 1000, "{fmt}: output too short");
        for s in &secrets {
            if out.contains(s.as_str()) {
                let head: String = s.chars().take(4).collect();
                leaks.push(format!(
                    "{fmt}: leaks a secret starting `{head}` ({} chars)",
                    s.chars().count()
                ));
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}
