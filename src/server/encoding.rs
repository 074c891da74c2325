//! Positions in the encoding the client negotiated: LSP positions are a
//! 0-based line and a column counted in UTF-16 code units (the default) or
//! in UTF-8 bytes. Lines end at LF, CRLF or a lone CR, as in LSP and in
//! afcheck's own [`LineIndex`].
//!
//! A document's text as the editor holds it may start with a byte-order
//! mark, which afcheck's spans do not count ([`crate::source::SourceFile`]
//! strips it): [`Text`] adds it back.

use std::collections::HashMap;

use lsp_types::{Position, Range};

use crate::source::{LineIndex, Span};

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// The encoding to use, from the client's `general.positionEncodings`:
    /// UTF-8 when offered (no conversion), else UTF-16, which every client
    /// supports.
    pub fn negotiate(offered: Option<&[lsp_types::PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(list) if list.contains(&lsp_types::PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }
    pub fn kind(self) -> lsp_types::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lsp_types::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp_types::PositionEncodingKind::UTF16,
        }
    }
    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// A document's text (as the editor holds it) with its line index.
pub struct Text<'a> {
    text: &'a str,
    lines: LineIndex,
    /// Length of a leading BOM (0 or 3): afcheck's spans start after it.
    bom: usize,
    enc: Encoding,
}

impl<'a> Text<'a> {
    pub fn new(text: &'a str, enc: Encoding) -> Self {
        Text {
            text,
            lines: LineIndex::new(text),
            bom: if text.starts_with('\u{feff}') { 3 } else { 0 },
            enc,
        }
    }

    fn floor(&self, mut i: usize) -> usize {
        i = i.min(self.text.len());
        while i > 0 && !self.text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    /// The position of a byte offset of the whole text.
    fn position_at(&self, offset: usize, from: Option<(usize, usize, u32)>) -> (usize, u32) {
        let offset = self.floor(offset);
        let line = self.lines.line_of(offset);
        let start = self.lines.line_start(line);
        // Continue from an earlier offset on the same line when there is one.
        let (base, mut col) = match from {
            Some((l, at, c)) if l == line && at <= offset => (at, c as usize),
            _ => (start, 0),
        };
        col += match self.enc {
            Encoding::Utf8 => offset - base,
            Encoding::Utf16 => self.text[base..offset].chars().map(char::len_utf16).sum(),
        };
        (line, col as u32)
    }

    /// Positions of many afcheck offsets (spans' ends, edits' ranges) in one
    /// pass over the text: offsets are sorted and each line is walked once,
    /// so a huge one-line file with many findings stays linear.
    pub fn positions(&self, offsets: &[usize]) -> HashMap<usize, Position> {
        let mut sorted: Vec<usize> = offsets.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut out = HashMap::with_capacity(sorted.len());
        let mut prev: Option<(usize, usize, u32)> = None;
        for off in sorted {
            let abs = self.floor(off + self.bom);
            let (line, col) = self.position_at(abs, prev);
            prev = Some((line, abs, col));
            out.insert(
                off,
                Position {
                    line: line as u32,
                    character: col,
                },
            );
        }
        out
    }

    /// The range of an afcheck span (looked up in `positions`). A non-empty
    /// span that ends just after a line break ends at the end of its last
    /// line, as the reports show it.
    pub fn range(&self, span: Span, positions: &HashMap<usize, Position>) -> Range {
        let at = |o: usize| positions.get(&o).copied().unwrap_or_default();
        let start = at(span.start());
        let mut end = at(span.end());
        if !span.is_empty() && end.character == 0 && end.line > start.line {
            let prev = self.lines.line_span(self.text, end.line as usize - 1).end();
            let (l, c) = self.position_at(prev, None);
            end = Position {
                line: l as u32,
                character: c,
            };
            if end < start {
                end = start;
            }
        }
        Range { start, end }
    }

    /// The afcheck offset (BOM not counted) of an LSP position; positions
    /// past the end of a line or of the text are clamped.
    pub fn offset(&self, pos: Position) -> usize {
        let line = (pos.line as usize).min(self.lines.line_count().saturating_sub(1));
        let line_span = self.lines.line_span(self.text, line);
        if pos.line as usize >= self.lines.line_count() {
            return self.text.len().saturating_sub(self.bom);
        }
        let mut at = line_span.start();
        let mut units = 0usize;
        for c in self.text[line_span.start()..line_span.end()].chars() {
            if units >= pos.character as usize {
                break;
            }
            units += self.enc.width(c);
            at += c.len_utf8();
        }
        at.saturating_sub(self.bom)
    }

    /// The afcheck text (without a BOM).
    pub fn body(&self) -> &'a str {
        &self.text[self.bom..]
    }

    /// 0-based line of an afcheck offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(self.floor(offset + self.bom))
    }

    /// The afcheck span of a 0-based line, without its line break.
    pub fn line_span(&self, line: usize) -> Span {
        let s = self.lines.line_span(self.text, line);
        Span::new(
            s.start().saturating_sub(self.bom),
            s.end().saturating_sub(self.bom),
        )
    }

    pub fn line_count(&self) -> usize {
        self.lines.line_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_columns() {
        // "é" is 2 bytes, 1 UTF-16 unit; "𝄞" is 4 bytes, 2 units.
        let src = "a: é𝄞x\r\nb: 1\n";
        let x = src.find('x').unwrap();
        let t16 = Text::new(src, Encoding::Utf16);
        let t8 = Text::new(src, Encoding::Utf8);
        let p16 = t16.positions(&[x, x + 1]);
        assert_eq!(p16[&x], Position::new(0, 6));
        assert_eq!(t8.positions(&[x])[&x], Position::new(0, 9));
        assert_eq!(t16.offset(Position::new(0, 6)), x);
        assert_eq!(t8.offset(Position::new(0, 9)), x);
        // A span ending after the line break ends at the end of the line.
        let s = Span::new(0, src.find('b').unwrap());
        let p = t16.positions(&[s.start(), s.end()]);
        assert_eq!(t16.range(s, &p).end, Position::new(0, 7));
        // Past the end: clamped.
        assert_eq!(t16.offset(Position::new(0, 99)), src.find('\r').unwrap());
        assert_eq!(t16.offset(Position::new(9, 0)), src.len());
    }

    #[test]
    fn bom_is_counted_by_the_editor_not_by_afcheck() {
        let src = "\u{feff}FROM x\n";
        let t = Text::new(src, Encoding::Utf16);
        // afcheck offset 5 is the `x`: column 6 with the BOM (1 unit).
        assert_eq!(t.positions(&[5])[&5], Position::new(0, 6));
        assert_eq!(t.offset(Position::new(0, 6)), 5);
        assert_eq!(t.body(), "FROM x\n");
    }
}
