//! GitHub Actions workflow commands: one annotation per finding,
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=ID name::message`
//! (`warning` and `notice` for the other severities).
//!
//! Escaping follows the runner's rules: in the message `%`, `\r`, `\n`
//! become `%25`, `%0D`, `%0A`; in properties also `:` and `,` become `%3A`
//! and `%2C`. `endColumn` is the last column of the span (inclusive).
//! Messages are cleaned like every reporter's ([`super::Cleaner`]: secrets
//! masked, hidden characters such as ESC or U+202E made visible), and so are
//! file names ([`super::escape::visible`]; `:` needs no care here, the
//! property escaping covers it).

use std::io;

use crate::engine::Run;
use crate::finding::Severity;

/// Escapes a workflow command's message.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a workflow command's property value.
pub fn escape_property(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

pub fn command_of(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

pub fn write(run: &Run, out: &mut dyn io::Write) -> io::Result<()> {
    let clean = super::Cleaner::new(run);
    let mut w = io::BufWriter::new(out);
    for f in &run.findings {
        let Some(src) = super::source_of(run, f.file) else {
            continue;
        };
        let src = &*src;
        let r = super::region(src, f.span);
        // GitHub's end column is inclusive: the last character's column.
        let end_column = if r.end_line == r.start_line {
            r.end_column.saturating_sub(1).max(r.start_column)
        } else {
            r.end_column.max(1)
        };
        let msg = clean.text_in(f.file, &f.message);
        let title = super::title(f.rule);
        io::Write::write_fmt(
            &mut w,
            format_args!(
                "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                command_of(f.severity),
                escape_property(&super::escape::visible(&src.path, false)),
                r.start_line,
                r.start_column,
                r.end_line,
                end_column,
                escape_property(&title),
                escape_data(msg.trim()),
            ),
        )?;
    }
    io::Write::flush(&mut w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
