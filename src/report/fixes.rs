//! What the reports say about automatic fixes: the edits of a finding as
//! positions (JSON, SARIF), the `[*]` mark of the terminal report, and the
//! summary's counts of fixed and fixable findings.
//!
//! Edits are published only as they are: an edit whose new text holds a
//! secret the run knows, or a hidden character, is withheld (its finding
//! says it has a fix, not what it writes), since a masked edit would write
//! `****` into the file of whoever applies it.

use crate::engine::Run;
use crate::finding::{Applicability, Edit, Finding};
use crate::source::{Position, SourceFile};

/// One edit with its positions: 1-based line and code-point column, and
/// byte offsets into the file's text (after a leading byte-order mark).
pub struct Placed<'a> {
    pub start: Position,
    pub end: Position,
    pub start_offset: usize,
    pub end_offset: usize,
    pub content: &'a str,
}

/// The edits of `f`, placed in `src`, or `None` when they may not be shown
/// (see the module docs) or fall outside the file.
pub fn placed<'a>(
    f: &'a Finding,
    src: &SourceFile,
    clean: &super::Cleaner,
) -> Option<Vec<Placed<'a>>> {
    let fix = f.fix.as_ref()?;
    let mut out = Vec::with_capacity(fix.edits.len());
    for e in &fix.edits {
        if !publishable(e, f.file, src, clean) {
            return None;
        }
        out.push(Placed {
            start: src.position(e.range.start()),
            end: src.position(e.range.end()),
            start_offset: e.range.start(),
            end_offset: e.range.end(),
            content: &e.content,
        });
    }
    Some(out)
}

fn publishable(e: &Edit, file: u32, src: &SourceFile, clean: &super::Cleaner) -> bool {
    let c = e.content.as_str();
    e.range.end() <= src.text.len()
        && src.text.is_char_boundary(e.range.start())
        && src.text.is_char_boundary(e.range.end())
        && clean.redactor.text_in(Some(file), c) == c
        && super::escape::visible(c, true) == c
}

/// Counts of fixable findings in a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fixable {
    /// Findings `--fix` would fix.
    pub safe: usize,
    /// Findings only `--fix --unsafe-fixes` would fix.
    pub unsafe_only: usize,
}

impl Fixable {
    pub fn of(run: &Run) -> Fixable {
        let mut c = Fixable::default();
        for f in &run.findings {
            match f.fix.as_ref().filter(|x| !x.edits.is_empty()) {
                Some(x) if x.applicability == Applicability::Safe => c.safe += 1,
                Some(_) => c.unsafe_only += 1,
                None => {}
            }
        }
        c
    }
}

/// What `--fix` did, for the summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FixReport {
    /// Findings whose fix was applied.
    pub fixed: usize,
    /// Files changed.
    pub files: usize,
    /// Unsafe fixes were applied too.
    pub unsafe_fixes: bool,
}

/// The terminal mark of a fixable finding: `[*]` for a fix `--fix`
/// applies, `[*unsafe]` for one only `--unsafe-fixes` applies.
pub fn mark(f: &Finding) -> Option<&'static str> {
    let fx = f.fix.as_ref().filter(|x| !x.edits.is_empty())?;
    Some(match fx.applicability {
        Applicability::Safe => "[*]",
        Applicability::Unsafe => "[*unsafe]",
    })
}

fn findings(n: usize) -> String {
    format!("{n} {}", noun(n))
}

fn noun(n: usize) -> &'static str {
    if n == 1 { "finding" } else { "findings" }
}

/// The summary line about fixes, if there is something to say: what was
/// fixed (with `--fix`) and what could be.
pub fn summary(run: &Run, done: Option<FixReport>) -> Option<String> {
    let c = Fixable::of(run);
    match done {
        Some(d) => {
            let mut s = format!(
                "fixed {} in {} {}",
                findings(d.fixed),
                d.files,
                if d.files == 1 { "file" } else { "files" }
            );
            let more = if d.unsafe_fixes { 0 } else { c.unsafe_only };
            if more > 0 {
                s.push_str(&format!(
                    "; {more} more {} fixable with `--fix --unsafe-fixes`",
                    noun(more)
                ));
            }
            Some(s)
        }
        None if c.safe + c.unsafe_only == 0 => None,
        None => {
            let mut parts = Vec::new();
            if c.safe > 0 {
                parts.push(format!("{} fixable with `--fix` ([*])", findings(c.safe)));
            }
            if c.unsafe_only > 0 {
                let n = c.unsafe_only;
                parts.push(format!(
                    "{n} {}{} fixable with `--fix --unsafe-fixes` ([*unsafe])",
                    if c.safe > 0 { "more " } else { "" },
                    noun(n)
                ));
            }
            Some(parts.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Options;

    fn run() -> Run {
        let text = "FROM alpine:3.20\nMAINTAINER a\nMAINTAINER b\nMAINTAINER c\n";
        let opts = Options {
            select: vec!["AFD019".into()],
            ..Options::default()
        };
        crate::lint::lint_document("Dockerfile", text, &opts)
    }

    #[test]
    fn marks_and_counts_safe_and_unsafe_fixes() {
        let mut r = run();
        assert_eq!(r.findings.len(), 3);
        r.findings[1].fix.as_mut().unwrap().applicability = Applicability::Unsafe;
        r.findings[2].fix = None;
        assert_eq!(mark(&r.findings[0]), Some("[*]"));
        assert_eq!(mark(&r.findings[1]), Some("[*unsafe]"));
        assert_eq!(mark(&r.findings[2]), None);
        assert_eq!(
            Fixable::of(&r),
            Fixable {
                safe: 1,
                unsafe_only: 1
            }
        );
        assert_eq!(
            summary(&r, None).unwrap(),
            "1 finding fixable with `--fix` ([*]); 1 more finding fixable with `--fix --unsafe-fixes` ([*unsafe])"
        );
        let done = FixReport {
            fixed: 2,
            files: 1,
            unsafe_fixes: false,
        };
        assert_eq!(
            summary(&r, Some(done)).unwrap(),
            "fixed 2 findings in 1 file; 1 more finding fixable with `--fix --unsafe-fixes`"
        );
        let all = FixReport {
            unsafe_fixes: true,
            ..done
        };
        assert_eq!(
            summary(&r, Some(all)).unwrap(),
            "fixed 2 findings in 1 file"
        );
        r.findings.clear();
        assert_eq!(summary(&r, None), None);
    }
}
