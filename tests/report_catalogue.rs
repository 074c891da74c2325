//! `afcheck rules`, `afcheck explain` and docs pages, on hand-made metadata.

use afcheck::finding::Severity;
use afcheck::report::catalogue;
use afcheck::rules::meta::{Equivalents, Meta};

fn meta(id: &str, name: &str, sev: Severity, category: &str) -> Meta {
    Meta {
        id: id.into(),
        name: name.into(),
        severity: sev,
        category: category.into(),
        summary: "Finds   the thing\nthat matters.".into(),
        rationale: "Because it matters.\n\nA second paragraph.".into(),
        fix: "Change `x` to `y`.".into(),
        references: vec![
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/".into(),
        ],
        equivalents: Equivalents {
            hadolint: vec![],
            kube_linter: vec!["privileged-container".into()],
            checkov: vec!["CKV_K8S_16".into()],
            ..Default::default()
        },
        tags: vec!["cis".into()],
        security_severity: Some(8.8),
        pss_level: Some("baseline".into()),
        fixable: None,
        source: format!("rules/k8s/{id}.yaml"),
    }
}

#[test]
fn rules_table_has_one_aligned_row_per_rule() {
    let metas = vec![
        meta(
            "AFK001",
            "privileged-container",
            Severity::Error,
            "pod-security",
        ),
        Meta {
            fixable: Some(afcheck::rules::meta::Fixable::Safe),
            ..meta("AFK002", "host-network", Severity::Warning, "pod-security")
        },
    ];
    let t = catalogue::rules_table(&metas);
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("ID"));
    assert!(lines[1].starts_with(
        "AFK001  privileged-container error    -      pod-security Finds the thing that matters."
    ));
    // The FIX column says how a rule is fixed.
    assert_eq!(lines[0].find("FIX"), lines[2].find("safe"));
    assert_eq!(lines[0].find("FIX"), lines[1].find("-      pod"));
    // Columns line up.
    assert_eq!(lines[1].find("error"), lines[2].find("warning"));
    assert_eq!(lines[0].find("SEVERITY"), lines[1].find("error"));
}

#[test]
fn rules_json_lists_every_field() {
    let metas = vec![meta(
        "AFK001",
        "privileged-container",
        Severity::Error,
        "pod-security",
    )];
    let v: serde_json::Value = serde_json::from_str(&catalogue::rules_json_for(&metas)).unwrap();
    let r = &v[0];
    assert_eq!(r["id"], "AFK001");
    assert_eq!(r["name"], "privileged-container");
    assert_eq!(r["severity"], "error");
    assert_eq!(r["category"], "pod-security");
    assert_eq!(r["summary"], "Finds the thing that matters.");
    assert_eq!(r["fixable"], false);
    assert_eq!(r["fix_applicability"], serde_json::Value::Null);
    let fixable = Meta {
        fixable: Some(afcheck::rules::meta::Fixable::Mixed),
        ..metas[0].clone()
    };
    let v: serde_json::Value =
        serde_json::from_str(&catalogue::rules_json_for(std::slice::from_ref(&fixable))).unwrap();
    assert_eq!(v[0]["fixable"], true);
    assert_eq!(v[0]["fix_applicability"], "mixed");
    let page = catalogue::render_docs_page(&fixable);
    assert!(page.contains("| Automatic fix | mixed |"), "{page}");
    assert!(page.contains("`--unsafe-fixes`"), "{page}");
    assert!(
        r["docs"]
            .as_str()
            .unwrap()
            .ends_with("/docs/rules/AFK001.md")
    );
}

#[test]
fn docs_page_has_every_section_and_explain_is_the_page() {
    let m = meta(
        "AFK001",
        "privileged-container",
        Severity::Error,
        "pod-security",
    );
    let page = catalogue::render_docs_page(&m);
    assert!(page.starts_with("<!-- Generated from rules/k8s/AFK001.yaml"));
    for needle in [
        "# AFK001: privileged-container",
        "| Severity | error |",
        "| Category | pod-security |",
        "| Pod Security Standards | baseline |",
        "| Security severity | 8.8 |",
        "## Why it matters\n\nBecause it matters.\n\nA second paragraph.",
        "## How to fix\n\nChange `x` to `y`.",
        "| kube-linter | `privileged-container` |",
        "| Checkov | `CKV_K8S_16` |",
        "| hadolint | — |",
        "`# afcheck ignore=AFK001 <reason>`",
        "afcheck.io/ignore: \"AFK001\"",
        "`ignore-check.kube-linter.io/privileged-container`",
        "- <https://kubernetes.io/docs/concepts/security/pod-security-standards/>",
    ] {
        assert!(page.contains(needle), "missing {needle:?} in\n{page}");
    }
    assert!(page.ends_with(">\n"));
    assert!(!page.ends_with("\n\n"));
    let explained = catalogue::explain(&m);
    assert!(explained.starts_with("# AFK001: privileged-container\n"));
    assert_eq!(catalogue::generated_marker(&m) + &explained, page);
}

#[test]
fn index_groups_rules_by_domain_and_generate_lists_every_page() {
    let metas = vec![
        meta(
            "AFD001",
            "image-tag-latest",
            Severity::Warning,
            "supply-chain",
        ),
        meta(
            "AFK001",
            "privileged-container",
            Severity::Error,
            "pod-security",
        ),
    ];
    let idx = catalogue::render_index(&metas);
    let d = idx.find("## Dockerfile (AFD)").unwrap();
    let k = idx.find("## Kubernetes (AFK)").unwrap();
    assert!(d < k);
    assert!(idx.contains("| [AFD001](AFD001.md) | image-tag-latest | warning | — | supply-chain | Finds the thing that matters. |"));
    let root = std::path::Path::new("/repo");
    let files = catalogue::generate_docs_for(root, &metas);
    let paths: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "/repo/docs/rules/README.md",
            "/repo/docs/rules/AFD001.md",
            "/repo/docs/rules/AFK001.md"
        ]
    );
}

#[test]
fn secrets_in_examples_are_masked() {
    use afcheck::source::Span;
    let text = "token: ghp_Zq8XwV3nT6yB1mK4pL7sD9fH2jR5cA0eG3uI\npassword: hunter2\n";
    let tok = text.find("ghp_").unwrap();
    let pw = text.find("hunter2").unwrap();
    let spans = vec![
        Span::new(pw, pw + 7),
        Span::new(tok, tok + 40),
        // Overlapping the token: merged.
        Span::new(tok + 10, tok + 20),
    ];
    let out = catalogue::mask_spans(text, spans);
    assert_eq!(out, "token: ghp_****\npassword: ****\n");
    assert_eq!(catalogue::mask_spans("abc", vec![]), "abc");
    // Out-of-range spans do not panic.
    let _ = catalogue::mask_spans("é", vec![Span::new(1, 9)]);
}
