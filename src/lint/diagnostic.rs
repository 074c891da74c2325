//! [`Diagnostic`]: one finding as an editor or a test uses it, with
//! positions, help, fix edits and links resolved, and every text cleaned
//! the way the reporters clean it.

use std::path::PathBuf;

use crate::engine::{self, Options, Run, UsageError};
use crate::finding::{Applicability, Finding, Severity};
use crate::report::{self, Cleaner};
use crate::source::{SourceFile, Span};

/// A place in a document: 1-based `line` and `column` (columns count
/// Unicode code points, as every report does) and the byte `offset` into
/// the document's text without a leading BOM (as an editor holds it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
}

impl Location {
    /// The 0-based character of this place within its line, counted in
    /// UTF-16 code units (`utf16`, LSP's default position encoding) or in
    /// bytes (LSP's `utf-8`); `text` is the document's text the offset
    /// indexes.
    pub fn character(&self, text: &str, utf16: bool) -> u32 {
        let at = self.offset.min(text.len());
        let mut at = at;
        while at > 0 && !text.is_char_boundary(at) {
            at -= 1;
        }
        let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let piece = &text[start..at];
        if utf16 {
            piece.encode_utf16().count() as u32
        } else {
            piece.len() as u32
        }
    }
}

/// A half-open range: `end` is the place just after the last character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Range {
    pub start: Location,
    pub end: Location,
}

impl std::fmt::Display for Range {
    /// `line:column-line:column`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}-{}:{}",
            self.start.line, self.start.column, self.end.line, self.end.column
        )
    }
}

/// One replacement: the text in `range` becomes `content` (an insertion
/// has an empty range). New lines in `content` use the document's own line
/// ending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub range: Range,
    pub content: String,
}

/// The edits that fix a diagnostic, applied together or not at all:
/// sorted by position, never overlapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagnosticFix {
    pub applicability: Applicability,
    pub edits: Vec<TextEdit>,
}

/// A secondary place a diagnostic points at (the first occurrence of a
/// duplicate key, the object another file's finding is about).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelatedLocation {
    pub path: String,
    pub range: Range,
    pub message: String,
}

/// One finding of one document.
///
/// `message`, `help` and the related messages went through the same
/// [`Cleaner`] as every report (secret values and pieces of them masked,
/// hidden characters made visible, lengths bounded): no secret leaves
/// through a diagnostic. A fix whose new text would hold a secret is left
/// out, since masking it would break the fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Rule ID, for example `AFK015`.
    pub rule: &'static str,
    /// The rule's name (`run-as-non-root`), or its ID when it has none.
    pub name: &'static str,
    pub severity: Severity,
    /// The document's path as reported.
    pub path: String,
    pub range: Range,
    pub message: String,
    /// How to fix this occurrence: the finding's own hint, else the rule's
    /// `fix` text.
    pub help: Option<String>,
    pub fix: Option<DiagnosticFix>,
    /// The rule's documentation page.
    pub docs_url: String,
    pub related: Vec<RelatedLocation>,
}

fn location(file: &SourceFile, offset: usize) -> Location {
    let p = file.position(offset);
    Location {
        line: p.line,
        column: p.column,
        offset: offset.min(file.text.len()),
    }
}

/// The range of a finding's span, as [`report::region`] shows it: a
/// non-empty span that ends just after a line break ends at the end of
/// the line instead of at column 1 of the next.
fn shown_range(file: &SourceFile, span: Span) -> Range {
    let start = location(file, span.start());
    let mut end = location(file, span.end());
    if !span.is_empty() && end.column == 1 && end.line > start.line {
        let prev = file.lines.line_span(&file.text, end.line as usize - 2);
        end = location(file, prev.end());
        if end.line == start.line && end.column < start.column {
            end = start;
        }
    }
    Range { start, end }
}

/// The exact range of an edit.
fn exact_range(file: &SourceFile, span: Span) -> Range {
    Range {
        start: location(file, span.start()),
        end: location(file, span.end()),
    }
}

/// The fix of `f` in `file`, unless its edits are not sorted, overlap,
/// leave the text or character boundaries, or would write a secret.
fn fix_of(f: &Finding, file: &SourceFile, clean: &Cleaner) -> Option<DiagnosticFix> {
    let fix = f.fix.as_ref()?;
    let text = &file.text;
    let mut at = 0usize;
    for e in &fix.edits {
        let (s, t) = (e.range.start(), e.range.end());
        if s < at || t > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(t) {
            return None;
        }
        if !clean
            .redactor
            .ranges_in(Some(f.file), &e.content)
            .is_empty()
        {
            return None;
        }
        at = t;
    }
    Some(DiagnosticFix {
        applicability: fix.applicability,
        edits: fix
            .edits
            .iter()
            .map(|e| TextEdit {
                range: exact_range(file, e.range),
                content: e.content.clone(),
            })
            .collect(),
    })
}

/// The findings of `run` as diagnostics, in the run's order (path, then
/// position), with the run's secrets masked. The run is taken as it is;
/// [`check_document`] and [`check_project`] also bound the findings per
/// rule and file as the CLI does.
pub fn diagnostics(run: &Run) -> Vec<Diagnostic> {
    let clean = Cleaner::new(run);
    run.findings
        .iter()
        .filter_map(|f| {
            let file = &run.files.get(f.file as usize)?.file;
            let related = f
                .related
                .iter()
                .filter_map(|r| {
                    let rf = &run.files.get(r.file as usize)?.file;
                    Some(RelatedLocation {
                        path: rf.path.clone(),
                        range: shown_range(rf, r.span),
                        message: clean.text_in(f.file, &r.message),
                    })
                })
                .collect();
            Some(Diagnostic {
                rule: f.rule,
                name: report::meta_of(f.rule)
                    .map(|m| m.name.as_str())
                    .unwrap_or(f.rule),
                severity: f.severity,
                path: file.path.clone(),
                range: shown_range(file, f.span),
                message: clean.text_in(f.file, &f.message),
                help: report::fix_of(f).map(|h| clean.text_in(f.file, h)),
                fix: fix_of(f, file, &clean),
                docs_url: report::docs_url(f.rule),
                related,
            })
        })
        .collect()
}

/// Bounds the findings as the CLI does, then converts them.
fn bounded(mut run: Run) -> Vec<Diagnostic> {
    report::limit(
        &mut run,
        report::MAX_PER_RULE_PER_FILE,
        report::MAX_PER_FILE,
    );
    diagnostics(&run)
}

/// Lints one document (an editor's unsaved buffer, a test's text) as the
/// file `path`: its diagnostics, sorted by position.
pub fn check_document(path: &str, text: &str, opts: &Options) -> Vec<Diagnostic> {
    bounded(super::lint_document(path, text, opts))
}

/// Lints documents given as `(path, text)` together, as one project (the
/// project rules see all of them): the diagnostics of every document,
/// sorted by path, then position.
pub fn check_project(documents: &[(String, String)], opts: &Options) -> Vec<Diagnostic> {
    bounded(super::lint_project(documents, opts))
}

/// Lints files and directories on disk as the CLI does (ignore files,
/// links, size limit): the diagnostics of every file found.
pub fn check_paths(paths: &[PathBuf], opts: &Options) -> Result<Vec<Diagnostic>, UsageError> {
    let inputs = engine::discover(paths, opts)?;
    Ok(bounded(engine::run(&inputs, opts)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_match_the_reports() {
        let text = "\u{feff}FROM python:latest\r\nMAINTAINER é <a@b.c>\r\nRUN pip install x\r\n";
        let opts = Options::default();
        let run = super::super::lint_document("Dockerfile", text, &opts);
        let diags = diagnostics(&run);
        assert_eq!(diags.len(), run.findings.len());
        assert!(!diags.is_empty());
        for (d, f) in diags.iter().zip(&run.findings) {
            let r = report::region(run.file(f.file), f.span);
            assert_eq!(
                (d.range.start.line, d.range.start.column),
                (r.start_line, r.start_column)
            );
            assert_eq!(
                (d.range.end.line, d.range.end.column),
                (r.end_line, r.end_column)
            );
            assert_eq!(d.range.start.offset, f.span.start());
            assert_eq!(d.path, "Dockerfile");
            assert!(
                d.docs_url.ends_with(&format!("{}.md", d.rule)),
                "{}",
                d.docs_url
            );
            assert!(d.help.is_some(), "{d:?}");
        }
    }

    #[test]
    fn fix_edits_are_positioned_and_checked() {
        let text = "FROM alpine:3.20\nMAINTAINER é <a@b.c>\n";
        let mut run = super::super::lint_document("Dockerfile", text, &Options::default());
        let f = run
            .findings
            .iter_mut()
            .find(|f| f.rule == "AFD019")
            .expect("AFD019");
        let span = f.span;
        f.fix = Some(crate::finding::Fix {
            edits: vec![crate::finding::Edit::replace(span, "LABEL a=b")],
            applicability: Applicability::Safe,
        });
        let d = diagnostics(&run)
            .into_iter()
            .find(|d| d.rule == "AFD019")
            .unwrap();
        let fix = d.fix.expect("a fix");
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(fix.edits[0].content, "LABEL a=b");
        assert_eq!(fix.edits[0].range.start.offset, span.start());
        assert_eq!(fix.edits[0].range.end.offset, span.end());
        assert_eq!(fix.edits[0].range.start.line, 2);
        // Edits out of order, or outside the text, are not passed on.
        let f = run
            .findings
            .iter_mut()
            .find(|f| f.rule == "AFD019")
            .unwrap();
        f.fix = Some(crate::finding::Fix {
            edits: vec![
                crate::finding::Edit::insert(20, "x"),
                crate::finding::Edit::insert(0, "y"),
            ],
            applicability: Applicability::Safe,
        });
        assert!(diagnostics(&run).iter().all(|d| d.fix.is_none()));
        let f = run
            .findings
            .iter_mut()
            .find(|f| f.rule == "AFD019")
            .unwrap();
        f.fix.as_mut().unwrap().edits = vec![crate::finding::Edit::insert(999, "x")];
        assert!(diagnostics(&run).iter().all(|d| d.fix.is_none()));
    }

    #[test]
    fn characters_for_lsp() {
        let text = "a: é😀x\r\nb: 1\n";
        let at = text.find('x').unwrap();
        let loc = location(&SourceFile::new("f", text), at);
        assert_eq!((loc.line, loc.column), (1, 6));
        assert_eq!(loc.character(text, true), 6);
        assert_eq!(loc.character(text, false), 9);
        let at = text.find('1').unwrap();
        let loc = location(&SourceFile::new("f", text), at);
        assert_eq!(loc.character(text, true), 3);
    }

    #[test]
    fn no_secret_leaves_through_a_diagnostic() {
        let secret = "ghp_0123456789abcdefghij0123456789abcdef";
        let text = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  token: {secret}\n"
        );
        let mut run = super::super::lint_document("cm.yaml", &text, &Options::default());
        let f = run
            .findings
            .iter_mut()
            .find(|f| f.rule.starts_with("AFS"))
            .expect("a secret finding");
        // A rule that quotes the value: message, help and related text are
        // masked; a fix that would write it is left out.
        f.message = format!("found {secret}");
        f.help = Some(format!("rotate {secret}"));
        let span = f.span;
        f.related.push(crate::finding::Related {
            file: 0,
            span,
            message: format!("here: {secret}"),
        });
        f.fix = Some(crate::finding::Fix {
            edits: vec![crate::finding::Edit::insert(0, format!("# {secret}\n"))],
            applicability: Applicability::Safe,
        });
        let diags = diagnostics(&run);
        let d = diags.iter().find(|d| d.rule.starts_with("AFS")).unwrap();
        assert!(d.message.starts_with("found ghp_"), "{d:?}");
        assert!(d.fix.is_none());
        let dump = format!("{diags:?}");
        assert!(!dump.contains(&secret[4..12]), "{dump}");
    }
}
