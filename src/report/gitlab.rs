//! GitLab Code Quality (`artifacts:reports:codequality`): a JSON array of
//! issues with `description`, `check_name`, `fingerprint`, `severity` and
//! `location` (`path`, `lines.begin`), plus `categories`, `content` and
//! `location.positions` (line and column). Severities: error → `critical`,
//! warning → `major`, note → `info`. Fingerprints are the baseline
//! fingerprints (unique within a report, stable across runs). Messages go
//! through the same redaction as the JSON report.

use std::io;

use serde::Serialize;

use crate::engine::Run;
use crate::finding::Severity;

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: String,
    content: Content,
    categories: Vec<&'static str>,
    severity: &'static str,
    fingerprint: String,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
    positions: Positions,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

#[derive(Serialize)]
struct Positions {
    begin: LineColumn,
    end: LineColumn,
}

#[derive(Serialize)]
struct LineColumn {
    line: u32,
    column: u32,
}

/// GitLab's severity for an afcheck severity.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Note => "info",
    }
}

pub fn write(run: &Run, out: &mut dyn io::Write) -> io::Result<()> {
    let clean = super::Cleaner::new(run);
    let mut fps = crate::fingerprint::Fingerprinter::default();
    let mut issues = Vec::with_capacity(run.findings.len());
    for f in &run.findings {
        let src = super::source_of(run, f.file);
        let fingerprint = fps.next(src.as_deref(), f, &clean.redactor);
        let Some(src) = src else {
            continue;
        };
        let src = &*src;
        let r = super::region(src, f.span);
        let msg = clean.text_in(f.file, &f.message);
        let mut body = String::new();
        if let Some(fix) = super::fix_of(f) {
            body.push_str(&clean.text_in(f.file, fix));
            body.push_str("\n\n");
        }
        body.push_str(&format!("See {}", super::docs_url(f.rule)));
        let category = super::meta_of(f.rule).map(|m| m.category.as_str());
        issues.push(Issue {
            kind: "issue",
            check_name: f.rule,
            description: format!(
                "{} [{}]",
                super::compact::one_line(msg.trim()),
                super::title(f.rule)
            ),
            content: Content { body },
            categories: vec![if category == Some("security") {
                "Security"
            } else {
                "Bug Risk"
            }],
            severity: severity(f.severity),
            fingerprint,
            location: Location {
                path: super::path_of(run, f.file),
                lines: Lines {
                    begin: r.start_line,
                    end: r.end_line.max(r.start_line),
                },
                positions: Positions {
                    begin: LineColumn {
                        line: r.start_line,
                        column: r.start_column,
                    },
                    end: LineColumn {
                        line: r.end_line,
                        column: r.end_column,
                    },
                },
            },
        });
    }
    let mut w = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut w, &issues).map_err(io::Error::other)?;
    io::Write::write_all(&mut w, b"\n")?;
    io::Write::flush(&mut w)
}
