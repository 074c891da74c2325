//! The module layers hold: no import cycle between the top-level modules of
//! `src/`, and the leaves (source and spans, reading, findings, the YAML
//! parser, secret masking, rule metadata, fingerprints) import no module
//! that is not a leaf. Imports are read from the code itself: comments,
//! string literals and `#[cfg(test)]` modules are skipped.
//!
//! `AFCHECK_ARCH_SRC=<dir>` checks another source tree (for example an
//! older checkout, to see the test fail there).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Modules that import only each other (and std or crates).
const LEAVES: &[&str] = &[
    "source",
    "safe_read",
    "finding",
    "yaml",
    "mask",
    "meta",
    "fingerprint",
];

fn src_dir() -> PathBuf {
    match std::env::var_os("AFCHECK_ARCH_SRC") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
    }
}

/// The code of a Rust file without comments, string and char literals
/// (replaced by blanks, so line numbers stay).
fn code_only(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && (i == 0 || !(b[i - 1].is_alphanumeric() || b[i - 1] == '_'))
        {
            // A raw string r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match b.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|k| b.get(j + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some(&x) => {
                        out.push(blank(x));
                        j += 1;
                    }
                }
            }
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < b.len() {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{1F600}'), not a lifetime ('a).
            if next == Some('\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// `code` without the items marked `#[cfg(test)]` (a module with a body, or
/// `mod x;`, whose file is then skipped: returned in the second value).
fn without_test_items(code: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(code.len());
    let mut skipped_mods = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        // The item: up to its `;` or its balanced `{ ... }`.
        let semi = after.find(';');
        let brace = after.find('{');
        let end = match (semi, brace) {
            (Some(s), Some(b)) if s < b => {
                let item = after[..s].trim();
                if let Some(name) = item.split_whitespace().last()
                    && item.split_whitespace().any(|w| w == "mod")
                {
                    skipped_mods.push(name.to_string());
                }
                s + 1
            }
            (_, Some(b)) => {
                let mut depth = 0;
                let mut end = after.len();
                for (k, ch) in after[b..].char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (Some(s), None) => s + 1,
            (None, None) => after.len(),
        };
        // Keep the line count.
        out.extend(after[..end].chars().filter(|&c| c == '\n'));
        rest = &after[end..];
    }
    out.push_str(rest);
    (out, skipped_mods)
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules named after `crate::` in `code`: paths
/// (`crate::engine::run`) and groups (`use crate::{engine, rules::Rule}`).
fn crate_refs(code: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let line = code[..at].matches('\n').count() + 1;
        let rest = &code[at + "crate::".len()..];
        let rest = rest.trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names of a group: the first identifier of each
            // comma-separated entry at depth 0.
            let mut depth = 0;
            let mut entry_start = true;
            for (k, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => entry_start = true,
                    c if entry_start && (c.is_alphanumeric() || c == '_') => {
                        entry_start = false;
                        let name = ident_at(&group[k..]);
                        if depth == 0 {
                            out.push((name.to_string(), line));
                        }
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident_at(rest);
            if !name.is_empty() {
                out.push((name.to_string(), line));
            }
        }
    }
    out
}

struct Graph {
    modules: BTreeSet<String>,
    /// from -> to -> evidence (file:line).
    edges: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn graph(src: &Path) -> Graph {
    let mut modules = BTreeSet::new();
    for e in std::fs::read_dir(src).expect("src/").flatten() {
        let p = e.path();
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        if p.is_dir()
            || (p.extension().is_some_and(|x| x == "rs") && name != "lib" && name != "main")
        {
            modules.insert(name);
        }
    }
    let mut files = Vec::new();
    rust_files(src, &mut files);
    // Files of `#[cfg(test)] mod x;` declarations.
    let mut test_files: BTreeSet<PathBuf> = BTreeSet::new();
    let mut parsed: Vec<(PathBuf, String)> = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let (code, test_mods) = without_test_items(&code_only(&text));
        let dir = if f
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs")
        {
            f.parent().unwrap().to_path_buf()
        } else {
            f.with_extension("")
        };
        for m in test_mods {
            test_files.insert(dir.join(format!("{m}.rs")));
            test_files.insert(dir.join(&m).join("mod.rs"));
        }
        parsed.push((f.clone(), code));
    }
    let mut edges: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (f, code) in parsed {
        if test_files.contains(&f) {
            continue;
        }
        let rel = f.strip_prefix(src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if !modules.contains(&top) {
            continue;
        }
        for (to, line) in crate_refs(&code) {
            if to != top && modules.contains(&to) {
                edges
                    .entry(top.clone())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .push(format!("src/{}:{line}", rel.display()));
            }
        }
    }
    Graph { modules, edges }
}

/// Strongly connected components with more than one module.
fn cycles(g: &Graph) -> Vec<Vec<String>> {
    struct St<'g> {
        g: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(st: &mut St<'g>, v: &'g str) {
        let n = st.index.len();
        st.index.insert(v, n);
        st.low.insert(v, n);
        st.stack.push(v);
        st.on.insert(v);
        let g = st.g;
        for w in g.edges.get(v).into_iter().flat_map(|m| m.keys()) {
            let w = w.as_str();
            if !st.index.contains_key(w) {
                visit(st, w);
                let lw = st.low[w];
                let lv = st.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if st.on.contains(w) {
                let iw = st.index[w];
                let lv = st.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if st.low[v] == st.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = st.stack.pop() {
                st.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                st.out.push(comp);
            }
        }
    }
    let mut st = St {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for m in &g.modules {
        if !st.index.contains_key(m.as_str()) {
            visit(&mut st, m);
        }
    }
    st.out
}

fn describe(g: &Graph, among: &BTreeSet<&str>) -> String {
    let mut s = String::new();
    for (from, tos) in &g.edges {
        if !among.contains(from.as_str()) {
            continue;
        }
        for (to, at) in tos {
            if among.contains(to.as_str()) {
                let more = match at.len() {
                    n if n > 3 => format!(", and {} more", n - 3),
                    _ => String::new(),
                };
                s.push_str(&format!(
                    "  {from} -> {to}  ({}{more})\n",
                    at[..at.len().min(3)].join(", ")
                ));
            }
        }
    }
    s
}

#[test]
fn no_cycle_between_top_level_modules() {
    let g = graph(&src_dir());
    assert!(g.modules.len() > 10, "modules found: {:?}", g.modules);
    let found = cycles(&g);
    let mut msg = String::new();
    for comp in &found {
        let among: BTreeSet<&str> = comp.iter().map(String::as_str).collect();
        msg.push_str(&format!(
            "import cycle between {}:\n{}",
            comp.join(", "),
            describe(&g, &among)
        ));
    }
    assert!(found.is_empty(), "{msg}");
}

#[test]
fn leaves_import_only_leaves() {
    let g = graph(&src_dir());
    let mut problems = Vec::new();
    for leaf in LEAVES {
        if !g.modules.contains(*leaf) {
            problems.push(format!("leaf module `{leaf}` does not exist"));
            continue;
        }
        for (to, at) in g.edges.get(*leaf).into_iter().flatten() {
            if !LEAVES.contains(&to.as_str()) {
                problems.push(format!("{leaf} -> {to} ({})", at.join(", ")));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "leaves must not import modules above them:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_reader_sees_imports_and_skips_the_rest() {
    let code = r##"
//! See [`crate::engine`] (a doc comment).
use crate::{finding::{Finding, Severity}, source,
    yaml::NodeRef};
/* crate::report in a block comment /* nested crate::cli */ */
fn f() -> &'static str { let _ = crate::mask::mask("x"); "crate::lint" }
fn g() -> char { '"' }
fn h() { let _ = r#"crate::rules"#; crate::meta::get("x"); }
#[cfg(test)]
mod tests {
    use crate::engine;
}
#[cfg(test)]
mod more;
fn k() { crate::fix::apply(); }
"##;
    let (c, test_mods) = without_test_items(&code_only(code));
    let names: Vec<String> = crate_refs(&c).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["finding", "source", "yaml", "mask", "meta", "fix"],
        "{c}"
    );
    assert_eq!(test_mods, ["more"]);
    // Line numbers are kept.
    let fix_line = crate_refs(&c).last().unwrap().1;
    assert_eq!(
        fix_line,
        code.lines().position(|l| l.contains("fn k()")).unwrap() + 1
    );
}
