//! Conformance with BuildKit's parser test files, and the Dockerfile corpus.
//!
//! Reads `$CARGO_MANIFEST_DIR/../shared`; the tests are ignored when it is
//! absent (see tests/README.md).

use std::path::{Path, PathBuf};

use afcheck::dockerfile::{self, Args, Instruction};

pub fn shared_dir() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    assert!(
        p.is_dir(),
        "{} is missing: run scripts/fetch-test-data.sh",
        p.display()
    );
    Some(p)
}

/// Go's `strconv.Quote`.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn dump_args(args: &Args, out: &mut String) {
    match args {
        Args::None => {}
        Args::Json(v) | Args::List(v) => {
            for w in v {
                out.push(' ');
                out.push_str(&go_quote(&w.value));
            }
        }
        Args::Shell(w) => {
            out.push(' ');
            out.push_str(&go_quote(&w.value));
        }
        Args::Pairs(_) => {}
        Args::Health { kind, cmd } => {
            out.push(' ');
            out.push_str(&go_quote(&kind.value));
            dump_args(cmd, out);
        }
        Args::Onbuild(inner) => {
            out.push_str(" (");
            out.push_str(&dump(inner));
            out.push(')');
        }
    }
}

/// BuildKit's `Node.Dump()` of one instruction.
pub fn dump(i: &Instruction) -> String {
    let mut out = i.keyword.to_ascii_lowercase();
    if !i.flags.is_empty() {
        let f: Vec<String> = i.flags.iter().map(|f| go_quote(&f.text)).collect();
        out.push_str(&format!(" [{}]", f.join(" ")));
    }
    if let Args::Pairs(p) = &i.args {
        for kv in p {
            if i.is("ARG") {
                out.push(' ');
                out.push_str(&go_quote(&kv.raw));
            } else {
                out.push_str(&format!(
                    " {} {} {}",
                    go_quote(&kv.key),
                    go_quote(kv.raw_value.as_deref().unwrap_or("")),
                    go_quote(if kv.legacy { "" } else { "=" })
                ));
            }
        }
    }
    dump_args(&i.args, &mut out);
    out
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/conformance/buildkit-parser; run scripts/fetch-test-data.sh"
)]
fn buildkit_positive_cases() {
    let Some(shared) = shared_dir() else {
        eprintln!("shared folder absent; skipped");
        return;
    };
    let dir = shared.join("conformance/buildkit-parser/testfiles");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    cases.sort();
    let mut failures = Vec::new();
    let mut n = 0;
    for case in &cases {
        let (Ok(text), Ok(result)) = (
            std::fs::read_to_string(case.join("Dockerfile")),
            std::fs::read_to_string(case.join("result")),
        ) else {
            continue;
        };
        n += 1;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let df = dockerfile::parse(text);
        if !df.errors.is_empty() {
            failures.push(format!("{}: errors {:?}", case.display(), df.errors));
            continue;
        }
        let got: Vec<String> = df
            .instructions
            .iter()
            .map(|i| format!("({})", dump(i)))
            .collect();
        let want: Vec<&str> = result.lines().filter(|l| !l.trim().is_empty()).collect();
        if got != want {
            let mut diff = String::new();
            for k in 0..got.len().max(want.len()) {
                let g = got.get(k).map(String::as_str).unwrap_or("<none>");
                let w = want.get(k).copied().unwrap_or("<none>");
                if g != w {
                    diff.push_str(&format!("\n  want {w}\n  got  {g}"));
                }
            }
            failures.push(format!("{}:{diff}", case.display()));
        }
    }
    assert!(n > 0, "no BuildKit cases found in {}", dir.display());
    assert!(
        failures.is_empty(),
        "{} of {n} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/conformance/buildkit-parser; run scripts/fetch-test-data.sh"
)]
fn buildkit_negative_cases_are_syntax_errors() {
    let Some(shared) = shared_dir() else {
        eprintln!("shared folder absent; skipped");
        return;
    };
    let dir = shared.join("conformance/buildkit-parser/testfiles-negative");
    let mut n = 0;
    for e in std::fs::read_dir(&dir)
        .map(|r| r.flatten().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        let Ok(text) = std::fs::read_to_string(e.path().join("Dockerfile")) else {
            continue;
        };
        n += 1;
        let df = dockerfile::parse(&text);
        assert!(
            !df.errors.is_empty(),
            "{}: expected a syntax error",
            e.path().display()
        );
    }
    assert!(n > 0);
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/corpus/dockerfiles; run scripts/fetch-test-data.sh"
)]
fn corpus_parses_without_errors() {
    let Some(shared) = shared_dir() else {
        eprintln!("shared folder absent; skipped");
        return;
    };
    let files = corpus_files(&shared);
    assert!(!files.is_empty());
    let mut bad = Vec::new();
    for p in &files {
        let Ok(bytes) = std::fs::read(p) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let df = dockerfile::parse(text);
        if !df.errors.is_empty() {
            bad.push(format!("{}: {:?}", p.display(), df.errors));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} corpus files have syntax errors:\n{}",
        bad.len(),
        files.len(),
        bad.join("\n")
    );
}

pub fn corpus_files(shared: &Path) -> Vec<PathBuf> {
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(p) else { return };
        for e in rd.flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&shared.join("corpus/dockerfiles"), &mut out);
    out.retain(|p| {
        !p.file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(".dockerignore") || n == ".dockerignore")
    });
    out.sort();
    out
}

/// Every rule survives truncated and mangled corpus files.
#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/corpus/dockerfiles; run scripts/fetch-test-data.sh"
)]
fn mangled_corpus_files_never_panic() {
    use afcheck::engine::{self, Input, Options};
    let Some(shared) = shared_dir() else {
        eprintln!("shared folder absent; skipped");
        return;
    };
    let files = corpus_files(&shared);
    let mut inputs = Vec::new();
    for (k, p) in files.iter().enumerate().step_by(7) {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let b = text.as_bytes();
        for cut in [b.len() / 3, b.len() / 2, b.len() * 4 / 5] {
            let mut c = cut;
            while c > 0 && !text.is_char_boundary(c) {
                c -= 1;
            }
            let mut t = text[..c].to_string();
            // Mangle: drop a line's escape, duplicate quotes, add a stray heredoc.
            match k % 3 {
                0 => t = t.replace("\\\n", "\n"),
                1 => t.push_str("\"'\nRUN <<EOF\n"),
                _ => t = t.replacen('[', "[[", 3),
            }
            inputs.push(Input::Text {
                name: format!("case{k}-{cut}/Dockerfile"),
                bytes: t.into_bytes(),
            });
        }
    }
    let opts = Options {
        select: vec!["AFD".into()],
        ..Options::default()
    };
    let run = engine::run(&inputs, &opts);
    assert_eq!(run.files.len(), inputs.len());
}
