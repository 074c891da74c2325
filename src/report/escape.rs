//! Visible rendering of control characters, so text from scanned files
//! (messages quoting source, snippets, file names) cannot drive a terminal
//! (escape sequences: clear screen, window title, hyperlinks), reorder what
//! is displayed (bidirectional controls) or forge lines of a log that a
//! problem matcher reads.
//!
//! C0 controls (except line feed and tab where a format keeps them) and DEL
//! are written `\xNN` (`\r` as `\r`); C1 controls, bidirectional controls
//! (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), the line and
//! paragraph separators (U+2028, U+2029), zero-width characters (U+200B–U+200D)
//! and U+FEFF are written `<U+XXXX>`.

use std::borrow::Cow;
use std::fmt::Write;

/// Is `c` rendered escaped?
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{FEFF}'
        )
}

/// Writes the visible form of a hidden character.
pub fn push_escaped(out: &mut String, c: char) {
    match c {
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "<U+{:04X}>", c as u32);
        }
    }
}

/// `s` with hidden characters made visible; line breaks (`\n`, `\r\n`) and
/// tabs are kept when `keep_lines` (multi-line messages), escaped otherwise.
pub fn visible(s: &str, keep_lines: bool) -> Cow<'_, str> {
    let kept = |c: char, next: Option<char>| {
        keep_lines && (c == '\n' || c == '\t' || (c == '\r' && next == Some('\n')))
    };
    let mut it = s.chars().peekable();
    let mut any = false;
    while let Some(c) = it.next() {
        if is_hidden(c) && !kept(c, it.peek().copied()) {
            any = true;
            break;
        }
    }
    if !any {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if is_hidden(c) && !kept(c, it.peek().copied()) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A file name for line-oriented human formats (compact, terminal,
/// GitHub annotations): hidden characters made visible and every `:`
/// (except a drive letter's, `C:/`) written `\x3a`, so a name holding
/// `:12:3: error:` cannot make a problem matcher read another location or
/// severity, and a name starting with `::` cannot be read as a workflow
/// command.
pub fn path(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let drive = b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/';
    let colon_at = |i: usize| !(drive && i == 1);
    let needs = s
        .char_indices()
        .any(|(i, c)| is_hidden(c) || (c == ':' && colon_at(i)));
    if !needs {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        if c == ':' && colon_at(i) {
            out.push_str("\\x3a");
        } else if is_hidden(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// At most `max` bytes of `s` (cut at a character boundary, then `…`).
pub fn clamp(s: Cow<'_, str>, max: usize) -> Cow<'_, str> {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = s[..end].to_string();
    out.push('…');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_visible() {
        assert_eq!(visible("a\x1b[2Jb", false), "a\\x1b[2Jb");
        assert_eq!(visible("x\u{202E}y", false), "x<U+202E>y");
        assert_eq!(visible("l1\nl2\r", true), "l1\nl2\\r");
        assert_eq!(visible("l1\r\nl2", true), "l1\r\nl2");
        assert_eq!(visible("l1\nl2", false), "l1\\nl2");
        assert!(matches!(visible("plain é", false), Cow::Borrowed(_)));
        assert_eq!(visible("\u{9b}31m", false), "<U+009B>31m");
    }

    #[test]
    fn paths_cannot_carry_locations() {
        assert_eq!(path("a:1:2: error: x"), "a\\x3a1\\x3a2\\x3a error\\x3a x");
        assert_eq!(path("C:/repo/Dockerfile"), "C:/repo/Dockerfile");
        assert_eq!(path("::error::x"), "\\x3a\\x3aerror\\x3a\\x3ax");
        assert_eq!(path("dir/a\nb"), "dir/a\\nb");
        assert!(matches!(path("k8s/pod é.yaml"), Cow::Borrowed(_)));
    }

    #[test]
    fn clamp_cuts_on_char_boundary() {
        assert_eq!(clamp(Cow::Borrowed("ééé"), 3), "é…");
        assert_eq!(clamp(Cow::Borrowed("abc"), 3), "abc");
    }
}
