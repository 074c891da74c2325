//! Minimal YAML edits for the Kubernetes fixes (here, below the rules, so
//! that per-file summaries can carry a fix a project rule reports). Every edit touches only the
//! bytes it must: a wrong value is replaced in place (its quoting style is
//! not kept, the value is written plain), a missing key is inserted as the
//! smallest block at the indentation of the mapping that receives it (block
//! style: a new line after the mapping's last entry; flow style: `, key: v`
//! before the closing brace), and comments and other lines stay as they are.
//! Shapes that cannot be edited that simply (aliases, merge keys, block
//! scalars, multi-line flow collections, tabs) get no edit: `None`.

use crate::finding::Edit;
use crate::source::{SourceFile, Span};
use crate::yaml::{NodeRef, ScalarStyle};

/// Edits of one file's text.
#[derive(Clone, Copy)]
pub struct Yed<'a> {
    text: &'a str,
    nl: &'static str,
    /// Indentation step of the document (2 unless the file says otherwise).
    step: usize,
}

impl<'a> Yed<'a> {
    /// An editor for `file`; `root` (an object's mapping) gives the
    /// indentation step new nested blocks use.
    pub fn new(file: &'a SourceFile, root: NodeRef<'_>) -> Self {
        let mut y = Yed {
            text: &file.text,
            nl: file.newline(),
            step: 2,
        };
        y.step = y.step_of(root).unwrap_or(2);
        y
    }

    fn line_start(&self, at: usize) -> usize {
        self.text[..at].rfind('\n').map_or(0, |i| i + 1)
    }

    /// Column (in bytes) of `at` when only spaces and sequence dashes stand
    /// before it on its line.
    fn block_col(&self, at: usize) -> Option<usize> {
        let ls = self.line_start(at);
        let prefix = &self.text[ls..at];
        prefix
            .bytes()
            .all(|b| b == b' ' || b == b'-')
            .then_some(at - ls)
    }

    /// The indentation step below `map`: the first nested block mapping's
    /// key column minus its parent key's column.
    fn step_of(&self, map: NodeRef<'_>) -> Option<usize> {
        for (k, v) in own_entries(map) {
            let v = v.deref();
            if !v.is_mapping() || self.is_flow(v) {
                continue;
            }
            let first = own_entries(v).next()?.0;
            let (kc, vc) = (
                self.block_col(k.span().start())?,
                self.block_col(first.span().start())?,
            );
            if vc > kc {
                return Some(vc - kc);
            }
        }
        None
    }

    fn is_flow(&self, n: NodeRef<'_>) -> bool {
        matches!(
            self.text.as_bytes().get(n.span().start()),
            Some(b'{' | b'[')
        )
    }

    /// Offset just after the line holding offset `end` (the line's
    /// newline included), and whether that is the end of a text whose last
    /// line has no newline.
    fn after_line(&self, end: usize) -> (usize, bool) {
        if end > 0 && self.text.as_bytes()[end - 1] == b'\n' {
            return (end, false);
        }
        match self.text[end..].find('\n') {
            Some(i) => (end + i + 1, false),
            None => (self.text.len(), true),
        }
    }

    /// New lines `s` (each ending in a newline) as inserted at the end of
    /// a text without a final newline: the newline goes first, so the last
    /// line stays as it was and the text still ends without one.
    fn at_eof(&self, s: String, at_eof: bool) -> String {
        match s.strip_suffix(self.nl) {
            Some(body) if at_eof => format!("{}{body}", self.nl),
            _ => s,
        }
    }

    /// The edits that make `map.<path> = value` (`value` is YAML text in
    /// flow form, such as `false` or `["ALL"]`): the value replaced when the
    /// path exists, else the missing keys inserted into the deepest mapping
    /// that exists.
    pub fn set(&self, map: NodeRef<'_>, path: &[&str], value: &str) -> Option<Vec<Edit>> {
        let (key, rest) = path.split_first()?;
        if map.is_alias() || !map.is_mapping() || has_merge(map) {
            return None;
        }
        match own_entry(map, key) {
            Some((_, v)) if rest.is_empty() => {
                if v.is_alias() || v.span().is_empty() || !self.replaceable(v) {
                    return None;
                }
                Some(vec![Edit::replace(v.span(), value)])
            }
            Some((_, v)) if v.is_mapping() && !v.is_alias() => self.set(v, rest, value),
            Some(_) => None,
            None => self.insert(map, key, rest, value).map(|e| vec![e]),
        }
    }

    /// A scalar or flow collection on one line can be replaced in place.
    fn replaceable(&self, v: NodeRef<'_>) -> bool {
        let one_line = !self.text[v.span().start()..v.span().end()].contains('\n');
        match v.style() {
            Some(ScalarStyle::Literal | ScalarStyle::Folded) => false,
            Some(_) => one_line,
            None => self.is_flow(v) && one_line,
        }
    }

    /// Inserts `key: <rest...>: value` into `map`.
    fn insert(&self, map: NodeRef<'_>, key: &str, rest: &[&str], value: &str) -> Option<Edit> {
        let last = own_entries(map).last();
        if self.is_flow(map) {
            let span = map.span();
            if self.text.as_bytes().get(span.end().checked_sub(1)?) != Some(&b'}') {
                return None;
            }
            let nested = flow_nested(key, rest, value);
            return Some(match last {
                Some((_, v)) => Edit::insert(v.span().end(), format!(", {nested}")),
                None => Edit::insert(span.end() - 1, nested),
            });
        }
        let (first, _) = own_entries(map).next()?;
        let col = self.block_col(first.span().start())?;
        let end = own_entries(map)
            .map(|(k, v)| k.span().end().max(v.span().end()))
            .max()?;
        let (at, at_eof) = self.after_line(end);
        let mut s = String::new();
        let mut indent = col;
        let mut keys = std::iter::once(key).chain(rest.iter().copied()).peekable();
        while let Some(k) = keys.next() {
            s.push_str(&" ".repeat(indent));
            s.push_str(k);
            s.push(':');
            if keys.peek().is_none() {
                s.push(' ');
                s.push_str(value);
            }
            s.push_str(self.nl);
            indent += self.step;
        }
        Some(Edit::insert(at, self.at_eof(s, at_eof)))
    }

    /// Appends `item` to the sequence `seq` (block: a new `- item` line at
    /// the first dash's column; flow: `, item` before the bracket).
    pub fn append(&self, seq: NodeRef<'_>, item: &str) -> Option<Edit> {
        if seq.is_alias() || !seq.is_sequence() {
            return None;
        }
        let span = seq.span();
        let last = seq.items().last();
        if self.is_flow(seq) {
            if self.text.as_bytes().get(span.end().checked_sub(1)?) != Some(&b']') {
                return None;
            }
            return Some(match last {
                Some(v) => Edit::insert(v.span().end(), format!(", {item}")),
                None => Edit::insert(span.end() - 1, item.to_string()),
            });
        }
        let first = seq.items().next()?.span().start();
        let ls = self.line_start(first);
        let prefix = &self.text[ls..first];
        let dash = ls + prefix.find('-')?;
        let col = dash - ls;
        let gap = &self.text[dash + 1..first];
        if !self.text[ls..dash].bytes().all(|b| b == b' ')
            || gap.is_empty()
            || !gap.bytes().all(|b| b == b' ')
        {
            return None;
        }
        let (at, at_eof) = self.after_line(last?.span().end());
        let line = format!("{}-{gap}{item}{}", " ".repeat(col), self.nl);
        Some(Edit::insert(at, self.at_eof(line, at_eof)))
    }

    /// Removes the items of `seq` for which `drop` holds: in block style
    /// each item's whole line (only when the line holds nothing else, no
    /// comment either), in flow style (on one line) by rewriting the list.
    pub fn remove_items(
        &self,
        seq: NodeRef<'_>,
        drop: impl Fn(NodeRef<'_>) -> bool,
    ) -> Option<Vec<Edit>> {
        if seq.is_alias() || !seq.is_sequence() {
            return None;
        }
        if self.is_flow(seq) {
            let span = seq.span();
            if self.text[span.start()..span.end()].contains('\n') {
                return None;
            }
            let kept: Vec<&str> = seq
                .items()
                .filter(|i| !drop(*i))
                .map(|i| &self.text[i.span().start()..i.span().end()])
                .collect();
            return Some(vec![Edit::replace(span, format!("[{}]", kept.join(", ")))]);
        }
        let mut edits = Vec::new();
        let mut kept = 0;
        for i in seq.items() {
            if !drop(i) {
                kept += 1;
                continue;
            }
            let ls = self.line_start(i.span().start());
            let prefix = &self.text[ls..i.span().start()];
            if prefix.trim_start_matches(' ') != "- " && prefix.trim() != "-" {
                return None;
            }
            let (end, _) = self.after_line(i.span().end());
            if !self.text[i.span().end()..end].trim().is_empty() {
                return None;
            }
            edits.push(Edit::delete(Span::new(ls, end)));
        }
        // An emptied block sequence would read as null: leave that to a
        // person.
        (kept > 0).then_some(edits)
    }

    /// The indentation step new nested blocks use.
    pub fn step(&self) -> usize {
        self.step
    }

    /// The file's line ending.
    pub fn nl(&self) -> &'static str {
        self.nl
    }

    /// The source text of a node.
    pub fn src(&self, n: NodeRef<'_>) -> &'a str {
        &self.text[n.span().start()..n.span().end()]
    }

    /// Is `n` written in flow style on one line?
    pub fn is_flow_line(&self, n: NodeRef<'_>) -> bool {
        self.is_flow(n) && !self.src(n).contains('\n')
    }

    /// The lines of the entry `k: v` when it stands alone on them (only
    /// spaces before the key, nothing after the value, no comment): their
    /// range, newline included, and the key's column.
    pub fn own_lines(&self, k: NodeRef<'_>, v: NodeRef<'_>) -> Option<(Span, usize)> {
        let ks = k.span().start();
        let ls = self.line_start(ks);
        if !self.text[ls..ks].bytes().all(|b| b == b' ') {
            return None;
        }
        let (end, _) = self.after_line(v.span().end().max(k.span().end()));
        let tail = &self.text[v.span().end().max(k.span().end())..end];
        (tail.trim().is_empty() && !self.src(v).contains('#'))
            .then_some((Span::new(ls, end), ks - ls))
    }

    /// Removes the entry `key` of the block mapping `map` (its lines, when
    /// they hold no comment), if `map` keeps another entry.
    pub fn remove_entry(&self, map: NodeRef<'_>, key: &str) -> Option<Edit> {
        if self.is_flow(map) || own_entries(map).count() < 2 {
            return None;
        }
        let (k, v) = own_entry(map, key)?;
        let ls = self.line_start(k.span().start());
        if !self.text[ls..k.span().start()].bytes().all(|b| b == b' ') {
            return None;
        }
        let (end, _) = self.after_line(v.span().end().max(k.span().end()));
        (!self.text[ls..end].contains('#')).then(|| Edit::delete(Span::new(ls, end)))
    }
}

fn own_entries<'a>(map: NodeRef<'a>) -> impl Iterator<Item = (NodeRef<'a>, NodeRef<'a>)> + 'a {
    map.deref().entries()
}

fn own_entry<'a>(map: NodeRef<'a>, key: &str) -> Option<(NodeRef<'a>, NodeRef<'a>)> {
    own_entries(map)
        .filter(|(k, _)| k.scalar() == Some(key))
        .last()
}

fn has_merge(map: NodeRef<'_>) -> bool {
    own_entries(map).any(|(k, _)| k.scalar() == Some("<<"))
}

fn flow_nested(key: &str, rest: &[&str], value: &str) -> String {
    match rest.split_first() {
        None => format!("{key}: {value}"),
        Some((k, r)) => format!("{key}: {{{}}}", flow_nested(k, r, value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> (SourceFile, crate::yaml::YamlStream) {
        (SourceFile::new("t.yaml", text), crate::yaml::parse(text))
    }

    fn set(text: &str, path: &[&str], value: &str) -> Option<String> {
        let (f, s) = doc(text);
        let root = s.node(s.docs[0].root.unwrap());
        let c = root
            .path(&["spec", "containers"])
            .unwrap()
            .items()
            .next()
            .unwrap();
        let y = Yed::new(&f, root);
        let e = y.set(c, path, value)?;
        crate::fix::apply(&f.text, &e)
    }

    const POD: &str = "kind: Pod\nspec:\n    containers:\n      - name: a  # c\n        image: x\n        securityContext:\n            runAsUser: 1\n    # tail\n";

    #[test]
    fn inserts_into_block_at_the_mapping_indentation() {
        let got = set(
            POD,
            &["securityContext", "allowPrivilegeEscalation"],
            "false",
        )
        .unwrap();
        assert_eq!(
            got,
            POD.replace(
                "runAsUser: 1\n",
                "runAsUser: 1\n            allowPrivilegeEscalation: false\n"
            )
        );
        let got = set(POD, &["resources", "limits", "cpu"], "1").unwrap();
        assert!(
            got.contains("runAsUser: 1\n        resources:\n            limits:\n                cpu: 1\n    # tail"),
            "{got}"
        );
    }

    #[test]
    fn replaces_and_flows() {
        let t =
            "kind: Pod\nspec:\n  containers:\n  - {name: a, securityContext: {runAsUser: \"0\"}}\n";
        assert_eq!(
            set(t, &["securityContext", "runAsNonRoot"], "true").unwrap(),
            t.replace("\"0\"}", "\"0\", runAsNonRoot: true}")
        );
        assert_eq!(
            set(t, &["securityContext", "runAsUser"], "1000").unwrap(),
            t.replace("\"0\"", "1000")
        );
        let t = "kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext: {}\n";
        assert_eq!(
            set(t, &["securityContext", "capabilities", "drop"], "[\"ALL\"]").unwrap(),
            t.replace("{}", "{capabilities: {drop: [\"ALL\"]}}")
        );
        let crlf = "kind: Pod\r\nspec:\r\n  containers:\r\n  - name: a";
        assert_eq!(
            set(crlf, &["securityContext", "runAsNonRoot"], "true").unwrap(),
            format!("{crlf}\r\n    securityContext:\r\n      runAsNonRoot: true")
        );
    }

    #[test]
    fn appends_and_removes_items() {
        let t = "a:\n  - X  # keep\n  - Y\nb: [X, Y, Z]\n";
        let (f, s) = doc(t);
        let root = s.node(s.docs[0].root.unwrap());
        let y = Yed::new(&f, root);
        let a = root.get("a").unwrap();
        let e = y.append(a, "ALL").unwrap();
        assert_eq!(
            crate::fix::apply(t, &[e]).unwrap(),
            t.replace("- Y\n", "- Y\n  - ALL\n")
        );
        let e = y.remove_items(a, |i| i.as_str() == Some("Y")).unwrap();
        assert_eq!(crate::fix::apply(t, &e).unwrap(), t.replace("  - Y\n", ""));
        assert!(y.remove_items(a, |i| i.as_str() == Some("X")).is_none());
        let b = root.get("b").unwrap();
        let e = y.remove_items(b, |i| i.as_str() == Some("Y")).unwrap();
        assert_eq!(
            crate::fix::apply(t, &e).unwrap(),
            t.replace("[X, Y, Z]", "[X, Z]")
        );
        let e = y.append(b, "\"ALL\"").unwrap();
        assert_eq!(
            crate::fix::apply(t, &[e]).unwrap(),
            t.replace("Z]", "Z, \"ALL\"]")
        );
    }
}
