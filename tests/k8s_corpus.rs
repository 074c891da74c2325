//! The real-manifest corpus (`corpus/k8s`, 2,672 files): no panics, no
//! YAML syntax errors (AFY001: every file there is valid YAML), and custom
//! resources never produce errors from the Kubernetes rules. Ignored when
//! `../shared` is absent (see tests/README.md).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use afcheck::engine::{self, Options};

fn root() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/k8s");
    assert!(
        p.is_dir(),
        "{} is missing: run scripts/fetch-test-data.sh",
        p.display()
    );
    p
}

/// Kinds the Kubernetes rules know; anything else is a custom resource.
const BUILTIN_GROUPS: &[&str] = &[
    "",
    "apps",
    "batch",
    "extensions",
    "policy",
    "networking.k8s.io",
    "rbac.authorization.k8s.io",
    "autoscaling",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "admissionregistration.k8s.io",
    "storage.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "certificates.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "node.k8s.io",
    "resource.k8s.io",
    "flowcontrol.apiserver.k8s.io",
];

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/corpus/k8s; run scripts/fetch-test-data.sh"
)]
fn corpus_has_no_panics_and_no_syntax_errors() {
    let root = root();
    let opts = Options::default();
    let inputs = engine::discover(&[root], &opts).expect("discover corpus");
    let t = std::time::Instant::now();
    let run = engine::run(&inputs, &opts);
    eprintln!(
        "{} files, {} findings in {:?}",
        run.files.len(),
        run.findings.len(),
        t.elapsed()
    );
    assert!(
        run.files.len() > 1000,
        "corpus unexpectedly small: {}",
        run.files.len()
    );
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut bad = Vec::new();
    for f in &run.findings {
        *counts.entry(f.rule).or_default() += 1;
        let file = run.file(f.file);
        let pos = file.position(f.span.start());
        if f.rule == "AFY001" {
            bad.push(format!("{}:{}: AFY001 {}", file.path, pos.line, f.message));
        }
        // Kubernetes findings on a custom resource object are a bug.
        if f.rule.starts_with("AFK")
            && let Some(y) = run.files[f.file as usize].yaml()
            && let Some(obj) = y
                .objects
                .iter()
                .find(|o| o.span.contains(f.span) || o.span.start == f.span.start)
            && !BUILTIN_GROUPS.contains(&obj.group())
        {
            bad.push(format!(
                "{}:{}: {} on custom resource {}",
                file.path,
                pos.line,
                f.rule,
                obj.display()
            ));
        }
    }
    for (r, n) in &counts {
        eprintln!("  {r}: {n}");
    }
    assert!(
        bad.is_empty(),
        "{} problems:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
