//! `airflow.cfg` as Airflow's ConfigParser reads it: Python `configparser`
//! with `strict=True`, `BasicInterpolation`, `=`/`:` delimiters, whole-line
//! `#`/`;` comments only, continuation lines by indentation, empty lines kept
//! inside values, and case-preserving keys and sections (Airflow looks them
//! up in lower case, so `LOAD_EXAMPLES` or `[CORE]` is never read).
//!
//! Unlike Python, the parser never stops: duplicates and bad lines become
//! [`CfgError`]s and parsing goes on, so every problem gets a location.

use std::collections::HashMap;

use crate::source::{Span, SpanMap};

/// Python's `str.isspace()` (and `\s` in `re`) for the characters that matter.
pub fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// The section configparser treats as defaults for every other section.
pub const DEFAULT_SECTION: &str = "DEFAULT";

#[derive(Clone, Debug)]
pub struct CfgSection {
    /// The header text between `[` and the last `]`, verbatim.
    pub name: String,
    /// Span of the name inside the first header for this section.
    pub name_span: Span,
}

#[derive(Clone, Debug)]
pub struct CfgOption {
    /// Index into [`CfgFile::sections`].
    pub section: usize,
    /// The key as written (trailing blanks removed).
    pub key: String,
    pub key_span: Span,
    /// The raw value (before `%` interpolation): continuation lines joined
    /// with `\n`, trailing empty lines removed.
    pub value: String,
    /// From the first to the last character of the value in the file (an
    /// empty span after the delimiter for an empty value).
    pub value_span: Span,
    /// Offsets in [`Self::value`] to offsets in the parsed text.
    pub value_map: SpanMap,
    /// The segments of `value_map`: (offset in value, offset in text), one
    /// per value line.
    pub pieces: Vec<(u32, u32)>,
    /// A repeat of an option already set in this section (Airflow refuses
    /// to start); the first one is the value that counts here.
    pub duplicate: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CfgErrorKind {
    /// `[x]` seen twice (DuplicateSectionError).
    DuplicateSection { first: Span },
    /// An option set twice in one section (DuplicateOptionError).
    DuplicateOption { first: Span },
    /// An option line before any section header.
    MissingSectionHeader,
    /// A line that is neither a header, an option, a comment nor a
    /// continuation (ParsingError).
    Syntax,
}

#[derive(Clone, Debug)]
pub struct CfgError {
    pub kind: CfgErrorKind,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, Default)]
pub struct CfgFile {
    pub sections: Vec<CfgSection>,
    pub options: Vec<CfgOption>,
    pub errors: Vec<CfgError>,
    /// (section index, key) -> index of the first (effective) option.
    lookup: HashMap<(usize, String), usize>,
    /// Section name -> index into `sections` (a file may have a million).
    section_ids: HashMap<String, usize>,
}

impl CfgFile {
    pub fn section_name(&self, opt: &CfgOption) -> &str {
        self.sections
            .get(opt.section)
            .map(|s| s.name.as_str())
            .unwrap_or("")
    }
    fn section_index(&self, name: &str) -> Option<usize> {
        self.section_ids.get(name).copied()
    }
    fn add_section(&mut self, name: &str, name_span: Span) -> usize {
        self.sections.push(CfgSection {
            name: name.to_string(),
            name_span,
        });
        let i = self.sections.len() - 1;
        self.section_ids.insert(name.to_string(), i);
        i
    }
    /// The raw value configparser would return for `section`/`key` (the
    /// section first, then `[DEFAULT]`), without interpolation.
    pub fn raw(&self, section: &str, key: &str) -> Option<&CfgOption> {
        self.raw_index(section, key)
            .and_then(|i| self.options.get(i))
    }
    /// Index into [`Self::options`] of what [`Self::raw`] returns.
    fn raw_index(&self, section: &str, key: &str) -> Option<usize> {
        let find = |sec: usize| self.lookup.get(&(sec, key.to_string())).copied();
        // configparser: NoSectionError unless the section exists.
        let i = self.section_index(section)?;
        if let Some(o) = find(i) {
            return Some(o);
        }
        self.section_index(DEFAULT_SECTION).and_then(find)
    }
    /// Names of the sections, `[DEFAULT]` excluded (configparser's `sections()`).
    pub fn section_names(&self) -> Vec<&str> {
        self.sections
            .iter()
            .map(|s| s.name.as_str())
            .filter(|s| *s != DEFAULT_SECTION)
            .collect()
    }
    /// `get(section, key)` with BasicInterpolation.
    pub fn get(&self, section: &str, key: &str) -> Option<Result<String, InterpError>> {
        let opt = self.raw(section, key)?;
        Some(self.interpolate(section, &opt.value))
    }
    /// Interpolates `value` as if read from `section`. The text can grow
    /// exponentially with the nesting of references (ten levels of a
    /// hundred references each): past [`MAX_INTERPOLATED_LEN`] bytes this
    /// stops with [`InterpErrorKind::TooLong`]. To know only whether a value
    /// interpolates, use [`Self::check_interpolation`], which is linear.
    pub fn interpolate(&self, section: &str, value: &str) -> Result<String, InterpError> {
        let mut out = String::with_capacity(value.len());
        self.interp_some(section, value, 0, 1, &mut out)?;
        Ok(out)
    }

    /// Whether `value`, read from `section`, interpolates: the error
    /// [`Self::interpolate`] would return, without building the text.
    /// Each (section, referenced option, depth) is checked once per `cx`
    /// (one per file), and the total work per `cx` is bounded: past the
    /// budget, values are taken as fine (afcheck does not know).
    pub fn check_interpolation(
        &self,
        section: &str,
        value: &str,
        cx: &mut InterpCheck,
    ) -> Result<(), InterpError> {
        let sec = self.section_index(section).unwrap_or(usize::MAX);
        self.check_some(sec, section, value, 0, 1, cx)
    }

    fn check_some(
        &self,
        sec: usize,
        section: &str,
        rest: &str,
        base: usize,
        depth: usize,
        cx: &mut InterpCheck,
    ) -> Result<(), InterpError> {
        if depth > MAX_INTERPOLATION_DEPTH {
            return Err(InterpError {
                kind: InterpErrorKind::Depth,
                offset: base,
            });
        }
        cx.work = cx.work.saturating_add(rest.len() + 1);
        if cx.work > cx.budget {
            return Ok(());
        }
        let here = |at: usize| if depth == 1 { at } else { base };
        let mut pos = 0;
        while let Some(p) = rest[pos..].find('%') {
            let at = pos + p;
            let after = &rest[at + 1..];
            if after.starts_with('%') {
                pos = at + 2;
                continue;
            }
            let Some(inner) = after.strip_prefix('(') else {
                return Err(InterpError {
                    kind: InterpErrorKind::BarePercent,
                    offset: here(at),
                });
            };
            let name_end = inner.find(')').map(|i| i + 1);
            let Some(e) = name_end.filter(|&e| e > 1 && after[e + 1..].starts_with('s')) else {
                return Err(InterpError {
                    kind: InterpErrorKind::BadReference,
                    offset: here(at),
                });
            };
            let name = &after[1..e];
            let Some(oi) = self.raw_index(section, name) else {
                return Err(InterpError {
                    kind: InterpErrorKind::Missing(name.to_string()),
                    offset: here(at),
                });
            };
            let v = self.options[oi].value.as_str();
            if v.contains('%') {
                let key = (sec, oi, depth + 1);
                let r = match cx.memo.get(&key) {
                    Some(r) => r.clone(),
                    None => {
                        let r = self
                            .check_some(sec, section, v, here(at), depth + 1, cx)
                            .map_err(|e| e.kind);
                        cx.memo.insert(key, r.clone());
                        r
                    }
                };
                if let Err(kind) = r {
                    return Err(InterpError {
                        kind,
                        offset: here(at),
                    });
                }
            }
            pos = at + 1 + e + 2;
        }
        Ok(())
    }
    fn interp_some(
        &self,
        section: &str,
        rest: &str,
        base: usize,
        depth: usize,
        out: &mut String,
    ) -> Result<(), InterpError> {
        if depth > MAX_INTERPOLATION_DEPTH {
            return Err(InterpError {
                kind: InterpErrorKind::Depth,
                offset: base,
            });
        }
        if out.len() > MAX_INTERPOLATED_LEN {
            return Err(InterpError {
                kind: InterpErrorKind::TooLong,
                offset: base,
            });
        }
        let mut pos = 0;
        while pos < rest.len() {
            let Some(p) = rest[pos..].find('%') else {
                out.push_str(&rest[pos..]);
                return Ok(());
            };
            let at = pos + p;
            out.push_str(&rest[pos..at]);
            let after = &rest[at + 1..];
            if after.starts_with('%') {
                out.push('%');
                pos = at + 2;
            } else if let Some(inner) = after.strip_prefix('(') {
                // %\(([^)]+)\)s
                let name_end = inner.find(')').map(|i| i + 1);
                let ok = name_end.filter(|&e| e > 1 && after[e + 1..].starts_with('s'));
                let Some(e) = ok else {
                    return Err(InterpError {
                        kind: InterpErrorKind::BadReference,
                        offset: if depth == 1 { at } else { base },
                    });
                };
                let name = &after[1..e];
                let Some(opt) = self.raw(section, name) else {
                    return Err(InterpError {
                        kind: InterpErrorKind::Missing(name.to_string()),
                        offset: if depth == 1 { at } else { base },
                    });
                };
                let v = opt.value.as_str();
                if v.contains('%') {
                    self.interp_some(
                        section,
                        v,
                        if depth == 1 { at } else { base },
                        depth + 1,
                        out,
                    )?;
                } else if out.len() + v.len() > MAX_INTERPOLATED_LEN {
                    return Err(InterpError {
                        kind: InterpErrorKind::TooLong,
                        offset: if depth == 1 { at } else { base },
                    });
                } else {
                    out.push_str(v);
                }
                pos = at + 1 + e + 2;
            } else {
                return Err(InterpError {
                    kind: InterpErrorKind::BarePercent,
                    offset: if depth == 1 { at } else { base },
                });
            }
        }
        Ok(())
    }
}

/// configparser's `MAX_INTERPOLATION_DEPTH`.
pub const MAX_INTERPOLATION_DEPTH: usize = 10;

/// [`CfgFile::interpolate`] stops when its result grows past this.
pub const MAX_INTERPOLATED_LEN: usize = 1 << 20;

/// Memo and work budget for [`CfgFile::check_interpolation`] over one file.
#[derive(Debug)]
pub struct InterpCheck {
    memo: HashMap<(usize, usize, usize), Result<(), InterpErrorKind>>,
    work: usize,
    budget: usize,
}

impl InterpCheck {
    /// For a file of `len` bytes: the work allowed is linear in it.
    pub fn new(len: usize) -> Self {
        InterpCheck {
            memo: HashMap::new(),
            work: 0,
            budget: len.saturating_mul(32).saturating_add(4 << 20),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InterpErrorKind {
    /// `%` not followed by `%` or `(` (InterpolationSyntaxError).
    BarePercent,
    /// `%(` without a closing `)s` (InterpolationSyntaxError).
    BadReference,
    /// `%(name)s` names no option (InterpolationMissingOptionError).
    Missing(String),
    /// References nested too deep (InterpolationDepthError).
    Depth,
    /// The interpolated text grows past [`MAX_INTERPOLATED_LEN`] (only from
    /// [`CfgFile::interpolate`]).
    TooLong,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterpError {
    pub kind: InterpErrorKind,
    /// Offset in the raw value of the `%` at fault (for nested references,
    /// of the reference in the outer value).
    pub offset: usize,
}

/// Syntax-only `%` check for values whose other options are unknown (Helm
/// `config:` values): offsets of bare `%` and malformed `%(` references.
pub fn percent_syntax_errors(value: &str) -> Vec<usize> {
    let mut errs = Vec::new();
    let b = value.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            match b.get(i + 1) {
                Some(b'%') => {
                    i += 2;
                    continue;
                }
                Some(b'(') => {
                    let rest = &value[i + 2..];
                    match rest.find(')') {
                        Some(e) if e > 0 && rest[e + 1..].starts_with('s') => {
                            i += 2 + e + 2;
                            continue;
                        }
                        _ => errs.push(i),
                    }
                }
                _ => errs.push(i),
            }
        }
        i += 1;
    }
    errs
}

/// Trims Python-whitespace; returns the trimmed slice and its start offset.
fn py_trim(s: &str) -> (&str, usize) {
    let start = s.len() - s.trim_start_matches(py_space).len();
    let t = s[start..].trim_end_matches(py_space);
    (t, start)
}

struct Building {
    opt: usize,
    /// (text, file offset) pieces; empty lines are `("", _)`.
    pieces: Vec<(usize, usize)>,
}

/// Parses `text` as Airflow reads `airflow.cfg`.
pub fn parse_cfg(text: &str) -> CfgFile {
    let mut f = CfgFile::default();
    let mut cursect: Option<usize> = None;
    let mut cur: Option<Building> = None;
    // Indentation of the current option line; continuation lines are deeper.
    let mut indent_level = usize::MAX;
    // First occurrence of each (section, key): index into `f.options`.
    let mut seen_options: HashMap<(usize, &str), usize> = HashMap::new();
    let mut line_start = 0usize;
    let bytes_len = text.len();
    while line_start < bytes_len {
        // Python reads the file with universal newlines: LF, CRLF and a
        // lone CR each end a line.
        let line_end = text[line_start..]
            .find(['\n', '\r'])
            .map(|i| line_start + i)
            .unwrap_or(bytes_len);
        let line = &text[line_start..line_end];
        let next = if text.as_bytes().get(line_end..line_end + 2) == Some(b"\r\n") {
            line_end + 2
        } else {
            line_end + 1
        };
        let (value, vstart) = py_trim(line);
        let is_comment = value.starts_with('#') || value.starts_with(';');
        if value.is_empty() || is_comment {
            if value.is_empty()
                && let Some(b) = cur.as_mut()
            {
                b.pieces.push((line_start + vstart, 0));
            }
            line_start = next;
            continue;
        }
        let cur_indent = line
            .chars()
            .take_while(|&c| py_space(c))
            .map(char::len_utf8)
            .sum::<usize>();
        if cursect.is_some() && cur.is_some() && cur_indent > indent_level {
            if let Some(b) = cur.as_mut() {
                b.pieces.push((line_start + vstart, value.len()));
            }
            line_start = next;
            continue;
        }
        indent_level = cur_indent;
        if let Some(b) = cur.take() {
            finish(&mut f, text, b);
        }
        let abs = line_start + vstart;
        // Section header: `[` .+ `]` at the start of the stripped line.
        let header = value
            .strip_prefix('[')
            .and_then(|r| r.rfind(']').filter(|&e| e > 0).map(|e| &r[..e]));
        if let Some(name) = header {
            let name_span = Span::new(abs + 1, abs + 1 + name.len());
            if name == DEFAULT_SECTION {
                let idx = match f.section_index(name) {
                    Some(i) => i,
                    None => f.add_section(name, name_span),
                };
                cursect = Some(idx);
            } else if let Some(i) = f.section_index(name) {
                // Every section but [DEFAULT] was first seen in this file.
                if let Some(first) = f.sections.get(i).map(|s| s.name_span) {
                    f.errors.push(CfgError {
                        kind: CfgErrorKind::DuplicateSection { first },
                        span: name_span,
                        message: format!("section `[{name}]` already exists"),
                    });
                }
                cursect = Some(i);
            } else {
                cursect = Some(f.add_section(name, name_span));
            }
            line_start = next;
            continue;
        }
        let Some(sect) = cursect else {
            f.errors.push(CfgError {
                kind: CfgErrorKind::MissingSectionHeader,
                span: Span::new(abs, abs + value.len()),
                message: "line before any section header: the file contains no section headers"
                    .into(),
            });
            line_start = next;
            continue;
        };
        let delim = value.find(['=', ':']);
        let key = delim.map(|d| value[..d].trim_end_matches(py_space));
        match (delim, key) {
            (Some(d), Some(key)) if !key.is_empty() => {
                let key_span = Span::new(abs, abs + key.len());
                let (v, voff) = py_trim(&value[d + 1..]);
                let vabs = abs + d + 1 + voff;
                let first = seen_options
                    .get(&(sect, key))
                    .map(|&i| f.options[i].key_span);
                let duplicate = first.is_some();
                if let Some(first) = first {
                    f.errors.push(CfgError {
                        kind: CfgErrorKind::DuplicateOption { first },
                        span: key_span,
                        message: format!(
                            "option `{key}` in section `[{}]` already exists",
                            f.sections.get(sect).map(|s| s.name.as_str()).unwrap_or("")
                        ),
                    });
                }
                if first.is_none() {
                    seen_options.insert((sect, key), f.options.len());
                }
                f.options.push(CfgOption {
                    section: sect,
                    key: key.to_string(),
                    key_span,
                    value: String::new(),
                    value_span: Span::empty(vabs),
                    value_map: SpanMap::identity(vabs),
                    pieces: Vec::new(),
                    duplicate,
                });
                cur = Some(Building {
                    opt: f.options.len() - 1,
                    pieces: vec![(vabs, v.len())],
                });
            }
            _ => {
                f.errors.push(CfgError {
                    kind: CfgErrorKind::Syntax,
                    span: Span::new(abs, abs + value.len()),
                    message: "not an option (`key = value`), a section header or a comment: configparser refuses the file".into(),
                });
            }
        }
        line_start = next;
    }
    if let Some(b) = cur.take() {
        finish(&mut f, text, b);
    }
    f.lookup = seen_options
        .into_iter()
        .map(|((sec, key), i)| ((sec, key.to_string()), i))
        .collect();
    f
}

fn finish(f: &mut CfgFile, text: &str, b: Building) {
    // Trailing empty lines are not part of the value (rstrip on join).
    let mut pieces = b.pieces;
    while pieces.len() > 1 && pieces.last().is_some_and(|p| p.1 == 0) {
        pieces.pop();
    }
    let mut value = String::new();
    let mut segs: Vec<(u32, u32)> = Vec::with_capacity(pieces.len());
    let mut first_start = None;
    let mut last_end = None;
    for (i, &(start, len)) in pieces.iter().enumerate() {
        if i > 0 {
            value.push('\n');
        }
        segs.push((value.len() as u32, start as u32));
        if len > 0 {
            first_start.get_or_insert(start);
            last_end = Some(start + len);
            value.push_str(text.get(start..start + len).unwrap_or(""));
        }
    }
    if let Some(o) = f.options.get_mut(b.opt) {
        let start = first_start.unwrap_or(o.value_span.start());
        o.value_span = Span::new(start, last_end.unwrap_or(start).max(start));
        o.value = value;
        o.value_map = map_of(&segs, |x| x);
        o.pieces = segs;
    }
}

/// A [`SpanMap`] from (derived, file) segments, each file offset passed
/// through `outer` (to compose with the map of an embedding scalar).
pub fn map_of(segs: &[(u32, u32)], outer: impl Fn(usize) -> usize) -> SpanMap {
    let mut it = segs.iter();
    let Some(&(_, f0)) = it.next() else {
        return SpanMap::identity(0);
    };
    let mut m = SpanMap::identity(outer(f0 as usize));
    for &(d, f) in it {
        m.push(d as usize, outer(f as usize));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_and_spans() {
        let t = "[core]\nallowed = airflow.*\n    mypkg.*\n    # c\n\n    other.*\nload_examples = False\n";
        let f = parse_cfg(t);
        assert!(f.errors.is_empty());
        let o = f.raw("core", "allowed").unwrap();
        assert_eq!(o.value, "airflow.*\nmypkg.*\n\nother.*");
        assert_eq!(
            &t[o.value_span.start()..o.value_span.end()],
            "airflow.*\n    mypkg.*\n    # c\n\n    other.*"
        );
        // offset of "other" in the value maps to its file offset
        let p = o.value.find("other").unwrap();
        assert_eq!(&t[o.value_map.map(p)..o.value_map.map(p) + 5], "other");
        assert_eq!(f.raw("core", "load_examples").unwrap().value, "False");
    }

    #[test]
    fn duplicates_and_errors() {
        let f = parse_cfg("x = 1\n[core]\na = 1\na = 2\nbad line\n[core]\n");
        let kinds: Vec<_> = f.errors.iter().map(|e| e.kind.clone()).collect();
        assert!(matches!(kinds[0], CfgErrorKind::MissingSectionHeader));
        assert!(matches!(kinds[1], CfgErrorKind::DuplicateOption { .. }));
        assert!(matches!(kinds[2], CfgErrorKind::Syntax));
        assert!(matches!(kinds[3], CfgErrorKind::DuplicateSection { .. }));
        assert_eq!(f.raw("core", "a").unwrap().value, "1");
    }

    #[test]
    fn interpolation() {
        let f =
            parse_cfg("[DEFAULT]\nh = db\n[d]\npw = s\nc = u:%(pw)s@%(h)s?x=1%%\nbad = p%40ss\n");
        assert_eq!(f.get("d", "c").unwrap().unwrap(), "u:s@db?x=1%");
        let e = f.get("d", "bad").unwrap().unwrap_err();
        assert_eq!(e.kind, InterpErrorKind::BarePercent);
        assert_eq!(e.offset, 1);
        assert_eq!(percent_syntax_errors("a%%b%(x)s%z%("), vec![9, 11]);
        // The linear check agrees with the interpolation.
        let mut cx = InterpCheck::new(100);
        assert_eq!(
            f.check_interpolation("d", "u:%(pw)s@%(h)s%%", &mut cx),
            Ok(())
        );
        let e = f.check_interpolation("d", "p%40ss", &mut cx).unwrap_err();
        assert_eq!((e.kind, e.offset), (InterpErrorKind::BarePercent, 1));
    }

    #[test]
    fn interpolation_bomb_is_linear() {
        // Ten levels of 64 references each: 64^10 bytes once expanded.
        let mut t = String::from("[DEFAULT]\na0 = x%%\n");
        for i in 1..=10 {
            t.push_str(&format!(
                "a{i} = {}\n",
                format!("%(a{})s", i - 1).repeat(64)
            ));
        }
        t.push_str("[s]\nb = %(a9)s\nc = %(a8)s\n");
        let f = parse_cfg(&t);
        let mut cx = InterpCheck::new(t.len());
        // value -> a9 -> ... -> a0: eleven levels, one too many.
        let e = f.check_interpolation("s", "%(a9)s", &mut cx).unwrap_err();
        assert_eq!(e.kind, InterpErrorKind::Depth);
        assert_eq!(
            f.get("s", "b").unwrap().unwrap_err().kind,
            InterpErrorKind::Depth
        );
        assert_eq!(f.check_interpolation("s", "%(a8)s", &mut cx), Ok(()));
        assert_eq!(
            f.check_interpolation("s", "%(a10)s", &mut cx)
                .unwrap_err()
                .kind,
            InterpErrorKind::Depth
        );
        assert!(cx.work < 100_000, "work {}", cx.work);
        let e = f.get("s", "c").unwrap().unwrap_err();
        assert_eq!(e.kind, InterpErrorKind::TooLong);
    }

    #[test]
    fn lone_cr_ends_lines() {
        let f = parse_cfg("[core]\ra = 1\r  more\rb = 2\r\n[x]\rc = 3");
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        assert_eq!(f.raw("core", "a").unwrap().value, "1\nmore");
        assert_eq!(f.raw("core", "b").unwrap().value, "2");
        assert_eq!(f.raw("x", "c").unwrap().value, "3");
    }

    #[test]
    fn many_sections_are_linear() {
        let mut t = String::new();
        for i in 0..200_000 {
            t.push_str(&format!("[s{i}]\nk = v\n"));
        }
        t.push_str("[s7]\n");
        let f = parse_cfg(&t);
        assert_eq!(f.sections.len(), 200_000);
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.raw("s199999", "k").unwrap().value, "v");
    }
}
