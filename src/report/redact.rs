//! Masking of secret values: one redaction pass over every string afcheck
//! writes (reports in every format, baselines, fingerprints).
//!
//! A [`Redactor`] is built once per output from the whole run:
//!
//! - **spans**, per file: every span any rule marked as a secret (the engine
//!   runs every rule for this, selected or not, and keeps the spans of
//!   findings that are later suppressed, ignored or deduplicated, see
//!   [`crate::document::AnalyzedFile::sensitive`]), the values of a
//!   Kubernetes `Secret`'s `data`/`stringData`, the values of Airflow's
//!   sensitive options, and the password (or a token-like user name) of
//!   every URL with credentials (`scheme://user:pass@host`). Source
//!   snippets mask these spans (a span that starts before the snippet is
//!   masked too); fingerprints replace them by a placeholder.
//! - **values**: the text of those spans (and of each line of a multi-line
//!   one), matched in free text (messages, fix hints, related messages,
//!   snippet lines, baseline messages) ASCII-case-insensitively, so a value
//!   expanded from an `ARG` into another instruction, quoted by another rule
//!   or upper-cased by a syntax error is masked as well. A whole value is
//!   matched when it has at least [`MIN_VALUE_LEN`] characters and is not
//!   word-like (only letters of one case, optionally capitalised, and
//!   `-_./`, or only digits) unless it has at least [`LONG_VALUE_LEN`]
//!   characters: a password `airflow` or `changeme` is masked where it
//!   stands (span) but not in every message that says `airflow`. Every
//!   [`WINDOW`]-byte piece of a value is matched too (unless the piece is
//!   itself word-like), so a truncated or partly quoted secret is masked.
//! - **structure**: in any text, the password of a URL with credentials is
//!   masked whatever its length.
//!
//! What is shown of a secret: a whole value of at least 16 characters keeps
//! its first 4 characters, then [`MASK`] (`ghp_****`, `AKIA****`); anything
//! else (shorter values, pieces of values, URL passwords) is [`MASK`].
//! Matching is linear in the text: one Aho-Corasick pass for whole values
//! and one hash lookup per byte for pieces.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::document::FileSummary;
use crate::engine::Run;
use crate::source::Span;

pub use crate::mask::{MASK, mask};
use crate::secrets::spans::is_reference;
pub use crate::secrets::spans::{WINDOW, url_credentials, word_like};

/// Values shorter than this are not searched for in free text: replacing
/// every `ab` in a message would mangle it and protect nothing. They are
/// still masked where they stand in a snippet.
pub const MIN_SCRUB_LEN: usize = 4;
/// Same as [`MIN_SCRUB_LEN`].
pub const MIN_VALUE_LEN: usize = MIN_SCRUB_LEN;
/// Word-like values at least this long are matched in free text too.
pub const LONG_VALUE_LEN: usize = 12;
/// Bounds on what one run may load into the redactor (hostile input: a
/// 10 MiB file of secrets): at most this many 8-byte pieces and this many
/// bytes of whole values matched in free text; secrets beyond them are
/// still masked where they stand in snippets and fingerprints.
const MAX_WINDOWS: usize = 1_000_000;
const MAX_VALUE_BYTES: usize = 1 << 20;

/// Replaces every literal occurrence of one of `secrets` in `text` with its
/// [`mask`] (a simple helper for callers without a run; reporters use
/// [`Redactor`]). Borrows when there is nothing to replace.
pub fn scrub<'t>(text: &'t str, secrets: &[&str]) -> Cow<'t, str> {
    let mut out = Cow::Borrowed(text);
    // Longest first, so a secret that contains another is masked whole.
    let mut sorted: Vec<&str> = secrets.to_vec();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in sorted {
        if s.len() >= MIN_SCRUB_LEN && out.contains(s) {
            out = Cow::Owned(out.replace(s, &mask(s)));
        }
    }
    out
}

fn window_key(w: &[u8]) -> u64 {
    let mut k = [0u8; 8];
    for (d, s) in k.iter_mut().zip(w) {
        *d = s.to_ascii_lowercase();
    }
    u64::from_le_bytes(k)
}

fn hash_lower(b: &[u8]) -> u64 {
    // FNV-1a over lower-cased bytes: only used to recognise a whole value
    // in memory (to decide whether its prefix may be shown); never output.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in b {
        h ^= u64::from(c.to_ascii_lowercase());
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Strips whitespace and one pair of surrounding quotes.
fn unquote(v: &str) -> &str {
    let t = v.trim();
    for q in ['"', '\''] {
        if let Some(inner) = t.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner.trim();
        }
    }
    t
}

/// A key that names a secret value: password- or secret-like for the
/// detectors' key classifier, and ending with the word that says so
/// (`db_password`, `api_token`, `fernet_key`, `client_secret`; not
/// `tokenizer` or `secret_volume`).
pub fn secret_key(key: &str) -> bool {
    if crate::secrets::keyed::classify_key(key).is_none() {
        return false;
    }
    let norm: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const ENDS: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "pass",
        "secret",
        "secrets",
        "token",
        "key",
        "credential",
        "credentials",
        "passphrase",
    ];
    ENDS.iter().any(|e| norm.ends_with(e))
}

fn key_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

/// Spans of values in sensitive positions by their key, read line by line
/// in any file kind, whatever the value looks like (the detectors also
/// judge the value; this does not): `key: value`, `key = value`,
/// `KEY=value` and `--key=value` anywhere in a line, `ENV KEY value`, and
/// the `value:` after a `name:` in a list of environment variables. The key
/// must be password- or secret-like ([`crate::secrets::keyed::classify_key`]);
/// references and placeholders are left out.
/// Where a value written to the end of the line stops: before an escaped
/// line break (`\n`) followed by another `key:` or `key=` pair, else at the
/// end.
fn escaped_line_end(v: &str) -> usize {
    let mut from = 0;
    while let Some(i) = v[from..].find("\\n").map(|i| i + from) {
        let rest = v[i + 2..].trim_start_matches([' ', '\t']);
        let key = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .unwrap_or(rest.len());
        if key > 0 && rest[key..].trim_start_matches(' ').starts_with([':', '=']) {
            return i;
        }
        from = i + 2;
    }
    v.len()
}

pub fn sensitive_keys(text: &str, out: &mut Vec<Span>) {
    let classify_key = |k: &str| secret_key(k).then_some(());
    // `to_eol`: the value runs to the end of the line (`key: value`,
    // `key = value`); otherwise to the first blank (`KEY=value`, flags).
    let push_to = |start: usize, raw: &str, to_eol: bool, out: &mut Vec<Span>| {
        let mut lead = raw.len() - raw.trim_start().len();
        let mut v = raw.trim();
        // An escaped quote (`password=\"x\"` inside a quoted string).
        if let Some(r) = v.strip_prefix('\\').filter(|r| r.starts_with(['"', '\''])) {
            lead += 1;
            v = r;
        }
        let (s, v) = match v.as_bytes().first() {
            Some(b'"') | Some(b'\'') => {
                let q = v.as_bytes()[0] as char;
                let inner = &v[1..];
                let end = inner.find(q).unwrap_or(inner.len());
                let end = if inner[..end].ends_with('\\') {
                    end - 1
                } else {
                    end
                };
                (start + lead + 1, &inner[..end])
            }
            // In a double-quoted YAML string, `\n` ends a line: a value
            // stops before an escaped line break that starts another
            // `key: value` (`values: "a_key: x\nother: y"`).
            _ if to_eol => (start + lead, &v[..escaped_line_end(v)]),
            _ => {
                // Up to a blank, a separator of another pair or a quote.
                let end = v
                    .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '`'))
                    .unwrap_or(v.len());
                (start + lead, &v[..end])
            }
        };
        if v.is_empty()
            || v.starts_with(['|', '>', '&', '*', '[', '{'])
            || is_reference(v)
            || crate::secrets::placeholder::is_reference_or_placeholder(v)
        {
            return;
        }
        out.push(Span::new(s, s + v.len()));
    };
    let push = |start: usize, raw: &str, out: &mut Vec<Span>| push_to(start, raw, false, out);
    static ANCHORS: std::sync::OnceLock<Option<AhoCorasick>> = std::sync::OnceLock::new();
    let anchors = ANCHORS.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build([
                "pass",
                "pwd",
                "secret",
                "token",
                "key",
                "credential",
                " -u ",
                "-user ",
            ])
            .ok()
    });
    // One pass for the words a secret key has; only lines holding one (or
    // following one that names a secret) are read.
    let hits: Vec<usize> = match anchors {
        Some(a) => a.find_iter(text).map(|m| m.start()).collect(),
        None => Vec::new(),
    };
    if hits.is_empty() {
        return;
    }
    let mut next_hit = 0usize;
    let mut off = 0usize;
    let mut env_name_secret = false;
    for line in text.split_inclusive('\n') {
        let base = off;
        off += line.len();
        while next_hit < hits.len() && hits[next_hit] < base {
            next_hit += 1;
        }
        let has_word = next_hit < hits.len() && hits[next_hit] < off;
        if !env_name_secret && !has_word {
            continue;
        }
        let body = line.trim_end_matches(['\n', '\r']);
        if body.len() > 64 * 1024 {
            env_name_secret = false;
            continue;
        }
        let b = body.as_bytes();
        let ind = body.len() - body.trim_start().len();
        let mut rest = &body[ind..];
        let mut at = ind;
        if let Some(r) = rest.strip_prefix("- ") {
            at += 2 + (r.len() - r.trim_start().len());
            rest = r.trim_start();
        }
        // `name: X` then `value: Y` (Kubernetes env, Compose).
        if let Some(v) = rest.strip_prefix("value:") {
            if env_name_secret {
                push_to(base + at + 6, v, true, out);
            }
            env_name_secret = false;
        } else if let Some(n) = rest.strip_prefix("name:") {
            let n = n.trim().trim_matches(|c| c == '"' || c == '\'');
            env_name_secret = classify_key(n).is_some();
        } else if !rest.is_empty() {
            env_name_secret = false;
        }
        // `ENV KEY value` (legacy form).
        let upper = rest.get(..4).map(|s| s.to_ascii_uppercase());
        if upper.as_deref() == Some("ENV ") {
            let r = &rest[4..];
            let k_end = r
                .find(|c: char| c.is_whitespace() || c == '=')
                .unwrap_or(r.len());
            if r[k_end..].starts_with(' ') && classify_key(&r[..k_end]).is_some() {
                push(base + at + 4 + k_end, &r[k_end..], out);
            }
        }
        // `-u user:pass`, `--user user:pass` (curl, wget), and a flag named
        // like a secret with its value after a space (`--password x`).
        for (i, _) in body.match_indices(" -") {
            let f = &body[i + 1..];
            let name_end = f.find([' ', '=']).unwrap_or(f.len());
            let name = &f[..name_end];
            if !f[name_end..].starts_with(' ') {
                continue;
            }
            let val_at = i + 1 + name_end + 1;
            let val = &body[val_at..];
            if matches!(name, "-u" | "--user" | "--proxy-user" | "--http-user") {
                let tok_end = val.find(char::is_whitespace).unwrap_or(val.len());
                let tok = val[..tok_end].trim_matches(|c| c == '"' || c == '\'');
                let q = usize::from(val.starts_with(['"', '\'']));
                if let Some(colon) = tok.find(':') {
                    push(base + val_at + q + colon + 1, &tok[colon + 1..], out);
                }
            } else if name.starts_with("--") && classify_key(name.trim_start_matches('-')).is_some()
            {
                push(base + val_at, val, out);
            }
        }
        // Every `key: value`, `key = value`, `key=value` in the line.
        let mut i = 0;
        while i < b.len() {
            if !key_byte(b[i]) || (i > 0 && key_byte(b[i - 1])) {
                i += 1;
                continue;
            }
            let k0 = i;
            while i < b.len() && key_byte(b[i]) {
                i += 1;
            }
            let k1 = i;
            // A quoted key: `"password": "x"`.
            if k0 > 0 && matches!(b[k0 - 1], b'"' | b'\'') && i < b.len() && b[i] == b[k0 - 1] {
                i += 1;
            }
            let mut j = i;
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
            let sep = b.get(j).copied();
            let value_at = match sep {
                Some(b'=') if j + 1 < b.len() && b[j + 1] != b'=' => j + 1,
                Some(b':') if j + 1 < b.len() && b[j + 1] == b' ' => j + 1,
                _ => continue,
            };
            let key = body[k0..k1].trim_start_matches('-');
            if classify_key(key).is_some() {
                let to_eol = sep == Some(b':') || j > i || b.get(value_at) == Some(&b' ');
                push_to(base + value_at, &body[value_at..], to_eol, out);
            }
            i = value_at;
        }
    }
}

/// Sorts and merges overlapping (or touching) spans.
fn merge(list: &mut Vec<Span>) {
    list.retain(|s| !s.is_empty());
    list.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(list.len());
    for s in list.drain(..) {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => *last = last.cover(s),
            _ => merged.push(s),
        }
    }
    *list = merged;
}

/// Every secret span of one file that does not depend on findings
/// ([`crate::document::sensitive_spans`]).
pub fn sensitive_spans(af: &FileSummary) -> Vec<Span> {
    crate::document::sensitive_spans(&af.text(), &af.sensitive, &af.airflow)
}

/// Values of Airflow's sensitive options and connections as the settings
/// hold them, whatever file they were read from (an `env_file` next to a
/// Compose file is not itself in the run): whole values, or the
/// credentials of URI values.
pub fn sensitive_values(af: &FileSummary) -> Vec<String> {
    let mut out = Vec::new();
    for s in &af.airflow {
        // Token-shaped secrets anywhere in what the setting holds (its name
        // and value may come from a file outside the run, an `env_file`).
        for text in [Some(s.name.as_str()), s.value.as_deref()]
            .into_iter()
            .flatten()
        {
            if crate::secrets::detect::has_candidate(text) {
                let mut hits = Vec::new();
                crate::secrets::detect::scan_tokens(text, 0, &mut hits);
                out.extend(
                    hits.iter()
                        .filter_map(|h| text.get(h.span.start()..h.span.end()))
                        .map(str::to_string),
                );
            }
        }
        let Some(value) = &s.value else { continue };
        let connection = s.marker == Some(crate::airflow::sources::Marker::Connection);
        if s.implicit || (s.marker.is_some() && !connection) {
            continue;
        }
        let sensitive = connection
            || crate::airflow::knowledge::is_sensitive(&s.section, &s.key)
            || secret_key(&s.key);
        if !sensitive || is_reference(value) {
            continue;
        }
        if value.contains("://") {
            let mut spans = Vec::new();
            url_credentials(value, 0, &mut spans);
            out.extend(
                spans
                    .iter()
                    .map(|sp| value[sp.start()..sp.end()].to_string()),
            );
        } else if !crate::secrets::placeholder::is_reference_or_placeholder(value) {
            out.push(value.clone());
        }
    }
    out
}

/// Spans of values that are secret by their key only (see
/// [`sensitive_keys`]): masked where they stand, but matched in free text
/// only when they are not word-like.
pub fn keyed_spans(af: &FileSummary) -> Vec<Span> {
    let mut v = Vec::new();
    if af.kind != crate::document::Kind::Unreadable {
        sensitive_keys(&af.text(), &mut v);
    }
    v
}

/// Free-text matching of a set of values (whole values and pieces).
#[derive(Default)]
struct Matcher {
    patterns: HashSet<Vec<u8>>,
    bytes: usize,
    values: Option<AhoCorasick>,
    windows: HashSet<u64>,
}

impl Matcher {
    /// Adds a value; `whole_word_like`: match it whole even if word-like
    /// (long values a rule confirmed).
    fn add(&mut self, v: &str, whole_word_like: bool) {
        let b = v.as_bytes();
        if b.len() < MIN_VALUE_LEN || b.contains(&b'\n') {
            // Multi-line values are added line by line: a pattern across a
            // line break would mask the break.
            return;
        }
        let whole = !word_like(b) || (whole_word_like && b.len() >= LONG_VALUE_LEN);
        // Pieces: every 8-byte window that is not itself word-like, URL
        // syntax or edged with a blank. When every window of the value is
        // a piece, its whole occurrences are masked by them and the value
        // needs no automaton pattern (which costs far more memory).
        let mut all_pieces = b.len() > WINDOW;
        if b.len() > WINDOW {
            for w in b.windows(WINDOW) {
                let edge = |c: u8| c.is_ascii_whitespace();
                // `https://`, `://host`: URL syntax, in any link.
                let url = w.windows(2).any(|p| p == b"//" || p == b":/");
                if word_like(w) || edge(w[0]) || edge(w[WINDOW - 1]) || url {
                    all_pieces = false;
                } else if self.windows.len() < MAX_WINDOWS {
                    self.windows.insert(window_key(w));
                } else {
                    all_pieces = false;
                }
            }
        }
        if whole
            && !all_pieces
            && self.bytes < MAX_VALUE_BYTES
            && self.patterns.insert(b.to_ascii_lowercase())
        {
            self.bytes += b.len();
        }
    }

    fn build(&mut self) {
        if !self.patterns.is_empty() {
            let pats: Vec<Vec<u8>> = std::mem::take(&mut self.patterns).into_iter().collect();
            self.values = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&pats)
                .ok();
        }
    }

    fn is_empty(&self) -> bool {
        self.values.is_none() && self.windows.is_empty() && self.patterns.is_empty()
    }

    fn find(&self, b: &[u8], found: &mut Vec<(usize, usize)>) {
        if let Some(ac) = &self.values {
            for m in ac.find_overlapping_iter(b) {
                found.push((m.start(), m.end()));
            }
        }
        if !self.windows.is_empty() && b.len() >= WINDOW {
            for i in 0..=b.len() - WINDOW {
                if self.windows.contains(&window_key(&b[i..i + WINDOW])) {
                    found.push((i, i + WINDOW));
                }
            }
        }
    }
}

/// The run-wide redaction state (see the module docs).
pub struct Redactor {
    spans: Vec<Vec<Span>>,
    /// Values confirmed secret (by a rule or their place): matched in the
    /// text of every file's findings (a project rule may quote another
    /// file).
    global: Matcher,
    /// Values secret by their key only: matched in the texts of their own
    /// file's findings.
    local: HashMap<u32, Matcher>,
    /// Hashes of whole values of 16+ characters, whose first 4 characters
    /// may be shown.
    long: HashSet<u64>,
}

impl Redactor {
    /// A redactor that masks nothing.
    pub fn empty() -> Redactor {
        Redactor {
            spans: Vec::new(),
            global: Matcher::default(),
            local: HashMap::new(),
            long: HashSet::new(),
        }
    }

    pub fn new(run: &Run) -> Redactor {
        use rayon::prelude::*;
        // The secret spans findings mark, per file, in report order.
        let mut marked: Vec<Vec<Span>> = vec![Vec::new(); run.files.len()];
        for f in &run.findings {
            if let Some(list) = marked.get_mut(f.file as usize) {
                list.extend(f.secrets.iter().copied());
            }
        }
        // Key-marked values matter only where text is shown: files with a
        // finding or a related location.
        let mut shown = vec![false; run.files.len()];
        for f in &run.findings {
            for i in std::iter::once(f.file).chain(f.related.iter().map(|r| r.file)) {
                if let Some(x) = shown.get_mut(i as usize) {
                    *x = true;
                }
            }
        }
        // Per file: (confirmed spans, key-marked spans, their values). A
        // file whose text the engine did not keep (no finding shows it)
        // brings the values of its secret spans instead; a kept text is
        // decompressed here once, one file at a time per thread.
        type PerFile = (Vec<Span>, Vec<Span>, Vec<String>, Vec<String>);
        let per_file: Vec<PerFile> = run
            .files
            .par_iter()
            .zip(marked)
            .zip(&shown)
            .map(|((af, marked), &on)| {
                // The text alone: no line index is needed here.
                let Some(text) = af.has_source().then(|| af.text()) else {
                    return (Vec::new(), Vec::new(), af.secret_values.clone(), Vec::new());
                };
                // A file re-read from disk that changed since it was checked
                // shows no text: its secret values are those taken then.
                if af.changed() {
                    return (Vec::new(), Vec::new(), af.secret_values.clone(), Vec::new());
                }
                let len = text.len();
                let mut confirmed =
                    crate::document::sensitive_spans(&text, &af.sensitive, &af.airflow);
                confirmed.extend(marked.into_iter().filter(|s| s.end() <= len));
                let mut keyed = Vec::new();
                if on && af.kind != crate::document::Kind::Unreadable {
                    sensitive_keys(&text, &mut keyed);
                }
                let values = |l: &[Span]| {
                    l.iter()
                        .map(|s| crate::source::slice(&text, *s).to_string())
                        .collect()
                };
                let (cv, kv) = (values(&confirmed), values(&keyed));
                (confirmed, keyed, cv, kv)
            })
            .collect();
        let mut r = Redactor::empty();
        let mut spans = Vec::with_capacity(per_file.len());
        for (i, (confirmed, keyed, cv, kv)) in per_file.into_iter().enumerate() {
            let mut local = Matcher::default();
            for (list, sure) in [(&cv, true), (&kv, false)] {
                for value in list.iter() {
                    let value = value.as_str();
                    let lines = value.contains('\n').then(|| value.lines());
                    for v in std::iter::once(value).chain(lines.into_iter().flatten()) {
                        let v = unquote(v);
                        if v.chars().count() >= 16 {
                            r.long.insert(hash_lower(v.as_bytes()));
                        }
                        if sure {
                            r.global.add(v, true);
                        } else {
                            local.add(v, false);
                        }
                    }
                }
            }
            if !local.is_empty() {
                local.build();
                r.local.insert(i as u32, local);
            }
            let mut a = confirmed;
            a.extend(keyed);
            merge(&mut a);
            spans.push(a);
        }
        for af in &run.files {
            for v in sensitive_values(af) {
                let v = unquote(&v);
                if v.chars().count() >= 16 {
                    r.long.insert(hash_lower(v.as_bytes()));
                }
                r.global.add(v, true);
            }
        }
        r.global.build();
        r.spans = spans;
        r
    }

    /// The secret spans of a file, sorted and disjoint.
    pub fn spans(&self, file: u32) -> &[Span] {
        self.spans.get(file as usize).map_or(&[], |v| v.as_slice())
    }

    /// [`Self::ranges_in`] without a file: only values confirmed secret.
    pub fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        self.ranges_in(None, text)
    }

    /// Byte ranges of `text` (written about `file`) to mask: occurrences of
    /// secret values and of pieces of them, and URL credentials. Sorted,
    /// disjoint, on character boundaries.
    pub fn ranges_in(&self, file: Option<u32>, text: &str) -> Vec<(usize, usize)> {
        let b = text.as_bytes();
        let mut found: Vec<(usize, usize)> = Vec::new();
        self.global.find(b, &mut found);
        if let Some(m) = file.and_then(|f| self.local.get(&f)) {
            m.find(b, &mut found);
        }
        if text.contains("://") {
            let mut spans = Vec::new();
            url_credentials(text, 0, &mut spans);
            found.extend(spans.iter().map(|s| (s.start(), s.end())));
        }
        if found.is_empty() {
            return found;
        }
        found.sort_unstable();
        let mut out: Vec<(usize, usize)> = Vec::with_capacity(found.len());
        for (mut s, mut e) in found {
            while s > 0 && !text.is_char_boundary(s) {
                s -= 1;
            }
            while e < b.len() && !text.is_char_boundary(e) {
                e += 1;
            }
            match out.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => out.push((s, e)),
            }
        }
        out
    }

    /// The mask shown for a masked piece of text.
    pub fn mask_of(&self, piece: &str) -> String {
        if self.long.contains(&hash_lower(piece.as_bytes())) {
            mask(piece)
        } else {
            MASK.to_string()
        }
    }

    /// `text` with every secret value, piece of one and URL credential
    /// masked. Borrows when there is nothing to mask.
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.text_in(None, text)
    }

    /// [`Self::text`] for a text about `file` (its key-marked values too).
    pub fn text_in<'t>(&self, file: Option<u32>, text: &'t str) -> Cow<'t, str> {
        let ranges = self.ranges_in(file, text);
        if ranges.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (s, e) in ranges {
            out.push_str(&text[at..s]);
            out.push_str(&self.mask_of(&text[s..e]));
            at = e;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }

    /// `text` (about `file`) with every secret value or piece replaced by
    /// `placeholder`.
    pub fn replace_values(&self, file: Option<u32>, text: &str, placeholder: &str) -> String {
        let ranges = self.ranges_in(file, text);
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (s, e) in ranges {
            out.push_str(&text[at..s]);
            out.push_str(placeholder);
            at = e;
        }
        out.push_str(&text[at..]);
        out
    }
}

impl crate::fingerprint::Secrets for Redactor {
    fn spans(&self, file: u32) -> &[Span] {
        Redactor::spans(self, file)
    }
    fn replace_values(&self, file: Option<u32>, text: &str, placeholder: &str) -> String {
        Redactor::replace_values(self, file, text, placeholder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_replaces_literal_secrets_only() {
        let secret = "AKIAZZZZZZZZZZZZZZZZ";
        let text = format!("key {secret} found; again {secret}");
        let out = scrub(&text, &[secret, "ab"]);
        assert!(!out.contains(secret));
        assert_eq!(out, "key AKIA**** found; again AKIA****");
        assert!(matches!(scrub("nothing", &[secret]), Cow::Borrowed(_)));
    }

    #[test]
    fn url_credentials_find_passwords_and_token_users() {
        let text = "a https://user:pa55@example.com/x b git+https://ghp_abcDEF123456@github.com c http://host/x@y d ${X}://u:${P}@h";
        let mut v = Vec::new();
        url_credentials(text, 0, &mut v);
        let got: Vec<&str> = v.iter().map(|s| &text[s.start()..s.end()]).collect();
        assert_eq!(got, ["pa55", "ghp_abcDEF123456"]);
    }

    #[test]
    fn a_value_in_a_quoted_string_stops_at_an_escaped_line_break() {
        let text = "values: \"webserverSecretKey: Zm9vYmFy0123\\napiSecretKeySecretName: my-secret\\nexecutor: CeleryExecutor\\n\"\npassword: ab\\ncd\n";
        let mut v = Vec::new();
        sensitive_keys(text, &mut v);
        let got: Vec<&str> = v.iter().map(|s| &text[s.start()..s.end()]).collect();
        assert_eq!(got, ["Zm9vYmFy0123", "ab\\ncd"]);
    }

    #[test]
    fn sensitive_keys_find_values_by_their_key() {
        let text = "db_password: hunter2x\n--tokenizer=google/gemma-3-1b\nENV API_TOKEN abc123xyz\nRUN curl -u me:pa55word https://x --client-secret s3cr3tval\n- name: SMTP_PASSWORD\n  value: \"p@ss w0rd\"\nsecret_key = k3y with spaces\njaas: \"x password=\\\"S3cr3tVal9\\\";\"\n";
        let mut v = Vec::new();
        sensitive_keys(text, &mut v);
        let got: Vec<&str> = v.iter().map(|s| &text[s.start()..s.end()]).collect();
        assert_eq!(
            got,
            [
                "hunter2x",
                "abc123xyz",
                "pa55word",
                "s3cr3tval",
                "p@ss w0rd",
                "k3y with spaces",
                "S3cr3tVal9"
            ]
        );
    }

    #[test]
    fn url_syntax_is_not_a_piece_of_a_secret() {
        let text =
            "api_token: https://hooks.corp.internal/T0k3nP4rt\nsee https://kubernetes.io/docs\n";
        let files = vec![crate::document::FileSummary::bare(
            crate::source::SourceFile::new("x.yaml", text),
        )];
        let run = Run::new(
            files,
            vec![crate::finding::Finding::of("AFY001", Span::empty(0), "m")],
            None,
        );
        let r = Redactor::new(&run);
        assert_eq!(
            r.text_in(Some(0), "see https://kubernetes.io/docs"),
            "see https://kubernetes.io/docs"
        );
        assert_eq!(r.text_in(Some(0), "x T0k3nP4rt y"), "x **** y");
    }

    #[test]
    fn word_like_values() {
        assert!(word_like(b"airflow"));
        assert!(word_like(b"Password"));
        assert!(word_like(b"SMTP_PASSWORD"));
        assert!(word_like(b"12345678"));
        assert!(!word_like(b"hunter2x"));
        assert!(!word_like(b"qXwVnTyB"));
    }
}
