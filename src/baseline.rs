//! Baselines, for adopting afcheck on a repository that already has
//! findings: `--write-baseline FILE` records the current findings,
//! `--baseline FILE` reports only findings that are not in it.
//!
//! A finding is recorded by its fingerprint: a hash of the rule ID, the file
//! path, the offending content and an occurrence index. The content is the
//! rule's [`Finding::fingerprint_hint`] when it gives one, otherwise the text
//! under the finding's span (or, for an empty span, the text of its line)
//! with runs of whitespace collapsed. Every secret in that text (every span
//! the run's [`Redactor`] knows in the file, every secret value or piece of
//! one) is replaced by the fixed placeholder `<secret>` before hashing: a
//! fingerprint depends on no bit of a secret, so it cannot be used to test
//! guesses of one offline, and the file stores only the final hash and a
//! redacted message. Line numbers are not part of the fingerprint:
//! inserting lines above a finding keeps it baselined; changing the
//! offending content makes it new, but changing (rotating) a secret value
//! does not. The occurrence
//! index (0 for the first finding with the same rule, path and content,
//! 1 for the second, ...) tells identical findings in one file apart.
//!
//! The file is JSON, versioned and sorted (see `docs/output-formats.md`).
//! Writing a baseline records the run's findings only, so findings that
//! disappeared are dropped from it.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::Run;
use crate::report::redact::Redactor;

/// Version of the baseline file format.
pub const VERSION: u32 = 1;

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
    /// The finding's message when it was recorded, for people reviewing the
    /// file; not used for matching.
    #[serde(default)]
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    tool: String,
    findings: Vec<Entry>,
}

/// A loaded baseline.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    pub entries: Vec<Entry>,
    fingerprints: BTreeSet<String>,
}

impl Baseline {
    pub fn new(entries: Vec<Entry>) -> Baseline {
        let fingerprints = entries.iter().map(|e| e.fingerprint.clone()).collect();
        Baseline {
            entries,
            fingerprints,
        }
    }
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.fingerprints.contains(fingerprint)
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "cannot read baseline {path}: it is {len} bytes, over the {max}-byte limit for a baseline file"
    )]
    TooLarge { path: String, len: u64, max: u64 },
    #[error("cannot read baseline {path}: it is {kind}, not a regular file")]
    NotRegular { path: String, kind: &'static str },
    #[error("invalid baseline {path}: {message}")]
    Invalid { path: String, message: String },
    #[error("baseline {path} has format version {found}; this afcheck reads version {VERSION}")]
    Version { path: String, found: u32 },
}

pub use crate::fingerprint::SECRET_PLACEHOLDER;

/// The fingerprint of every finding of the run, in the order of
/// `run.findings` (see [`crate::fingerprint`]).
pub fn fingerprints(run: &Run) -> Vec<String> {
    crate::report::fingerprints(run, &Redactor::new(run))
}

/// [`fingerprints`] with the run's redactor already built.
pub fn fingerprints_with(run: &Run, red: &Redactor) -> Vec<String> {
    crate::report::fingerprints(run, red)
}

/// The baseline of a run, as the JSON text `write` stores.
pub fn to_string(run: &Run) -> String {
    let clean = crate::report::Cleaner::new(run);
    let fps = fingerprints_with(run, &clean.redactor);
    let mut entries: Vec<Entry> = run
        .findings
        .iter()
        .zip(fps)
        .map(|(f, fingerprint)| Entry {
            path: crate::report::path_of(run, f.file).to_string(),
            rule: f.rule.to_string(),
            fingerprint,
            message: clean.text_in(f.file, &f.message),
        })
        .collect();
    entries.sort();
    let file = BaselineFile {
        version: VERSION,
        tool: "afcheck".into(),
        findings: entries,
    };
    let mut s = serde_json::to_string_pretty(&file).unwrap_or_default();
    s.push('\n');
    s
}

/// Writes the baseline of `run` to `path`.
pub fn write(path: &Path, run: &Run) -> std::io::Result<()> {
    std::fs::write(path, to_string(run))
}

/// Parses a baseline file's text; `path` is for messages.
pub fn parse(path: &str, text: &str) -> Result<Baseline, BaselineError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| BaselineError::Invalid {
            path: path.into(),
            message: e.to_string(),
        })?;
    let found = value.get("version").and_then(|v| v.as_u64());
    match found {
        Some(v) if v == VERSION as u64 => {}
        Some(v) => {
            return Err(BaselineError::Version {
                path: path.into(),
                found: v.min(u32::MAX as u64) as u32,
            });
        }
        None => {
            return Err(BaselineError::Invalid {
                path: path.into(),
                message: "missing `version`".into(),
            });
        }
    }
    let file: BaselineFile = serde_json::from_value(value).map_err(|e| BaselineError::Invalid {
        path: path.into(),
        message: e.to_string(),
    })?;
    Ok(Baseline::new(file.findings))
}

/// Reads a baseline file.
/// Largest baseline file read (about 300,000 findings).
pub const MAX_BASELINE_BYTES: u64 = 64 << 20;

/// Reads and parses a baseline file: a regular file (opened without
/// blocking, so a FIFO cannot hang the run), at most
/// [`MAX_BASELINE_BYTES`], checked before reading.
pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
    load_capped(path, MAX_BASELINE_BYTES)
}

/// [`load`] with a given size limit.
pub fn load_capped(path: &Path, max: u64) -> Result<Baseline, BaselineError> {
    use crate::safe_read::ReadError;
    let shown = path.display().to_string();
    let bytes = crate::safe_read::read_regular(path, max).map_err(|e| match e {
        ReadError::TooLarge { len, max } => BaselineError::TooLarge {
            path: shown.clone(),
            len,
            max,
        },
        // Grown past the limit while being read: the size is not known.
        ReadError::Grew { max } => BaselineError::TooLarge {
            path: shown.clone(),
            len: max.saturating_add(1),
            max,
        },
        ReadError::NotRegular(kind) => BaselineError::NotRegular {
            path: shown.clone(),
            kind,
        },
        ReadError::Io(source) => BaselineError::Read {
            path: shown.clone(),
            source,
        },
        other => BaselineError::Read {
            path: shown.clone(),
            source: std::io::Error::other(other.to_string()),
        },
    })?;
    let text = String::from_utf8(bytes).map_err(|_| BaselineError::Invalid {
        path: shown.clone(),
        message: "not UTF-8 text".to_string(),
    })?;
    parse(&shown, &text)
}

/// Keeps only the findings that are not in the baseline; returns how many
/// were removed.
pub fn filter(run: &mut Run, baseline: &Baseline) -> usize {
    let fps = fingerprints(run);
    let before = run.findings.len();
    let mut keep = fps.iter().map(|fp| !baseline.contains(fp));
    run.findings.retain(|_| keep.next().unwrap_or(true));
    before - run.findings.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rejects_other_versions_and_garbage() {
        assert!(matches!(
            parse(
                "b.json",
                r#"{"version": 2, "tool": "afcheck", "findings": []}"#
            ),
            Err(BaselineError::Version { found: 2, .. })
        ));
        assert!(matches!(
            parse("b.json", "not json"),
            Err(BaselineError::Invalid { .. })
        ));
        assert!(matches!(
            parse("b.json", "{}"),
            Err(BaselineError::Invalid { .. })
        ));
        let b = parse(
            "b.json",
            r#"{"version": 1, "tool": "afcheck", "findings": []}"#,
        )
        .unwrap();
        assert!(b.is_empty());
    }
}
