//! The terminal report: miette's graphical rendering of each finding (rule
//! ID and name with the docs link as the header, the severity as a glyph
//! and a word before the message, a source snippet with the span underlined
//! but not captioned again, related spans as extra labels, the fix hint as
//! help), wrapped to the terminal width, then a summary line.
//!
//! miette is given a small window of the file (the lines around the spans),
//! never the whole file, with correct line numbers; every secret span known
//! in the run is replaced in that window by its [`super::redact::mask`], so
//! a snippet never shows a secret, even one found by another rule.

use std::fmt;
use std::io;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::escape;
use super::redact::Redactor;
use crate::engine::Run;
use crate::finding::{Finding, Severity};
use crate::source::{SourceFile, Span};

/// The summary of a run that found no file to check.
pub const NOTHING_RECOGNISED: &str = "no file was recognised: afcheck reads Dockerfiles \
(Dockerfile, *.Dockerfile, Containerfile), .dockerignore, Kubernetes, Helm and Compose \
YAML (*.yaml, *.yml) and airflow.cfg (*.cfg)";

/// Wraps each line of `text` at spaces to at most `width` characters (a
/// longer word stays whole).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut col = 0;
        for word in line.split(' ') {
            let n = word.chars().count();
            if col > 0 && col + 1 + n > width {
                out.push('\n');
                col = 0;
            } else if col > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(word);
            col += n;
        }
    }
    out
}

/// Lines of context shown around a span.
const CONTEXT: usize = 1;
/// Related spans within this many lines of the primary span share its
/// snippet; farther ones get their own.
const NEAR: usize = 6;
/// A span covering more lines is underlined on its first line only.
const MAX_SPAN_LINES: usize = 8;
/// Lines longer than this (bytes) are shown only around the labels.
const MAX_LINE: usize = 400;
/// Bytes kept on each side of a label in a long line.
const KEEP: usize = 120;

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A window of a file: whole lines `first..=last` with secrets masked.
#[derive(Debug)]
struct Window<'a> {
    file: &'a SourceFile,
    /// File offset of the window's first byte.
    base: usize,
    /// 0-based line of the window's first line.
    first_line: usize,
    text: String,
    /// Replacements made: (file start, file end, window start, window end).
    repl: Vec<(usize, usize, usize, usize)>,
}

impl<'a> Window<'a> {
    /// The window of lines `first..=last`: secret spans (also those that
    /// start before the window) and secret values masked, hidden characters
    /// made visible, and long lines cut to the parts around `keep` (file
    /// offsets of the labels).
    fn new(
        file: &'a SourceFile,
        index: u32,
        first: usize,
        last: usize,
        secrets: &[Span],
        red: &Redactor,
        keep: &[usize],
    ) -> Window<'a> {
        let base = file.lines.line_start(first);
        let end = if last + 1 < file.lines.line_count() {
            file.lines.line_start(last + 1)
        } else {
            file.text.len()
        };
        let end = end.max(base);
        // (file start, file end, is a cut)
        let mut ranges: Vec<(usize, usize, bool)> = Vec::new();
        for s in secrets {
            if s.end() <= base || s.start() >= end {
                continue;
            }
            ranges.push((s.start().max(base), s.end().min(end), false));
        }
        let mut cuts: Vec<(usize, usize, bool)> = Vec::new();
        // Long lines: keep the parts around the labels.
        for line in first..=last {
            let ls = file.lines.line_span(&file.text, line);
            if ls.len() <= MAX_LINE {
                continue;
            }
            let mut kept: Vec<(usize, usize)> = keep
                .iter()
                .filter(|&&k| k >= ls.start() && k <= ls.end())
                .map(|&k| {
                    (
                        k.saturating_sub(KEEP).max(ls.start()),
                        (k + KEEP).min(ls.end()),
                    )
                })
                .collect();
            if kept.is_empty() {
                kept.push((ls.start(), ls.start() + KEEP * 2));
            }
            kept.sort_unstable();
            let mut at = ls.start();
            for (k0, k1) in kept {
                let k0 = floor_boundary(&file.text, k0);
                if k0 > at {
                    cuts.push((at, k0, true));
                }
                at = at.max(ceil_boundary(&file.text, k1));
            }
            if at < ls.end() {
                cuts.push((at, ls.end(), true));
            }
        }
        // Secret values in what is shown (never in the cut parts, so a huge
        // line costs what is shown, not its length, per finding).
        let mut at = base;
        for &(c0, c1, _) in cuts.iter().chain([&(end, end, true)]) {
            if c0 > at {
                for (s, e) in red.ranges_in(Some(index), &file.text[at..c0]) {
                    ranges.push((at + s, at + e, false));
                }
            }
            at = at.max(c1);
        }
        ranges.extend(cuts);
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize, bool)> = Vec::with_capacity(ranges.len());
        for (s0, s1, cut) in ranges {
            match merged.last_mut() {
                Some(last) if s0 < last.1 => {
                    last.1 = last.1.max(s1);
                    last.2 |= cut;
                }
                _ => merged.push((s0, s1, cut)),
            }
        }
        let mut text = String::with_capacity((end - base).min(MAX_LINE * 16));
        let mut repl = Vec::new();
        let mut at = base;
        let push_plain = |text: &mut String,
                          repl: &mut Vec<(usize, usize, usize, usize)>,
                          from: usize,
                          to: usize| {
            // Hidden characters (except line breaks and tabs) made visible.
            let seg = file.slice(Span::new(from, to));
            let mut done = 0;
            for (i, c) in seg.char_indices() {
                let crlf = c == '\r' && seg[i + 1..].starts_with('\n');
                if escape::is_hidden(c) && c != '\n' && c != '\t' && !crlf {
                    text.push_str(&seg[done..i]);
                    let w0 = text.len();
                    escape::push_escaped(text, c);
                    repl.push((from + i, from + i + c.len_utf8(), w0, text.len()));
                    done = i + c.len_utf8();
                }
            }
            text.push_str(&seg[done..]);
        };
        for (s0, s1, cut) in merged {
            push_plain(&mut text, &mut repl, at, s0);
            if cut {
                let w0 = text.len();
                text.push('…');
                repl.push((s0, s1, w0, text.len()));
                at = s1;
                continue;
            }
            let piece = file.slice(Span::new(s0, s1));
            let whole = secrets.iter().any(|s| s.start() == s0 && s.end() == s1);
            // Masked line by line: the snippet keeps its lines.
            let mut p = s0;
            for (i, part) in piece.split('\n').enumerate() {
                if i > 0 {
                    text.push('\n');
                    p += 1;
                }
                let body = part.trim_end_matches('\r');
                if !body.is_empty() {
                    let w0 = text.len();
                    if whole && !piece.contains('\n') {
                        text.push_str(&super::redact::mask(piece));
                    } else if i == 0 && !piece.contains('\n') {
                        text.push_str(&red.mask_of(piece));
                    } else {
                        text.push_str(super::redact::MASK);
                    }
                    repl.push((p, p + body.len(), w0, text.len()));
                }
                text.push_str(&part[body.len()..]);
                p += part.len();
            }
            at = s1;
        }
        push_plain(&mut text, &mut repl, at, end);
        Window {
            file,
            base,
            first_line: first,
            text,
            repl,
        }
    }

    /// Window offset of a file offset; offsets inside a masked secret go to
    /// the start (or, for an end, the end) of its mask.
    fn map(&self, off: usize, is_end: bool) -> usize {
        let mut shift: isize = 0;
        for &(f0, f1, w0, w1) in &self.repl {
            if off >= f1 {
                shift += (w1 - w0) as isize - (f1 - f0) as isize;
            } else if off > f0 {
                return if is_end { w1 } else { w0 };
            } else {
                break;
            }
        }
        let rel = off.saturating_sub(self.base) as isize + shift;
        (rel.max(0) as usize).min(self.text.len())
    }

    /// File offset of a window offset (inverse of `map`).
    fn unmap(&self, w: usize) -> usize {
        let mut last: Option<(usize, usize)> = None;
        for &(f0, f1, w0, w1) in &self.repl {
            if w >= w1 {
                last = Some((f1, w1));
            } else if w >= w0 {
                return f0;
            } else {
                break;
            }
        }
        match last {
            Some((f1, w1)) => f1 + (w - w1),
            None => self.base + w,
        }
    }

    fn label(&self, span: Span, label: Option<String>, primary: bool) -> LabeledSpan {
        let s = self.map(span.start(), false);
        let e = self.map(span.end(), true).max(s);
        let sp = SourceSpan::new(s.into(), e - s);
        if primary {
            LabeledSpan::new_primary_with_span(label, sp)
        } else {
            LabeledSpan::new_with_span(label, sp)
        }
    }
}

impl SourceCode for Window<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let c = self.text.as_str().read_span(span, before, after)?;
        let data: &'b [u8] = c.data();
        let start = c.span().offset();
        // Columns in code points of the original line.
        let column = self
            .file
            .position(self.unmap(start))
            .column
            .saturating_sub(1) as usize;
        let column = if before == 0 { column } else { c.column() };
        Ok(Box::new(MietteSpanContents::new_named(
            escape::visible(&self.file.path, false).into_owned(),
            data,
            *c.span(),
            c.line() + self.first_line,
            column,
            c.line_count(),
        )))
    }
}

/// One rendered diagnostic.
#[derive(Debug)]
struct Diag<'a> {
    message: String,
    code: Option<String>,
    url: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<Window<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Diag<'a>>,
}

impl fmt::Display for Diag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag<'_> {}

impl Diagnostic for Diag<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.url
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|w| w as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
        }
    }
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    }
}

/// Clamps a span to the file and, when it covers many lines, to its first
/// line.
fn display_span(file: &SourceFile, span: Span) -> Span {
    let len = file.text.len();
    let span = Span::new(span.start().min(len), span.end().min(len));
    let l0 = file.lines.line_of(span.start());
    let l1 = file.lines.line_of(span.end());
    if l1 > l0 + MAX_SPAN_LINES {
        let line = file.lines.line_span(&file.text, l0);
        Span::new(span.start(), line.end().max(span.start()))
    } else {
        span
    }
}

fn lines_of(file: &SourceFile, span: Span) -> (usize, usize) {
    let l0 = file.lines.line_of(span.start());
    let end = if span.is_empty() {
        span.start()
    } else {
        span.end() - 1
    };
    (l0, file.lines.line_of(end).max(l0))
}

fn window<'a>(
    file: &'a SourceFile,
    index: u32,
    lines: (usize, usize),
    secrets: &[Span],
    red: &Redactor,
    keep: &[usize],
) -> Window<'a> {
    let last_line = file.lines.line_count().saturating_sub(1);
    let first = lines.0.saturating_sub(CONTEXT);
    let last = (lines.1 + CONTEXT).min(last_line);
    Window::new(file, index, first, last.max(first), secrets, red, keep)
}

fn build<'a>(run: &'a Run, f: &Finding, clean: &super::Cleaner) -> Option<Diag<'a>> {
    let src = super::source_of(run, f.file)?;
    let red = &clean.redactor;
    let message = clean.text_in(f.file, &f.message);
    let secrets = red.spans(f.file);
    let help = super::fix_of(f).map(|s| clean.text_in(f.file, s));
    let code = match super::fixes::mark(f) {
        Some(m) => format!("{} {m}", super::title(f.rule)),
        None => super::title(f.rule),
    };
    let mut diag = Diag {
        message: format!("{}: {message}", f.severity.as_str()),
        code: Some(code),
        url: Some(super::docs_url(f.rule)),
        severity: miette_severity(f.severity),
        help,
        source: None,
        labels: Vec::new(),
        related: Vec::new(),
    };
    if src.text.is_empty() {
        // Nothing to show (for example an unreadable file): say where.
        let pos = src.position(f.span.start());
        diag.message = format!(
            "{}: {}:{}:{}: {message}",
            f.severity.as_str(),
            escape::visible(&src.path, false),
            pos.line,
            pos.column
        );
        return Some(diag);
    }
    let primary = display_span(src, f.span);
    let (mut l0, mut l1) = lines_of(src, primary);
    // Related spans near the primary one share its window.
    let mut near = Vec::new();
    let mut far = Vec::new();
    for rel in &f.related {
        let rmsg = clean.text_in(f.file, &rel.message);
        match super::source_of(run, rel.file) {
            Some(rsrc) if rel.file == f.file => {
                let rs = display_span(rsrc, rel.span);
                let (r0, r1) = lines_of(rsrc, rs);
                if r0 + NEAR >= l0 && r1 <= l1 + NEAR {
                    l0 = l0.min(r0);
                    l1 = l1.max(r1);
                    near.push((rs, rmsg));
                } else {
                    far.push((rel.file, rs, rmsg));
                }
            }
            Some(_) => {
                let rs = rel.span;
                far.push((rel.file, rs, rmsg));
            }
            None => {}
        }
    }
    let mut keep = vec![primary.start(), primary.end()];
    for (rs, _) in &near {
        keep.push(rs.start());
        keep.push(rs.end());
    }
    let w = window(src, f.file, (l0, l1), secrets, red, &keep);
    // The message is printed once, above the snippet: the primary span is
    // underlined without a caption.
    diag.labels.push(w.label(primary, None, true));
    for (rs, rmsg) in near {
        diag.labels.push(w.label(rs, Some(rmsg), false));
    }
    diag.source = Some(w);
    for (file, rs, rmsg) in far {
        let Some(rsrc) = super::source_of(run, file) else {
            continue;
        };
        let rs = display_span(rsrc, rs);
        let rw = window(
            rsrc,
            file,
            lines_of(rsrc, rs),
            red.spans(file),
            red,
            &[rs.start(), rs.end()],
        );
        let label = rw.label(rs, Some(rmsg.clone()), true);
        diag.related.push(Diag {
            message: rmsg,
            code: None,
            url: None,
            severity: miette::Severity::Advice,
            help: None,
            source: Some(rw),
            labels: vec![label],
            related: Vec::new(),
        });
    }
    Some(diag)
}

fn handler(opts: &super::ReportOptions<'_>) -> GraphicalReportHandler {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(opts.width.max(40))
        .with_context_lines(CONTEXT)
}

pub fn write(
    run: &Run,
    opts: &super::ReportOptions<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let handler = handler(opts);
    let clean = super::Cleaner::new(run);
    let mut w = io::BufWriter::new(out);
    let mut buf = String::new();
    for f in &run.findings {
        let Some(diag) = build(run, f, &clean) else {
            continue;
        };
        buf.clear();
        if handler.render_report(&mut buf, &diag).is_err() {
            // miette could not render the snippet: fall back to one line.
            buf.clear();
            let path = escape::visible(super::path_of(run, f.file), false);
            buf = format!("{path}: {} [{}]\n", diag.message, f.rule);
        }
        io::Write::write_all(&mut w, buf.as_bytes())?;
        io::Write::write_all(&mut w, b"\n")?;
    }
    if !opts.quiet {
        let line = if run.files.is_empty() {
            NOTHING_RECOGNISED.to_string()
        } else {
            super::summary_line_with(run, opts.fixed)
        };
        let line = wrap(&line, opts.width.max(40));
        let styled = if opts.color {
            let c = super::Counts::of(&run.findings);
            let code = if c.error > 0 {
                "1;31"
            } else if c.warning > 0 {
                "1;33"
            } else {
                "1;32"
            };
            format!("\x1b[{code}m{line}\x1b[0m")
        } else {
            line
        };
        io::Write::write_all(&mut w, styled.as_bytes())?;
        io::Write::write_all(&mut w, b"\n")?;
    }
    io::Write::flush(&mut w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces() {
        assert_eq!(wrap("aa bb cc\nd", 5), "aa bb\ncc\nd");
        assert_eq!(wrap("averylongword x", 4), "averylongword\nx");
    }

    #[test]
    fn window_masks_and_maps_offsets() {
        let text = "a: 1\npassword: hunter2-long-secret-value\nb: 2\nc: 3\n";
        let file = SourceFile::new("x.yaml", text);
        let s0 = text.find("hunter2").unwrap();
        let secret = Span::new(s0, s0 + "hunter2-long-secret-value".len());
        let w = Window::new(&file, 0, 0, 2, &[secret], &Redactor::empty(), &[]);
        assert!(!w.text.contains("hunter2-long"));
        assert!(w.text.contains("password: hunt****\n"));
        // Before the secret: identity.
        assert_eq!(w.map(2, false), 2);
        // Inside it: the mask.
        assert_eq!(w.map(s0 + 3, false), s0);
        assert_eq!(w.map(secret.end(), true), s0 + "hunt****".len());
        // After it: shifted by the length difference.
        let b = text.find("b: 2").unwrap();
        let wb = w.map(b, false);
        assert_eq!(&w.text[wb..wb + 4], "b: 2");
        assert_eq!(w.unmap(wb), b);
        assert_eq!(w.unmap(2), 2);
        // Lines outside the window are not in it.
        assert!(!w.text.contains("c: 3"));
    }

    #[test]
    fn window_masks_secrets_starting_before_it_and_escapes_controls() {
        let text =
            "key: |\n  AAAAsecretline1\n  BBBBsecretline2\nx: \"\x1b]0;title\x07\u{202E}\"\n";
        let file = SourceFile::new("x.yaml", text);
        let s0 = text.find("AAAA").unwrap();
        let s1 = text.find("\nx:").unwrap();
        let w = Window::new(
            &file,
            0,
            2,
            3,
            &[Span::new(s0, s1)],
            &Redactor::empty(),
            &[],
        );
        assert!(!w.text.contains("BBBB"), "{}", w.text);
        assert!(w.text.contains("\\x1b]0;title\\x07<U+202E>"), "{}", w.text);
        assert!(!w.text.contains('\x1b'));
    }

    #[test]
    fn long_lines_are_cut_around_the_label() {
        let mut text = "RUN ".to_string();
        text.push_str(&"a".repeat(5000));
        text.push_str(" target ");
        text.push_str(&"b".repeat(5000));
        text.push('\n');
        let file = SourceFile::new("Dockerfile", &text);
        let t = text.find("target").unwrap();
        let w = Window::new(&file, 0, 0, 0, &[], &Redactor::empty(), &[t, t + 6]);
        assert!(w.text.len() < 400, "{}", w.text.len());
        let m = w.map(t, false);
        assert_eq!(&w.text[m..m + 6], "target");
    }
}
