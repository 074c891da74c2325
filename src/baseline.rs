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

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::Run;
use crate::finding::Finding;
use crate::report::redact::Redactor;
use crate::source::{SourceFile, Span};

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

/// What replaces a secret in the content that is fingerprinted.
pub const SECRET_PLACEHOLDER: &str = "<secret>";

/// The fingerprint of every finding of the run, in the order of
/// `run.findings`.
pub fn fingerprints(run: &Run) -> Vec<String> {
    fingerprints_with(run, &Redactor::new(run))
}

/// [`fingerprints`] with the run's redactor already built.
pub fn fingerprints_with(run: &Run, red: &Redactor) -> Vec<String> {
    let mut seen: HashMap<[u8; 32], u32> = HashMap::with_capacity(run.findings.len());
    let mut out = Vec::with_capacity(run.findings.len());
    for f in &run.findings {
        let file = run.files.get(f.file as usize).map(|a| &a.file);
        let path = file.map(|s| s.path.as_str()).unwrap_or("");
        let content = match file {
            Some(src) => content_of(src, f, red),
            None => red.replace_values(
                None,
                f.fingerprint_hint.as_deref().unwrap_or_default(),
                SECRET_PLACEHOLDER,
            ),
        };
        let mut key = Sha256::new();
        key.update(f.rule.as_bytes());
        key.update(b"\0");
        key.update(path.as_bytes());
        key.update(b"\0");
        key.update(content.as_bytes());
        let key = key.finish();
        let n = seen.entry(key).or_insert(0);
        let mut h = Sha256::new();
        h.update(b"afcheck-fingerprint-v1\0");
        h.update(&key);
        h.update(&n.to_le_bytes());
        *n += 1;
        out.push(hex(&h.finish()[..16]));
    }
    out
}

/// The normalised offending content of a finding (see the module docs):
/// nothing of a secret value is in it.
fn content_of(src: &SourceFile, f: &Finding, red: &Redactor) -> String {
    if let Some(hint) = &f.fingerprint_hint {
        return collapse(&red.replace_values(Some(f.file), hint, SECRET_PLACEHOLDER));
    }
    let mut span = f.span;
    let len = src.text.len();
    span = Span::new(span.start().min(len), span.end().min(len));
    if src.slice(span).trim().is_empty() {
        let line = src.lines.line_of(span.start());
        span = src.lines.line_span(&src.text, line);
    }
    let mut spans: Vec<Span> = red.spans(f.file).to_vec();
    if !f.secrets.is_empty() {
        // A hand-built run may mark spans the redactor was not built with.
        spans.extend(f.secrets.iter().copied());
        spans.sort();
    }
    collapse(&with_placeholders(src, f.file, span, &spans, red))
}

/// The text of `span` with each secret span inside it, and each secret
/// value or piece of one, replaced by [`SECRET_PLACEHOLDER`].
fn with_placeholders(
    src: &SourceFile,
    file: u32,
    span: Span,
    secrets: &[Span],
    red: &Redactor,
) -> String {
    let mut out = String::new();
    let mut at = span.start();
    for s in secrets {
        if s.end() <= at || s.start() >= span.end() || s.end() <= span.start() {
            if s.is_empty() && s.start() >= at && s.start() < span.end() {
                // An empty secret span still marks a secret position.
                out.push_str(src.slice(Span::new(at, s.start())));
                out.push_str(SECRET_PLACEHOLDER);
                at = s.start();
            }
            continue;
        }
        let start = s.start().max(at);
        out.push_str(src.slice(Span::new(at, start)));
        out.push_str(SECRET_PLACEHOLDER);
        at = s.end().min(span.end());
    }
    if at < span.end() {
        out.push_str(src.slice(Span::new(at, span.end())));
    }
    red.replace_values(Some(file), &out, SECRET_PLACEHOLDER)
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
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

/// A small SHA-256 (FIPS 180-4), so fingerprints are stable across
/// platforms and releases without another dependency.
pub(crate) struct Sha256 {
    state: [u32; 8],
    buf: [u8; 64],
    buf_len: usize,
    total: u64,
}

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

impl Sha256 {
    pub(crate) fn new() -> Self {
        Sha256 {
            state: [
                0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
                0x5be0cd19,
            ],
            buf: [0; 64],
            buf_len: 0,
            total: 0,
        }
    }

    pub(crate) fn update(&mut self, mut data: &[u8]) {
        self.total = self.total.wrapping_add(data.len() as u64);
        while !data.is_empty() {
            let take = (64 - self.buf_len).min(data.len());
            self.buf[self.buf_len..self.buf_len + take].copy_from_slice(&data[..take]);
            self.buf_len += take;
            data = &data[take..];
            if self.buf_len == 64 {
                let block = self.buf;
                self.compress(&block);
                self.buf_len = 0;
            }
        }
    }

    pub(crate) fn finish(mut self) -> [u8; 32] {
        let bits = self.total.wrapping_mul(8);
        self.update(&[0x80]);
        while self.buf_len != 56 {
            self.update(&[0]);
        }
        self.update(&bits.to_be_bytes());
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }

    fn compress(&mut self, block: &[u8; 64]) {
        let mut w = [0u32; 64];
        for (i, chunk) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = self.state;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = h
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            h = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (s, v) in self.state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *s = s.wrapping_add(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha_hex(data: &[u8]) -> String {
        let mut h = Sha256::new();
        h.update(data);
        hex(&h.finish())
    }

    #[test]
    fn sha256_known_vectors() {
        assert_eq!(
            sha_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        let million = vec![b'a'; 1_000_000];
        assert_eq!(
            sha_hex(&million),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn collapse_whitespace() {
        assert_eq!(collapse("  a \t b\n\nc "), "a b c");
    }

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
