//! Snapshots of fixed fixtures, and the consistency of `fixable:`.
//!
//! For every rule whose metadata says `fixable:`, every fixture in
//! `fixtures/<domain>/<ID>/fail/` has its expected fixed form in
//! `fixtures/<domain>/<ID>/fixed/` (same name; a case folder as a folder):
//! a copy of the fixture is fixed through the CLI (`afcheck --fix
//! --unsafe-fixes` with the fixture's `# fixture-args:`, every rule's fixes
//! as a user gets them) and must equal it byte for byte. A fixture the
//! fixes leave unchanged (its finding has no mechanical fix) needs no
//! snapshot, or holds an identical copy. `AFCHECK_BLESS=1
//! cargo test --test fixed` writes the snapshots from the current output
//! (review the diff: a new fix of another rule shows up in them too).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use afcheck::finding::Applicability;
use afcheck::rules::meta::{self, Fixable};

mod fixture_support;
use fixture_support::{list, root};

fn files_under(p: &Path) -> Vec<PathBuf> {
    if p.is_file() {
        return vec![p.to_path_buf()];
    }
    list(p).iter().flat_map(|e| files_under(e)).collect()
}

/// The `# fixture-args:` of the files of a case, as command-line words.
fn fixture_args(files: &[PathBuf]) -> Vec<String> {
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for l in text.lines() {
            if let Some(pos) = l.find("fixture-args:") {
                out.extend(l[pos + 13..].split_whitespace().map(String::from));
            }
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_file() {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
        return;
    }
    for e in list(from) {
        copy_tree(&e, &to.join(e.file_name().unwrap()));
    }
}

fn bless() -> bool {
    std::env::var_os("AFCHECK_BLESS").is_some()
}

/// Fixes a copy of the fail fixture `case` of `id` with the CLI; returns
/// the fixed files by path relative to the case (`""` for a one-file case).
fn fix_copy(id: &str, case: &Path, tmp: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let name = case.file_name().unwrap();
    let dir = tmp.join(id);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join(name);
    copy_tree(case, &target);
    let args = fixture_args(&files_under(case));
    let out = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .current_dir(&dir)
        .args([
            "--no-config",
            "--fix",
            "--unsafe-fixes",
            "--fail-on",
            "never",
        ])
        .args(["--format", "compact"])
        .args(&args)
        .arg(name)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{id} {}: afcheck --fix failed: {}",
        case.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    files_under(&target)
        .into_iter()
        .filter(|f| f.extension().is_none_or(|e| e != "expected"))
        .map(|f| {
            let rel = f.strip_prefix(&target).unwrap().to_path_buf();
            (rel, std::fs::read(&f).unwrap())
        })
        .collect()
}

#[test]
fn fixed_fixtures_match_their_snapshots() {
    let tmp = std::env::temp_dir().join(format!("afcheck-fixed-{}", std::process::id()));
    let mut errors = Vec::new();
    let mut checked = 0;
    for m in meta::all().iter().filter(|m| m.fixable.is_some()) {
        let base = root().join("fixtures").join(m.domain()).join(&m.id);
        let cases = list(&base.join("fail"));
        if cases.is_empty() {
            errors.push(format!("{}: fixable rule without fail fixtures", m.id));
        }
        for case in cases {
            if case.extension().is_some_and(|e| e == "expected") {
                continue;
            }
            let name = case.file_name().unwrap().to_owned();
            let snapshot = base.join("fixed").join(&name);
            let got = fix_copy(&m.id, &case, &tmp);
            for (rel, bytes) in got {
                let want_path = if rel.as_os_str().is_empty() {
                    snapshot.clone()
                } else {
                    snapshot.join(&rel)
                };
                checked += 1;
                let original = if rel.as_os_str().is_empty() {
                    case.clone()
                } else {
                    case.join(&rel)
                };
                let unchanged = std::fs::read(&original).is_ok_and(|o| o == bytes);
                match std::fs::read(&want_path) {
                    Ok(want) if want == bytes => {}
                    // Left as it is: no snapshot needed (an identical copy
                    // may say so explicitly).
                    Err(_) if unchanged => {}
                    _ if bless() => {
                        std::fs::create_dir_all(want_path.parent().unwrap()).unwrap();
                        std::fs::write(&want_path, &bytes).unwrap();
                    }
                    Ok(want) => errors.push(format!(
                        "{}: the fix of {} differs from the snapshot {}:\n--- want\n{}\n--- got\n{}",
                        m.id,
                        case.strip_prefix(root()).unwrap().display(),
                        want_path.strip_prefix(root()).unwrap().display(),
                        String::from_utf8_lossy(&want),
                        String::from_utf8_lossy(&bytes)
                    )),
                    Err(_) => errors.push(format!(
                        "{}: {} is changed by the fixes but has no snapshot {} \
                         (`AFCHECK_BLESS=1 cargo test --test fixed` writes it)",
                        m.id,
                        case.strip_prefix(root()).unwrap().display(),
                        want_path.strip_prefix(root()).unwrap().display()
                    )),
                }
            }
        }
        // No snapshot without its fixture.
        for s in list(&base.join("fixed")) {
            if !base.join("fail").join(s.file_name().unwrap()).exists() {
                errors.push(format!(
                    "{}: snapshot {} has no fail fixture",
                    m.id,
                    s.strip_prefix(root()).unwrap().display()
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    // Snapshots of a rule that is not fixable are stale.
    for m in meta::all().iter().filter(|m| m.fixable.is_none()) {
        let fixed = root()
            .join("fixtures")
            .join(m.domain())
            .join(&m.id)
            .join("fixed");
        if fixed.exists() {
            errors.push(format!(
                "{}: has fixtures/.../fixed/ but no `fixable:` in its metadata",
                m.id
            ));
        }
    }
    assert!(
        checked > 0,
        "no fixable rule with fixtures: nothing checked"
    );
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// The fixes the fixtures produce, per rule, and the rules whose own fail
/// fixtures produce one, with the engine in-process.
fn fixes_seen() -> (BTreeMap<String, BTreeSet<Applicability>>, BTreeSet<String>) {
    use afcheck::engine::{self, Input, Options};
    let mut seen: BTreeMap<String, BTreeSet<Applicability>> = BTreeMap::new();
    let mut own: BTreeSet<String> = BTreeSet::new();
    let fixtures = root().join("fixtures");
    for domain in list(&fixtures) {
        for rule_dir in list(&domain) {
            let id = rule_dir.file_name().unwrap().to_string_lossy().into_owned();
            for kind in ["fail", "pass"] {
                for case in list(&rule_dir.join(kind)) {
                    let files: Vec<PathBuf> = files_under(&case)
                        .into_iter()
                        .filter(|f| f.extension().is_none_or(|e| e != "expected"))
                        .collect();
                    let mut opts = Options::default();
                    let args = fixture_args(&files);
                    for w in args.windows(2) {
                        let s = &mut opts.settings;
                        match w[0].as_str() {
                            "--pss" => s.pss = afcheck::config::PssLevel::parse(&w[1]).unwrap(),
                            "--k8s-version" => {
                                s.k8s_minor = afcheck::config::parse_k8s_version(&w[1]).unwrap()
                            }
                            "--airflow-version" => s.airflow_version = Some(w[1].clone()),
                            _ => {}
                        }
                    }
                    let inputs: Vec<Input> = files
                        .iter()
                        .map(|f| Input::File {
                            path: f.clone(),
                            display: f
                                .strip_prefix(root())
                                .unwrap()
                                .to_string_lossy()
                                .replace('\\', "/"),
                            explicit: true,
                        })
                        .collect();
                    let run = engine::run(&inputs, &opts);
                    for f in &run.findings {
                        let Some(fx) = f.fix.as_ref().filter(|x| !x.edits.is_empty()) else {
                            continue;
                        };
                        seen.entry(f.rule.to_string())
                            .or_default()
                            .insert(fx.applicability);
                        if kind == "fail" && f.rule == id {
                            own.insert(id.clone());
                        }
                    }
                }
            }
        }
    }
    (seen, own)
}

#[test]
fn fixable_metadata_matches_the_fixes_rules_make() {
    let (seen, own) = fixes_seen();
    let mut errors = Vec::new();
    for m in meta::all() {
        let kinds = seen.get(&m.id).cloned().unwrap_or_default();
        let safe = kinds.contains(&Applicability::Safe);
        let unsafe_ = kinds.contains(&Applicability::Unsafe);
        match m.fixable {
            None if !kinds.is_empty() => errors.push(format!(
                "{}: makes fixes ({kinds:?}) but its metadata has no `fixable:`",
                m.id
            )),
            None => {}
            Some(f) => {
                let ok = match f {
                    Fixable::Safe => safe && !unsafe_,
                    Fixable::Unsafe => unsafe_ && !safe,
                    // Safe for some findings, unsafe for others: the
                    // fixtures may show either.
                    Fixable::Mixed => safe || unsafe_,
                };
                if !ok {
                    errors.push(format!(
                        "{}: `fixable: {}` but its fixtures make {kinds:?} fixes",
                        m.id,
                        f.as_str()
                    ));
                }
                if !own.contains(&m.id) {
                    errors.push(format!(
                        "{}: `fixable: {}` but none of its own fail fixtures gets a fix",
                        m.id,
                        f.as_str()
                    ));
                }
            }
        }
    }
    assert!(
        !seen.is_empty(),
        "no fixture produced any fix: the check saw nothing"
    );
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
