//! `docs/severity.md` is the severity policy; its per-rule tables (rows
//! `| ID | severity | why |`) must give each rule's real default severity,
//! and every Kubernetes, YAML and secret rule must be listed.

use std::path::Path;

#[test]
fn severity_page_matches_the_rules() {
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/severity.md"))
            .expect("docs/severity.md");
    let mut listed = Vec::new();
    let mut problems = Vec::new();
    for line in page.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // ["", ID, severity, why, ""]
        if cells.len() < 4 || !cells[1].starts_with("AF") || cells[1].len() != 6 {
            continue;
        }
        let (id, sev) = (cells[1], cells[2]);
        match afcheck::rules::meta::get(id) {
            Some(m) if m.severity.as_str() == sev => listed.push(id.to_string()),
            Some(m) => problems.push(format!(
                "{id}: page says {sev}, rules/ says {}",
                m.severity.as_str()
            )),
            None => problems.push(format!("{id}: no such rule")),
        }
    }
    for m in afcheck::rules::meta::all() {
        if ["AFK", "AFY", "AFS"].iter().any(|p| m.id.starts_with(p)) && !listed.contains(&m.id) {
            problems.push(format!("{} is not in docs/severity.md", m.id));
        }
    }
    assert!(listed.len() >= 50, "{}", listed.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
