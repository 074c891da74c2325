//! The generated rule docs (`docs/rules/`) are up to date.
//!
//! Regenerate with `AFCHECK_BLESS=1 cargo test --test docs`. Fails when a
//! page is stale or missing, or when a page exists for no rule.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use afcheck::report::catalogue;
use afcheck::rules::meta;

#[test]
fn generated_docs_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generated = catalogue::generate_docs(root);
    let bless = std::env::var_os("AFCHECK_BLESS").is_some_and(|v| v == "1");
    let dir = root.join(catalogue::DOCS_DIR);
    let wanted: BTreeSet<PathBuf> = generated.iter().map(|(p, _)| p.clone()).collect();
    let on_disk: BTreeSet<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .collect()
        })
        .unwrap_or_default();
    let mut problems = Vec::new();
    for (path, text) in &generated {
        let current = std::fs::read_to_string(path).ok();
        if current.as_deref() == Some(text.as_str()) {
            continue;
        }
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(path, text).unwrap();
        } else if current.is_none() {
            problems.push(format!("missing: {}", path.display()));
        } else {
            problems.push(format!("stale: {}", path.display()));
        }
    }
    for extra in on_disk.difference(&wanted) {
        if bless {
            std::fs::remove_file(extra).unwrap();
        } else {
            problems.push(format!("page for no rule: {}", extra.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "docs/rules is out of date (run `AFCHECK_BLESS=1 cargo test --test docs`):\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_rule_has_a_page_and_explain_prints_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generated = catalogue::generate_docs(root);
    for m in meta::all() {
        let page = root.join(catalogue::DOCS_DIR).join(format!("{}.md", m.id));
        let (_, text) = generated
            .iter()
            .find(|(p, _)| *p == page)
            .expect("page generated");
        assert_eq!(
            catalogue::generated_marker(m) + &catalogue::explain(m),
            *text
        );
        assert!(text.contains(&format!("# {}: {}", m.id, m.name)));
    }
}
