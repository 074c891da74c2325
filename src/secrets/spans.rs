//! Secret positions found by the shape of the text alone: URL credentials,
//! and what is a reference rather than a value. Used by the document layer
//! (the sensitive spans of a file) and by the run's redaction.

use crate::source::Span;

/// Length of the pieces of a value matched in free text.
pub const WINDOW: usize = 8;

/// Only letters of one case (optionally capitalised) and `-_./ `, or only
/// digits and `.`: a word, a key name, a path or a number, which free-text
/// matching must not mask everywhere.
pub fn word_like(b: &[u8]) -> bool {
    let sep = |c: u8| matches!(c, b'-' | b'_' | b'.' | b'/' | b' ');
    if b.is_empty() {
        return true;
    }
    let lower = b.iter().all(|&c| c.is_ascii_lowercase() || sep(c));
    let upper = b.iter().all(|&c| c.is_ascii_uppercase() || sep(c));
    let capital =
        b[0].is_ascii_uppercase() && b[1..].iter().all(|&c| c.is_ascii_lowercase() || sep(c));
    let digits = b.iter().all(|&c| c.is_ascii_digit() || c == b'.');
    lower || upper || capital || digits
}

/// Spans of URL credentials in `text`: the password of
/// `scheme://user:password@host`, or a token-like user name
/// (`https://<token>@host`). `base` is added to every offset.
pub fn url_credentials(text: &str, base: usize, out: &mut Vec<Span>) {
    let b = text.as_bytes();
    for (at, _) in text.match_indices("://") {
        // A scheme before it.
        let mut s = at;
        while s > 0 && (b[s - 1].is_ascii_alphanumeric() || matches!(b[s - 1], b'+' | b'-' | b'.'))
        {
            s -= 1;
        }
        if s == at || !b[s].is_ascii_alphabetic() {
            continue;
        }
        let start = at + 3;
        let mut end = start;
        while end < b.len()
            && !matches!(
                b[end],
                b'/' | b'?'
                    | b'#'
                    | b' '
                    | b'\t'
                    | b'\n'
                    | b'\r'
                    | b'"'
                    | b'\''
                    | b'`'
                    | b'<'
                    | b'>'
                    | b'\\'
            )
        {
            end += 1;
        }
        let auth = &b[start..end];
        let Some(atsign) = auth.iter().rposition(|&c| c == b'@') else {
            continue;
        };
        let userinfo = &auth[..atsign];
        if userinfo.is_empty() {
            continue;
        }
        let (off, cred) = match userinfo.iter().position(|&c| c == b':') {
            Some(colon) => (colon + 1, &userinfo[colon + 1..]),
            None if userinfo.len() >= WINDOW && !word_like(userinfo) => (0, userinfo),
            None => continue,
        };
        if cred.is_empty() {
            continue;
        }
        let cred_str = std::str::from_utf8(cred).unwrap_or("");
        if is_reference(cred_str) {
            continue;
        }
        out.push(Span::new(
            base + start + off,
            base + start + off + cred.len(),
        ));
    }
}

/// A syntactic reference rather than a value (`$VAR`, `${VAR}`, `$(cmd)`,
/// `{{ .Values.x }}`, `%(x)s`, `<password>`).
pub fn is_reference(v: &str) -> bool {
    let t = v.trim();
    t.is_empty()
        || t.starts_with('$')
        || t.contains("${")
        || t.contains("$(")
        || t.contains("{{")
        || t.contains("%(")
        || (t.starts_with('<') && t.ends_with('>'))
        || t.chars().all(|c| c == '*' || c == 'x' || c == 'X')
}
