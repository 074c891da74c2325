//! Scope invariance: a file's findings do not depend on what else is
//! scanned. Every file of `fixtures/` and `../shared/corpus` is checked once
//! in one run over everything, then again with only the files it is linked
//! to (the connected sources of its Airflow groups: what it references and
//! what references it); its findings must be identical.
//!
//! Rules that follow other references across files by design are left out:
//! a namespace's label and default-deny policy (AFK025, AFK026), a
//! workload's ServiceAccount by name (AFK031), the TLS of an Ingress host
//! that any Ingress of the namespace may terminate (AFK033), one notice per chart
//! directory for skipped templates (AFY003), and the stale-suppression
//! notice that follows them (AFY004).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use afcheck::airflow::model;
use afcheck::engine::{self, Input, Options};

const CROSS_FILE_BY_DESIGN: &[&str] = &["AFK025", "AFK026", "AFK031", "AFK033", "AFY003", "AFY004"];

type Key = (String, u32, u32, String, String);

fn keys_of(run: &engine::Run, path: &str) -> BTreeSet<Key> {
    run.findings
        .iter()
        .filter(|f| !CROSS_FILE_BY_DESIGN.contains(&f.rule))
        .filter(|f| run.file(f.file).path == path)
        .map(|f| {
            let p = run.file(f.file).position(f.span.start());
            (
                f.rule.to_string(),
                p.line,
                p.column,
                f.message.clone(),
                format!("{:?}", f.severity),
            )
        })
        .collect()
}

fn find(parent: &mut [usize], x: usize) -> usize {
    let mut r = x;
    while parent[r] != r {
        r = parent[r];
    }
    let mut c = x;
    while parent[c] != r {
        let n = parent[c];
        parent[c] = r;
        c = n;
    }
    r
}

#[test]
fn findings_do_not_depend_on_unrelated_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).unwrap();
    let mut roots: Vec<PathBuf> = vec![PathBuf::from("fixtures")];
    let shared = PathBuf::from("../shared/corpus");
    // With the test data (see tests/README.md) the corpus must be there;
    // without it only fixtures/ are checked.
    if cfg!(afcheck_shared_data) {
        assert!(
            shared.is_dir(),
            "../shared/corpus is missing: run scripts/fetch-test-data.sh"
        );
        roots.push(shared);
    } else {
        eprintln!("../shared/corpus not present: only fixtures/ are checked");
    }
    let opts = Options::default();
    let inputs = engine::discover(&roots, &opts).expect("discover");
    assert!(inputs.len() > 100, "too few inputs: {}", inputs.len());
    let whole = engine::run(&inputs, &opts);
    // Inputs by display path, and the files linked together by a group.
    let by_path: BTreeMap<String, &Input> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File { display, .. } => Some((display.clone(), i)),
            _ => None,
        })
        .collect();
    let n = whole.files.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let by_file = whole.file_settings();
    let derived = model::Derived::of(&by_file);
    let groups = model::groups(&by_file, &derived, &opts.settings);
    let mut linked = 0;
    for g in &groups {
        let files: BTreeSet<u32> = g.settings.iter().map(|a| a.file).collect();
        if files.len() > 1 {
            linked += 1;
        }
        let mut it = files.into_iter();
        if let Some(first) = it.next() {
            for f in it {
                let (a, b) = (
                    find(&mut parent, first as usize),
                    find(&mut parent, f as usize),
                );
                parent[a] = b;
            }
        }
    }
    assert!(
        linked > 5,
        "the fixtures link files together in only {linked} groups"
    );
    let mut components: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        components.entry(r).or_default().push(i);
    }
    let mut errors = Vec::new();
    let mut checked = 0;
    for members in components.values() {
        let subset: Vec<Input> = members
            .iter()
            .filter_map(|&i| by_path.get(&whole.files[i].file.path).map(|x| (*x).clone()))
            .collect();
        if subset.len() != members.len() {
            continue;
        }
        let alone = engine::run(&subset, &opts);
        for &i in members {
            let path = &whole.files[i].file.path;
            checked += 1;
            let a = keys_of(&whole, path);
            let b = keys_of(&alone, path);
            if a != b {
                let only_whole: Vec<_> = a.difference(&b).collect();
                let only_alone: Vec<_> = b.difference(&a).collect();
                errors.push(format!(
                    "{path}: only with everything {only_whole:?}; only alone {only_alone:?}"
                ));
            }
        }
    }
    assert!(checked > 100, "checked only {checked} files");
    assert!(
        errors.is_empty(),
        "{} files change verdict with scope:\n{}",
        errors.len(),
        errors.join("\n")
    );
}
