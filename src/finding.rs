//! Findings: what a rule reports, with spans into one source file.

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// A secondary location (for example the first occurrence of a duplicate key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// Index of the file in the run (see [`crate::engine::Run::files`]).
    pub file: u32,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Rule ID, for example `AFK015`.
    pub rule: &'static str,
    /// Set by the engine from the rule's metadata and the configuration,
    /// unless the rule chose one (a rule with two levels, such as AFK028).
    pub severity: Severity,
    pub severity_fixed: bool,
    /// Never contains a secret value: use [`crate::report::redact`].
    pub message: String,
    /// Index of the file in the run.
    pub file: u32,
    pub span: Span,
    pub related: Vec<Related>,
    /// A short, specific hint on how to fix this occurrence; reporters fall
    /// back to the rule's `fix` text in `rules/<ID>.yaml`.
    pub help: Option<String>,
    /// Edits that fix the finding, when the fix is mechanical.
    pub fix: Option<Fix>,
    /// Byte ranges holding secret values: every reporter masks them.
    pub secrets: Vec<Span>,
    /// Stable content used to fingerprint the finding for baselines (for
    /// example the offending key path and a hash of the value); defaults to
    /// the text of the span.
    pub fingerprint_hint: Option<String>,
    /// How many more findings of the rule in this file this one stands for
    /// (the engine keeps at most [`crate::rules::MAX_KEPT_PER_RULE`] of one
    /// rule in one file; the last kept one counts the rest).
    pub more: u32,
}

impl Finding {
    /// A finding of the rule that is running: [`crate::rules::Findings`]
    /// files it under that rule when it is pushed.
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Self::of("", span, message)
    }
    /// A finding made outside a rule (the engine's AFY004 and AFY005, the
    /// reporters' summaries), naming its rule.
    pub fn of(rule: &'static str, span: Span, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: Severity::Warning,
            severity_fixed: false,
            message: message.into(),
            file: 0,
            span,
            related: Vec::new(),
            help: None,
            fix: None,
            secrets: Vec::new(),
            fingerprint_hint: None,
            more: 0,
        }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// Attaches edits that fix the finding.
    pub fn with_edits(mut self, applicability: Applicability, edits: Vec<Edit>) -> Self {
        if !edits.is_empty() {
            self.fix = Some(Fix {
                edits,
                applicability,
            });
        }
        self
    }
    pub fn with_related(mut self, file: u32, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }
    /// Marks `span` as a secret value to mask in every output.
    pub fn with_secret(mut self, span: Span) -> Self {
        self.secrets.push(span);
        self
    }
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self.severity_fixed = true;
        self
    }
    pub fn in_file(mut self, file: u32) -> Self {
        self.file = file;
        self
    }
    pub fn with_fingerprint(mut self, hint: impl Into<String>) -> Self {
        self.fingerprint_hint = Some(hint.into());
        self
    }
}

/// Whether applying a fix keeps the meaning of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Removes the problem and nothing else changes: `--fix` applies it.
    Safe,
    /// Removes the problem but can change behaviour (a container that writes
    /// to its root filesystem, a removed option something still reads):
    /// applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// One replacement of a byte range of the file's text as afcheck parsed it
/// ([`crate::source::SourceFile::text`]: without a leading BOM, which the
/// fixer keeps): `range` is replaced by `content`. An insertion has an
/// empty range. New lines use the file's own line ending
/// ([`crate::source::SourceFile::newline`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edit {
    pub range: Span,
    pub content: String,
}

impl Edit {
    pub fn replace(range: Span, content: impl Into<String>) -> Self {
        Edit {
            range,
            content: content.into(),
        }
    }
    pub fn insert(at: usize, content: impl Into<String>) -> Self {
        Edit {
            range: Span::new(at, at),
            content: content.into(),
        }
    }
    pub fn delete(range: Span) -> Self {
        Edit {
            range,
            content: String::new(),
        }
    }
}

/// The edits that fix one finding, applied together or not at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// Sorted by position, never overlapping.
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}
