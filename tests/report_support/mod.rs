//! Builds runs by hand for the reporter tests (no parser needed).
#![allow(dead_code)]

use afcheck::document::FileSummary;
use afcheck::engine::Run;
use afcheck::finding::{Finding, Severity};
use afcheck::source::{SourceFile, Span};

pub fn file(path: &str, text: &str) -> FileSummary {
    FileSummary::bare(SourceFile::new(path, text))
}

pub fn run(files: Vec<FileSummary>, findings: Vec<Finding>) -> Run {
    let mut run = Run::new(files, findings, None);
    afcheck::engine::sort(&run.files, &mut run.findings);
    run
}

/// Span of the `nth` (0-based) occurrence of `needle` in `text`.
pub fn span_of(text: &str, needle: &str, nth: usize) -> Span {
    let mut from = 0;
    let mut found = None;
    for _ in 0..=nth {
        let i = text[from..].find(needle).expect("needle") + from;
        found = Some(i);
        from = i + needle.len();
    }
    let i = found.expect("needle");
    Span::new(i, i + needle.len())
}

pub fn finding(rule: &'static str, sev: Severity, file: u32, span: Span, msg: &str) -> Finding {
    Finding::of(rule, span, msg)
        .with_severity(sev)
        .in_file(file)
}

pub const DOCKERFILE: &str = "FROM python:latest\nRUN pip install flask\nUSER root\n";
pub const MANIFEST: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        privileged: true\n";

/// A run with a few findings in two files, one with a related span and a
/// message with a line break, one note.
pub fn sample() -> Run {
    let files = vec![
        file("Dockerfile", DOCKERFILE),
        file("k8s/pod é.yaml", MANIFEST),
    ];
    let findings = vec![
        finding(
            "AFD001",
            Severity::Warning,
            0,
            span_of(DOCKERFILE, "python:latest", 0),
            "image `python:latest` uses the `latest` tag\nso builds are not reproducible",
        )
        .with_help("Pin the image to a version tag or digest."),
        finding(
            "AFD002",
            Severity::Error,
            0,
            span_of(DOCKERFILE, "USER root", 0),
            "last USER is root, 100% bad, a:b",
        ),
        finding(
            "AFK001",
            Severity::Error,
            1,
            span_of(MANIFEST, "privileged: true", 0),
            "container `app` is privileged",
        )
        .with_related(
            1,
            span_of(MANIFEST, "name: app", 0),
            "container defined here",
        ),
        finding(
            "AFY004",
            Severity::Note,
            1,
            Span::empty(0),
            "note at the start",
        ),
    ];
    run(files, findings)
}
