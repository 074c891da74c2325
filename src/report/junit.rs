//! JUnit XML, the test-report format GitLab (`artifacts:reports:junit`),
//! Jenkins and Azure DevOps read.
//!
//! One `<testsuite>` per scanned file; each finding is a `<testcase>` with a
//! `<failure>` (its `type` is the severity), and a file without findings has
//! one passing test case, so the report lists every file checked. Messages
//! and fix hints go through the same redaction as the JSON report.

use std::fmt::Write as _;
use std::io;

use crate::engine::Run;

/// Escapes text for XML 1.0 content and attribute values; characters XML
/// 1.0 cannot hold (control characters other than tab, LF, CR) are dropped.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

pub fn write(run: &Run, out: &mut dyn io::Write) -> io::Result<()> {
    let clean = super::Cleaner::new(run);
    // Findings are sorted by path; group them by file index.
    let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); run.files.len()];
    for (i, f) in run.findings.iter().enumerate() {
        if let Some(v) = by_file.get_mut(f.file as usize) {
            v.push(i);
        }
    }
    let total_failures = by_file.iter().map(Vec::len).sum::<usize>();
    let total_tests: usize = by_file.iter().map(|v| v.len().max(1)).sum();
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"afcheck\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"0\">"
    );
    for (fi, findings) in by_file.iter().enumerate() {
        let path = escape(&super::escape::visible(
            super::path_of(run, fi as u32),
            false,
        ));
        let _ = writeln!(
            s,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            findings.len().max(1),
            findings.len()
        );
        if findings.is_empty() {
            let _ = writeln!(
                s,
                "    <testcase name=\"afcheck\" classname=\"{path}\" file=\"{path}\"/>"
            );
        }
        for &i in findings {
            let f = &run.findings[i];
            let Some(src) = super::source_of(run, f.file) else {
                continue;
            };
            let src = &*src;
            let pos = src.position(f.span.start());
            let msg = clean.text_in(f.file, &f.message);
            let msg = super::compact::one_line(msg.trim()).into_owned();
            let mut body = format!(
                "{}:{}:{}: {}: {msg} [{}]",
                super::escape::visible(&src.path, false),
                pos.line,
                pos.column,
                f.severity.as_str(),
                f.rule
            );
            if let Some(fix) = super::fix_of(f) {
                let _ = write!(body, "\nfix: {}", clean.text_in(f.file, fix));
            }
            let _ = write!(body, "\ndocs: {}", super::docs_url(f.rule));
            let _ = writeln!(
                s,
                "    <testcase name=\"{} {}:{}\" classname=\"{path}\" file=\"{path}\" line=\"{}\">",
                escape(&super::title(f.rule)),
                pos.line,
                pos.column,
                pos.line
            );
            let _ = writeln!(
                s,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                f.severity.as_str(),
                escape(&msg),
                escape(&body)
            );
            s.push_str("    </testcase>\n");
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    out.write_all(s.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape("a<b>&\"c'\u{1}\td"),
            "a&lt;b&gt;&amp;&quot;c&apos;\td"
        );
    }
}
