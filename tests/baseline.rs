//! Baselines: record, reload, filter; stable across line shifts.

mod report_support;

use afcheck::baseline;
use afcheck::engine::Run;
use afcheck::finding::{Finding, Severity};
use afcheck::source::Span;
use report_support::*;

/// A stand-in rule: every `image: ...:latest` line of a manifest, with the
/// password value (if any) as a secret.
fn check(path: &str, text: &str) -> Run {
    let mut findings: Vec<Finding> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed.contains("image: ") && trimmed.ends_with(":latest") {
            let start = at + line.find("image:").unwrap();
            findings.push(finding(
                "AFK040",
                Severity::Warning,
                0,
                Span::new(start, at + trimmed.len()),
                "latest tag",
            ));
        }
        if let Some(i) = line.find("password: ") {
            let v = Span::new(at + i + 10, at + trimmed.len());
            findings
                .push(finding("AFS005", Severity::Error, 0, v, "literal password").with_secret(v));
        }
        if trimmed.trim_start().starts_with("hostNetwork: true") {
            // An empty span, as rules use for "missing" things.
            findings.push(finding(
                "AFK041",
                Severity::Error,
                0,
                Span::empty(at + 2),
                "host network",
            ));
        }
        at += line.len();
    }
    run(vec![file(path, text)], findings)
}

const BASE: &str = "spec:\n  containers:\n    - image: nginx:latest\n    - image: redis:7\n  hostNetwork: true\nenv:\n  password: hunter2-very-secret\n";

fn filtered(baseline_of: &Run, mut now: Run) -> Vec<String> {
    let b = baseline::parse("b.json", &baseline::to_string(baseline_of)).unwrap();
    baseline::filter(&mut now, &b);
    now.findings.iter().map(|f| f.rule.to_string()).collect()
}

#[test]
fn everything_baselined_is_suppressed() {
    let before = check("k8s/app.yaml", BASE);
    assert_eq!(before.findings.len(), 3);
    assert!(filtered(&before, check("k8s/app.yaml", BASE)).is_empty());
}

#[test]
fn inserted_lines_above_do_not_resurface_findings() {
    let before = check("k8s/app.yaml", BASE);
    let shifted = format!(
        "# a comment\n# another\n\n{}",
        BASE.replace("spec:\n", "spec:\n  replicas: 2\n")
    );
    let after = check("k8s/app.yaml", &shifted);
    assert_eq!(after.findings.len(), 3);
    // Lines moved...
    assert_ne!(after.findings[0].span, before.findings[0].span);
    // ...but nothing is new.
    assert!(filtered(&before, after).is_empty());
}

#[test]
fn changing_the_offending_value_reports_it() {
    let before = check("k8s/app.yaml", BASE);
    let changed = BASE.replace("nginx:latest", "httpd:latest");
    assert_eq!(
        filtered(&before, check("k8s/app.yaml", &changed)),
        ["AFK040"]
    );
    let new_password = BASE.replace("hunter2-very-secret", "another-very-secret");
    assert_eq!(
        filtered(&before, check("k8s/app.yaml", &new_password)),
        ["AFS005"]
    );
}

#[test]
fn a_new_identical_finding_is_reported_once() {
    let two = "a:\n  - image: nginx:latest\n  - image: nginx:latest\n";
    let three = "a:\n  - image: nginx:latest\n  - image: nginx:latest\n  - image: nginx:latest\n";
    let before = check("x.yaml", two);
    assert_eq!(filtered(&before, check("x.yaml", three)), ["AFK040"]);
    assert!(filtered(&before, check("x.yaml", two)).is_empty());
}

#[test]
fn same_content_in_another_file_is_new() {
    let before = check("a.yaml", BASE);
    assert_eq!(filtered(&before, check("b.yaml", BASE)).len(), 3);
}

#[test]
fn rule_fingerprint_hints_are_used() {
    let text = "x: 1\ny: 2\n";
    let mk = |span: Span| {
        run(
            vec![file("f.yaml", text)],
            vec![
                finding("AFK042", Severity::Note, 0, span, "m")
                    .with_fingerprint("spec.containers[app].image"),
            ],
        )
    };
    // Different spans (and texts), same hint: the same finding.
    assert!(filtered(&mk(Span::new(0, 4)), mk(Span::new(5, 9))).is_empty());
}

#[test]
fn write_load_round_trip_and_stale_entries_are_dropped() {
    let dir = std::env::temp_dir().join(format!("afcheck-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("afcheck-baseline.json");
    let before = check("k8s/app.yaml", BASE);
    baseline::write(&path, &before).unwrap();
    let loaded = baseline::load(&path).unwrap();
    assert_eq!(loaded.len(), 3);
    let text = std::fs::read_to_string(&path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"], "afcheck");
    let entries = v["findings"].as_array().unwrap();
    let keys: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "entries are sorted");
    assert!(
        !text.contains("hunter2"),
        "no secret in the baseline:\n{text}"
    );
    assert!(
        !text.contains("\"line\""),
        "no line numbers in the baseline"
    );

    // The image is fixed: the next write drops its entry.
    let fixed = check("k8s/app.yaml", &BASE.replace("nginx:latest", "nginx:1.27"));
    assert!(
        filtered(
            &before,
            check("k8s/app.yaml", &BASE.replace("nginx:latest", "nginx:1.27"))
        )
        .is_empty()
    );
    baseline::write(&path, &fixed).unwrap();
    let reloaded = baseline::load(&path).unwrap();
    assert_eq!(reloaded.len(), 2);
    assert!(reloaded.entries.iter().all(|e| e.rule != "AFK040"));

    // Writing twice gives the same bytes.
    baseline::write(&path, &fixed).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        baseline::to_string(&fixed)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn load_reports_missing_and_invalid_files() {
    let err =
        baseline::load(std::path::Path::new("/nonexistent/afcheck-baseline.json")).unwrap_err();
    assert!(err.to_string().contains("cannot read baseline"), "{err}");
    let err = baseline::parse("b.json", "{\"version\": 1}").unwrap_err();
    assert!(
        err.to_string().starts_with("invalid baseline b.json"),
        "{err}"
    );
}

#[test]
fn fingerprints_are_stable_values() {
    // A fingerprint is a pure function of rule, path, content and
    // occurrence: pin one so a change of scheme is a conscious decision.
    let r = check("k8s/app.yaml", BASE);
    let fps = baseline::fingerprints(&r);
    assert_eq!(fps.len(), 3);
    assert!(
        fps.iter()
            .all(|f| f.len() == 32 && f.chars().all(|c| c.is_ascii_hexdigit()))
    );
    let again = baseline::fingerprints(&check("k8s/app.yaml", &format!("\n\n{BASE}")));
    assert_eq!(fps, again);
    assert_eq!(fps[0], "47fe098c439f85aadf0bb301cbecb3bb");
}
