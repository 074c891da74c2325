//! `path:line:col: severity: message [ID]`, one line per finding.
//!
//! Every line matches the problem-matcher expression
//! `^(.+?):(\d+):(\d+):\s+(error|warning|note):\s+(.*?)\s+\[([A-Za-z0-9_.-]+)\]$`.
//! Line breaks in messages are folded into spaces and other hidden
//! characters made visible; file names go through [`super::escape::path`]
//! (no `:`, no control characters), so a file name or a message cannot make
//! the matcher read another location or severity. There is no
//! summary line: the output is only findings, so tools can read it as is
//! (the CLI may print [`super::summary_line`] on standard error).

use std::io;

use crate::engine::Run;

/// Folds line breaks and tabs into single spaces (other hidden characters
/// are already visible).
pub(crate) fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    let fold = |c: char| matches!(c, '\n' | '\r' | '\t');
    if !s.chars().any(fold) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut prev_space = false;
    for c in s.chars() {
        if fold(c) || c == ' ' {
            if !prev_space {
                out.push(' ');
            }
            prev_space = true;
        } else {
            out.push(c);
            prev_space = false;
        }
    }
    std::borrow::Cow::Owned(out)
}

pub fn write(run: &Run, out: &mut dyn io::Write) -> io::Result<()> {
    let clean = super::Cleaner::new(run);
    let mut w = io::BufWriter::new(out);
    for f in &run.findings {
        let Some(src) = super::source_of(run, f.file) else {
            continue;
        };
        let src = &*src;
        let pos = src.position(f.span.start());
        let msg = clean.text_in(f.file, &f.message);
        io::Write::write_fmt(
            &mut w,
            format_args!(
                "{}:{}:{}: {}: {} [{}]\n",
                super::escape::path(&src.path),
                pos.line,
                pos.column,
                f.severity.as_str(),
                one_line(msg.trim()),
                f.rule
            ),
        )?;
    }
    io::Write::flush(&mut w)
}
