//! Runs every fixture under `fixtures/<domain>/<ID>/{fail,pass}/`.
//!
//! A fixture is a file (checked alone) or a directory (checked as one
//! project). Expectations are written in the fixture:
//! - `# expect: ID[, ID]` at the end of a line: findings of ID start on that
//!   line; on a line of its own: on the next line that is not a comment;
//! - `# expect-file: ID`: a finding of ID anywhere in that file;
//! - a sidecar `<file>.expected` with lines `LINE ID` (for files where a
//!   comment cannot be written, such as inside a YAML block scalar).
//!
//! In `fail/`, the findings of the folder's rule (and of every rule named in
//! an expectation) must be exactly the expected ones, line by line; in
//! `pass/`, the folder's rule must not fire. `# fixture-args: --pss baseline
//! --k8s-version 1.24 --airflow-version 2.9.0` sets targets for that fixture.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use afcheck::engine;

mod fixture_support;
use fixture_support::{list, options_for};

fn files_under(p: &Path) -> Vec<PathBuf> {
    if p.is_file() {
        return vec![p.to_path_buf()];
    }
    let mut out = Vec::new();
    for e in list(p) {
        out.extend(files_under(&e));
    }
    out
}

/// (display path, 1-based line or 0 for file-level, rule)
type Expect = (String, u32, String);

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn parse_expectations(path: &Path, text: &str, out: &mut Vec<Expect>) {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if let Some(pos) = line.find("expect-file:") {
            for id in line[pos + 12..]
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                out.push((
                    display(path),
                    0,
                    id.split_whitespace().next().unwrap().to_string(),
                ));
            }
            continue;
        }
        let Some(pos) = line.find("# expect:") else {
            continue;
        };
        let ids: Vec<String> = line[pos + 9..]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.split_whitespace().next().unwrap().to_string())
            .collect();
        let own_line = line[..pos].trim().is_empty();
        let target = if own_line {
            let mut j = i + 1;
            while j < lines.len()
                && (lines[j].trim().is_empty() || lines[j].trim_start().starts_with('#'))
            {
                j += 1;
            }
            j
        } else {
            i
        };
        for id in ids {
            out.push((display(path), target as u32 + 1, id));
        }
    }
    let side = PathBuf::from(format!("{}.expected", path.display()));
    if let Ok(t) = std::fs::read_to_string(&side) {
        for l in t
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let mut it = l.split_whitespace();
            let line: u32 = it
                .next()
                .unwrap()
                .parse()
                .expect("line number in .expected");
            out.push((display(path), line, it.next().expect("rule id").to_string()));
        }
    }
}

fn run_case(rule: &str, case: &Path, fail: bool, errors: &mut Vec<String>) {
    let files: Vec<PathBuf> = files_under(case)
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with(".expected"))
        .collect();
    let texts: Vec<String> = files
        .iter()
        .map(|p| {
            std::fs::read(p)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        })
        .collect();
    let mut expected: Vec<Expect> = Vec::new();
    for (p, t) in files.iter().zip(&texts) {
        parse_expectations(p, t, &mut expected);
    }
    let opts = options_for(&texts);
    let inputs = match engine::discover(&[case.to_path_buf()], &opts) {
        Ok(i) => i,
        Err(e) => {
            errors.push(format!("{}: {e}", case.display()));
            return;
        }
    };
    let run = engine::run(&inputs, &opts);
    let mut rules: BTreeSet<String> = expected.iter().map(|e| e.2.clone()).collect();
    rules.insert(rule.to_string());
    let file_level: BTreeSet<(String, String)> = expected
        .iter()
        .filter(|e| e.1 == 0)
        .map(|e| (e.0.clone(), e.2.clone()))
        .collect();
    let mut got: BTreeSet<Expect> = BTreeSet::new();
    for f in &run.findings {
        if !rules.contains(f.rule) {
            continue;
        }
        let file = run.file(f.file);
        let key_file = (file.path.clone(), f.rule.to_string());
        let line = if file_level.contains(&key_file) {
            0
        } else {
            file.position(f.span.start()).line
        };
        got.insert((file.path.clone(), line, f.rule.to_string()));
    }
    let want: BTreeSet<Expect> = expected.into_iter().collect();
    if fail {
        if want.is_empty() {
            errors.push(format!(
                "{}: fail fixture without expectations",
                case.display()
            ));
        }
        if got != want {
            let missing: Vec<_> = want.difference(&got).collect();
            let extra: Vec<_> = got.difference(&want).collect();
            errors.push(format!(
                "{}: missing {missing:?}, unexpected {extra:?}",
                case.display()
            ));
        }
    } else {
        let fired: Vec<_> = got.iter().filter(|g| g.2 == rule).collect();
        if !fired.is_empty() {
            errors.push(format!(
                "{}: pass fixture has findings {fired:?}",
                case.display()
            ));
        }
    }
}

#[test]
fn all_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    let mut errors = Vec::new();
    let mut cases = 0;
    for domain in list(&root) {
        if !domain.is_dir() || domain.file_name().is_some_and(|n| n == "seed-guide") {
            continue;
        }
        for rule_dir in list(&domain) {
            let Some(rule) = rule_dir
                .file_name()
                .and_then(|n| n.to_str())
                .map(String::from)
            else {
                continue;
            };
            for (sub, fail) in [("fail", true), ("pass", false)] {
                for case in list(&rule_dir.join(sub)) {
                    if case.to_string_lossy().ends_with(".expected") {
                        continue;
                    }
                    let rel = case
                        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                        .unwrap_or(&case);
                    let rel = rel.strip_prefix("/").unwrap_or(rel);
                    run_case(&rule, rel, fail, &mut errors);
                    cases += 1;
                }
            }
        }
    }
    assert!(cases > 0, "no fixtures found");
    assert!(
        errors.is_empty(),
        "{} fixture failures:\n{}",
        errors.len(),
        errors.join("\n")
    );
}
