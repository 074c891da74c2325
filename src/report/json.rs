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
    /// Findings `--fix` would fix (left out when none).
    #[serde(skip_serializing_if = "is_zero")]
    fixable: usize,
    /// Findings only `--fix --unsafe-fixes` would fix (left out when none).
    #[serde(rename = "fixableUnsafe", skip_serializing_if = "is_zero")]
    fixable_unsafe: usize,
    /// Findings `--fix` fixed (only in a run with `--fix`).
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<usize>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A finding's automatic fix: its edits, in order, each replacing the text
/// from `start` to `end` by `content`.
#[derive(Serialize)]
struct Autofix<'a> {
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
    /// The edits would write a secret or a hidden character: not shown.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    withheld: bool,
}

#[derive(Serialize)]
struct EditPos {
    line: u32,
    column: u32,
    offset: usize,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: EditPos,
    end: EditPos,
    content: &'a str,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    autofix: Option<Autofix<'a>>,
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
    let fixable = super::fixes::Fixable::of(run);
    let clean = super::Cleaner::new(run);
    let mut fps = crate::fingerprint::Fingerprinter::default();
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
            fixable: fixable.safe,
            fixable_unsafe: fixable.unsafe_only,
            fixed: opts.fixed.map(|f| f.fixed),
        },
        findings: Vec::new(),
    };
    let items = run.findings.iter().filter_map(|f| {
        let src = super::source_of(run, f.file);
        let fingerprint = fps.next(src.as_deref(), f, &clean.redactor);
        let src = src?;
        let src = &*src;
        let r = super::region(src, f.span);
        let meta = super::meta_of(f.rule);
        let related = f
            .related
            .iter()
            .filter_map(|rel| {
                let rsrc = super::source_of(run, rel.file)?;
                let rsrc = &*rsrc;
                let rr = super::region(rsrc, rel.span);
                Some(JsonRelated {
                    path: super::path_of(run, rel.file),
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
            path: super::path_of(run, f.file),
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
            autofix: f.fix.as_ref().filter(|x| !x.edits.is_empty()).map(|x| {
                let placed = super::fixes::placed(f, src, &clean);
                Autofix {
                    applicability: x.applicability.as_str(),
                    withheld: placed.is_none(),
                    edits: placed
                        .unwrap_or_default()
                        .into_iter()
                        .map(|p| JsonEdit {
                            start: EditPos {
                                line: p.start.line,
                                column: p.start.column,
                                offset: p.start_offset,
                            },
                            end: EditPos {
                                line: p.end.line,
                                column: p.end.column,
                                offset: p.end_offset,
                            },
                            content: p.content,
                        })
                        .collect(),
                }
            }),
            docs: super::docs_url(f.rule),
            fingerprint,
        })
    });
    let mut w = io::BufWriter::new(out);
    super::write_streamed(&mut w, &report, "findings", 2, items)?;
    io::Write::write_all(&mut w, b"\n")?;
    io::Write::flush(&mut w)
}
