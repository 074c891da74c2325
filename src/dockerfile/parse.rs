//! The lexer and parser: BuildKit's line handling (directives, escape,
//! continuations, comments inside continuations, heredocs), then one node
//! per instruction (flags, JSON or shell form, key=value pairs).

use super::{
    Args, Directive, Dockerfile, Flag, Heredoc, Instruction, KeyValue, Stage, SyntaxError, Word,
    shell,
};
use crate::source::{Span, SpanMap};

/// A physical line: byte range without its line terminator.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    /// Offset after the line terminator.
    next: usize,
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::with_capacity(text.len() / 24 + 1);
    let b = text.as_bytes();
    let mut start = 0;
    while start < b.len() {
        let nl = memchr(b'\n', &b[start..]).map(|p| start + p);
        let (mut end, next) = match nl {
            Some(p) => (p, p + 1),
            None => (b.len(), b.len()),
        };
        while end > start && b[end - 1] == b'\r' {
            end -= 1;
        }
        out.push(Line { start, end, next });
        start = next;
    }
    out
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

/// BuildKit's `reWhitespace`: `[\t\v\f\r ]+`.
fn is_split_ws(c: char) -> bool {
    matches!(c, '\t' | '\u{0b}' | '\u{0c}' | '\r' | ' ')
}

fn trim_left_ws(s: &str) -> &str {
    s.trim_start_matches([' ', '\t'])
}

fn is_comment(s: &str) -> bool {
    trim_left_ws(s).starts_with('#')
}

/// Parses a `# name = value` directive line.
fn directive_of(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix('#')?;
    let rest = rest.trim_start();
    let name_len = rest
        .char_indices()
        .take_while(|(i, c)| {
            if *i == 0 {
                c.is_ascii_alphabetic()
            } else {
                c.is_ascii_alphanumeric()
            }
        })
        .count();
    if name_len == 0 {
        return None;
    }
    let name = &rest[..name_len];
    let rest = rest[name_len..].trim_start().strip_prefix('=')?;
    let value = rest.trim();
    if value.is_empty() {
        return None;
    }
    Some((name.to_ascii_lowercase(), value.to_string()))
}

/// The line without a trailing escape (and trailing blanks after it), and
/// whether the line continues.
fn strip_continuation(s: &str, escape: char) -> (&str, bool) {
    // An odd run of escape characters continues the line; an even run is
    // escaped escapes (BuildKit, docker/for-win#5254).
    let t = s.trim_end_matches([' ', '\t']);
    let run = t.chars().rev().take_while(|&c| c == escape).count();
    if run % 2 == 1 {
        (&t[..t.len() - escape.len_utf8()], true)
    } else {
        (s, false)
    }
}

struct Builder<'t> {
    text: &'t str,
    escape: char,
    out: Dockerfile,
}

/// Parses a Dockerfile. Never fails: errors are recorded in
/// [`Dockerfile::errors`] and parsing resumes at the next instruction.
pub fn parse(text: &str) -> Dockerfile {
    let lines = split_lines(text);
    let mut b = Builder {
        text,
        escape: '\\',
        out: Dockerfile::default(),
    };
    let mut directives_done = false;
    let mut i = 0;
    while i < lines.len() {
        let Some(&line) = lines.get(i) else { break };
        let raw = &text[line.start..line.end];
        let stripped = trim_left_ws(raw);
        let lead = raw.len() - stripped.len();
        // Parser directives: only before any other line.
        if !directives_done {
            if i == 0 && raw.starts_with("#!") {
                // A shebang line does not end the directives.
            } else if let Some((name, value)) = directive_of(stripped)
                && matches!(name.as_str(), "escape" | "syntax" | "check")
            {
                let span = Span::new(line.start + lead, line.end);
                if b.out.directives.iter().any(|d| d.name == name) {
                    b.out.errors.push(SyntaxError {
                        span,
                        message: format!("only one {name} parser directive can be used"),
                    });
                } else {
                    if name == "escape" {
                        match value.as_str() {
                            "`" => b.escape = '`',
                            "\\" => b.escape = '\\',
                            _ => b.out.errors.push(SyntaxError {
                                span,
                                message: format!(
                                    "invalid escape token '{value}' does not match ` or \\"
                                ),
                            }),
                        }
                    }
                    b.out.directives.push(Directive { name, value, span });
                }
                b.out.comments.push(span);
                i += 1;
                continue;
            } else {
                directives_done = true;
            }
        }
        if stripped.starts_with('#') {
            b.out.comments.push(Span::new(line.start + lead, line.end));
            i += 1;
            continue;
        }
        if stripped.trim().is_empty() {
            i += 1;
            continue;
        }
        // Gather the logical line.
        let mut logical = String::with_capacity(stripped.len());
        let mut map = SpanMap::default();
        let (piece, mut cont) = strip_continuation(stripped, b.escape);
        map.push(0, line.start + lead);
        logical.push_str(piece);
        let first_line = i;
        let mut last_end = line.start + lead + piece.len();
        while cont && i + 1 < lines.len() {
            i += 1;
            let Some(&l) = lines.get(i) else { break };
            let raw = &text[l.start..l.end];
            if is_comment(raw) {
                b.out.comments.push(Span::new(
                    l.start + (raw.len() - trim_left_ws(raw).len()),
                    l.end,
                ));
                continue;
            }
            if raw.trim().is_empty() {
                continue;
            }
            let (piece, c) = strip_continuation(raw, b.escape);
            map.push(logical.len(), l.start);
            logical.push_str(piece);
            last_end = l.start + piece.len();
            cont = c;
        }
        let _ = first_line;
        let inst_start = line.start + lead;
        let mut span_end = last_end.max(inst_start);
        let mut inst = b.instruction(&logical, map, inst_start, span_end);
        // Heredocs.
        let heredoc_capable = heredoc_target(&inst);
        if let Some(words) = heredoc_capable {
            for (name, chomp, expand, marker) in words {
                let mut body = String::new();
                let body_start = lines.get(i + 1).map(|l| l.start).unwrap_or(text.len());
                let mut body_end = body_start;
                let mut terminated = false;
                let mut hmap = SpanMap::default();
                while i + 1 < lines.len() {
                    i += 1;
                    let Some(&l) = lines.get(i) else { break };
                    let raw = &text[l.start..l.end];
                    let cand = if chomp {
                        raw.trim_start_matches('\t')
                    } else {
                        raw
                    };
                    if cand == name {
                        terminated = true;
                        span_end = l.end;
                        break;
                    }
                    hmap.push(body.len(), l.start);
                    body.push_str(raw);
                    body.push('\n');
                    body_end = l.next;
                    span_end = l.end;
                }
                if !terminated {
                    b.out.errors.push(SyntaxError {
                        span: marker,
                        message: format!("unterminated heredoc `{name}`"),
                    });
                }
                inst.heredocs.push(Heredoc {
                    name,
                    chomp,
                    expand,
                    marker_span: marker,
                    body,
                    body_span: Span::new(body_start, body_end.max(body_start)),
                    map: hmap,
                });
            }
            inst.span = Span::new(inst_start, span_end);
        }
        if inst.is("RUN") {
            inst.script = shell::analyze_run(&inst);
        } else if let Args::Onbuild(inner) = &mut inst.args
            && inner.is("RUN")
        {
            // `ONBUILD RUN`: the trigger is analysed like a plain RUN.
            inner.heredocs = inst.heredocs.clone();
            inner.script = shell::analyze_run(inner);
        }
        b.out.instructions.push(inst);
        i += 1;
    }
    if b.out.instructions.is_empty() {
        b.out.errors.push(SyntaxError {
            span: Span::empty(0),
            message: "file with no instructions".into(),
        });
    }
    b.out.escape = b.escape;
    build_stages(&mut b.out);
    b.out
}

/// The heredoc words of a RUN/COPY/ADD (or ONBUILD of one) in shell form:
/// (name, chomp, expand, marker span).
fn heredoc_target(inst: &Instruction) -> Option<Vec<(String, bool, bool, Span)>> {
    let target = match &inst.args {
        Args::Onbuild(inner) => inner.as_ref(),
        _ => inst,
    };
    if !(target.is("RUN") || target.is("COPY") || target.is("ADD")) || target.is_json() {
        return None;
    }
    if !target.text.contains("<<") {
        return None;
    }
    let mut out = Vec::new();
    for (w, s, e) in shell_words(&inst.text) {
        if let Some((name, chomp, expand)) = heredoc_word(&w) {
            out.push((name, chomp, expand, inst.map.map_span(Span::new(s, e))));
        }
    }
    if out.is_empty() { None } else { Some(out) }
}

/// BuildKit's `^(\d*)<<(-?)([^<]*)$` heredoc word.
fn heredoc_word(w: &str) -> Option<(String, bool, bool)> {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    let rest = w.get(digits..)?.strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let mut name = String::new();
    let mut quoted = false;
    let mut q: Option<char> = None;
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match q {
            Some(qc) if c == qc => q = None,
            Some('"') if c == '\\' => {
                if let Some(n) = chars.next() {
                    name.push(n);
                }
            }
            Some(_) => name.push(c),
            None => match c {
                '"' | '\'' => {
                    q = Some(c);
                    quoted = true;
                }
                '\\' => {
                    quoted = true;
                    if let Some(n) = chars.next() {
                        name.push(n);
                    }
                }
                c if c.is_whitespace() => return None,
                c => name.push(c),
            },
        }
    }
    if name.is_empty() {
        return None;
    }
    Some((name, chomp, !quoted))
}

/// Splits text into shell words (quotes respected, kept), with offsets.
pub(crate) fn shell_words(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = None;
    let mut q: Option<char> = None;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if q.is_none() && c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push((std::mem::take(&mut cur), s, i));
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        cur.push(c);
        match q {
            Some(qc) if c == qc => q = None,
            Some('"') if c == '\\' => {
                if let Some((_, n)) = it.next() {
                    cur.push(n);
                }
            }
            Some(_) => {}
            None => {
                if c == '"' || c == '\'' {
                    q = Some(c);
                } else if c == '\\'
                    && let Some((_, n)) = it.next()
                {
                    cur.push(n);
                }
            }
        }
    }
    if let Some(s) = start {
        out.push((cur, s, text.len()));
    }
    out
}

impl Builder<'_> {
    /// Builds one instruction from its logical text.
    fn instruction(
        &mut self,
        logical: &str,
        map: SpanMap,
        file_start: usize,
        file_end: usize,
    ) -> Instruction {
        let mut inst = Instruction {
            keyword: String::new(),
            keyword_span: Span::empty(file_start),
            span: Span::new(file_start, file_end),
            text: logical.to_string(),
            map,
            flags: Vec::new(),
            args: Args::None,
            heredocs: Vec::new(),
            stage: None,
            script: None,
        };
        let errors = fill_node(&mut inst, 0, logical.len(), self.escape, 0);
        for (span, message) in errors {
            self.out.errors.push(SyntaxError { span, message });
        }
        let _ = self.text;
        inst
    }
}

/// Parses `text[start..end]` of `inst.text` as `KEYWORD [flags] args` into
/// `inst`. Returns errors (file spans).
fn fill_node(
    inst: &mut Instruction,
    start: usize,
    end: usize,
    escape: char,
    depth: u32,
) -> Vec<(Span, String)> {
    // Borrow the text out of the instruction while filling it in.
    let text = std::mem::take(&mut inst.text);
    let errors = fill_node_in(inst, &text, start, end, escape, depth);
    inst.text = text;
    errors
}

fn fill_node_in(
    inst: &mut Instruction,
    text: &str,
    start: usize,
    end: usize,
    escape: char,
    depth: u32,
) -> Vec<(Span, String)> {
    let mut errors = Vec::new();
    let Some(seg) = text.get(start..end) else {
        return errors;
    };
    let lead = seg.len() - seg.trim_start_matches(is_split_ws).len();
    let seg_t = seg
        .trim_start_matches(is_split_ws)
        .trim_end_matches(is_split_ws);
    let s = start + lead;
    let e = s + seg_t.len();
    let kw_len = seg_t.find(is_split_ws).unwrap_or(seg_t.len());
    let kw = &seg_t[..kw_len];
    inst.keyword = kw.to_ascii_uppercase();
    inst.keyword_span = inst.map.map_span(Span::new(s, s + kw_len));
    let mut rest_start = s + kw_len;
    while rest_start < e && text[rest_start..].starts_with(is_split_ws) {
        rest_start += text[rest_start..]
            .chars()
            .next()
            .map(char::len_utf8)
            .unwrap_or(1);
    }
    // Flags (BuildKit extracts them for every instruction).
    let (flags, args_start) = extract_flags(text, rest_start, e);
    for (ftext, fs, fe) in flags {
        let body = ftext.strip_prefix("--").unwrap_or(&ftext);
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n.to_ascii_lowercase(), Some(v.to_string())),
            None => (body.to_ascii_lowercase(), None),
        };
        let span = inst.map.map_span(Span::new(fs, fe));
        let raw = &text[fs..fe];
        let eq = raw.find('=');
        let name_span = inst
            .map
            .map_span(Span::new(fs, eq.map(|p| fs + p).unwrap_or(fe)));
        let value_span = eq.map(|p| inst.map.map_span(Span::new(fs + p + 1, fe)));
        inst.flags.push(Flag {
            text: ftext,
            name,
            value,
            span,
            name_span,
            value_span,
        });
    }
    let mut a_s = args_start.min(e);
    while a_s < e && text[a_s..].starts_with(char::is_whitespace) {
        a_s += text[a_s..].chars().next().map(char::len_utf8).unwrap_or(1);
    }
    let rest = &text[a_s..e];
    let word = |inst: &Instruction, s: usize, e: usize, v: String| Word {
        value: v,
        span: inst.map.map_span(Span::new(s, e)),
    };
    // JSON strings, and whitespace-separated words, of the arguments.
    let json_args = |inst: &Instruction, items: Vec<(String, usize, usize)>| {
        Args::Json(
            items
                .into_iter()
                .map(|(v, ws, we)| word(inst, a_s + ws, a_s + we, v))
                .collect(),
        )
    };
    let list_args = |inst: &Instruction| {
        Args::List(
            split_ws(rest)
                .into_iter()
                .map(|(ws, we)| word(inst, a_s + ws, a_s + we, rest[ws..we].to_string()))
                .collect(),
        )
    };
    let kw_lower = inst.keyword.to_ascii_lowercase();
    match kw_lower.as_str() {
        "add" | "copy" | "volume" => match parse_json(rest) {
            Ok(items) => inst.args = json_args(inst, items),
            Err(JsonError::NotStrings) => errors.push((inst.span, NOT_STRINGS.to_string())),
            Err(JsonError::Invalid) => inst.args = list_args(inst),
        },
        "run" | "cmd" | "entrypoint" | "shell" => {
            if !rest.is_empty() {
                match parse_json(rest) {
                    Ok(items) => inst.args = json_args(inst, items),
                    Err(JsonError::NotStrings) => errors.push((inst.span, NOT_STRINGS.to_string())),
                    Err(JsonError::Invalid) => {
                        inst.args = Args::Shell(word(inst, a_s, e, rest.to_string()))
                    }
                }
            }
        }
        "expose" | "from" => {
            inst.args = list_args(inst);
        }
        "maintainer" | "user" | "workdir" | "stopsignal" => {
            if !rest.is_empty() {
                inst.args = Args::Shell(word(inst, a_s, e, rest.to_string()));
            }
        }
        "env" | "label" => match parse_name_val(rest, escape, &kw_lower) {
            Ok(pairs) => {
                inst.args = Args::Pairs(
                    pairs
                        .into_iter()
                        .map(|p| p.into_pair(inst, a_s, escape))
                        .collect(),
                );
            }
            Err(m) => errors.push((inst.span, m)),
        },
        "arg" => {
            let words = parse_words(rest, escape);
            let pairs = words
                .into_iter()
                .map(|(w, ws, we)| {
                    let (k, v) = match w.split_once('=') {
                        Some((k, v)) => (k.to_string(), Some((v.to_string(), ws + k.len() + 1))),
                        None => (w.clone(), None),
                    };
                    RawPair {
                        key: k,
                        key_start: ws,
                        value: v.map(|(v, vs)| (v, vs, we)),
                        raw: w,
                        legacy: false,
                    }
                    .into_pair(inst, a_s, escape)
                })
                .collect();
            inst.args = Args::Pairs(pairs);
        }
        "healthcheck" => {
            let sep = rest.find(char::is_whitespace).unwrap_or(rest.len());
            if sep > 0 {
                let kind = word(inst, a_s, a_s + sep, rest[..sep].to_string());
                let after = &rest[sep..];
                let nx = sep + (after.len() - after.trim_start().len());
                let cmd_text = &rest[nx..];
                let cmd = if cmd_text.is_empty() {
                    Args::None
                } else {
                    match parse_json(cmd_text) {
                        Ok(items) => Args::Json(
                            items
                                .into_iter()
                                .map(|(v, ws, we)| word(inst, a_s + nx + ws, a_s + nx + we, v))
                                .collect(),
                        ),
                        Err(JsonError::NotStrings) => {
                            errors.push((inst.span, NOT_STRINGS.to_string()));
                            Args::None
                        }
                        Err(JsonError::Invalid) => {
                            Args::Shell(word(inst, a_s + nx, e, cmd_text.to_string()))
                        }
                    }
                };
                inst.args = Args::Health {
                    kind,
                    cmd: Box::new(cmd),
                };
            }
        }
        "onbuild" => {
            if depth == 0 && !rest.is_empty() {
                let mut inner = Instruction {
                    keyword: String::new(),
                    keyword_span: inst.span,
                    span: inst.map.map_span(Span::new(a_s, e)),
                    text: text.to_string(),
                    map: inst.map.clone(),
                    flags: Vec::new(),
                    args: Args::None,
                    heredocs: Vec::new(),
                    stage: None,
                    script: None,
                };
                errors.extend(fill_node(&mut inner, a_s, e, escape, depth + 1));
                let ikw = inner.keyword.as_str();
                if matches!(ikw, "ONBUILD" | "FROM" | "MAINTAINER") {
                    errors.push((
                        inner.keyword_span,
                        format!("{ikw} isn't allowed as an ONBUILD trigger"),
                    ));
                }
                inst.args = Args::Onbuild(Box::new(inner));
            } else if rest.is_empty() {
                errors.push((inst.span, "ONBUILD requires at least one argument".into()));
            }
        }
        _ => {
            errors.push((
                inst.keyword_span,
                format!("unknown instruction: {}", inst.keyword),
            ));
        }
    }
    errors
}

const NOT_STRINGS: &str = "when using JSON array syntax, arrays must be comprised of strings only";

/// BuildKit's `extractBuilderFlags`: leading `--flag` words. Returns the
/// flags (text as BuildKit gives it, start, end) and where the arguments start.
fn extract_flags(text: &str, start: usize, end: usize) -> (Vec<(String, usize, usize)>, usize) {
    let mut words = Vec::new();
    let b = text.as_bytes();
    let mut pos = start;
    loop {
        while pos < end && (b[pos] as char).is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= end {
            return (words, end);
        }
        if !(b.get(pos) == Some(&b'-') && pos + 1 < end && b.get(pos + 1) == Some(&b'-')) {
            return (words, pos);
        }
        let wstart = pos;
        let mut word = String::new();
        let mut quote: Option<u8> = None;
        let mut blank_ok = false;
        let mut wbuf: Vec<u8> = Vec::new();
        while pos < end {
            let c = b[pos];
            match quote {
                None if c.is_ascii_whitespace() => break,
                None if c == b'\'' || c == b'"' => {
                    quote = Some(c);
                    blank_ok = true;
                }
                Some(q) if c == q => quote = None,
                // An escape, in or out of quotes: the next byte as is.
                _ if c == b'\\' => {
                    if pos + 1 < end {
                        pos += 1;
                        wbuf.push(b[pos]);
                    }
                }
                _ => wbuf.push(c),
            }
            pos += 1;
        }
        word.push_str(&String::from_utf8_lossy(&wbuf));
        if word == "--" {
            return (words, pos);
        }
        if blank_ok || !word.is_empty() {
            words.push((word, wstart, pos));
        }
    }
}

/// Whitespace-delimited fields (BuildKit's `parseStringsWhitespaceDelimited`).
fn split_ws(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if is_split_ws(c) || c == '\n' {
            if let Some(st) = start.take() {
                out.push((st, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}

/// BuildKit's `parseWords`: words with quotes and escapes kept.
fn parse_words(rest: &str, escape: char) -> Vec<(String, usize, usize)> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut start = 0;
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut blank_ok = false;
    let mut it = rest.char_indices().peekable();
    while let Some((i, ch)) = it.next() {
        if !in_word {
            if ch.is_whitespace() {
                continue;
            }
            in_word = true;
            start = i;
        }
        match quote {
            None => {
                if ch.is_whitespace() {
                    if blank_ok || !word.is_empty() {
                        words.push((std::mem::take(&mut word), start, i));
                    }
                    word.clear();
                    blank_ok = false;
                    in_word = false;
                    continue;
                }
                if ch == '\'' || ch == '"' {
                    quote = Some(ch);
                    blank_ok = true;
                }
                if ch == escape {
                    match it.next() {
                        None => continue,
                        Some((_, n)) => {
                            word.push(ch);
                            word.push(n);
                            continue;
                        }
                    }
                }
                word.push(ch);
            }
            Some(q) => {
                if ch == q {
                    quote = None;
                }
                if ch == escape && q != '\'' {
                    match it.next() {
                        None => {
                            quote = None;
                            continue;
                        }
                        Some((_, n)) => {
                            word.push(ch);
                            word.push(n);
                            continue;
                        }
                    }
                }
                word.push(ch);
            }
        }
    }
    if in_word && (blank_ok || !word.is_empty()) {
        words.push((word, start, rest.len()));
    }
    words
}

struct RawPair {
    key: String,
    key_start: usize,
    /// (raw value, start, end) relative to the args text.
    value: Option<(String, usize, usize)>,
    raw: String,
    legacy: bool,
}

impl RawPair {
    fn into_pair(self, inst: &Instruction, base: usize, escape: char) -> KeyValue {
        let key_span = inst.map.map_span(Span::new(
            base + self.key_start,
            base + self.key_start + self.key.len(),
        ));
        let (value, raw_value, value_span) = match self.value {
            Some((v, s, e)) => {
                // BuildKit removes quotes and escapes in both forms.
                let processed = unquote(&v, escape);
                (
                    Some(processed),
                    Some(v),
                    Some(inst.map.map_span(Span::new(base + s, base + e))),
                )
            }
            None => (None, None, None),
        };
        KeyValue {
            key: self.key,
            key_span,
            value,
            raw_value,
            value_span,
            raw: self.raw,
            legacy: self.legacy,
        }
    }
}

/// BuildKit's `parseNameVal` (ENV and LABEL).
fn parse_name_val(rest: &str, escape: char, key: &str) -> Result<Vec<RawPair>, String> {
    let words = parse_words(rest, escape);
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    if !first.0.contains('=') {
        // Legacy `KEY name value`.
        let k_end = rest.find(is_split_ws).unwrap_or(rest.len());
        let mut v_start = k_end;
        while v_start < rest.len() && rest[v_start..].starts_with(is_split_ws) {
            v_start += 1;
        }
        if k_end >= rest.len() || v_start >= rest.len() {
            return Err(format!(
                "{} must have two arguments",
                key.to_ascii_uppercase()
            ));
        }
        let k = &rest[..k_end];
        let v = &rest[v_start..];
        return Ok(vec![RawPair {
            key: k.to_string(),
            key_start: 0,
            value: Some((v.to_string(), v_start, rest.len())),
            raw: rest.to_string(),
            legacy: true,
        }]);
    }
    let mut out = Vec::new();
    for (w, s, e) in words {
        let Some((k, v)) = w.split_once('=') else {
            return Err(format!(
                "Syntax error - can't find = in {w:?}. Must be of the form: name=value"
            ));
        };
        out.push(RawPair {
            key: k.to_string(),
            key_start: s,
            value: Some((v.to_string(), s + k.len() + 1, e)),
            raw: w.clone(),
            legacy: false,
        });
    }
    Ok(out)
}

/// Quote removal and escape processing of a word (BuildKit's shell lexer
/// without variable expansion).
pub fn unquote(s: &str, escape: char) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\'' {
            for n in it.by_ref() {
                if n == '\'' {
                    break;
                }
                out.push(n);
            }
        } else if c == '"' {
            while let Some(n) = it.next() {
                if n == '"' {
                    break;
                }
                if n == escape {
                    match it.peek() {
                        Some(&p) if p == '"' || p == '$' || p == escape => {
                            out.push(p);
                            it.next();
                            continue;
                        }
                        None => continue,
                        _ => {}
                    }
                }
                out.push(n);
            }
        } else if c == escape {
            if let Some(n) = it.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

enum JsonError {
    Invalid,
    NotStrings,
}

/// Parses a JSON array; every element must be a string. Returns the decoded
/// strings with their byte ranges (the quoted literal) in `s`.
fn parse_json(s: &str) -> Result<Vec<(String, usize, usize)>, JsonError> {
    let b = s.as_bytes();
    let mut p = JsonParser { b, pos: 0 };
    p.ws();
    if p.peek() != Some(b'[') {
        return Err(JsonError::Invalid);
    }
    p.pos += 1;
    let mut out = Vec::new();
    let mut all_strings = true;
    p.ws();
    if p.peek() == Some(b']') {
        p.pos += 1;
    } else {
        loop {
            p.ws();
            let start = p.pos;
            if p.peek() == Some(b'"') {
                let v = p.string().ok_or(JsonError::Invalid)?;
                out.push((v, start, p.pos));
            } else {
                p.value().ok_or(JsonError::Invalid)?;
                all_strings = false;
            }
            p.ws();
            match p.peek() {
                Some(b',') => p.pos += 1,
                Some(b']') => {
                    p.pos += 1;
                    break;
                }
                _ => return Err(JsonError::Invalid),
            }
        }
    }
    p.ws();
    if p.pos != b.len() {
        return Err(JsonError::Invalid);
    }
    if !all_strings {
        return Err(JsonError::NotStrings);
    }
    Ok(out)
}

struct JsonParser<'a> {
    b: &'a [u8],
    pos: usize,
}

impl JsonParser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }
    fn hex4(&mut self) -> Option<u32> {
        let h = self.b.get(self.pos..self.pos + 4)?;
        let s = std::str::from_utf8(h).ok()?;
        let v = u32::from_str_radix(s, 16).ok()?;
        self.pos += 4;
        Some(v)
    }
    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let c = self.peek()?;
            self.pos += 1;
            match c {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = self.peek()?;
                    self.pos += 1;
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let mut v = self.hex4()?;
                            if (0xD800..0xDC00).contains(&v) {
                                if self.b.get(self.pos..self.pos + 2) == Some(b"\\u") {
                                    self.pos += 2;
                                    let lo = self.hex4()?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                                    } else {
                                        v = 0xFFFD;
                                    }
                                } else {
                                    v = 0xFFFD;
                                }
                            }
                            let ch = char::from_u32(v).unwrap_or('\u{FFFD}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return None,
                    }
                }
                c if c < 0x20 => return None,
                c => out.push(c),
            }
        }
    }
    /// The items of an array or object, from its opening bracket to
    /// `close`: `item` reads one.
    fn items(&mut self, close: u8, item: fn(&mut Self) -> Option<()>) -> Option<()> {
        self.pos += 1;
        self.ws();
        if self.peek() == Some(close) {
            self.pos += 1;
            return Some(());
        }
        loop {
            item(self)?;
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                c if c == close => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
    fn value(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'[' => self.items(b']', Self::value),
            b'{' => self.items(b'}', |p| {
                p.ws();
                if p.peek()? != b'"' {
                    return None;
                }
                p.string()?;
                p.ws();
                if p.peek()? != b':' {
                    return None;
                }
                p.pos += 1;
                p.value()
            }),
            b't' => self.lit(b"true"),
            b'f' => self.lit(b"false"),
            b'n' => self.lit(b"null"),
            b'-' | b'0'..=b'9' => {
                let st = self.pos;
                while matches!(
                    self.peek(),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.pos += 1;
                }
                let t = std::str::from_utf8(self.b.get(st..self.pos)?).ok()?;
                t.parse::<f64>().ok().map(|_| ())
            }
            _ => None,
        }
    }
    fn lit(&mut self, w: &[u8]) -> Option<()> {
        if self.b.get(self.pos..self.pos + w.len()) == Some(w) {
            self.pos += w.len();
            Some(())
        } else {
            None
        }
    }
}

/// Splits the instructions into stages, resolves base images, checks FROM.
fn build_stages(df: &mut Dockerfile) {
    let n = df.instructions.len();
    let mut froms = Vec::new();
    for (i, ins) in df.instructions.iter().enumerate() {
        if ins.is("FROM") {
            froms.push(i);
        }
    }
    let mut stages: Vec<Stage> = Vec::new();
    for (si, &fi) in froms.iter().enumerate() {
        let end = froms.get(si + 1).copied().unwrap_or(n);
        let Some(ins) = df.instructions.get(fi) else {
            continue;
        };
        let words: Vec<&Word> = match &ins.args {
            Args::List(v) => v.iter().collect(),
            _ => Vec::new(),
        };
        let ok = words.len() == 1
            || (words.len() == 3
                && words
                    .get(1)
                    .is_some_and(|w| w.value.eq_ignore_ascii_case("as")));
        if !ok {
            df.errors.push(SyntaxError {
                span: ins.span,
                message: "FROM requires either one or three arguments (`FROM image [AS name]`)"
                    .into(),
            });
        }
        let base = words.first().map(|w| (*w).clone()).unwrap_or_default();
        let alias = if words.len() == 3 {
            words.get(2).map(|w| Word {
                value: w.value.to_ascii_lowercase(),
                span: w.span,
            })
        } else {
            None
        };
        let platform = ins.flag("platform").and_then(|f| f.value.clone());
        stages.push(Stage {
            index: si,
            from: fi,
            base,
            base_resolved: String::new(),
            base_known: true,
            alias,
            platform,
            instructions: fi..end,
            parent: None,
            non_posix_shell: false,
        });
    }
    df.compute_globals();
    // Resolve base images against global ARG defaults.
    for si in 0..stages.len() {
        let Some(st) = stages.get(si) else { continue };
        let (resolved, known) = super::expand(&st.base.value, &|name| df.global_default(name));
        let lower = resolved.to_ascii_lowercase();
        let parent = stages[..si]
            .iter()
            .position(|s| s.alias.as_ref().is_some_and(|a| a.value == lower));
        let mut non_posix = df.escape == '`' || super::image::is_windows(&lower);
        if let Some(p) = parent
            && stages.get(p).is_some_and(|s| s.non_posix_shell)
        {
            non_posix = true;
        }
        let range = stages
            .get(si)
            .map(|s| s.instructions.clone())
            .unwrap_or(0..0);
        for ins in df.instructions.get(range).unwrap_or(&[]) {
            if ins.is("SHELL")
                && let Args::Json(v) = &ins.args
            {
                non_posix = v.first().is_none_or(|w| !is_posix_shell(&w.value));
            }
        }
        if let Some(st) = stages.get_mut(si) {
            st.base_resolved = resolved;
            st.base_known = known;
            st.parent = parent;
            st.non_posix_shell = non_posix;
        }
    }
    for st in &stages {
        for ins in df
            .instructions
            .get_mut(st.instructions.clone())
            .unwrap_or(&mut [])
        {
            ins.stage = Some(st.index);
            if let Args::Onbuild(inner) = &mut ins.args {
                inner.stage = Some(st.index);
            }
        }
    }
    df.stages = stages;
}

/// Is this program a POSIX shell (`/bin/sh`, `bash`, `ash`...)?
pub fn is_posix_shell(prog: &str) -> bool {
    let base = prog
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(prog)
        .to_ascii_lowercase();
    let base = base.strip_suffix(".exe").unwrap_or(&base);
    matches!(
        base,
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox"
    )
}
