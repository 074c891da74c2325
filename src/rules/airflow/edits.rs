//! Fix edits for the AFC rules: renaming, moving and deleting a setting in
//! its own kind of source (an airflow.cfg line, also inside a ConfigMap's
//! block scalar; an environment variable name; a Helm `config:` entry).
//!
//! Every edit is made on the text of the setting's own file, at spans of
//! that file, and only where the text at the span is exactly what the
//! setting says (a name written with escapes, a value mapped to a single
//! point, a flow-style mapping: no fix). Lines keep their indentation,
//! comments and quoting; new lines use the file's line ending.

use std::collections::HashMap;

use crate::airflow::knowledge;
use crate::airflow::model::{At, Group};
use crate::airflow::sources::{Marker, Setting, SourceKind};
use crate::finding::Edit;
use crate::rules::ProjectCx;
use crate::source::Span;

/// The text of a setting's file, with line helpers.
pub struct Src<'a> {
    pub text: &'a str,
    pub nl: &'static str,
}

impl<'a> Src<'a> {
    pub fn of(cx: &'a ProjectCx<'_>, a: At<'_>) -> Option<Src<'a>> {
        let f = &cx.files.get(a.file as usize)?.file;
        Some(Src {
            text: &f.text,
            nl: f.newline(),
        })
    }
    fn line_start(&self, off: usize) -> usize {
        self.text[..off.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1)
    }
    /// The end of the line's content (before `\r\n` or `\n`).
    fn line_end(&self, off: usize) -> usize {
        let e = self.text[off..]
            .find('\n')
            .map_or(self.text.len(), |i| off + i);
        if e > off && self.text.as_bytes()[e - 1] == b'\r' {
            e - 1
        } else {
            e
        }
    }
    /// The start of the next line (the end of the text on the last line).
    fn next_line(&self, off: usize) -> usize {
        self.text[off..]
            .find('\n')
            .map_or(self.text.len(), |i| off + i + 1)
    }
    fn indent(&self, line_start: usize) -> usize {
        self.text[line_start..]
            .bytes()
            .take_while(|&b| b == b' ' || b == b'\t')
            .count()
    }
    /// The lines from the one holding `from` through the one holding
    /// `to - 1`, with their line ending.
    fn lines(&self, from: usize, to: usize) -> Span {
        let last = to.max(from + 1) - 1;
        Span::new(
            self.line_start(from),
            self.next_line(last.min(self.text.len())),
        )
    }
    /// The span of `name` as written at `key` (quotes left out); None when
    /// the text there is not the name (escapes, a name made by afcheck).
    pub fn name_span(&self, key: Span, name: &str) -> Option<Span> {
        let t = self.text.get(key.start()..key.end())?;
        let t = t.trim_matches(|c| c == '"' || c == '\'');
        if t != name {
            return None;
        }
        let i = self.text[key.start()..key.end()].find(name)?;
        Some(Span::new(key.start() + i, key.start() + i + name.len()))
    }
    /// A span of the text on character boundaries.
    fn valid(&self, sp: Span) -> bool {
        sp.start() <= sp.end()
            && sp.end() <= self.text.len()
            && self.text.is_char_boundary(sp.start())
            && self.text.is_char_boundary(sp.end())
    }
    /// Nothing but blanks and a `#` comment between `off` and the line end.
    fn rest_is_comment(&self, off: usize) -> bool {
        let r = self.text[off..self.line_end(off)].trim_start();
        r.is_empty() || r.starts_with('#')
    }
    /// The whole lines of a setting written on lines of its own (a cfg
    /// option with its continuation lines, a block-style YAML entry or list
    /// item whose only keys are the setting's name and value): None when
    /// anything else shares those lines.
    pub fn own_lines(&self, s: &Setting) -> Option<Span> {
        let (k, v) = (s.key_span, s.value_span);
        if !self.valid(k) || !self.valid(v) {
            return None;
        }
        let first = k.start().min(v.start());
        let last = k.end().max(v.end());
        let ls = self.line_start(first);
        let before = &self.text[ls..first];
        let trimmed = before.trim_start_matches([' ', '\t']);
        // The column lines of the entry must be indented past.
        // `- ` then at most one key of the item (`- name: X`).
        let item_key = |r: &str| {
            let r = r.trim_matches([' ', '\t']);
            r.is_empty()
                || r.strip_suffix(':').is_some_and(|k| {
                    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                })
        };
        let anchor = match trimmed {
            "" => before.len(),
            t if t.starts_with("- ") && item_key(&t[2..]) => before.len() - t.len(),
            _ => return None,
        };
        let last_char = last.max(first + 1) - 1;
        if !self.rest_is_comment(last.min(self.line_end(last_char))) {
            return None;
        }
        let region = self.lines(first, last);
        // Inner lines (a list item's next key, continuation lines).
        let mut p = self.next_line(ls);
        while p < region.end() {
            let blank = self.text[p..self.line_end(p)].trim().is_empty();
            if !blank && self.indent(p) <= anchor {
                return None;
            }
            p = self.next_line(p);
        }
        // The next line that says something must not belong to the entry.
        if s.source != SourceKind::Cfg && s.source != SourceKind::ConfigMapCfg {
            let mut q = region.end();
            while q < self.text.len() {
                let t = self.text[q..self.line_end(q)].trim();
                if !t.is_empty() && !t.starts_with('#') {
                    if self.indent(q) > anchor {
                        return None;
                    }
                    break;
                }
                q = self.next_line(q);
            }
        }
        Some(region)
    }
    /// A block-style YAML key (`name:` and nothing but a comment after it).
    fn block_key(&self, key: Span) -> bool {
        self.text[key.end()..].starts_with(':') && self.rest_is_comment(key.end() + 1)
    }
    /// Another entry of the same YAML list or mapping as the entry on the
    /// lines `own` (at its column, before or after it).
    fn has_sibling(&self, own: Span) -> bool {
        let col = self.indent(own.start());
        let dash = self.text[own.start() + col..].starts_with('-');
        let says = |p: usize| {
            let t = self.text[p..self.line_end(p)].trim();
            !t.is_empty() && !t.starts_with('#')
        };
        let mut q = own.end();
        while q < self.text.len() && !says(q) {
            q = self.next_line(q);
        }
        if q < self.text.len()
            && self.indent(q) == col
            && self.text[q + col..].starts_with('-') == dash
        {
            return true;
        }
        let mut p = own.start();
        while p > 0 {
            p = self.line_start(p - 1);
            if !says(p) {
                continue;
            }
            let i = self.indent(p);
            let line_dash = self.text[p + i..].starts_with('-');
            return i > col || (i == col && line_dash == dash);
        }
        false
    }
    /// The whole-line comments directly above the line starting at `ls`
    /// (no blank line between): where a moved line's comment starts.
    fn comments_above(&self, ls: usize, cfg: bool) -> usize {
        let mut start = ls;
        while start > 0 {
            let prev = self.line_start(start - 1);
            let t = self.text[prev..self.line_end(prev)].trim_start();
            let comment = t.starts_with('#') || (cfg && t.starts_with(';'));
            if !comment {
                break;
            }
            start = prev;
        }
        start
    }
}

/// The name to write for `[section] key` in the setting's kind of source.
pub fn written_name(s: &Setting, section: &str, key: &str) -> String {
    let suffix = s.via.suffix();
    if s.source.is_env() {
        format!(
            "AIRFLOW__{}__{}{}",
            section.replace('.', "_").to_uppercase(),
            key.to_uppercase(),
            suffix.to_uppercase()
        )
    } else {
        format!("{key}{suffix}")
    }
}

/// Sources whose settings afcheck can edit in place (a Compose `env_file`
/// is another file; the chart's built-in variables are not written).
fn editable(s: &Setting) -> bool {
    !s.implicit && s.source != SourceKind::ComposeEnvFile && s.marker.is_none()
}

/// Renames the setting in place: the env var name, or the key of a cfg
/// line or Helm `config:` entry.
pub fn rename_in_place(src: &Src<'_>, s: &Setting, new: &str) -> Option<Vec<Edit>> {
    if !editable(s) {
        return None;
    }
    let at = src.name_span(s.key_span, &s.name)?;
    Some(vec![Edit::replace(at, new)])
}

/// The section header (a `Marker::Section` setting) `section` of the
/// setting's own cfg or Helm `config:` (same file, same unit, same kind),
/// if there is exactly one.
fn header<'a>(g: &'a Group<'a>, a: At<'_>, section: &str) -> Result<Option<At<'a>>, ()> {
    let mut hs = g.settings.iter().copied().filter(|b| {
        b.file == a.file
            && b.s.unit == a.s.unit
            && b.s.source == a.s.source
            && b.s.marker == Some(Marker::Section)
            && b.s.section == section
    });
    let first = hs.next();
    if hs.next().is_some() {
        return Err(());
    }
    Ok(first)
}

/// Settings of the same cfg or Helm `config:` as `a` (same file, unit, kind).
fn siblings<'a>(g: &'a Group<'a>, a: At<'a>) -> impl Iterator<Item = At<'a>> + 'a {
    g.settings
        .iter()
        .copied()
        .filter(move |b| b.file == a.file && b.s.unit == a.s.unit && b.s.source == a.s.source)
}

/// Moves a cfg option (with the comment lines right above it) or a Helm
/// `config:` entry to `[new_sec]` under the key `new_name`, creating the
/// section after the last one when it is missing.
pub fn move_to_section(
    src: &Src<'_>,
    g: &Group<'_>,
    a: At<'_>,
    new_sec: &str,
    new_name: &str,
) -> Option<Vec<Edit>> {
    let s = a.s;
    let cfg = matches!(s.source, SourceKind::Cfg | SourceKind::ConfigMapCfg);
    if !editable(s) || !(cfg || s.source == SourceKind::HelmConfig) {
        return None;
    }
    // A broken file is not edited; `%(name)s` references are per section.
    if siblings(g, a).any(|b| {
        matches!(
            b.s.marker,
            Some(Marker::Syntax | Marker::DuplicateOption { .. } | Marker::DuplicateSection { .. })
        )
    }) {
        return None;
    }
    if cfg
        && siblings(g, a).any(|b| {
            b.s.value.as_deref().is_some_and(|v| {
                (b.s.section == s.section && v.contains(&format!("%({})s", s.name)))
                    || (std::ptr::eq(b.s, s) && v.contains("%("))
            })
        })
    {
        return None;
    }
    let key = src.name_span(s.key_span, &s.name)?;
    let own = src.own_lines(s)?;
    let start = if cfg {
        src.comments_above(own.start(), true)
    } else {
        own.start()
    };
    let mut moved = String::new();
    moved.push_str(&src.text[start..key.start()]);
    moved.push_str(new_name);
    moved.push_str(&src.text[key.end()..own.end()]);
    if !moved.ends_with('\n') {
        moved.push_str(src.nl);
    }
    let old_header = header(g, a, &s.section).ok()??;
    let old_indent = src.indent(src.line_start(old_header.s.key_span.start()));
    // A cfg line indented past its header would read as a continuation.
    let key_indent = src.indent(src.line_start(s.key_span.start()));
    if (cfg && key_indent != old_indent) || (!cfg && key_indent <= old_indent) {
        return None;
    }
    let mut edits = Vec::new();
    let mut delete = Span::new(start, own.end());
    let insert_at;
    let mut content = String::new();
    match header(g, a, new_sec).ok()? {
        Some(h) => {
            let hs = src.line_start(h.s.key_span.start());
            if src.indent(hs) != old_indent {
                return None;
            }
            if !cfg && !src.block_key(h.s.key_span) {
                return None;
            }
            // After the section's last entry (written at the moved
            // line's indentation), else after its header.
            let last = siblings(g, a)
                .filter(|b| b.s.marker.is_none() && b.s.section == new_sec)
                .max_by_key(|b| b.s.key_span.end().max(b.s.value_span.end()));
            let end = match last {
                Some(b) => {
                    if src.indent(src.line_start(b.s.key_span.start())) != key_indent {
                        return None;
                    }
                    b.s.key_span.end().max(b.s.value_span.end())
                }
                None => h.s.key_span.end(),
            };
            insert_at = src.next_line(end.max(1) - 1);
        }
        None => {
            // The end of the cfg or `config:` mapping: its last section
            // header or option (not the image tag the chart's version
            // comes from, which lies elsewhere in the values).
            let end = siblings(g, a)
                .filter(|b| matches!(b.s.marker, None | Some(Marker::Section)))
                .map(|b| b.s.key_span.end().max(b.s.value_span.end()))
                .max()?;
            insert_at = src.next_line(end.max(1) - 1);
            let head_ls = src.line_start(old_header.s.key_span.start());
            let head_indent = &src.text[head_ls..head_ls + old_indent];
            content.push_str(head_indent);
            if cfg {
                content.push_str(&format!("[{new_sec}]"));
            } else {
                content.push_str(&yaml_key(new_sec)?);
                content.push(':');
            }
            content.push_str(src.nl);
        }
    }
    if insert_at == src.text.len() && !src.text.is_empty() && !src.text.ends_with('\n') {
        content.insert_str(0, src.nl);
    }
    content.push_str(&moved);
    if let Some(hs) = emptied_helm_header(src, g, a, start) {
        delete = Span::new(hs, own.end());
    }
    if insert_at > delete.start() && insert_at < delete.end() {
        return None;
    }
    edits.push(Edit::delete(delete));
    edits.push(Edit::insert(insert_at, content));
    edits.sort();
    Some(edits)
}

/// When `a` is the last entry of its Helm `config:` section, the start of
/// the section's header line (`core:` alone would be a null section), if
/// only comments lie between it and `start`.
fn emptied_helm_header(src: &Src<'_>, g: &Group<'_>, a: At<'_>, start: usize) -> Option<usize> {
    let s = a.s;
    if s.source != SourceKind::HelmConfig
        || siblings(g, a)
            .any(|b| b.s.marker.is_none() && b.s.section == s.section && !std::ptr::eq(b.s, s))
    {
        return None;
    }
    let h = header(g, a, &s.section).ok()??;
    let hs = src.line_start(h.s.key_span.start());
    let between = src.text.get(src.next_line(hs)..start)?;
    (src.block_key(h.s.key_span)
        && between
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')))
    .then_some(hs)
}

/// A section name as a plain YAML key, when it can be written so.
fn yaml_key(name: &str) -> Option<String> {
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
        .then(|| name.to_string())
}

/// Deletes the setting's own lines (a cfg option, a block-style YAML entry
/// or env list item, a Dockerfile `ENV` with this one variable).
pub fn delete(src: &Src<'_>, g: &Group<'_>, a: At<'_>) -> Option<Vec<Edit>> {
    let s = a.s;
    if !editable(s) {
        return None;
    }
    src.name_span(s.key_span, &s.name)?;
    if !src.valid(s.key_span) || !src.valid(s.value_span) {
        return None;
    }
    if s.source == SourceKind::DockerEnv {
        // `ENV NAME=value` or `ENV NAME value` alone on its line.
        let ls = src.line_start(s.key_span.start());
        let le = src.line_end(ls);
        let head = src.text[ls..s.key_span.start()].trim();
        let end = s.key_span.end().max(s.value_span.end());
        if !head.eq_ignore_ascii_case("ENV")
            || end > le
            || !src.text[end..le].trim().is_empty()
            || src.text[ls..le].ends_with('\\')
        {
            return None;
        }
        return Some(vec![Edit::delete(Span::new(ls, src.next_line(ls)))]);
    }
    let own = src.own_lines(s)?;
    if let Some(hs) = emptied_helm_header(src, g, a, own.start()) {
        return Some(vec![Edit::delete(Span::new(hs, own.end()))]);
    }
    // Deleting the only entry of a YAML list or mapping would leave its
    // parent null (`env:`): no fix.
    if !matches!(s.source, SourceKind::Cfg | SourceKind::ConfigMapCfg) && !src.has_sibling(own) {
        return None;
    }
    Some(vec![Edit::delete(own)])
}

/// Inserts `%` before each bare `%` of a cfg value (not followed by `%` or
/// `(`): None when one of them is not written as itself in the file.
pub fn double_percents(src: &Src<'_>, s: &Setting) -> Option<Vec<Edit>> {
    if !editable(s) || s.source.is_env() {
        return None;
    }
    let v = s.value.as_deref()?;
    let mut edits = Vec::new();
    // Bare ones only: a malformed `%(` may be a reference with a typo.
    for i in crate::airflow::cfg::percent_syntax_errors(v) {
        if v.as_bytes().get(i + 1) == Some(&b'(') {
            continue;
        }
        let at = s.value_sub_span(i, i + 1);
        if src.text.get(at.start()..at.end()) != Some("%") || s.value_map.is_none() {
            return None;
        }
        edits.push(Edit::insert(at.start(), "%"));
    }
    (!edits.is_empty()).then_some(edits)
}

/// The fix that writes `a` under `[new_sec] new_key` in its own kind of
/// source: the new env var name; the new key in place (same section); the
/// line moved to the new section (cfg, Helm `config:`).
pub fn rename(
    cx: &ProjectCx<'_>,
    g: &Group<'_>,
    a: At<'_>,
    new: (&str, &str),
) -> Option<Vec<Edit>> {
    let (s, (new_sec, new_key)) = (a.s, new);
    let src = Src::of(cx, a)?;
    let new = written_name(s, new_sec, new_key);
    if s.source.is_env() || new_sec == s.section {
        rename_in_place(&src, s, &new)
    } else {
        move_to_section(&src, g, a, new_sec, &new)
    }
}

/// The settings of a group by option, built once per group: who sets an
/// option (so that a fix never competes with another value) without a scan
/// of the group per finding.
pub struct Index<'g> {
    set: HashMap<(&'g str, &'g str), Vec<At<'g>>>,
    names: HashMap<&'g str, usize>,
    /// (file, unit, section as written, name in lower case) of options.
    lower: HashMap<(u32, &'g str, &'g str, String), usize>,
}

impl<'g> Index<'g> {
    pub fn of(g: &'g Group<'_>) -> Index<'g> {
        let mut set: HashMap<(&'g str, &'g str), Vec<At<'g>>> = HashMap::new();
        let mut names: HashMap<&'g str, usize> = HashMap::new();
        let mut lower: HashMap<(u32, &'g str, &'g str, String), usize> = HashMap::new();
        for b in &g.settings {
            *names.entry(b.s.name.as_str()).or_default() += 1;
            if b.s.marker.is_none() {
                let k = (
                    b.file,
                    b.s.unit.as_str(),
                    b.s.section.as_str(),
                    b.s.name.to_lowercase(),
                );
                *lower.entry(k).or_default() += 1;
            }
            if b.s.marker.is_none() && b.s.case_ok {
                set.entry((b.s.section.as_str(), b.s.key.as_str()))
                    .or_default()
                    .push(*b);
            }
        }
        Index { set, names, lower }
    }
    /// A setting of the group, other than `a`, that sets `[section] key`
    /// (in any source, written in Airflow's case, the chart's built-in
    /// variables too).
    pub fn set_elsewhere(&self, a: At<'_>, section: &str, key: &str) -> Option<At<'g>> {
        self.set
            .get(&(section, key))?
            .iter()
            .copied()
            .find(|b| !std::ptr::eq(b.s, a.s))
    }
    /// Is `[section] key` set by another setting, under its own name, the
    /// name the version reads it as, an old name of that, or `[DEFAULT]`?
    pub fn is_set(&self, g: &Group<'_>, a: At<'_>, section: &str, key: &str) -> bool {
        let (cs, ck) = knowledge::canonical(section, key, g.version);
        let mut names = vec![
            (section.to_string(), key.to_string()),
            (cs.clone(), ck.clone()),
        ];
        names.extend(
            knowledge::old_names(&cs, &ck, g.version)
                .into_iter()
                .map(|(s, k)| (s.to_string(), k)),
        );
        names.push((
            crate::airflow::cfg::DEFAULT_SECTION.to_string(),
            key.to_string(),
        ));
        names
            .iter()
            .any(|(s, k)| self.set_elsewhere(a, s, k).is_some())
    }
    /// How many options of `a`'s section (same file and unit) are written
    /// `a`'s name in some case, `a` included.
    pub fn same_but_case(&self, a: At<'_>) -> usize {
        let k = (
            a.file,
            a.s.unit.as_str(),
            a.s.section.as_str(),
            a.s.name.to_lowercase(),
        );
        self.lower.get(&k).copied().unwrap_or(0)
    }
    /// How many settings of the group are written `name`.
    pub fn named(&self, name: &str) -> usize {
        self.names.get(name).copied().unwrap_or(0)
    }
}
