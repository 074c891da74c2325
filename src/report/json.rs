//! The JSON report: one document, schema version 1 (documented in
//! `docs/output-formats.md`). Fields are only ever added within a version.

use std::io;

use serde::Serialize;

use crate::engine::Run;

/// Version of the JSON report schema.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool<'a>,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
    #[serde(rename = "informationUri")]
    information_uri: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    error: usize,
    warning: usize,
    note: usize,
    /// What afcheck assumed where no file said (the Airflow version).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    assumed: Vec<String>,
}

#[derive(Serialize)]
struct Pos {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    name: &'a str,
    severity: &'static str,
    category: &'a str,
    message: String,
    path: &'a str,
    start: Pos,
    end: Pos,
    related: Vec<JsonRelated<'a>>,
    fix: Option<String>,
    docs: String,
    fingerprint: String,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    start: Pos,
    end: Pos,
    message: String,
}

pub fn write(
    run: &Run,
    opts: &super::ReportOptions<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let counts = super::Counts::of(&run.findings);
    let clean = super::Cleaner::new(run);
    let fps = crate::baseline::fingerprints_with(run, &clean.redactor);
    let report = Report {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "afcheck",
            version: opts.version,
            information_uri: crate::REPO_URL,
        },
        summary: Summary {
            files: run.files.len(),
            findings: counts.total(),
            error: counts.error,
            warning: counts.warning,
            note: counts.note,
            assumed: run
                .airflow_assumed
                .iter()
                .map(|n| super::escape::visible(n, true).into_owned())
                .collect(),
        },
        findings: Vec::new(),
    };
    let items = run.findings.iter().zip(fps).filter_map(|(f, fingerprint)| {
        let src = super::source_of(run, f.file)?;
        let r = super::region(src, f.span);
        let meta = super::meta_of(f.rule);
        let related = f
            .related
            .iter()
            .filter_map(|rel| {
                let rsrc = super::source_of(run, rel.file)?;
                let rr = super::region(rsrc, rel.span);
                Some(JsonRelated {
                    path: &rsrc.path,
                    start: Pos {
                        line: rr.start_line,
                        column: rr.start_column,
                    },
                    end: Pos {
                        line: rr.end_line,
                        column: rr.end_column,
                    },
                    message: clean.text_in(f.file, &rel.message),
                })
            })
            .collect();
        Some(JsonFinding {
            rule: f.rule,
            name: super::rule_name(f.rule),
            severity: f.severity.as_str(),
            category: meta.map(|m| m.category.as_str()).unwrap_or(""),
            message: clean.text_in(f.file, &f.message),
            path: &src.path,
            start: Pos {
                line: r.start_line,
                column: r.start_column,
            },
            end: Pos {
                line: r.end_line,
                column: r.end_column,
            },
            related,
            fix: super::fix_of(f).map(|s| clean.text_in(f.file, s)),
            docs: super::docs_url(f.rule),
            fingerprint,
        })
    });
    let mut w = io::BufWriter::new(out);
    super::write_streamed(&mut w, &report, "findings", 2, items)?;
    io::Write::write_all(&mut w, b"\n")?;
    io::Write::flush(&mut w)
}
