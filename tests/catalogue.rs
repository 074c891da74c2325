//! The rule catalogue is complete and consistent: every registered rule has
//! metadata, failing and passing fixtures and a docs page; every metadata
//! file has an implementation; IDs and names are unique and well formed.

use std::collections::BTreeSet;
use std::path::Path;

use afcheck::rules::{meta, registry};

fn has_entries(p: &Path) -> bool {
    std::fs::read_dir(p)
        .map(|mut rd| rd.next().is_some())
        .unwrap_or(false)
}

#[test]
fn every_metadata_file_parses() {
    let errors: Vec<String> = meta::RULE_FILES
        .iter()
        .filter_map(|(p, t)| meta::parse_meta(p, t).err())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    for (p, t) in meta::RULE_FILES {
        let m = meta::parse_meta(p, t).unwrap();
        assert_eq!(
            *p,
            format!("rules/{}/{}.yaml", m.domain(), m.id),
            "metadata file path"
        );
    }
}

#[test]
fn registry_and_metadata_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ids: BTreeSet<&str> = registry().iter().map(|r| r.id()).collect();
    assert_eq!(ids.len(), registry().len(), "a rule is registered twice");
    let metas: BTreeSet<&str> = meta::all().iter().map(|m| m.id.as_str()).collect();
    let mut problems = Vec::new();
    for id in ids.difference(&metas) {
        problems.push(format!("{id}: registered without rules/ metadata"));
    }
    for id in metas.difference(&ids) {
        problems.push(format!("{id}: metadata without an implementation"));
    }
    let id_re = regex::Regex::new(r"^AF[DKYCHS]\d{3}$").unwrap();
    let name_re = regex::Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").unwrap();
    let mut names = BTreeSet::new();
    for m in meta::all() {
        if !id_re.is_match(&m.id) {
            problems.push(format!("{}: bad ID", m.id));
        }
        if !name_re.is_match(&m.name) || !names.insert(m.name.clone()) {
            problems.push(format!("{}: bad or duplicate name `{}`", m.id, m.name));
        }
        if m.summary.is_empty() || m.rationale.is_empty() || m.fix.is_empty() {
            problems.push(format!("{}: empty summary/rationale/fix", m.id));
        }
        let fx = root.join("fixtures").join(m.domain()).join(&m.id);
        for sub in ["fail", "pass"] {
            if !has_entries(&fx.join(sub)) {
                problems.push(format!(
                    "{}: no {sub} fixture in {}",
                    m.id,
                    fx.join(sub).display()
                ));
            }
        }
        if !root.join(m.docs_path()).is_file() {
            problems.push(format!("{}: no docs page {}", m.id, m.docs_path()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A rule's source file is named after its catalogue name:
/// `src/rules/<domain>/<id>_<name with _>.rs`, and declares its ID once.
#[test]
fn rule_files_are_named_after_the_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    // Made by the engine itself (src/rules/yaml/mod.rs registers their IDs).
    let engine_made = ["AFY004", "AFY005"];
    for m in meta::all()
        .iter()
        .filter(|m| !engine_made.contains(&m.id.as_str()))
    {
        let file = root.join("src/rules").join(m.domain()).join(format!(
            "{}_{}.rs",
            m.id.to_ascii_lowercase(),
            m.name.replace('-', "_")
        ));
        match std::fs::read_to_string(&file) {
            Ok(text) => {
                let n = text.matches(&format!("\"{}\"", m.id)).count();
                if n != 1 {
                    problems.push(format!(
                        "{}: the ID is written {n} times in {} (once, in `rule!`)",
                        m.id,
                        file.display()
                    ));
                }
            }
            Err(_) => problems.push(format!("{}: no source file {}", m.id, file.display())),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
