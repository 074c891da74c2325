//! Embeds every rule metadata file under `rules/` into the binary, records
//! the commit afcheck is built from (`afcheck --version`), and tells the tests
//! whether the external test data (`../shared`) is present.

use std::{env, fs, path::Path};

fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Largest fixture file embedded as a docs example.
const MAX_EXAMPLE_BYTES: u64 = 64 * 1024;
/// At most this many files of a directory (project) example.
const MAX_EXAMPLE_FILES: usize = 4;

fn sorted_entries(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn files_of(case: &Path, out: &mut Vec<std::path::PathBuf>) {
    if case.is_dir() {
        for e in sorted_entries(case) {
            files_of(&e, out);
        }
    } else if !case.to_string_lossy().ends_with(".expected") {
        out.push(case.to_path_buf());
    }
}

/// The first failing and the first passing fixture of every rule, as text,
/// for the generated docs pages and `afcheck explain`: entries
/// `(rule ID, "fail" | "pass", path from the repository root, text)`.
/// Cases with binary, non-UTF-8 or large files are skipped.
fn examples(root: &str) -> String {
    let fixtures = Path::new(root).join("fixtures");
    let mut src = String::from("pub static RULE_EXAMPLES: &[(&str, &str, &str, &str)] = &[\n");
    for domain in sorted_entries(&fixtures) {
        for rule in sorted_entries(&domain) {
            let Some(id) = rule.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            for kind in ["fail", "pass"] {
                for case in sorted_entries(&rule.join(kind)) {
                    if case.to_string_lossy().ends_with(".expected") {
                        continue;
                    }
                    let mut files = Vec::new();
                    files_of(&case, &mut files);
                    let texts: Vec<Option<String>> = files
                        .iter()
                        .take(MAX_EXAMPLE_FILES)
                        .map(|f| {
                            let ok = fs::metadata(f)
                                .map(|m| m.len() <= MAX_EXAMPLE_BYTES)
                                .unwrap_or(false);
                            let bytes = if ok { fs::read(f).ok()? } else { return None };
                            if bytes.contains(&0) {
                                return None;
                            }
                            String::from_utf8(bytes).ok()
                        })
                        .collect();
                    if files.is_empty() || texts.iter().any(Option::is_none) {
                        continue;
                    }
                    for (f, t) in files.iter().zip(texts.into_iter().flatten()) {
                        let path = f.to_string_lossy().replace('\\', "/");
                        let rel = path
                            .strip_prefix(&format!("{}/", root.replace('\\', "/")))
                            .unwrap_or(&path)
                            .to_string();
                        src.push_str(&format!("    ({id:?}, {kind:?}, {rel:?}, {t:?}),\n"));
                    }
                    break;
                }
            }
        }
    }
    src.push_str("];\n");
    src
}

/// One `#[test]` per fixture case (`fixtures/<domain>/<ID>/{fail,pass}/<case>`,
/// a file or a directory checked as one project) for `tests/snapshots.rs`,
/// so that a failing snapshot names its fixture. Each calls
/// `snapshot(domain, id, kind, case)`, defined in that test file.
fn snapshot_tests(root: &str) -> String {
    let fixtures = Path::new(root).join("fixtures");
    let mut src = String::new();
    let mut names = std::collections::BTreeSet::new();
    for domain in sorted_entries(&fixtures) {
        let Some(d) = domain.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        for rule in sorted_entries(&domain) {
            let Some(id) = rule.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            for kind in ["fail", "pass"] {
                for case in sorted_entries(&rule.join(kind)) {
                    let Some(c) = case.file_name().and_then(|n| n.to_str()) else {
                        continue;
                    };
                    if c.ends_with(".expected") {
                        continue;
                    }
                    let base: String = format!("{d}_{id}_{kind}_{c}")
                        .chars()
                        .map(|ch| {
                            if ch.is_ascii_alphanumeric() {
                                ch.to_ascii_lowercase()
                            } else {
                                '_'
                            }
                        })
                        .collect();
                    let mut name = base.clone();
                    let mut n = 2;
                    while !names.insert(name.clone()) {
                        name = format!("{base}_{n}");
                        n += 1;
                    }
                    src.push_str(&format!(
                        "#[test]\nfn {name}() {{\n    snapshot({d:?}, {id:?}, {kind:?}, {c:?});\n}}\n"
                    ));
                }
            }
        }
    }
    src
}

/// The commit being built: `AFCHECK_COMMIT` if set (release builds from a
/// source archive can pass it), else `git rev-parse` in a checkout, else the
/// `.cargo_vcs_info.json` that `cargo package` writes into a crate tarball.
fn commit(root: &Path) -> Option<String> {
    println!("cargo::rerun-if-env-changed=AFCHECK_COMMIT");
    if let Ok(c) = env::var("AFCHECK_COMMIT") {
        let c = c.trim().to_string();
        return (!c.is_empty()).then_some(c);
    }
    let git = |args: &[&str]| -> Option<String> {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
        (!s.is_empty()).then_some(s)
    };
    if root.join(".git").exists() {
        // Rerun when HEAD moves: HEAD itself (another branch, a detached
        // commit) and the loose ref of the current branch (a new commit).
        // Only existing files are watched: a missing one would make cargo
        // rerun this script on every build.
        let mut watch = vec![git(&["rev-parse", "--git-path", "HEAD"])];
        if let Some(r) = git(&["symbolic-ref", "-q", "HEAD"]) {
            watch.push(git(&["rev-parse", "--git-path", &r]));
        }
        for p in watch.into_iter().flatten() {
            let p = root.join(p);
            if p.is_file() {
                println!("cargo::rerun-if-changed={}", p.display());
            }
        }
        if let Some(c) = git(&["rev-parse", "--short=12", "HEAD"]) {
            return Some(c);
        }
    }
    let vcs = fs::read_to_string(root.join(".cargo_vcs_info.json")).ok()?;
    let at = vcs.find("\"sha1\"")?;
    let rest = &vcs[at + 6..];
    let q0 = rest.find('"')? + 1;
    let q1 = rest[q0..].find('"')? + q0;
    let sha = &rest[q0..q1];
    (sha.len() >= 12 && sha.chars().all(|c| c.is_ascii_hexdigit())).then(|| sha[..12].to_string())
}

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("manifest dir");

    // `afcheck --version`: `0.1.0 (abcdef123456)`, or just the version when
    // the commit cannot be known.
    let version = env::var("CARGO_PKG_VERSION").expect("package version");
    let long = match commit(Path::new(&root)) {
        Some(c) => format!("{version} ({c})"),
        None => version,
    };
    println!("cargo::rustc-env=AFCHECK_LONG_VERSION={long}");

    // Tests that need the external data (conformance fixtures, corpora,
    // reference data; see tests/README.md) are ignored unless it is there.
    // AFCHECK_TEST_DATA=absent builds as if it were missing (to check the
    // ignored listing on a machine that has the data).
    println!("cargo::rustc-check-cfg=cfg(afcheck_shared_data)");
    println!("cargo::rerun-if-env-changed=AFCHECK_TEST_DATA");
    let shared = Path::new(&root).join("../shared");
    let forced_absent = env::var("AFCHECK_TEST_DATA").is_ok_and(|v| v == "absent");
    if shared.is_dir() && !forced_absent {
        println!("cargo::rustc-cfg=afcheck_shared_data");
        // Scanned for changes only when present: a missing path would make
        // cargo rerun this script on every build. scripts/fetch-test-data.sh
        // touches build.rs after creating the folder.
        println!("cargo::rerun-if-changed={}", shared.display());
    }

    let rules = Path::new(&root).join("rules");
    println!("cargo::rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut src = String::from("pub static RULE_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        let rel = f
            .strip_prefix(&format!("{}/", root.replace('\\', "/")))
            .unwrap_or(f);
        src.push_str(&format!("    ({rel:?}, include_str!({f:?})),\n"));
    }
    src.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("out dir")).join("rule_files.rs");
    fs::write(out, src).expect("write rule_files.rs");

    println!("cargo::rerun-if-changed=fixtures");
    let out = Path::new(&env::var("OUT_DIR").expect("out dir")).join("rule_examples.rs");
    fs::write(out, examples(&root)).expect("write rule_examples.rs");
    let out = Path::new(&env::var("OUT_DIR").expect("out dir")).join("snapshot_tests.rs");
    fs::write(out, snapshot_tests(&root)).expect("write snapshot_tests.rs");
}
