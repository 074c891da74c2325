//! Reporters, one per output format, over a run's sorted findings.
//!
//! Every reporter reads [`engine::Run`] as it is: findings are already
//! sorted, filtered and carry their final severity. Positions are computed
//! from each file's [`crate::source::LineIndex`] (built once when the file
//! was read), so a report costs one binary search per position.
//!
//! Every string a reporter writes goes through one [`Cleaner`]: secrets
//! masked by the run's [`redact::Redactor`] (every secret any rule or
//! sensitive position marks in any file, not only the finding's own),
//! hidden characters made visible ([`escape`]) and lengths bounded. File
//! names in line-oriented human formats go through [`escape::path`].
//! [`limit`] caps the findings per rule per file and per file, with one
//! summary finding per rule saying how many more there were.

pub mod catalogue;
pub mod compact;
pub mod escape;
pub mod fixes;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod redact;
pub mod sarif;
pub mod statistics;
pub mod terminal;

use std::io;

use crate::engine::Run;
use crate::finding::{Finding, Severity};
use crate::meta::{self, Meta};
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
    /// JUnit XML (test reports in GitLab, Jenkins, Azure DevOps).
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Terminal,
        Format::Compact,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::Gitlab,
    ];

    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "terminal" | "pretty" | "human" => Some(Format::Terminal),
            "compact" | "text" => Some(Format::Compact),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            "github" | "github-actions" => Some(Format::Github),
            "junit" => Some(Format::Junit),
            "gitlab" | "codequality" | "code-quality" => Some(Format::Gitlab),
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
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
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
    /// What `--fix` did, for the summary (`None` when it did not run).
    pub fixed: Option<fixes::FixReport>,
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
            fixed: None,
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
        Format::Junit => junit::write(run, out),
        Format::Gitlab => gitlab::write(run, out),
    }
}

/// Writes `run` into a string (tests, `--output` buffering).
pub fn to_string(run: &Run, format: Format, opts: &ReportOptions<'_>) -> String {
    let mut buf = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write(run, format, opts, &mut buf);
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Writes `doc` as pretty JSON, with the empty array under `key` (a key
/// whose value is `[]`, at `indent` spaces) filled by `items` serialised
/// one at a time: a report never holds every serialised result at once,
/// and the bytes are those `serde_json::to_writer_pretty` would write for
/// the whole document.
pub(crate) fn write_streamed<T, I, It>(
    w: &mut dyn io::Write,
    doc: &T,
    key: &str,
    indent: usize,
    items: It,
) -> io::Result<()>
where
    T: serde::Serialize,
    I: serde::Serialize,
    It: IntoIterator<Item = I>,
{
    let head = serde_json::to_string_pretty(doc).map_err(io::Error::other)?;
    let marker = format!("\"{key}\": []");
    let Some(at) = head.find(&marker) else {
        return Err(io::Error::other(format!(
            "no `{key}` array in the document"
        )));
    };
    let open = at + marker.len() - 1;
    w.write_all(&head.as_bytes()[..open])?;
    let pad = " ".repeat(indent + 2);
    let mut nl = String::from("\n");
    nl.push_str(&pad);
    let mut any = false;
    let mut buf = Vec::new();
    for item in items {
        buf.clear();
        serde_json::to_writer_pretty(&mut buf, &item).map_err(io::Error::other)?;
        w.write_all(if any { b",\n" } else { b"\n" })?;
        w.write_all(pad.as_bytes())?;
        // Strings never hold a raw line break, so every one is structure.
        for (i, line) in buf.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                w.write_all(nl.as_bytes())?;
            }
            w.write_all(line)?;
        }
        any = true;
    }
    if any {
        w.write_all(b"\n")?;
        w.write_all(" ".repeat(indent).as_bytes())?;
    }
    w.write_all(&head.as_bytes()[open..])?;
    Ok(())
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
    summary_line_with(run, None)
}

/// [`summary_line`], followed by what `--fix` did (`fixed`) or could do.
pub fn summary_line_with(run: &Run, fixed: Option<fixes::FixReport>) -> String {
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
    let line = match fixes::summary(run, fixed) {
        Some(f) => format!("{line}\n{f}"),
        None => line,
    };
    match &run.airflow_assumed {
        // The note names files and image tags: hidden characters visible.
        Some(note) => format!("{line}\n{}", escape::visible(note, true)),
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

/// The file with its text, for a reporter ([`Run::source`]: decompressed
/// again, the last few cached).
pub(crate) fn source_of(run: &Run, file: u32) -> Option<std::sync::Arc<SourceFile>> {
    run.source(file)
}

/// The fingerprint of every finding of the run, in the order of
/// `run.findings` ([`crate::fingerprint`]), with the run's redactor.
pub fn fingerprints(run: &Run, red: &redact::Redactor) -> Vec<String> {
    crate::fingerprint::fingerprints(&run.findings, |i| source_of(run, i), red)
}

/// Longest message, fix hint or related message written (bytes); longer
/// ones (a rule quoting a huge line) are cut and end with `…`.
pub const MAX_TEXT: usize = 4096;

/// Cleans every text of one output (see the module docs).
pub struct Cleaner {
    pub redactor: redact::Redactor,
}

impl Cleaner {
    pub fn new(run: &Run) -> Cleaner {
        Cleaner {
            redactor: redact::Redactor::new(run),
        }
    }

    /// A message, fix hint or related message: secrets masked, hidden
    /// characters visible (line breaks kept), at most [`MAX_TEXT`] bytes.
    pub fn text(&self, s: &str) -> String {
        self.text_about(None, s)
    }

    /// [`Self::text`] for a text of a finding in `file` (also masks values
    /// that only their key in that file marks as secret).
    pub fn text_in(&self, file: u32, s: &str) -> String {
        self.text_about(Some(file), s)
    }

    fn text_about(&self, file: Option<u32>, s: &str) -> String {
        let red = self.redactor.text_in(file, s);
        let vis = escape::visible(&red, true);
        escape::clamp(vis, MAX_TEXT).into_owned()
    }
}

/// Default cap on the findings of one rule in one file.
pub const MAX_PER_RULE_PER_FILE: usize = 100;
/// Default cap on the findings of one file.
pub const MAX_PER_FILE: usize = 1000;

/// Caps the findings of each rule in each file at `per_rule` and of each
/// file at `per_file` (in report order, so the first ones are kept). For
/// each rule with dropped findings in a file, one summary finding of that
/// rule, at the first dropped finding and with the highest severity among
/// the dropped ones, says how many more there were, so a `--fail-on` gate
/// gives the same verdict. Returns how many findings were dropped.
/// `run.findings` must be sorted (as the engine leaves them).
pub fn limit(run: &mut Run, per_rule: usize, per_file: usize) -> usize {
    use std::collections::HashMap;
    let per_rule = per_rule.max(1);
    let per_file = per_file.max(1);
    let mut by_rule: HashMap<(u32, &'static str), usize> = HashMap::new();
    let mut by_file: HashMap<u32, usize> = HashMap::new();
    // (file, rule) -> (count, max severity, first dropped)
    let mut dropped: HashMap<(u32, &'static str), (usize, Severity, Finding)> = HashMap::new();
    let mut total = 0;
    // In place: a big run's findings are not copied.
    run.findings.retain(|f| {
        let r = by_rule.entry((f.file, f.rule)).or_insert(0);
        let n = by_file.entry(f.file).or_insert(0);
        if *r < per_rule && *n < per_file {
            *r += 1;
            *n += 1;
            return true;
        }
        total += 1;
        let e = dropped
            .entry((f.file, f.rule))
            .or_insert_with(|| (0, f.severity, f.clone()));
        // The engine's count of the findings beyond its cap stands for
        // them.
        e.0 += (f.more as usize).max(1);
        e.1 = e.1.max(f.severity);
        false
    });
    for ((_, rule), (n, sev, first)) in dropped {
        let mut s = Finding::of(
            rule,
            first.span,
            format!(
                "{} more {rule} {} in this file not shown (afcheck reports at most {per_rule} findings per rule and {per_file} per file)",
                n,
                if n == 1 { "finding" } else { "findings" },
            ),
        )
        .with_severity(sev)
        .in_file(first.file);
        s.help = Some(
            "Fix the findings shown and run afcheck again: the next ones are reported as these go."
                .to_string(),
        );
        s.more = u32::try_from(n).unwrap_or(u32::MAX);
        run.findings.push(s);
    }
    if total > 0 {
        crate::engine::sort(&run.files, &mut run.findings);
    }
    total
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
    f.help
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
