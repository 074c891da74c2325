//! What the fixture-driven tests share: the project root, sorted directory
//! listings and the options a fixture's `# fixture-args:` lines ask for.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use afcheck::config::{PssLevel, parse_k8s_version};
use afcheck::engine::Options;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The entries of `dir`, sorted (none when it cannot be read).
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// The options of a fixture case: `--pss`, `--k8s-version` and
/// `--airflow-version` from the `fixture-args:` lines of its files (a bad
/// value fails the test).
pub fn options_for<S: AsRef<str>>(texts: &[S]) -> Options {
    let mut o = Options::default();
    for l in texts.iter().flat_map(|t| t.as_ref().lines()) {
        let Some(pos) = l.find("fixture-args:") else {
            continue;
        };
        let args: Vec<&str> = l[pos + 13..].split_whitespace().collect();
        for w in args.windows(2) {
            match w[0] {
                "--pss" => o.settings.pss = PssLevel::parse(w[1]).expect("pss"),
                "--k8s-version" => o.settings.k8s_minor = parse_k8s_version(w[1]).expect("k8s"),
                "--airflow-version" => o.settings.airflow_version = Some(w[1].to_string()),
                _ => {}
            }
        }
    }
    o
}
