//! Applying fix edits to a text.

use crate::finding::Edit;

/// Applies `edits` (sorted by position, not overlapping; see
/// [`crate::finding::Fix`]) to `text`, the text the edits' ranges index.
/// Returns `None` when an edit is out of range, overlaps the one before it
/// or does not fall on character boundaries.
pub fn apply(text: &str, edits: &[Edit]) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0usize;
    for e in edits {
        let (s, t) = (e.range.start(), e.range.end());
        if s < at
            || t < s
            || t > text.len()
            || !text.is_char_boundary(s)
            || !text.is_char_boundary(t)
        {
            return None;
        }
        out.push_str(&text[at..s]);
        out.push_str(&e.content);
        at = t;
    }
    out.push_str(&text[at..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn applies_in_order_and_refuses_overlaps() {
        let t = "FROM a\nMAINTAINER x\n";
        let e = [
            Edit::replace(Span::new(7, 17), "LABEL maintainer=\"x\""),
            Edit::insert(0, "# c\n"),
        ];
        assert_eq!(apply(t, &e), None, "unsorted edits are refused");
        let e = [
            Edit::insert(0, "# c\n"),
            Edit::replace(Span::new(7, 19), "LABEL maintainer=\"x\""),
        ];
        assert_eq!(
            apply(t, &e).unwrap(),
            "# c\nFROM a\nLABEL maintainer=\"x\"\n"
        );
        let e = [Edit::delete(Span::new(0, 5)), Edit::delete(Span::new(4, 6))];
        assert_eq!(apply(t, &e), None);
    }
}
