//! Reporters, one per output format, over a run's sorted findings.
pub mod redact;
