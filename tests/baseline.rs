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
}

#[test]
fn fingerprints_hold_no_bit_of_a_secret() {
    // A fingerprint that changed with the secret would let anyone test
    // guesses of it offline: the secret is a placeholder in what is hashed,
    // so rotating (changing) it keeps the finding baselined.
    let before = check("k8s/app.yaml", BASE);
    let new_password = BASE.replace("hunter2-very-secret", "another-very-secret");
    let after = check("k8s/app.yaml", &new_password);
    assert_eq!(
        baseline::fingerprints(&before),
        baseline::fingerprints(&after)
    );
    assert!(filtered(&before, after).is_empty());
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

/// End to end through the real engine and the `afcheck` binary, with a rule
/// that exists on every build (AFY002 duplicate-key).
mod end_to_end {
    use std::path::Path;
    use std::process::Command;

    const DOC: &str =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: \"1\"\n  a: \"2\"\n";

    fn afcheck(dir: &Path, args: &[&str]) -> (i32, String) {
        let o = Command::new(env!("CARGO_BIN_EXE_afcheck"))
            .current_dir(dir)
            .args(["--no-config", "--format", "compact", "--fail-on", "note"])
            .args(args)
            .output()
            .unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    }

    #[test]
    fn write_then_filter_with_the_cli() {
        let dir = std::env::temp_dir().join(format!("afcheck-bl-e2e-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("cm.yaml"), DOC).unwrap();
        let (code, out) = afcheck(&dir, &["."]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("cm.yaml:7:3:"), "{out}");

        let (code, _) = afcheck(&dir, &["--write-baseline", "bl.json", "."]);
        assert_eq!(code, 0);
        let bl = std::fs::read_to_string(dir.join("bl.json")).unwrap();
        assert!(bl.contains("\"rule\": \"AFY002\""), "{bl}");

        // Nothing new: exit 0, no output.
        let (code, out) = afcheck(&dir, &["--baseline", "bl.json", "."]);
        assert_eq!((code, out.as_str()), (0, ""));

        // Lines inserted above: still baselined.
        let shifted = format!(
            "# header\n# more\n{}",
            DOC.replace("data:\n", "data:\n  z: \"0\"\n")
        );
        std::fs::write(dir.join("cm.yaml"), &shifted).unwrap();
        let (code, out) = afcheck(&dir, &["--baseline", "bl.json", "."]);
        assert_eq!(
            (code, out.as_str()),
            (0, ""),
            "shifted lines resurfaced a finding"
        );

        // A new duplicate key: only it is reported.
        let more = format!("{shifted}  b: \"1\"\n  b: \"2\"\n");
        std::fs::write(dir.join("cm.yaml"), &more).unwrap();
        let (code, out) = afcheck(&dir, &["--baseline", "bl.json", "."]);
        assert_eq!(code, 1);
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(out.contains("duplicate key `b`"), "{out}");

        // An unreadable baseline is a usage error.
        std::fs::write(dir.join("bad.json"), "{").unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_afcheck"))
            .current_dir(&dir)
            .args(["--no-config", "--baseline", "bad.json", "."])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(String::from_utf8_lossy(&o.stderr).contains("invalid baseline"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
