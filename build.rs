//! Embeds every rule metadata file under `rules/` into the binary.

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

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("manifest dir");
    let rules = Path::new(&root).join("rules");
    println!("cargo:rerun-if-changed=rules");
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

    println!("cargo:rerun-if-changed=fixtures");
    let out = Path::new(&env::var("OUT_DIR").expect("out dir")).join("rule_examples.rs");
    fs::write(out, examples(&root)).expect("write rule_examples.rs");
}
