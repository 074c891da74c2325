//! Pod Security Standards conformance: the upstream pod-security-admission
//! fixtures (`conformance/psa/<level>/<v1.N>/{pass,fail}/*.yaml`). For each
//! level and version, running with `--pss LEVEL --k8s-version 1.N` must
//! report at least one AFK001-AFK019 finding on every `fail` file and none on
//! any `pass` file. Ignored when `../shared` is absent (see tests/README.md).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use afcheck::config::PssLevel;
use afcheck::engine::{self, Input, Options};
use afcheck::k8s::psa::{self, CONTROLS, Control};

/// The control a fixture is named after (`allowprivilegeescalation3.yaml`).
fn control_of(path: &str) -> Option<&'static Control> {
    let name = Path::new(path).file_stem()?.to_str()?;
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    CONTROLS
        .iter()
        .find(|c| c.check.to_ascii_lowercase() == stem)
}

fn root() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/psa");
    assert!(
        p.is_dir(),
        "{} is missing: run scripts/fetch-test-data.sh",
        p.display()
    );
    p
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    v.sort();
    v
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/conformance/psa; run scripts/fetch-test-data.sh"
)]
fn psa_conformance() {
    let root = root();
    let mut opts = Options {
        select: (1..=19).map(|i| format!("AFK{i:03}")).collect(),
        ..Options::default()
    };
    let mut failures = Vec::new();
    let (mut checked, mut runs) = (0usize, 0usize);
    for (level_name, level) in [
        ("baseline", PssLevel::Baseline),
        ("restricted", PssLevel::Restricted),
    ] {
        for vdir in yaml_dirs(&root.join(level_name)) {
            let Some(minor) = vdir
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix("v1."))
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            opts.settings.pss = level;
            opts.settings.k8s_minor = minor;
            let mut inputs = Vec::new();
            let mut fail_set = BTreeSet::new();
            for (sub, fail) in [("fail", true), ("pass", false)] {
                for p in yaml_files(&vdir.join(sub)) {
                    let display = p.to_string_lossy().into_owned();
                    if fail {
                        fail_set.insert(display.clone());
                    }
                    inputs.push(Input::File {
                        path: p,
                        display,
                        explicit: true,
                    });
                }
            }
            checked += inputs.len();
            runs += 1;
            let run = engine::run(&inputs, &opts);
            let mut flagged: BTreeSet<&str> = BTreeSet::new();
            let mut by_rule: BTreeSet<(&str, &str)> = BTreeSet::new();
            for f in &run.findings {
                let path = run.file(f.file).path.as_str();
                flagged.insert(path);
                by_rule.insert((path, f.rule));
                if !fail_set.contains(path) {
                    let pos = run.file(f.file).position(f.span.start());
                    failures.push(format!(
                        "{level_name} 1.{minor}: pass file {path}:{}:{} got {} ({})",
                        pos.line, pos.column, f.rule, f.message
                    ));
                }
            }
            for p in &fail_set {
                if !flagged.contains(p.as_str()) {
                    failures.push(format!("{level_name} 1.{minor}: fail file {p} not flagged"));
                    continue;
                }
                // Stricter: the control the fixture is named after fires
                // (unless a restricted control overrides it at this level).
                if let Some(c) = control_of(p)
                    && psa::active(c.rule, &opts.settings)
                    && !by_rule.contains(&(p.as_str(), c.rule))
                {
                    failures.push(format!(
                        "{level_name} 1.{minor}: fail file {p} not flagged by {}",
                        c.rule
                    ));
                }
            }
        }
    }
    eprintln!("PSA conformance: {checked} files in {runs} level/version runs");
    assert!(
        checked > 0,
        "no conformance files found under {}",
        root.display()
    );
    assert!(
        failures.is_empty(),
        "{} conformance failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn yaml_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}
