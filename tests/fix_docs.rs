//! `docs/fixes.md`: every automatic fix with its before and after, made
//! from the fixed fixtures (`fixtures/<domain>/<ID>/fixed/`, checked
//! against the real output by `tests/fixed.rs`), so the page cannot drift.
//! `AFCHECK_BLESS=1 cargo test --test fix_docs` regenerates it; the test
//! fails when it is stale.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use afcheck::engine::{self, Input, Options};
use afcheck::report::catalogue;
use afcheck::rules::meta;

const PAGE: &str = "docs/fixes.md";
/// A longer example is shown as a diff.
const MAX_LINES: usize = 40;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(p: &Path) -> Vec<PathBuf> {
    if p.is_file() {
        return vec![p.to_path_buf()];
    }
    let mut v: Vec<PathBuf> = std::fs::read_dir(p)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v.iter().flat_map(|e| files_under(e)).collect()
}

fn language(name: &str) -> &'static str {
    let n = name.to_ascii_lowercase();
    if n.ends_with(".yaml") || n.ends_with(".yml") {
        "yaml"
    } else if n.ends_with(".cfg") {
        "ini"
    } else if n.contains("dockerfile") || n.contains("containerfile") {
        "dockerfile"
    } else if n.ends_with(".json") {
        "json"
    } else {
        "text"
    }
}

/// The text without test markers and with every secret afcheck finds in
/// it masked (the docs never repeat a credential, even a fake one).
fn shown(name: &str, text: &str) -> String {
    let input = Input::Text {
        name: name.to_string(),
        bytes: text.as_bytes().to_vec(),
    };
    let run = engine::run(&[input], &Options::default());
    let spans: Vec<_> = run
        .findings
        .iter()
        .flat_map(|f| f.secrets.iter().copied())
        .chain(run.files.iter().flat_map(|f| f.sensitive.iter().copied()))
        .collect();
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let masked = if spans.is_empty() {
        body.to_string()
    } else {
        catalogue::mask_spans(body, spans)
    };
    catalogue::without_markers(&masked).replace("\r\n", "\n")
}

fn block(s: &mut String, lang: &str, text: &str) {
    let fence = if text.contains("```") { "~~~~" } else { "```" };
    let _ = writeln!(s, "{fence}{lang}");
    s.push_str(text);
    if !text.ends_with('\n') {
        s.push('\n');
    }
    let _ = writeln!(s, "{fence}\n");
}

fn render() -> String {
    let mut s = String::new();
    s.push_str(
        "<!-- Generated from fixtures/*/*/fixed/ by `AFCHECK_BLESS=1 cargo test --test fix_docs`; do not edit. -->\n\n",
    );
    s.push_str(
        "# Automatic fixes\n\n\
`afcheck --fix` applies the **safe** fixes: they remove the problem and change nothing\n\
else. `afcheck --fix --unsafe-fixes` also applies the **unsafe** ones, which can change\n\
behaviour (review them). `afcheck --diff` prints the fixes as a unified diff without\n\
writing anything (exit 1 when there is something to fix). A fix is a minimal edit:\n\
comments, quoting, indentation, line endings (CRLF), a byte-order mark and tabs stay as\n\
they are; a fix that would leave the file with a new syntax error is not applied, and\n\
fixes that overlap wait for the next pass (afcheck fixes until nothing changes). Files\n\
are written atomically, keep their permissions and owner, and are only written inside\n\
the scanned directory, never through a symbolic link that leaves it; read-only files,\n\
files that are not UTF-8 and files that changed while afcheck ran are left alone. In the reports, `[*]` marks a\n\
finding `--fix` fixes and `[*unsafe]` one that needs `--unsafe-fixes`; the JSON report\n\
(`autofix`) and SARIF (`fixes`) carry the edits.\n\n\
The examples below are the rules' test fixtures, fixed by `afcheck --fix --unsafe-fixes`\n\
(so a fixture that trips several rules shows all their fixes); `tests/fixed.rs` checks\n\
each one against afcheck's real output.\n\n",
    );
    let fixable: Vec<&meta::Meta> = meta::all().iter().filter(|m| m.fixable.is_some()).collect();
    s.push_str("| Rule | Name | Fix |\n|---|---|---|\n");
    for m in &fixable {
        let _ = writeln!(
            s,
            "| [{id}](rules/{id}.md) | {} | {} |",
            m.name,
            m.fixable.unwrap().as_str(),
            id = m.id
        );
    }
    s.push('\n');
    for m in &fixable {
        let _ = writeln!(
            s,
            "## {}: {} ({})\n",
            m.id,
            m.name,
            m.fixable.unwrap().as_str()
        );
        let summary = m.summary.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(s, "{summary}\n");
        let base = root().join("fixtures").join(m.domain()).join(&m.id);
        let mut unchanged = Vec::new();
        for fixed in files_under(&base.join("fixed")) {
            let rel = fixed.strip_prefix(base.join("fixed")).unwrap();
            let fail = base.join("fail").join(rel);
            let (Ok(before), Ok(after)) = (
                std::fs::read_to_string(&fail),
                std::fs::read_to_string(&fixed),
            ) else {
                continue;
            };
            let name = rel.to_string_lossy().replace('\\', "/");
            if before == after {
                unchanged.push(name);
                continue;
            }
            let (b, a) = (shown(&name, &before), shown(&name, &after));
            let lang = language(&name);
            if b.lines().count().max(a.lines().count()) <= MAX_LINES {
                let _ = writeln!(s, "`{name}`, before:\n");
                block(&mut s, lang, &b);
                let _ = writeln!(s, "After:\n");
                block(&mut s, lang, &a);
            } else {
                let _ = writeln!(s, "`{name}` (as a diff):\n");
                let diff = similar::TextDiff::from_lines(b.as_str(), a.as_str());
                let text = diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{name}"), &format!("b/{name}"))
                    .to_string();
                block(&mut s, "diff", &text);
            }
        }
        if !unchanged.is_empty() {
            let _ = writeln!(
                s,
                "Left as they are (no mechanical fix): {}.\n",
                unchanged
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    s.truncate(s.trim_end().len());
    s.push('\n');
    s
}

#[test]
fn fixes_page_is_current() {
    let page = render();
    let path = root().join(PAGE);
    if std::env::var_os("AFCHECK_BLESS").is_some() {
        std::fs::write(&path, &page).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == page,
        "{PAGE} is stale: run `AFCHECK_BLESS=1 cargo test --test fix_docs`"
    );
    // Every fixable rule has its section.
    for m in meta::all().iter().filter(|m| m.fixable.is_some()) {
        assert!(page.contains(&format!("## {}: ", m.id)), "{}", m.id);
    }
}
