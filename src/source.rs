//! Source files, byte spans and the line index that turns offsets into
//! 1-based line/column positions (columns count Unicode code points).

use std::sync::Arc;

/// A half-open byte range `[start, end)` into a [`SourceFile`]'s text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        let start = start.min(u32::MAX as usize) as u32;
        let end = end.min(u32::MAX as usize) as u32;
        Span {
            start,
            end: end.max(start),
        }
    }
    pub fn empty(at: usize) -> Self {
        Span::new(at, at)
    }
    pub fn start(self) -> usize {
        self.start as usize
    }
    pub fn end(self) -> usize {
        self.end as usize
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// Shift a span that is relative to `base`.
    pub fn offset(self, base: usize) -> Span {
        Span::new(self.start() + base, self.end() + base)
    }
}

/// A 1-based position; `column` counts Unicode code points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// Maps byte offsets to line/column once per file.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// Byte offset of the start of each line.
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // An empty text (a summary's, which keeps no text) allocates nothing:
        // its one line starts at 0, as `line_of` and `line_start` answer.
        if text.is_empty() {
            return LineIndex { starts: Vec::new() };
        }
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        // A line ends at LF, CRLF or a lone CR: as YAML, Python's universal
        // newlines (configparser) and SARIF count lines.
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push((i + 1) as u32);
            }
        }
        LineIndex { starts }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len().max(1)
    }

    /// 0-based line number of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(0) as usize
    }

    /// Byte range of 0-based `line`, without its line terminator.
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.line_start(line);
        let mut end = self
            .starts
            .get(line + 1)
            .map(|&s| s as usize)
            .unwrap_or(text.len());
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        // CRLF, or a lone CR
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Span::new(start, end)
    }

    /// 1-based line and code-point column of a byte offset.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let column = text[start..offset].chars().count() + 1;
        Position {
            line: line as u32 + 1,
            column: column as u32,
        }
    }
}

/// `span` of `text`, clamped to the text and to character boundaries.
pub fn slice(text: &str, span: Span) -> &str {
    let s = floor_char_boundary(text, span.start().min(text.len()));
    let e = floor_char_boundary(text, span.end().min(text.len()));
    &text[s..e.max(s)]
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One input file, read and decoded once.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as reported: relative to the scan root where possible, `/`-separated.
    pub path: String,
    /// Text without a leading UTF-8 BOM; line endings kept as they are.
    pub text: Arc<str>,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // Summaries keep no text: theirs is one shared empty text, so that
        // no small allocation made on a checking thread outlives the file.
        static EMPTY: std::sync::LazyLock<Arc<str>> = std::sync::LazyLock::new(|| Arc::from(""));
        SourceFile {
            path: path.into(),
            lines: LineIndex::new(text),
            text: if text.is_empty() {
                EMPTY.clone()
            } else {
                Arc::from(text)
            },
        }
    }
    pub fn slice(&self, span: Span) -> &str {
        slice(&self.text, span)
    }
    pub fn position(&self, offset: usize) -> Position {
        self.lines.position(&self.text, offset)
    }
    /// The file's line ending: `\r\n` when its first line ends so, else `\n`.
    /// Fixes write new lines with it.
    pub fn newline(&self) -> &'static str {
        match self.text.find('\n') {
            Some(i) if i > 0 && self.text.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }
}

/// Maps offsets inside a derived text (for example the value of a YAML block
/// scalar holding an `airflow.cfg`) back to offsets in the outer file.
///
/// Each segment says: derived offsets from `derived` onward map to
/// `file + (offset - derived)`, until the next segment starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanMap {
    segments: Vec<(u32, u32)>,
}

impl SpanMap {
    /// Derived text that is a verbatim slice of the file starting at `base`.
    pub fn identity(base: usize) -> Self {
        SpanMap {
            segments: vec![(0, base as u32)],
        }
    }
    /// Derived text whose every offset maps to one file offset (for example a
    /// quoted scalar with escapes, where exact mapping is not possible).
    pub fn point(at: usize) -> Self {
        SpanMap {
            segments: vec![(0, at as u32), (1, at as u32)],
        }
    }
    /// Add a segment; `derived` must be increasing.
    pub fn push(&mut self, derived: usize, file: usize) {
        self.segments.push((derived as u32, file as u32));
    }
    pub fn map(&self, offset: usize) -> usize {
        let idx = match self
            .segments
            .binary_search_by_key(&(offset as u32), |s| s.0)
        {
            Ok(i) => i,
            Err(0) => {
                return self
                    .segments
                    .first()
                    .map(|s| s.1 as usize)
                    .unwrap_or(offset);
            }
            Err(i) => i - 1,
        };
        let (d, f) = self.segments[idx];
        // A "point" segment pair (same file offset) does not advance.
        let same_next = self.segments.get(idx + 1).is_some_and(|n| n.1 == f);
        let same_prev = idx
            .checked_sub(1)
            .and_then(|p| self.segments.get(p))
            .is_some_and(|p| p.1 == f);
        if same_next || same_prev {
            return f as usize;
        }
        f as usize + (offset - d as usize)
    }
    pub fn map_span(&self, span: Span) -> Span {
        let s = self.map(span.start());
        let e = if span.is_empty() {
            s
        } else {
            self.map(span.end() - 1) + 1
        };
        Span::new(s, e.max(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_text_is_one_line_and_shares_its_allocation() {
        let (a, b) = (SourceFile::new("a", ""), SourceFile::new("b", "\u{feff}"));
        assert!(Arc::ptr_eq(&a.text, &b.text));
        assert_eq!(a.lines.line_count(), 1);
        assert_eq!(a.position(0), Position { line: 1, column: 1 });
        assert_eq!(a.position(5), Position { line: 1, column: 1 });
        assert_eq!(a.lines.line_span(&a.text, 0), Span::new(0, 0));
        assert_eq!(LineIndex::new("x").line_count(), 1);
        assert_eq!(LineIndex::new("x\n").line_count(), 2);
    }

    #[test]
    fn positions_count_code_points_and_handle_crlf() {
        let f = SourceFile::new("a", "\u{feff}ab\r\nçé: x\n");
        assert_eq!(&*f.text, "ab\r\nçé: x\n");
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        assert_eq!(f.position(4), Position { line: 2, column: 1 });
        // after "çé" (4 bytes) the colon is column 3
        assert_eq!(f.position(8), Position { line: 2, column: 3 });
        assert_eq!(f.lines.line_span(&f.text, 0), Span::new(0, 2));
    }

    #[test]
    fn lone_cr_ends_a_line() {
        let f = SourceFile::new("a", "a: 1\rb: 2\r\nc: 3\n\rd");
        assert_eq!(f.lines.line_count(), 5);
        assert_eq!(f.position(5), Position { line: 2, column: 1 });
        assert_eq!(f.position(11), Position { line: 3, column: 1 });
        assert_eq!(f.position(17), Position { line: 5, column: 1 });
        assert_eq!(f.lines.line_span(&f.text, 0), Span::new(0, 4));
        assert_eq!(f.lines.line_span(&f.text, 1), Span::new(5, 9));
        assert_eq!(f.lines.line_span(&f.text, 3), Span::new(16, 16));
    }

    #[test]
    fn span_map_segments() {
        let mut m = SpanMap::identity(100);
        m.push(10, 200);
        assert_eq!(m.map(3), 103);
        assert_eq!(m.map(12), 202);
        assert_eq!(m.map_span(Span::new(10, 12)), Span::new(200, 202));
        let p = SpanMap::point(50);
        assert_eq!(p.map(0), 50);
        assert_eq!(p.map(7), 50);
    }
}
