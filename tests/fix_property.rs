//! Properties of `--fix --unsafe-fixes` over every file of `fixtures/` and
//! `../shared/corpus`, fixed through the library (`fix::fix_inputs`, the
//! passes the CLI runs): each file alone, except a fixture case folder,
//! fixed as one project with the targets its `# fixture-args:` line names:
//! - the fixed text parses no worse than the original (no new syntax error
//!   or duplicate key, same kind of file);
//! - a second fix changes nothing;
//! - it introduces no finding: no rule finds more after the fix than
//!   before (counted per rule: a fix may change another finding's message,
//!   a renamed option's finding then names the new name).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use afcheck::engine::Input;
use afcheck::{fix, lint};
use rayon::prelude::*;

mod fixture_support;
use fixture_support::options_for;

fn files_under(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_file() {
        out.push(p.to_path_buf());
        return;
    }
    let Ok(rd) = std::fs::read_dir(p) else { return };
    let mut v: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    v.sort();
    for e in v {
        // Never through a link (the corpus may hold some).
        if std::fs::symlink_metadata(&e).is_ok_and(|m| m.file_type().is_symlink()) {
            continue;
        }
        files_under(&e, out);
    }
}

/// How many findings each rule has (a key that does not depend on where
/// a finding is or how its message names things).
fn multiset(run: &afcheck::engine::Run) -> HashMap<&'static str, usize> {
    let mut m = HashMap::new();
    for f in &run.findings {
        *m.entry(f.rule).or_insert(0) += 1;
    }
    m
}

struct Stats {
    files: usize,
    fixed: usize,
    applied: usize,
}

/// The files under `dir` in groups checked together: a fixture case
/// folder (`fixtures/<domain>/<ID>/<kind>/<case>/...`) is one project,
/// every other file is alone.
fn groups(base: &Path, dir: &Path) -> Vec<Vec<(String, String)>> {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for p in files {
        let Some(text) = std::fs::read(&p)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
        else {
            continue;
        };
        let name = p
            .strip_prefix(base)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/");
        let parts: Vec<&str> = name.split('/').collect();
        let key = match parts.as_slice() {
            ["fixtures", d, id, kind, case, _, ..] => format!("fixtures/{d}/{id}/{kind}/{case}"),
            _ => name.clone(),
        };
        match out.last_mut() {
            Some((k, g)) if *k == key => g.push((name, text)),
            _ => out.push((key, vec![(name, text)])),
        }
    }
    out.into_iter().map(|(_, g)| g).collect()
}

fn inputs(docs: &[(String, String)]) -> Vec<Input> {
    docs.iter()
        .map(|(name, text)| Input::Text {
            name: name.clone(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect()
}

/// Checks every group of files under `dir` (named by their path from
/// `base`); returns the counts, or the violations.
fn check_tree(base: &Path, dir: &Path) -> Result<Stats, Vec<String>> {
    let groups = groups(base, dir);
    let files = groups.iter().map(Vec::len).sum();
    let results: Vec<Result<(usize, usize), String>> = groups
        .par_iter()
        .map(|docs| {
            let texts: Vec<&str> = docs.iter().map(|d| d.1.as_str()).collect();
            let opts = options_for(&texts);
            let ins = inputs(docs);
            let out = fix::fix_inputs(&ins, &opts, true, &|_, _| Ok(()));
            if out.files.is_empty() {
                return Ok((0, 0));
            }
            let mut problems = Vec::new();
            let mut now: Vec<(String, String)> = docs.to_vec();
            for f in &out.files {
                let (name, text) = &docs[f.input];
                let health = |t: &str| fix::health(name, None, t, 1 << 30);
                if !health(&f.fixed).no_worse_than(health(text)) {
                    problems.push(format!(
                        "{name}: the fixed text parses worse ({:?} -> {:?})",
                        health(text),
                        health(&f.fixed)
                    ));
                }
                now[f.input].1 = f.fixed.clone();
            }
            let again = fix::fix_inputs(&inputs(&now), &opts, true, &|_, _| Ok(()));
            for f in &again.files {
                problems.push(format!(
                    "{}: a second --fix changes the text again ({} more fixes)",
                    f.display, f.applied
                ));
            }
            let before = multiset(&lint::lint_project(docs, &opts));
            for (rule, n) in multiset(&out.run) {
                let had = before.get(rule).copied().unwrap_or(0);
                if n > had {
                    let new: Vec<String> = out
                        .run
                        .findings
                        .iter()
                        .filter(|f| f.rule == rule)
                        .map(|f| format!("{}: {}", out.run.file(f.file).path, f.message))
                        .collect();
                    problems.push(format!(
                        "{}: {rule} finds {n} after the fix, {had} before: {new:?}",
                        docs[0].0
                    ));
                }
            }
            if problems.is_empty() {
                Ok((out.files.len(), out.applied()))
            } else {
                Err(problems.join("\n"))
            }
        })
        .collect();
    let mut errors = Vec::new();
    let mut stats = Stats {
        files,
        fixed: 0,
        applied: 0,
    };
    for r in results {
        match r {
            Ok((f, n)) => {
                stats.fixed += f;
                stats.applied += n;
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(stats)
    } else {
        Err(errors)
    }
}

fn report(what: &str, r: Result<Stats, Vec<String>>, start: Instant) -> Stats {
    match r {
        Ok(s) => {
            eprintln!(
                "{what}: {} files, {} fixed ({} fixes) in {:.1?}",
                s.files,
                s.fixed,
                s.applied,
                start.elapsed()
            );
            s
        }
        Err(e) => panic!("{} violations in {what}:\n{}", e.len(), e.join("\n")),
    }
}

#[test]
fn fixing_the_fixtures_is_safe_and_stable() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let start = Instant::now();
    let s = report("fixtures", check_tree(root, &root.join("fixtures")), start);
    assert!(s.files > 500, "only {} fixture files found", s.files);
    assert!(
        s.fixed > 0,
        "no fixture was fixed: the property saw nothing"
    );
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/corpus; run scripts/fetch-test-data.sh"
)]
fn fixing_the_corpus_is_safe_and_stable() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let corpus = shared.join("corpus");
    assert!(corpus.is_dir(), "{} is missing", corpus.display());
    let start = Instant::now();
    let s = report("corpus", check_tree(&shared, &corpus), start);
    assert!(s.files > 1000, "only {} corpus files found", s.files);
}

/// `text` with CRLF line endings (it has LF ones only).
fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

#[test]
fn line_endings_and_byte_order_marks_do_not_change_the_fixes() {
    // Every one-file fixture with LF line endings, fixed again as CRLF and
    // with a byte-order mark: the same fixes, with the file's own endings.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("fixtures"), &mut files);
    let start = Instant::now();
    // Per fixture: did it get fixes, and what went wrong.
    let results: Vec<(bool, Option<String>)> = files
        .par_iter()
        .filter_map(|p| {
            let name = p
                .strip_prefix(root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            // One-file cases only (fixtures/<domain>/<ID>/<kind>/<file>).
            if name.split('/').count() != 5 {
                return None;
            }
            let text = std::fs::read_to_string(p).ok()?;
            if text.contains('\r') || text.starts_with('\u{feff}') {
                return None;
            }
            let opts = options_for(&[&text]);
            let lf = lint::fix_document(&name, &text, &opts, true);
            if lf.applied == 0 {
                return Some((false, None));
            }
            let mut problems = Vec::new();
            let cr = lint::fix_document(&name, &crlf(&text), &opts, true);
            if cr.text != crlf(&lf.text) {
                problems.push(format!(
                    "{name}: fixed as CRLF it differs from the LF fix:\n{:?}\n{:?}",
                    cr.text,
                    crlf(&lf.text)
                ));
            }
            let bom = lint::fix_document(&name, &format!("\u{feff}{text}"), &opts, true);
            if bom.text != format!("\u{feff}{}", lf.text) {
                problems.push(format!("{name}: with a byte-order mark the fix differs"));
            }
            Some((true, (!problems.is_empty()).then(|| problems.join("\n"))))
        })
        .collect();
    let checked = results.len();
    let fixed = results.iter().filter(|r| r.0).count();
    let errors: Vec<String> = results.into_iter().filter_map(|r| r.1).collect();
    eprintln!(
        "line endings: {checked} one-file fixtures, {fixed} with fixes, in {:.1?}",
        start.elapsed()
    );
    assert!(checked > 300, "only {checked} fixtures");
    assert!(fixed > 0, "no fixture got a fix: nothing was compared");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
