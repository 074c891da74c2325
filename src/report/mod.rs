//! Reporters, one per output format, over a run's sorted findings.
//!
//! Every reporter reads [`engine::Run`] as it is: findings are already
//! sorted, filtered and carry their final severity. Positions are computed
//! from each file's [`crate::source::LineIndex`] (built once when the file
//! was read), so a report costs one binary search per position.
//!
//! Secrets: messages are secret-free by contract, but every reporter also
//! passes its text through [`redact::scrub`], which replaces any literal
//! occurrence of a value under one of the finding's secret spans, and the
//! terminal reporter masks those spans in its source snippets.

pub mod catalogue;
pub mod compact;
pub mod github;
pub mod json;
pub mod redact;
pub mod sarif;
pub mod terminal;

use std::borrow::Cow;
use std::io;

use crate::engine::Run;
use crate::finding::{Finding, Severity};
use crate::rules::meta::{self, Meta};
use crate::source::{SourceFile, Span};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Graphical report with source snippets (miette), for people.
    Terminal,
    /// `path:line:col: severity: message [ID]`, one line per finding.
    Compact,
    /// Versioned JSON document (see `docs/output-formats.md`).
    Json,
    /// SARIF 2.1.0 log.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Terminal,
        Format::Compact,
        Format::Json,
        Format::Sarif,
        Format::Github,
    ];

    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "terminal" | "pretty" | "human" => Some(Format::Terminal),
            "compact" | "text" => Some(Format::Compact),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            "github" | "github-actions" => Some(Format::Github),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Terminal => "terminal",
            Format::Compact => "compact",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
        }
    }
}

/// Options shared by the reporters. The CLI decides `color` (TTY,
/// `NO_COLOR`, `--no-color`).
#[derive(Clone, Debug)]
pub struct ReportOptions<'a> {
    /// ANSI colours in the terminal report.
    pub color: bool,
    /// Terminal report: findings only, no summary line and no "no problems"
    /// message. Other formats are unaffected.
    pub quiet: bool,
    /// The afcheck version written into JSON and SARIF.
    pub version: &'a str,
    /// Terminal width for wrapping the terminal report.
    pub width: usize,
    /// SARIF `automationDetails.id` (`category/run-id`; GitHub code scanning
    /// uses the part before the last `/` as the analysis category).
    pub automation_id: &'a str,
    /// SARIF `originalUriBaseIds["%SRCROOT%"].uri`: an absolute `file://` URI
    /// of the scan root ending in `/`, if the caller wants to record it.
    /// Left out by default so output does not depend on the machine.
    pub src_root_uri: Option<&'a str>,
}

impl Default for ReportOptions<'_> {
    fn default() -> Self {
        ReportOptions {
            color: false,
            quiet: false,
            version: env!("CARGO_PKG_VERSION"),
            width: 100,
            automation_id: "afcheck/",
            src_root_uri: None,
        }
    }
}

/// Writes `run` in `format`.
pub fn write(
    run: &Run,
    format: Format,
    opts: &ReportOptions<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match format {
        Format::Terminal => terminal::write(run, opts, out),
        Format::Compact => compact::write(run, out),
        Format::Json => json::write(run, opts, out),
        Format::Sarif => sarif::write(run, opts, out),
        Format::Github => github::write(run, out),
    }
}

/// Writes `run` into a string (tests, `--output` buffering).
pub fn to_string(run: &Run, format: Format, opts: &ReportOptions<'_>) -> String {
    let mut buf = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write(run, format, opts, &mut buf);
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub note: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            match f.severity {
                Severity::Error => c.error += 1,
                Severity::Warning => c.warning += 1,
                Severity::Note => c.note += 1,
            }
        }
        c
    }
    pub fn total(self) -> usize {
        self.error + self.warning + self.note
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One summary line: `3 errors, 1 warning, 0 notes in 12 files` or
/// `no problems found in 12 files`. The terminal report ends with it; the
/// CLI may print it on standard error for the other formats.
pub fn summary_line(run: &Run) -> String {
    let c = Counts::of(&run.findings);
    let files = plural(run.files.len(), "file", "files");
    let line = if c.total() == 0 {
        format!("no problems found in {files} scanned")
    } else {
        format!(
            "{}, {}, {} in {files} scanned",
            plural(c.error, "error", "errors"),
            plural(c.warning, "warning", "warnings"),
            plural(c.note, "note", "notes"),
        )
    };
    match &run.airflow_assumed {
        Some(note) => format!("{line}\n{note}"),
        None => line,
    }
}

/// A 1-based region: start inclusive, end exclusive (the position just after
/// the last character), columns in Unicode code points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// The region of `span` in `file`. A non-empty span that ends just after a
/// line break ends at the end of the previous line instead of at column 1 of
/// the next.
pub fn region(file: &SourceFile, span: Span) -> Region {
    let s = file.position(span.start());
    let mut e = file.position(span.end());
    if !span.is_empty() && e.column == 1 && e.line > s.line {
        let prev = file.lines.line_span(&file.text, e.line as usize - 2);
        e = file.position(prev.end());
        if e.line == s.line && e.column < s.column {
            e = s;
        }
    }
    Region {
        start_line: s.line,
        start_column: s.column,
        end_line: e.line,
        end_column: e.column,
    }
}

/// Path of a finding's file as reported; `<unknown>` if the index is bad.
pub(crate) fn path_of(run: &Run, file: u32) -> &str {
    run.files
        .get(file as usize)
        .map(|f| f.file.path.as_str())
        .unwrap_or("<unknown>")
}

pub(crate) fn source_of(run: &Run, file: u32) -> Option<&SourceFile> {
    run.files.get(file as usize).map(|f| &f.file)
}

/// The secret values a finding marks, as text of its file.
pub(crate) fn secret_values<'r>(run: &'r Run, f: &Finding) -> Vec<&'r str> {
    match source_of(run, f.file) {
        Some(src) => f
            .secrets
            .iter()
            .map(|s| src.slice(*s))
            .filter(|v| !v.is_empty())
            .collect(),
        None => Vec::new(),
    }
}

/// Text of a finding ready for output: any literal secret value removed.
pub(crate) fn scrubbed<'t>(text: &'t str, secrets: &[&str]) -> Cow<'t, str> {
    redact::scrub(text, secrets)
}

/// The rule's metadata, if any.
pub(crate) fn meta_of(id: &str) -> Option<&'static Meta> {
    meta::get(id)
}

/// The rule's slug name, or its ID when it has no metadata.
pub(crate) fn rule_name(id: &str) -> &str {
    meta_of(id).map(|m| m.name.as_str()).unwrap_or(id)
}

/// `ID name`, or just the ID for a rule without metadata.
pub(crate) fn title(id: &str) -> String {
    match meta_of(id) {
        Some(m) => format!("{id} {}", m.name),
        None => id.to_string(),
    }
}

/// The finding's fix hint, falling back to the rule's `fix` text.
pub(crate) fn fix_of(f: &Finding) -> Option<&str> {
    f.fix
        .as_deref()
        .or_else(|| meta_of(f.rule).map(|m| m.fix.as_str()))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The docs link of a rule.
pub fn docs_url(id: &str) -> String {
    match meta_of(id) {
        Some(m) => m.help_uri(),
        None => format!("{}/blob/main/docs/rules/{id}.md", crate::REPO_URL),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_of_span_ending_at_line_break() {
        let f = SourceFile::new("a", "ab\ncd\n");
        // "ab\n": ends at the end of line 1, not at 2:1.
        let r = region(&f, Span::new(0, 3));
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (1, 1, 1, 3)
        );
        let r = region(&f, Span::new(3, 5));
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (2, 1, 2, 3)
        );
        let r = region(&f, Span::empty(4));
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (2, 2, 2, 2)
        );
    }

    #[test]
    fn formats_parse() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()), Some(f));
        }
        assert_eq!(Format::parse("xml"), None);
    }
}
