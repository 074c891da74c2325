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
    /// A short, specific fix hint; falls back to the rule's `fix` text.
    pub fix: Option<String>,
    /// Byte ranges holding secret values: every reporter masks them.
    pub secrets: Vec<Span>,
    /// Stable content used to fingerprint the finding for baselines (for
    /// example the offending key path and a hash of the value); defaults to
    /// the text of the span.
    pub fingerprint_hint: Option<String>,
}

impl Finding {
    pub fn new(rule: &'static str, span: Span, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: Severity::Warning,
            severity_fixed: false,
            message: message.into(),
            file: 0,
            span,
            related: Vec::new(),
            fix: None,
            secrets: Vec::new(),
            fingerprint_hint: None,
        }
    }
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
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
