//! Fingerprints of findings, for baselines and for the `fingerprint` of
//! the JSON, SARIF and GitLab reports: a hash of the rule ID, the file
//! path, the offending content with every secret replaced by
//! [`SECRET_PLACEHOLDER`], and an occurrence index (see
//! [`crate::baseline`] for what that buys). A leaf: the run's secrets come
//! in through [`Secrets`], the files through a lookup.

use std::collections::HashMap;

use crate::finding::Finding;
use crate::source::{SourceFile, Span};

/// What replaces a secret in the content that is fingerprinted.
pub const SECRET_PLACEHOLDER: &str = "<secret>";

/// What the fingerprints need to know of the run's secrets
/// (implemented by [`crate::report::redact::Redactor`]).
pub trait Secrets {
    /// The secret spans of a file, sorted and disjoint.
    fn spans(&self, file: u32) -> &[Span];
    /// `text` (about `file`) with every secret value or piece of one
    /// replaced by `placeholder`.
    fn replace_values(&self, file: Option<u32>, text: &str, placeholder: &str) -> String;
}

/// The fingerprint of every finding, in the order of `findings`; `source`
/// gives the text of a finding's file.
pub fn fingerprints<S: std::ops::Deref<Target = SourceFile>>(
    findings: &[Finding],
    source: impl Fn(u32) -> Option<S>,
    red: &dyn Secrets,
) -> Vec<String> {
    let mut fp = Fingerprinter::default();
    findings
        .iter()
        .map(|f| fp.next(source(f.file).as_deref(), f, red))
        .collect()
}

/// Fingerprints one finding at a time, in report order (a reporter that
/// streams its findings reads each file once, and keeps no list).
#[derive(Debug, Default)]
pub struct Fingerprinter {
    seen: HashMap<[u8; 32], u32>,
}

impl Fingerprinter {
    /// The fingerprint of the next finding; `src` is its file's text.
    pub fn next(&mut self, src: Option<&SourceFile>, f: &Finding, red: &dyn Secrets) -> String {
        let path = src.map(|s| s.path.as_str()).unwrap_or("");
        let content = match src {
            Some(src) => content_of(src, f, red),
            None => red.replace_values(
                None,
                f.fingerprint_hint.as_deref().unwrap_or_default(),
                SECRET_PLACEHOLDER,
            ),
        };
        fingerprint(&mut self.seen, f.rule, path, &content)
    }
}

/// One fingerprint: `seen` counts the earlier findings with the same rule,
/// path and content (the occurrence index).
pub fn fingerprint(
    seen: &mut HashMap<[u8; 32], u32>,
    rule: &str,
    path: &str,
    content: &str,
) -> String {
    let mut key = Sha256::new();
    key.update(rule.as_bytes());
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
    hex(&h.finish()[..16])
}

/// The normalised offending content of a finding (see the module docs):
/// nothing of a secret value is in it.
pub fn content_of(src: &SourceFile, f: &Finding, red: &dyn Secrets) -> String {
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
    red: &dyn Secrets,
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
}
