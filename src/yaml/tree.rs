//! Arena tree types and read accessors.

use crate::source::{Span, SpanMap};

pub type NodeId = u32;

/// At most this many mappings are read through merge keys (`<<`) in one
/// lookup; real files merge a handful.
pub const MAX_MERGE_SOURCES: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Scalar {
        value: Box<str>,
        style: ScalarStyle,
    },
    /// Entries in source order, duplicates included.
    Mapping(Box<[(NodeId, NodeId)]>),
    Sequence(Box<[NodeId]>),
    /// An alias; `target` is the anchored node it names (None if the anchor
    /// is unknown).
    Alias {
        target: Option<NodeId>,
    },
}

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    /// Span of the node's text (for a block collection: from its first key or
    /// dash to the end of its last value).
    pub span: Span,
    /// Anchor and tag, rare enough to live out of line (keeps a node at
    /// 48 bytes: every file's tree stays alive for the whole run).
    pub props: Option<Box<Props>>,
}

/// A node's anchor (`&name`) and tag (`!!str`, `!custom`).
#[derive(Clone, Debug, Default)]
pub struct Props {
    pub anchor: Option<Box<str>>,
    pub tag: Option<Box<str>>,
}

impl Props {
    /// None when the node has neither.
    pub fn new(anchor: Option<String>, tag: Option<String>) -> Option<Box<Props>> {
        if anchor.is_none() && tag.is_none() {
            return None;
        }
        Some(Box::new(Props {
            anchor: anchor.map(String::into_boxed_str),
            tag: tag.map(String::into_boxed_str),
        }))
    }
}

impl Node {
    pub fn anchor(&self) -> Option<&str> {
        self.props.as_ref().and_then(|p| p.anchor.as_deref())
    }
    pub fn tag(&self) -> Option<&str> {
        self.props.as_ref().and_then(|p| p.tag.as_deref())
    }
}

#[derive(Clone, Debug)]
pub struct Document {
    /// Root node; None for an empty document.
    pub root: Option<NodeId>,
    /// The objects this document holds: `[root]` normally; when a mapping was
    /// fused from several objects (a missing `---`: `apiVersion`/`kind`
    /// repeat at the top level), one synthetic mapping node per recovered
    /// object, each holding the entries of that object.
    pub objects: Vec<NodeId>,
    /// Span of the whole document.
    pub span: Span,
}

/// A key that occurs more than once in one mapping.
#[derive(Clone, Debug)]
pub struct DuplicateKey {
    pub mapping: NodeId,
    pub key: String,
    /// Span of the first occurrence's key.
    pub first: Span,
    /// Span of this (repeated) key.
    pub repeat: Span,
    /// True when this repeated key starts an object recovered from a fused
    /// mapping (`apiVersion`/`kind` repeat at the top level: a `---`
    /// separator is probably missing). A fused mapping reports one such
    /// duplicate per recovered object, and the keys repeated inside one
    /// recovered object (with `mapping` the object's synthetic node); keys
    /// repeated only because objects were fused are not reported again.
    pub fused_object: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// The parser reported a syntax error.
    Syntax,
    /// Nesting deeper than [`super::MAX_DEPTH`].
    TooDeep,
}

#[derive(Clone, Debug)]
pub struct YamlError {
    pub kind: YamlErrorKind,
    pub message: String,
    pub span: Span,
}

/// A parsed YAML stream: every document, in an arena.
#[derive(Clone, Debug, Default)]
pub struct YamlStream {
    pub nodes: Vec<Node>,
    pub docs: Vec<Document>,
    pub errors: Vec<YamlError>,
    pub duplicates: Vec<DuplicateKey>,
}

impl YamlStream {
    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        NodeRef { stream: self, id }
    }
    /// The root node of the first document (a values file, a config file).
    pub fn first_root(&self) -> Option<NodeRef<'_>> {
        self.docs.first().and_then(|d| d.root).map(|r| self.node(r))
    }
    /// Every object of every document (see [`Document::objects`]).
    pub fn objects(&self) -> impl Iterator<Item = NodeRef<'_>> {
        self.docs
            .iter()
            .flat_map(|d| d.objects.iter())
            .map(|&id| self.node(id))
    }
}

/// A cheap handle on one node.
#[derive(Clone, Copy)]
pub struct NodeRef<'a> {
    pub stream: &'a YamlStream,
    pub id: NodeId,
}

impl std::fmt::Debug for NodeRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodeRef({}, {:?})", self.id, self.raw().kind)
    }
}

impl<'a> NodeRef<'a> {
    /// The node itself, without following aliases.
    pub fn raw(self) -> &'a Node {
        &self.stream.nodes[self.id as usize]
    }
    /// Follows an alias to its anchored node (one step; anchors never point
    /// at aliases). Non-alias nodes return themselves.
    pub fn deref(self) -> NodeRef<'a> {
        match self.raw().kind {
            NodeKind::Alias { target: Some(t) } => NodeRef {
                stream: self.stream,
                id: t,
            },
            _ => self,
        }
    }
    pub fn kind(self) -> &'a NodeKind {
        &self.deref().raw().kind
    }
    /// Span of this node in the source (an alias reports its own span).
    pub fn span(self) -> Span {
        self.raw().span
    }
    pub fn is_alias(self) -> bool {
        matches!(self.raw().kind, NodeKind::Alias { .. })
    }
    pub fn is_mapping(self) -> bool {
        matches!(self.kind(), NodeKind::Mapping(_))
    }
    pub fn is_sequence(self) -> bool {
        matches!(self.kind(), NodeKind::Sequence(_))
    }
    pub fn is_scalar(self) -> bool {
        matches!(self.kind(), NodeKind::Scalar { .. })
    }

    /// Mapping entries in source order (duplicates included).
    pub fn entries(self) -> impl Iterator<Item = (NodeRef<'a>, NodeRef<'a>)> + 'a {
        let s = self.stream;
        let list: &'a [(NodeId, NodeId)] = match self.kind() {
            NodeKind::Mapping(e) => e,
            _ => &[],
        };
        list.iter().map(move |&(k, v)| (s.node(k), s.node(v)))
    }

    /// Sequence items (empty for non-sequences).
    pub fn items(self) -> impl Iterator<Item = NodeRef<'a>> + 'a {
        let s = self.stream;
        let list: &'a [NodeId] = match self.kind() {
            NodeKind::Sequence(e) => e,
            _ => &[],
        };
        list.iter().map(move |&i| s.node(i))
    }

    /// The entry whose key is the scalar `key` (the last one if repeated,
    /// as Kubernetes' decoder keeps the last). Follows merge keys (`<<`):
    /// the mapping's own keys first, then each merged mapping in order,
    /// depth first. A mapping merged twice (or into itself, `&m {<<: *m}`)
    /// is read once, and at most [`MAX_MERGE_SOURCES`] mappings are read
    /// per lookup, so hostile merges cost linear time at most.
    pub fn entry(self, key: &str) -> Option<(NodeRef<'a>, NodeRef<'a>)> {
        let (found, merged) = self.own_entry(key);
        if found.is_some() {
            return found;
        }
        let m = merged?;
        let mut visited: Vec<NodeId> = vec![self.deref().id];
        // Merged mappings still to read, the next one last.
        let mut stack: Vec<NodeRef<'a>> = Vec::new();
        push_merge_sources(&mut stack, m);
        while let Some(m) = stack.pop() {
            let m = m.deref();
            if !m.is_mapping() || visited.contains(&m.id) {
                continue;
            }
            if visited.len() >= MAX_MERGE_SOURCES {
                return None;
            }
            visited.push(m.id);
            let (found, merged) = m.own_entry(key);
            if found.is_some() {
                return found;
            }
            if let Some(next) = merged {
                push_merge_sources(&mut stack, next);
            }
        }
        None
    }

    /// The mapping's own entry for `key` (last wins) and its `<<` value.
    fn own_entry(self, key: &str) -> (Option<(NodeRef<'a>, NodeRef<'a>)>, Option<NodeRef<'a>>) {
        let mut found = None;
        let mut merged = None;
        for (k, v) in self.entries() {
            match k.scalar() {
                Some(s) if s == key => found = Some((k, v)),
                Some("<<") if k.raw_style() == Some(ScalarStyle::Plain) => merged = Some(v),
                _ => {}
            }
        }
        (found, merged)
    }

    /// The value for `key`, aliases followed.
    pub fn get(self, key: &str) -> Option<NodeRef<'a>> {
        self.entry(key).map(|(_, v)| v.deref())
    }

    /// Follows a path of keys.
    pub fn path(self, keys: &[&str]) -> Option<NodeRef<'a>> {
        let mut cur = self;
        for k in keys {
            cur = cur.get(k)?;
        }
        Some(cur)
    }

    /// Span of the key `key` in this mapping.
    pub fn key_span(self, key: &str) -> Option<Span> {
        self.entry(key).map(|(k, _)| k.span())
    }

    fn raw_style(self) -> Option<ScalarStyle> {
        match &self.raw().kind {
            NodeKind::Scalar { style, .. } => Some(*style),
            _ => None,
        }
    }

    /// The scalar's style, aliases followed.
    pub fn style(self) -> Option<ScalarStyle> {
        self.deref().raw_style()
    }

    /// Raw scalar text (aliases followed), whatever its resolved type.
    pub fn scalar(self) -> Option<&'a str> {
        match self.kind() {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// True for a plain scalar that resolves to null (``, `~`, `null`), or a
    /// `!!null` tag.
    pub fn is_null(self) -> bool {
        let n = self.deref();
        match &n.raw().kind {
            NodeKind::Scalar { value, style } => {
                n.raw().tag().is_some_and(|t| t.ends_with("null"))
                    || (*style == ScalarStyle::Plain
                        && matches!(&**value, "" | "~" | "null" | "Null" | "NULL"))
            }
            _ => false,
        }
    }

    /// A string value: any non-null scalar. (Kubernetes rejects non-string
    /// scalars for string fields; rules mostly want the text anyway.)
    pub fn as_str(self) -> Option<&'a str> {
        if self.is_null() {
            return None;
        }
        self.scalar()
    }

    /// A boolean as Kubernetes' YAML decoder resolves it: plain
    /// `true/false/yes/no/on/off/y/n` in any of the YAML 1.1 spellings.
    pub fn as_bool(self) -> Option<bool> {
        if self.style() != Some(ScalarStyle::Plain) {
            return None;
        }
        resolve_bool(self.scalar()?)
    }

    /// An integer (plain scalar; decimal, `0x`, `0o`, YAML 1.1 octal `0755`).
    pub fn as_i64(self) -> Option<i64> {
        if self.style() != Some(ScalarStyle::Plain) {
            return None;
        }
        resolve_int(self.scalar()?)
    }

    /// For a scalar holding embedded text (a block scalar with a config file),
    /// the map from offsets in [`Self::scalar`] to offsets in the file.
    pub fn scalar_map(self, source: &str) -> SpanMap {
        super::loader::scalar_map(self.deref().raw(), source)
    }
}

/// Pushes the mappings a `<<` value names (one mapping, or a sequence of
/// them, the first to be read first) onto `stack`.
fn push_merge_sources<'a>(stack: &mut Vec<NodeRef<'a>>, value: NodeRef<'a>) {
    let value = value.deref();
    if value.is_sequence() {
        let at = stack.len();
        stack.extend(value.items());
        stack[at..].reverse();
    } else {
        stack.push(value);
    }
}

/// YAML 1.1 booleans as go-yaml v2 (used by Kubernetes) resolves them.
pub fn resolve_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
            Some(true)
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
            Some(false)
        }
        _ => None,
    }
}

/// Integers as YAML 1.1 resolves them (underscores allowed, `0x`, `0o`,
/// leading-zero octal, sign).
pub fn resolve_int(s: &str) -> Option<i64> {
    let cleaned: String = s.chars().filter(|&c| c != '_').collect();
    let (neg, body) = match cleaned.as_bytes().first() {
        Some(b'-') => (true, &cleaned[1..]),
        Some(b'+') => (false, &cleaned[1..]),
        _ => (false, &cleaned[..]),
    };
    if body.is_empty() {
        return None;
    }
    let v = if let Some(h) = body.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(o) = body.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()?
    } else if let Some(b) = body.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()?
    } else if body.len() > 1 && body.starts_with('0') {
        i64::from_str_radix(&body[1..], 8).ok()?
    } else {
        if !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        body.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    #[test]
    fn merge_keys_order_and_cycles() {
        let s = parse(
            "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  x: 3\nself: &m {<<: *m, k: v}\nloop: &l [*l]\nd: {<<: *l}\n",
        );
        let root = s.node(s.docs[0].root.unwrap());
        let c = root.get("c").unwrap();
        assert_eq!(c.get("x").unwrap().scalar(), Some("3"));
        assert_eq!(c.get("y").unwrap().scalar(), Some("1"));
        assert_eq!(c.get("z").unwrap().scalar(), Some("2"));
        assert!(c.get("w").is_none());
        // A mapping merged into itself and a sequence holding itself.
        let m = root.get("self").unwrap();
        assert_eq!(m.get("k").unwrap().scalar(), Some("v"));
        assert!(m.get("missing").is_none());
        assert!(root.get("d").unwrap().get("missing").is_none());
    }

    #[test]
    fn merge_bomb_is_linear() {
        // Each level merges the previous one twice: 2^40 paths, 41 mappings.
        let mut t = String::from("b0: &b0 {x: 1}\n");
        for i in 1..=40 {
            t.push_str(&format!(
                "b{i}: &b{i} {{<<: [*b{0}, *b{0}], l{i}: v}}\n",
                i - 1
            ));
        }
        let s = parse(&t);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        let root = s.node(s.docs[0].root.unwrap());
        let top = root.get("b40").unwrap();
        assert!(top.get("missing").is_none());
        assert_eq!(top.get("l39").unwrap().scalar(), Some("v"));
        assert_eq!(top.get("x").unwrap().scalar(), Some("1"));
    }
}
