//! Events from saphyr-parser into the arena.
//!
//! The stream is parsed with saphyr's pull API (no recursion on our side),
//! one event at a time, into [`YamlStream`]:
//!
//! - every node gets a byte span (saphyr's markers count characters; they
//!   are converted through a table of the text's multi-byte characters);
//! - a syntax error ends its document with one [`YamlErrorKind::Syntax`]
//!   error and parsing resumes at the next `---` line, so later documents
//!   are still checked;
//! - nesting deeper than [`MAX_DEPTH`] ends its document with one
//!   [`YamlErrorKind::TooDeep`] error. saphyr itself refuses flow nesting
//!   (`[[[[`) deeper than 255 levels ("recursion limit exceeded", reported
//!   as `TooDeep`) before it emits the collection's first event, so its
//!   look-ahead never grows past that; block nesting is capped here, as the
//!   events arrive;
//! - aliases are nodes pointing at their anchor (never expanded);
//! - every duplicate key of every mapping is recorded; a document whose
//!   top-level mapping repeats `apiVersion`/`kind` (a missing `---`) is
//!   split into one synthetic mapping per fused object;
//! - like Kubernetes' decoder (go-yaml), quoted scalars whose continuation
//!   lines are indented no more than their key are accepted: saphyr rejects
//!   them, so those lines are re-indented in a private copy of the text, the
//!   document is read again, and every span is mapped back to the original
//!   text (values do not change; see [`lex_pads`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;

use saphyr_parser::{Event, Parser, ScalarStyle as SStyle, ScanError, Tag};

use super::tree::*;
use crate::source::{Span, SpanMap};

/// Nesting deeper than this ends the document with one `TooDeep` error
/// (saphyr's own limit for flow collections).
pub const MAX_DEPTH: usize = 255;

/// Parses a whole YAML stream. Never panics and never recurses on input
/// structure; malformed input yields [`YamlStream::errors`].
pub fn parse(text: &str) -> YamlStream {
    let mut b = Builder::new(text);
    b.parse_from(0);
    let mut out = b.out;
    if !b.inserts.is_empty() {
        remap(&mut out, &b.inserts);
    }
    // The arena lives as long as the run: give back the growth slack.
    out.nodes.shrink_to_fit();
    out
}

// ---------------------------------------------------------------------------
// Character index -> byte offset.

/// Converts saphyr's character indexes to byte offsets.
struct Offsets {
    ascii: bool,
    /// For each multi-byte character: (index of the character after it,
    /// extra bytes of all multi-byte characters up to and including it).
    table: Vec<(u32, u32)>,
}

impl Offsets {
    fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Offsets {
                ascii: true,
                table: Vec::new(),
            };
        }
        let mut table = Vec::new();
        let mut extra = 0u32;
        for (ci, ch) in text.chars().enumerate() {
            let l = ch.len_utf8() as u32;
            if l > 1 {
                extra += l - 1;
                table.push((ci as u32 + 1, extra));
            }
        }
        Offsets {
            ascii: false,
            table,
        }
    }
    fn byte_of_char(&self, c: usize) -> usize {
        if self.ascii {
            return c;
        }
        let i = self.table.partition_point(|e| e.0 as usize <= c);
        match i.checked_sub(1).and_then(|j| self.table.get(j)) {
            Some(e) => c + e.1 as usize,
            None => c,
        }
    }
    fn char_of_byte(&self, b: usize) -> usize {
        if self.ascii {
            return b;
        }
        let i = self.table.partition_point(|e| (e.0 + e.1) as usize <= b);
        match i.checked_sub(1).and_then(|j| self.table.get(j)) {
            Some(e) => b - e.1 as usize,
            None => b,
        }
    }
}

// ---------------------------------------------------------------------------
// Document markers.

/// True when `line` (without its break) is a `---` or `...` marker line.
fn is_marker(line: &[u8], m: u8) -> bool {
    line.len() >= 3
        && line[0] == m
        && line[1] == m
        && line[2] == m
        && line
            .get(3)
            .is_none_or(|&c| c == b' ' || c == b'\t' || c == b'\r' || c == b'\n')
}

/// Start of the first `---` line that starts at or after `from` and after
/// `after` (strictly), before `end`.
fn next_doc_start(text: &str, from: usize, after: usize, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    // Line start at or before `from`.
    let mut ls = bytes[..from.min(bytes.len())]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |p| p + 1);
    while ls < end {
        let le = bytes[ls..end]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(end, |p| ls + p);
        if ls > after && is_marker(&bytes[ls..le], b'-') {
            return Some(ls);
        }
        ls = le + 1;
    }
    None
}

// ---------------------------------------------------------------------------
// The builder.

#[derive(Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    Mapping,
    Sequence,
}

struct Frame {
    kind: FrameKind,
    /// Reserved arena slot.
    id: NodeId,
    /// Byte end of the start event (just after `[`/`{` for flow).
    start_end: usize,
    /// Index into `Builder::children` where this frame's children begin.
    base: usize,
}

/// Output lengths at the start of a document, to roll back to.
#[derive(Clone, Copy, Default)]
struct Snapshot {
    /// Where a parser run can restart to re-read the document (a line start).
    pos: usize,
    nodes: usize,
    docs: usize,
    errors: usize,
    duplicates: usize,
}

/// saphyr requires the continuation lines of a quoted scalar to be indented
/// more than the enclosing block; Kubernetes' decoder (go-yaml) does not.
const QUOTED_INDENT: &str = "invalid indentation in quoted scalar";
/// Re-indenting copies the text and re-reads the document: the work spent on
/// it per file is capped at this many times the file's size (plus a floor),
/// after which the error is reported as it is.
const PATCH_BUDGET_FACTOR: usize = 16;
const PATCH_BUDGET_FLOOR: usize = 4 << 20;

struct Builder<'t> {
    /// The text parsed; owned once a lenient re-indentation was applied.
    /// Cheap to clone: every parser run (one per document after an error)
    /// holds a handle on it, and copying the text per run was quadratic.
    text: Text<'t>,
    offsets: Offsets,
    out: YamlStream,
    /// Spaces inserted into `text` (original offset, count), in order.
    inserts: Vec<(usize, usize)>,
    /// Bytes copied and re-read because of re-indentation so far.
    patch_cost: usize,
    patch_budget: usize,
    /// Document (by its snapshot offset) already re-indented lexically.
    lexed_doc: Option<usize>,
    snapshot: Snapshot,
    // Per parser run:
    char_base: usize,
    frames: Vec<Frame>,
    children: Vec<NodeId>,
    anchors: HashMap<usize, NodeId>,
    prev_end: usize,
    doc_start: Option<usize>,
    doc_root: Option<NodeId>,
}

/// The text being parsed: the input, or a re-indented copy shared by handle.
#[derive(Clone)]
enum Text<'t> {
    Borrowed(&'t str),
    Shared(Rc<str>),
}

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Shared(s) => s,
        }
    }
}

/// Why a parser run stopped early.
enum Stop {
    /// An error at this offset: resume at the next document.
    Error(usize),
    /// The text was patched: re-read from this offset.
    Retry(usize),
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        Builder {
            text: Text::Borrowed(text),
            offsets: Offsets::new(text),
            // About one node per 32 bytes of manifest text.
            out: YamlStream {
                nodes: Vec::with_capacity(text.len() / 32 + 4),
                ..YamlStream::default()
            },
            inserts: Vec::new(),
            patch_cost: 0,
            lexed_doc: None,
            patch_budget: text.len().saturating_mul(PATCH_BUDGET_FACTOR) + PATCH_BUDGET_FLOOR,
            snapshot: Snapshot::default(),
            char_base: 0,
            frames: Vec::new(),
            children: Vec::new(),
            anchors: HashMap::new(),
            prev_end: 0,
            doc_start: None,
            doc_root: None,
        }
    }

    fn byte(&self, m: saphyr_parser::Marker) -> usize {
        self.offsets
            .byte_of_char(self.char_base + m.index())
            .min(self.text.len())
    }

    /// Span of the character at `at` (empty at a line break or the end).
    fn char_span(&self, at: usize) -> Span {
        let at = at.min(self.text.len());
        match self.text.get(at..).and_then(|s| s.chars().next()) {
            Some(c) if c != '\n' && c != '\r' => Span::new(at, at + c.len_utf8()),
            _ => Span::empty(at),
        }
    }

    fn too_deep(&mut self, at: usize) {
        self.out.errors.push(YamlError {
            kind: YamlErrorKind::TooDeep,
            message: format!(
                "YAML nesting deeper than {MAX_DEPTH} levels; the rest of this document is not checked"
            ),
            span: self.char_span(at),
        });
    }

    fn syntax(&mut self, e: &ScanError) -> usize {
        let at = self
            .offsets
            .byte_of_char(self.char_base + e.marker().index())
            .min(self.text.len());
        if e.info() == "recursion limit exceeded" {
            self.too_deep(at);
            return at;
        }
        self.out.errors.push(YamlError {
            kind: YamlErrorKind::Syntax,
            message: format!("YAML syntax error: {}", e.info()),
            span: self.char_span(at),
        });
        at
    }

    /// Parses `text[start..]`, resuming after errors at the next `---`.
    fn parse_from(&mut self, mut start: usize) {
        loop {
            let at = match self.run(start) {
                None => return,
                Some(Stop::Retry(at)) => {
                    start = at;
                    continue;
                }
                Some(Stop::Error(at)) => at,
            };
            match next_doc_start(&self.text, at, start, self.text.len()) {
                Some(s) => start = s,
                None => return,
            }
        }
    }

    fn take_snapshot(&mut self, pos: usize) {
        self.snapshot = Snapshot {
            pos,
            nodes: self.out.nodes.len(),
            docs: self.out.docs.len(),
            errors: self.out.errors.len(),
            duplicates: self.out.duplicates.len(),
        };
    }

    fn rollback(&mut self) -> usize {
        let s = self.snapshot;
        self.out.nodes.truncate(s.nodes);
        self.out.docs.truncate(s.docs);
        self.out.errors.truncate(s.errors);
        self.out.duplicates.truncate(s.duplicates);
        s.pos
    }

    /// The re-indentation the quoted scalar at `q` needs for saphyr to accept
    /// it: (line start, spaces) for each continuation line indented less than
    /// its opening quote. Its value does not change (leading white space of
    /// continuation lines is not part of it).
    fn quoted_pads(&self, q: usize) -> Vec<(usize, usize)> {
        let b = self.text.as_bytes();
        let mut pads = Vec::new();
        let Some(&quote) = b.get(q) else { return pads };
        if quote != b'"' && quote != b'\'' {
            return pads;
        }
        let line_start = b[..q]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1);
        let col = self.text[line_start..q].chars().count();
        let Some(end) = closing_quote(b, q) else {
            return pads;
        };
        let mut ls = q;
        while let Some(p) = b[ls..end].iter().position(|&c| c == b'\n') {
            ls += p + 1;
            let indent = b[ls..].iter().take_while(|&&c| c == b' ').count();
            let blank = matches!(b.get(ls + indent), Some(b'\n' | b'\r') | None);
            if !blank && indent < col {
                pads.push((ls, col - indent));
            }
        }
        pads
    }

    /// Inserts spaces at line starts (offsets in the current text).
    fn apply_pads(&mut self, mut pads: Vec<(usize, usize)>) -> bool {
        pads.sort_unstable();
        pads.dedup_by(|a, b| {
            if a.0 == b.0 {
                b.1 = b.1.max(a.1);
                true
            } else {
                false
            }
        });
        if pads.is_empty() {
            return false;
        }
        let added: usize = pads.iter().map(|p| p.1).sum();
        let mut out = String::with_capacity(self.text.len() + added);
        let mut from = 0;
        let origs: Vec<usize> = pads
            .iter()
            .map(|p| to_original(&self.inserts, p.0))
            .collect();
        for &(at, n) in &pads {
            out.push_str(&self.text[from..at]);
            out.extend(std::iter::repeat_n(' ', n));
            from = at;
        }
        out.push_str(&self.text[from..]);
        for (orig, &(_, n)) in origs.into_iter().zip(&pads) {
            let k = self.inserts.partition_point(|e| e.0 <= orig);
            self.inserts.insert(k, (orig, n));
        }
        self.offsets = Offsets::new(&out);
        self.text = Text::Shared(Rc::from(out));
        true
    }

    /// One parser run over `text[start..]`.
    fn run(&mut self, start: usize) -> Option<Stop> {
        let src = self.text.clone();
        let slice = src.get(start..)?;
        self.take_snapshot(start);
        self.char_base = self.offsets.char_of_byte(start);
        self.frames.clear();
        self.children.clear();
        self.anchors.clear();
        self.prev_end = start;
        self.doc_start = None;
        self.doc_root = None;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut parser = Parser::new_from_str(slice);
            loop {
                match parser.next_event() {
                    None => return None,
                    Some(Ok((Event::StreamEnd, _))) => return None,
                    Some(Ok((ev, span))) => {
                        let s = self.byte(span.start);
                        let e = self.byte(span.end).max(s);
                        if let Some(stop) = self.event(ev, s, e) {
                            return Some(stop);
                        }
                    }
                    Some(Err(err)) => {
                        let q = self.byte(*err.marker());
                        let cost = self.text.len() + q.saturating_sub(self.snapshot.pos);
                        if err.info() == QUOTED_INDENT
                            && self.patch_cost + cost <= self.patch_budget
                        {
                            self.patch_cost += cost;
                            let mut pads = self.quoted_pads(q);
                            // The first time in a document, also re-indent
                            // the other quoted scalars of the rest of the
                            // document that look the same, so that a big
                            // document is re-read once rather than per scalar.
                            if self.lexed_doc != Some(self.snapshot.pos) && !pads.is_empty() {
                                self.lexed_doc = Some(self.snapshot.pos);
                                let end = next_doc_start(&self.text, q, q, self.text.len())
                                    .unwrap_or(self.text.len());
                                pads.extend(lex_pads(&self.text, q, end));
                            }
                            if self.apply_pads(pads) {
                                return Some(Stop::Retry(self.rollback()));
                            }
                        }
                        let at = self.syntax(&err);
                        return Some(Stop::Error(at));
                    }
                }
            }
        }));
        match result {
            Ok(r) => r,
            Err(_) => {
                // saphyr panicked on this input: report it as a syntax error
                // at the last position we reached.
                let at = self.prev_end;
                self.out.errors.push(YamlError {
                    kind: YamlErrorKind::Syntax,
                    message: "YAML syntax error: the parser could not read this document".into(),
                    span: self.char_span(at),
                });
                Some(Stop::Error(at))
            }
        }
    }

    fn push_node(&mut self, node: Node) -> NodeId {
        let id = self.out.nodes.len() as NodeId;
        self.out.nodes.push(node);
        id
    }

    /// Reads node properties (`&anchor`, `!tag`) at `s`: the anchor name and
    /// where the node's content starts.
    fn props(&self, s: usize, limit: usize) -> (Option<String>, usize) {
        let b = self.text.as_bytes();
        let mut i = s;
        let mut anchor = None;
        let limit = limit.min(b.len());
        loop {
            while i < limit && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
                i += 1;
            }
            if i >= limit || !matches!(b[i], b'&' | b'!') {
                break;
            }
            let tok_start = i;
            while i < limit
                && !matches!(
                    b[i],
                    b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
                )
            {
                i += 1;
            }
            if b[tok_start] == b'&' {
                anchor = self.text.get(tok_start + 1..i).map(String::from);
            }
        }
        (anchor, i.min(limit))
    }

    /// A finished node (scalar, alias or closed collection) joins its parent.
    fn attach(&mut self, id: NodeId, anchor_id: usize, end: usize) {
        if anchor_id != 0 {
            self.anchors.insert(anchor_id, id);
        }
        self.prev_end = self.prev_end.max(end);
        if self.frames.is_empty() {
            if self.doc_root.is_none() {
                self.doc_root = Some(id);
            }
        } else {
            self.children.push(id);
        }
    }

    fn event(&mut self, ev: Event<'_>, s: usize, e: usize) -> Option<Stop> {
        match ev {
            Event::StreamStart | Event::Nothing | Event::StreamEnd => {}
            Event::DocumentStart(explicit) => {
                // A re-read starts at the `---` line, or at the start of the
                // line of the first token of an implicit document.
                let pos = if explicit {
                    s
                } else {
                    self.text.as_bytes()[..s.min(self.text.len())]
                        .iter()
                        .rposition(|&c| c == b'\n')
                        .map_or(0, |p| p + 1)
                        .max(self.snapshot.pos)
                };
                self.take_snapshot(pos);
                self.anchors.clear();
                self.doc_root = None;
                self.doc_start = Some(if explicit { s } else { usize::MAX });
                self.prev_end = self.prev_end.max(e);
            }
            Event::DocumentEnd => {
                let end = if e > s { e } else { self.prev_end };
                self.finish_doc(end);
                self.prev_end = self.prev_end.max(e);
            }
            Event::Alias(aid) => {
                let target = self.anchors.get(&aid).copied();
                if target.is_none() {
                    // saphyr keeps anchors across documents; YAML (and
                    // Kubernetes' decoder) does not.
                    let name = self.text.get(s..e).unwrap_or("*").trim_end();
                    self.out.errors.push(YamlError {
                        kind: YamlErrorKind::Syntax,
                        message: format!(
                            "YAML syntax error: alias `{name}` refers to no anchor defined earlier in this document"
                        ),
                        span: Span::new(s, e),
                    });
                }
                let id = self.push_node(Node {
                    kind: NodeKind::Alias { target },
                    span: Span::new(s, e),
                    props: None,
                });
                self.attach(id, 0, e);
            }
            Event::Scalar(value, style, aid, tag) => {
                let tag = tag.map(tag_string);
                let (anchor, content) = if aid != 0 || tag.is_some() {
                    self.props(s, e)
                } else {
                    (None, s)
                };
                let style = match style {
                    SStyle::Plain => ScalarStyle::Plain,
                    SStyle::SingleQuoted => ScalarStyle::SingleQuoted,
                    SStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
                    SStyle::Literal => ScalarStyle::Literal,
                    SStyle::Folded => ScalarStyle::Folded,
                };
                let span = match style {
                    ScalarStyle::Literal | ScalarStyle::Folded => {
                        self.block_scalar_span(content, e)
                    }
                    ScalarStyle::Plain if value.is_empty() => {
                        if content < e {
                            // Only properties: `key: !!null` or `&a`.
                            Span::new(s, content.min(e))
                        } else {
                            Span::empty(self.prev_end)
                        }
                    }
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        Span::new(content, self.quoted_end(content, e))
                    }
                    ScalarStyle::Plain => Span::new(content, e),
                };
                let id = self.push_node(Node {
                    kind: NodeKind::Scalar {
                        value: cow_string(value),
                        style,
                    },
                    span,
                    props: Props::new(anchor, tag),
                });
                self.attach(id, aid, span.end());
            }
            Event::MappingStart(aid, tag) => {
                return self.open(FrameKind::Mapping, aid, tag, s, e);
            }
            Event::SequenceStart(aid, tag) => {
                return self.open(FrameKind::Sequence, aid, tag, s, e);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let frame = self.frames.pop()?;
                self.close(frame, s, e);
            }
        }
        None
    }
}

impl Builder<'_> {
    fn open(
        &mut self,
        kind: FrameKind,
        aid: usize,
        tag: Option<Cow<'_, Tag>>,
        s: usize,
        e: usize,
    ) -> Option<Stop> {
        if self.frames.len() >= MAX_DEPTH {
            self.too_deep(s);
            return Some(Stop::Error(s));
        }
        let tag = tag.map(tag_string);
        let anchor = if aid != 0 { self.props(s, e).0 } else { None };
        let id = self.push_node(Node {
            kind: match kind {
                FrameKind::Mapping => NodeKind::Mapping(Box::default()),
                FrameKind::Sequence => NodeKind::Sequence(Box::default()),
            },
            span: Span::empty(e),
            props: Props::new(anchor, tag),
        });
        // Registered now so that an alias inside the collection finds it.
        if aid != 0 {
            self.anchors.insert(aid, id);
        }
        self.frames.push(Frame {
            kind,
            id,
            start_end: e,
            base: self.children.len(),
        });
        None
    }

    fn close(&mut self, frame: Frame, s: usize, e: usize) {
        let base = frame.base.min(self.children.len());
        let kids = &self.children[base..];
        let bytes = self.text.as_bytes();
        let flow_end = e > s && matches!(bytes.get(s), Some(b']' | b'}'));
        let first = kids.first().map(|&k| self.out.nodes[k as usize].span);
        let last = kids.last().map(|&k| self.out.nodes[k as usize].span);
        let span = if flow_end {
            let open = frame.start_end.checked_sub(1);
            let start = match open {
                Some(o) if matches!(bytes.get(o), Some(b'[' | b'{')) => o,
                _ => first.map_or(s, |f| f.start()),
            };
            Span::new(start, s + 1)
        } else {
            // A block sequence starts at its first `-` (the start event ends
            // there, after any properties); a mapping at its first key.
            let mut st = frame.start_end.min(bytes.len());
            while matches!(bytes.get(st), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                st += 1;
            }
            match (first, last) {
                (Some(f), Some(l)) => Span::new(st.min(f.start()), l.end().max(f.end())),
                _ => Span::empty(frame.start_end),
            }
        };
        let kind = match frame.kind {
            FrameKind::Sequence => NodeKind::Sequence(kids.into()),
            FrameKind::Mapping => {
                let entries: Vec<(NodeId, NodeId)> =
                    kids.chunks_exact(2).map(|c| (c[0], c[1])).collect();
                self.children.truncate(base);
                self.record_dups(frame.id, &entries);
                NodeKind::Mapping(entries.into_boxed_slice())
            }
        };
        self.children.truncate(base);
        if let Some(n) = self.out.nodes.get_mut(frame.id as usize) {
            n.kind = kind;
            n.span = span;
        }
        self.attach(frame.id, 0, span.end());
    }

    fn record_dups(&mut self, mapping: NodeId, entries: &[(NodeId, NodeId)]) {
        if entries.len() < 2 {
            return;
        }
        let nodes = &self.out.nodes;
        let mut found: Vec<(usize, usize)> = Vec::new();
        if entries.len() <= 16 {
            for i in 1..entries.len() {
                let Some(ki) = key_text(nodes, entries[i].0) else {
                    continue;
                };
                if let Some(j) = (0..i).find(|&j| key_text(nodes, entries[j].0) == Some(ki)) {
                    found.push((j, i));
                }
            }
        } else {
            let mut first: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
            for (i, &(k, _)) in entries.iter().enumerate() {
                let Some(kt) = key_text(nodes, k) else {
                    continue;
                };
                match first.get(kt) {
                    Some(&j) => found.push((j, i)),
                    None => {
                        first.insert(kt, i);
                    }
                }
            }
        }
        for (j, i) in found {
            let (kj, ki) = (entries[j].0, entries[i].0);
            let key = key_text(nodes, ki).unwrap_or_default().to_string();
            let dup = DuplicateKey {
                mapping,
                first: nodes[kj as usize].span,
                repeat: nodes[ki as usize].span,
                key,
                fused_object: false,
            };
            self.out.duplicates.push(dup);
        }
    }

    fn finish_doc(&mut self, end: usize) {
        let mut root = self.doc_root.take();
        if let Some(r) = root {
            let n = &self.out.nodes[r as usize];
            if n.props.is_none()
                && matches!(&n.kind, NodeKind::Scalar { value, style: ScalarStyle::Plain } if value.is_empty())
            {
                root = None;
            }
        }
        let objects = match root {
            Some(r) => self.split_fused(r),
            None => Vec::new(),
        };
        let root_span = root.map(|r| self.out.nodes[r as usize].span);
        let start = match self.doc_start.take() {
            Some(s) if s != usize::MAX => s,
            _ => root_span.map_or(end, |s| s.start()),
        };
        let end = root_span.map_or(end, |s| s.end().max(end));
        self.out.docs.push(Document {
            root,
            objects,
            span: Span::new(start.min(end), end),
        });
    }

    /// `[root]`, or one synthetic mapping per object when the root mapping
    /// fuses several objects (`apiVersion`/`kind` repeat at the top level).
    fn split_fused(&mut self, root: NodeId) -> Vec<NodeId> {
        let nodes = &self.out.nodes;
        let NodeKind::Mapping(entries) = &nodes[root as usize].kind else {
            return vec![root];
        };
        let keys: Vec<Option<&str>> = entries.iter().map(|e| key_text(nodes, e.0)).collect();
        let mut starts = vec![0usize];
        let mut cur = 0usize;
        let mut seen: HashMap<&str, ()> = HashMap::new();
        for i in 0..keys.len() {
            let Some(k) = keys[i] else { continue };
            if (k == "apiVersion" || k == "kind") && seen.contains_key(k) {
                // The new object may begin a few keys earlier (keys that
                // repeat the previous object's, such as `metadata` written
                // before `apiVersion`).
                let mut j = i;
                let mut steps = 0;
                while j > cur + 1 && steps < 64 {
                    let Some(kj) = keys[j - 1] else { break };
                    if keys[j..=i].contains(&Some(kj)) || !keys[cur..j - 1].contains(&Some(kj)) {
                        break;
                    }
                    j -= 1;
                    steps += 1;
                }
                starts.push(j);
                cur = j;
                seen.clear();
                for kk in keys[j..=i].iter().flatten() {
                    seen.insert(kk, ());
                }
            } else {
                seen.insert(k, ());
            }
        }
        if starts.len() == 1 {
            return vec![root];
        }
        let entries = entries.clone();
        // Duplicates of the fused mapping: one per recovered object (at the
        // key that starts it, related to that key's first occurrence), plus
        // the keys repeated inside one recovered object (below).
        self.out.duplicates.retain(|d| d.mapping != root);
        for &st in &starts[1..] {
            let Some(&(k, _)) = entries.get(st) else {
                continue;
            };
            let key = key_text(&self.out.nodes, k).unwrap_or_default();
            let first = entries[..st]
                .iter()
                .find(|e| key_text(&self.out.nodes, e.0) == Some(key))
                .map_or(self.out.nodes[k as usize].span, |e| {
                    self.out.nodes[e.0 as usize].span
                });
            let dup = DuplicateKey {
                mapping: root,
                key: key.to_string(),
                first,
                repeat: self.out.nodes[k as usize].span,
                fused_object: true,
            };
            self.out.duplicates.push(dup);
        }
        starts.push(entries.len());
        let mut out = Vec::with_capacity(starts.len() - 1);
        for w in starts.windows(2) {
            let part = entries[w[0]..w[1]].to_vec();
            let span = match (part.first(), part.last()) {
                (Some(f), Some(l)) => {
                    let fs = self.out.nodes[f.0 as usize].span;
                    let le = self.out.nodes[l.1 as usize]
                        .span
                        .end()
                        .max(self.out.nodes[l.0 as usize].span.end());
                    Span::new(fs.start(), le)
                }
                _ => Span::default(),
            };
            let id = self.push_node(Node {
                kind: NodeKind::Mapping(Box::default()),
                span,
                props: None,
            });
            self.record_dups(id, &part);
            if let Some(n) = self.out.nodes.get_mut(id as usize) {
                n.kind = NodeKind::Mapping(part.into_boxed_slice());
            }
            out.push(id);
        }
        out
    }

    /// End of the quoted scalar starting at `start` (just after its closing
    /// quote); saphyr's span may run on over a trailing comment.
    fn quoted_end(&self, start: usize, e: usize) -> usize {
        let b = self.text.as_bytes();
        let Some(&q) = b.get(start) else { return e };
        if q != b'"' && q != b'\'' {
            return e;
        }
        let mut i = start + 1;
        let lim = e.min(b.len());
        while i < lim {
            let c = b[i];
            if q == b'"' && c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i += 1;
        }
        e
    }

    /// Span of a literal/folded scalar: from its `|`/`>` indicator to the end
    /// of its last content line.
    fn block_scalar_span(&self, content: usize, e: usize) -> Span {
        let b = self.text.as_bytes();
        let start = if matches!(b.get(content), Some(b'|' | b'>')) {
            content
        } else if self.prev_end < content {
            b[self.prev_end..content]
                .iter()
                .position(|&c| c == b'|' || c == b'>')
                .map_or(content, |p| self.prev_end + p)
        } else {
            content
        };
        let mut end = e.min(b.len()).max(start);
        while end > start + 1 && matches!(b[end - 1], b' ' | b'\t' | b'\r' | b'\n') {
            end -= 1;
        }
        Span::new(start, end)
    }
}

/// The text of a scalar key (through an alias).
fn key_text(nodes: &[Node], id: NodeId) -> Option<&str> {
    let n = nodes.get(id as usize)?;
    let n = match n.kind {
        NodeKind::Alias { target: Some(t) } => nodes.get(t as usize)?,
        _ => n,
    };
    match &n.kind {
        NodeKind::Scalar { value, .. } => Some(value),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Offsets inside scalars.

/// Maps offsets in a scalar's value back to the source: line by line for
/// block scalars, identity for scalars written verbatim, else a point.
pub(super) fn scalar_map(node: &Node, source: &str) -> SpanMap {
    let point = SpanMap::point(node.span.start());
    let NodeKind::Scalar { value, style } = &node.kind else {
        return point;
    };
    let Some(raw) = source.get(node.span.start()..node.span.end()) else {
        return point;
    };
    match style {
        ScalarStyle::Plain => {
            if raw == &**value {
                SpanMap::identity(node.span.start())
            } else {
                point
            }
        }
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
            if raw.len() >= 2 && inner == &**value {
                SpanMap::identity(node.span.start() + 1)
            } else {
                point
            }
        }
        ScalarStyle::Literal | ScalarStyle::Folded => {
            block_map(value, raw, node.span.start()).unwrap_or(point)
        }
    }
}

/// Walks the content lines of a block scalar (`raw` starts at its header)
/// and finds each one in the value, in order.
fn block_map(value: &str, raw: &str, base: usize) -> Option<SpanMap> {
    let mut map = SpanMap::default();
    let v = value.as_bytes();
    let mut cursor = 0usize;
    let mut pushed = false;
    // Skip the header line.
    let mut ls = raw.find('\n')? + 1;
    while ls <= raw.len() {
        let le = raw[ls..].find('\n').map_or(raw.len(), |p| ls + p);
        let line = &raw[ls..le];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let text = line.trim_start_matches(' ');
        if !text.is_empty() && !text.chars().all(|c| c == ' ' || c == '\t') {
            let file_at = base + ls + (line.len() - text.len());
            // Smallest p >= cursor with only separators before it.
            let mut p = cursor;
            loop {
                if value.get(p..).is_some_and(|r| r.starts_with(text)) {
                    break;
                }
                match v.get(p) {
                    Some(b' ' | b'\n') => p += 1,
                    _ => return None,
                }
            }
            // The value's line may start with content spaces.
            let q = v[cursor..p]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(cursor, |r| cursor + r + 1);
            let back = p - q;
            let file_q = file_at.checked_sub(back)?;
            map.push(q, file_q);
            pushed = true;
            cursor = p + text.len();
        }
        if le >= raw.len() {
            break;
        }
        ls = le + 1;
    }
    if pushed { Some(map) } else { None }
}

/// Offset of the quote closing the quoted scalar that opens at `q`.
fn closing_quote(b: &[u8], q: usize) -> Option<usize> {
    let quote = *b.get(q)?;
    let mut i = q + 1;
    loop {
        match b.get(i) {
            None => return None,
            Some(b'\\') if quote == b'"' => i += 2,
            Some(&c) if c == quote => {
                if quote == b'\'' && b.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else {
                    return Some(i);
                }
            }
            Some(_) => i += 1,
        }
    }
}

/// Finds, lexically, the multi-line quoted scalars in block context between
/// `from` and `to` whose continuation lines are indented less than their
/// opening quote, and the spaces each of those lines needs. Block scalars
/// are skipped (their text must not change); padding anything else is
/// harmless, as leading white space of a continuation line is never part of
/// a flow or plain scalar's value.
fn lex_pads(text: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let to = to.min(b.len());
    let mut pads = Vec::new();
    let mut ls = b[..from.min(b.len())]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |p| p + 1);
    // Lines of a block scalar: those blank or indented more than this.
    let mut block: Option<usize> = None;
    // Inside a multi-line quoted scalar: (its closing quote, the column of
    // its opening quote).
    let mut open: Option<(usize, usize)> = None;
    while ls < to {
        let le = b[ls..to]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(to, |p| ls + p);
        let line = &b[ls..le];
        let indent = line.iter().take_while(|&&c| c == b' ').count();
        let blank = line[indent..]
            .iter()
            .all(|&c| c == b' ' || c == b'\t' || c == b'\r');
        if let Some(p) = block {
            if blank || indent > p {
                ls = le + 1;
                continue;
            }
            block = None;
        }
        if let Some((end, col)) = open {
            if !blank && indent < col {
                pads.push((ls, col - indent));
            }
            if end < le {
                open = None;
            }
            ls = le + 1;
            continue;
        }
        let mut i = indent;
        let mut node_start = true;
        while i < line.len() {
            let c = line[i];
            let next_space = line
                .get(i + 1)
                .is_none_or(|&n| n == b' ' || n == b'\t' || n == b'\r');
            if c == b'#' && (i == 0 || line[i - 1] == b' ' || line[i - 1] == b'\t') {
                break;
            }
            if node_start {
                match c {
                    b' ' | b'\t' => {}
                    b'-' | b'?' if next_space => {}
                    b'"' | b'\'' => {
                        let q = ls + i;
                        match closing_quote(b, q) {
                            Some(end) if end < le => {
                                i = end - ls;
                                node_start = false;
                            }
                            Some(end) if end < to => {
                                let col = text.get(ls..q).map_or(i, |t| t.chars().count());
                                open = Some((end, col));
                                break;
                            }
                            _ => return pads,
                        }
                    }
                    b'|' | b'>' => {
                        block = Some(indent);
                        break;
                    }
                    b'[' | b'{' => break,
                    b'&' | b'!' => {
                        while i + 1 < line.len() && line[i + 1] != b' ' {
                            i += 1;
                        }
                    }
                    _ => node_start = false,
                }
            } else if c == b':' && next_space {
                node_start = true;
            }
            i += 1;
        }
        ls = le + 1;
    }
    pads
}

/// Maps an offset in the patched text back to the original text.
fn to_original(inserts: &[(usize, usize)], p: usize) -> usize {
    let mut shift = 0;
    for &(orig, n) in inserts {
        let patched = orig + shift;
        if p < patched {
            break;
        }
        if p < patched + n {
            return orig;
        }
        shift += n;
    }
    p - shift
}

/// Moves every span of a stream parsed from patched text back onto the
/// original text.
fn remap(out: &mut YamlStream, inserts: &[(usize, usize)]) {
    // (offset in the patched text, spaces inserted there, shift before it)
    let mut table = Vec::with_capacity(inserts.len());
    let mut shift = 0;
    for &(orig, n) in inserts {
        table.push((orig + shift, n, shift));
        shift += n;
    }
    let map = |p: usize| {
        let k = table.partition_point(|e| e.0 <= p);
        match k.checked_sub(1).and_then(|i| table.get(i)) {
            None => p,
            Some(&(at, n, before)) if p < at + n => at - before,
            Some(&(_, n, before)) => p - before - n,
        }
    };
    let m = |s: Span| Span::new(map(s.start()), map(s.end()));
    for n in &mut out.nodes {
        n.span = m(n.span);
    }
    for d in &mut out.docs {
        d.span = m(d.span);
    }
    for e in &mut out.errors {
        e.span = m(e.span);
    }
    for d in &mut out.duplicates {
        d.first = m(d.first);
        d.repeat = m(d.repeat);
    }
}

fn cow_string(c: Cow<'_, str>) -> Box<str> {
    // Exact-size allocation: saphyr's buffers carry spare capacity.
    c.into_owned().into_boxed_str()
}

fn tag_string(t: Cow<'_, Tag>) -> String {
    if t.handle == "tag:yaml.org,2002:" {
        format!("!!{}", t.suffix)
    } else if t.handle == "!" {
        format!("!{}", t.suffix)
    } else {
        format!("{}{}", t.handle, t.suffix)
    }
}
