//! Shell analysis of RUN instructions: the commands of a script, their
//! words (unquoted) with file spans, pipelines and `&&`/`||`/`;` lists.
//!
//! Tokenizing goes through the [`Shell`] trait: [`BrushShell`] (brush-parser's
//! tokenizer) first, then [`PlainShell`], a small tokenizer that never fails,
//! when brush rejects the text (for example an unterminated quote).
//! Heredoc bodies are analysed as scripts when the heredoc is the whole
//! command (`RUN <<EOF`) or is fed to a shell (`RUN bash <<EOF`).

use super::{Args, Instruction};
use crate::source::Span;

/// A token: a word (quotes kept) or an operator, with byte offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    Word(String, usize, usize),
    Op(String, usize, usize),
}

/// A shell tokenizer.
pub trait Shell {
    fn name(&self) -> &'static str;
    /// Tokens of `text`, or `None` when the text cannot be tokenized.
    fn tokenize(&self, text: &str) -> Option<Vec<Tok>>;
}

/// brush-parser's tokenizer.
pub struct BrushShell;

impl Shell for BrushShell {
    fn name(&self) -> &'static str {
        "brush"
    }
    fn tokenize(&self, text: &str) -> Option<Vec<Tok>> {
        // Deeply nested input could exhaust the stack of a recursive
        // tokenizer: leave it to the plain tokenizer.
        if nesting_depth(text) > 32 {
            return None;
        }
        let toks = std::panic::catch_unwind(|| {
            brush_parser::uncached_tokenize_str(text, &Default::default())
        })
        .ok()?
        .ok()?;
        // brush reports character indices; convert to byte offsets.
        let ascii = text.is_ascii();
        let idx: Vec<usize> = if ascii {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect()
        };
        let byte = |ci: usize| -> usize {
            if ascii {
                ci.min(text.len())
            } else {
                idx.get(ci).copied().unwrap_or(text.len())
            }
        };
        let mut out = Vec::with_capacity(toks.len());
        for t in toks {
            let loc = t.location();
            let (s, e) = (byte(loc.start.index), byte(loc.end.index));
            match t {
                brush_parser::Token::Word(w, _) => out.push(Tok::Word(w, s, e.max(s))),
                brush_parser::Token::Operator(o, _) => out.push(Tok::Op(o, s, e.max(s))),
            }
        }
        Some(out)
    }
}

/// Maximum nesting of `(`, `{` and backticks.
fn nesting_depth(text: &str) -> usize {
    let (mut d, mut max, mut tick) = (0usize, 0usize, false);
    for b in text.bytes() {
        match b {
            b'(' | b'{' => {
                d += 1;
                max = max.max(d + usize::from(tick));
            }
            b')' | b'}' => d = d.saturating_sub(1),
            b'`' => tick = !tick,
            _ => {}
        }
    }
    max
}

/// A forgiving tokenizer: quotes, escapes, `$(...)`, backticks, comments and
/// the shell operators. Never fails.
pub struct PlainShell;

const OPS: &[&str] = &[
    "&>>", "<<<", "<<-", "&&", "||", ";;", "|&", ">>", ">&", ">|", "<<", "<&", "<>", "&>", "&",
    "|", ";", "(", ")", ">", "<",
];

impl Shell for PlainShell {
    fn name(&self) -> &'static str {
        "plain"
    }
    fn tokenize(&self, text: &str) -> Option<Vec<Tok>> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c == b'\n' {
                out.push(Tok::Op("\n".into(), i, i + 1));
                i += 1;
                continue;
            }
            if c.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            if c == b'#' {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            if let Some(op) = OPS.iter().find(|op| b[i..].starts_with(op.as_bytes())) {
                out.push(Tok::Op((*op).to_string(), i, i + op.len()));
                i += op.len();
                continue;
            }
            let start = i;
            let mut depth = 0i32;
            while i < b.len() {
                let c = b[i];
                if depth == 0 && (c.is_ascii_whitespace() || b";&|()<>".contains(&c)) {
                    break;
                }
                match c {
                    b'\\' => i += 1,
                    b'\'' => {
                        i += 1;
                        while i < b.len() && b[i] != b'\'' {
                            i += 1;
                        }
                    }
                    b'"' => {
                        i += 1;
                        while i < b.len() && b[i] != b'"' {
                            if b[i] == b'\\' {
                                i += 1;
                            }
                            i += 1;
                        }
                    }
                    b'`' => {
                        i += 1;
                        while i < b.len() && b[i] != b'`' {
                            i += 1;
                        }
                    }
                    b'$' if b.get(i + 1) == Some(&b'(') => {
                        depth += 1;
                        i += 1;
                    }
                    b'(' if depth > 0 => depth += 1,
                    b')' if depth > 0 => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            let end = i.min(b.len());
            let s = floor(text, start);
            let e = floor(text, end).max(s);
            out.push(Tok::Word(text[s..e].to_string(), s, e));
        }
        Some(out)
    }
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A word of a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShWord {
    /// After quote removal (variables not expanded).
    pub text: String,
    /// As written.
    pub raw: String,
    /// File span.
    pub span: Span,
}

/// Where a command was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The RUN text.
    Line,
    /// The body of heredoc `n`.
    Heredoc(usize),
}

/// One simple command.
#[derive(Clone, Debug)]
pub struct Command {
    /// Every word, prefixes (`sudo`, `env`, `VAR=x`) included.
    pub words: Vec<ShWord>,
    /// Index in `words` of the program (after prefixes).
    pub program_at: usize,
    /// The command is run under `sudo`.
    pub sudo: Option<Span>,
    /// File span of the command.
    pub span: Span,
    /// Output goes to the next command through `|`.
    pub piped_to_next: bool,
    /// Input comes from the previous command through `|`.
    pub piped_from_prev: bool,
    pub part: Part,
}

impl Command {
    /// The program and its arguments (prefixes skipped).
    pub fn argv(&self) -> &[ShWord] {
        self.words.get(self.program_at..).unwrap_or(&[])
    }
    /// Base name of the program (`/usr/bin/pip3` -> `pip3`).
    pub fn program(&self) -> Option<&str> {
        let w = self.argv().first()?;
        Some(w.text.rsplit('/').next().unwrap_or(&w.text))
    }
    /// Arguments after the program.
    pub fn args(&self) -> &[ShWord] {
        self.argv().get(1..).unwrap_or(&[])
    }
    pub fn has_arg(&self, a: &str) -> bool {
        self.args().iter().any(|w| w.text == a)
    }
}

/// The analysed script of one RUN.
#[derive(Clone, Debug, Default)]
pub struct Script {
    pub commands: Vec<Command>,
    /// `set -o pipefail` (or `set -eo pipefail`...) appears in the script.
    pub pipefail: bool,
    /// Which tokenizer produced the commands (`brush` or `plain`).
    pub tokenizer: &'static str,
}

impl Script {
    pub fn has_pipe(&self) -> bool {
        self.commands.iter().any(|c| c.piped_to_next)
    }
    /// Commands whose program is `name`.
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Command> + 'a {
        self.commands
            .iter()
            .filter(move |c| c.program() == Some(name))
    }
    /// The command that follows `i` in a pipeline, if any.
    pub fn pipe_target(&self, i: usize) -> Option<&Command> {
        let c = self.commands.get(i)?;
        if c.piped_to_next {
            self.commands.get(i + 1)
        } else {
            None
        }
    }
}

/// Analyses a script text with a mapping to the file.
pub fn analyze_text(text: &str, map: &dyn Fn(Span) -> Span, part: Part) -> Script {
    let (toks, tokenizer) = match BrushShell.tokenize(text) {
        Some(t) => (t, BrushShell.name()),
        None => (
            PlainShell.tokenize(text).unwrap_or_default(),
            PlainShell.name(),
        ),
    };
    let mut script = Script {
        tokenizer,
        ..Script::default()
    };
    segment(text, &toks, map, part, &mut script, 0);
    script.pipefail = script.commands.iter().any(|c| {
        c.program() == Some("set") && {
            let a = c.args();
            a.iter().any(|w| w.text == "pipefail")
                && a.iter()
                    .any(|w| w.text.starts_with('-') && w.text.contains('o'))
        }
    });
    script
}

const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time",
];
const SKIP_WHOLE: &[&str] = &[
    "fi", "done", "esac", "}", "for", "case", "in", "function", "select",
];

fn is_redirect(op: &str) -> bool {
    matches!(
        op,
        ">" | ">>" | "<" | ">&" | "<&" | ">|" | "<>" | "&>" | "&>>" | "<<<" | "<<" | "<<-"
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CaseState {
    Header,
    Pattern,
    Body,
}

fn segment(
    text: &str,
    toks: &[Tok],
    map: &dyn Fn(Span) -> Span,
    part: Part,
    script: &mut Script,
    depth: u32,
) {
    let mut words: Vec<ShWord> = Vec::new();
    let mut from_pipe = false;
    let mut skip_next_word = false;
    // `case WORD in pat|pat) cmds ;; ... esac`: one entry per open case,
    // true while reading patterns (up to `)`), false in a branch body.
    let mut cases: Vec<CaseState> = Vec::new();
    let first_cmd = script.commands.len();
    let mut k = 0;
    while k < toks.len() {
        let Some(t) = toks.get(k) else { break };
        // Case headers and patterns are not commands.
        match cases.last().copied() {
            Some(CaseState::Header) => {
                if matches!(t, Tok::Word(w, _, _) if w == "in")
                    && let Some(c) = cases.last_mut()
                {
                    *c = CaseState::Pattern;
                }
                k += 1;
                continue;
            }
            Some(CaseState::Pattern) => {
                match t {
                    Tok::Word(w, _, _) if w == "esac" => {
                        cases.pop();
                    }
                    Tok::Op(o, _, _) if o == ")" => {
                        if let Some(c) = cases.last_mut() {
                            *c = CaseState::Body;
                        }
                    }
                    _ => {}
                }
                k += 1;
                continue;
            }
            Some(CaseState::Body) => match t {
                Tok::Op(o, _, _) if o == ";;" || o == ";&" || o == ";;&" => {
                    flush(&mut words, from_pipe, false, part, script);
                    from_pipe = false;
                    if let Some(c) = cases.last_mut() {
                        *c = CaseState::Pattern;
                    }
                    k += 1;
                    continue;
                }
                Tok::Word(w, _, _) if w == "esac" && words.is_empty() => {
                    cases.pop();
                    k += 1;
                    continue;
                }
                _ => {}
            },
            None => {}
        }
        if let Tok::Word(w, _, _) = t
            && w == "case"
            && words.iter().all(|x| RESERVED.contains(&x.raw.as_str()))
        {
            words.clear();
            cases.push(CaseState::Header);
            k += 1;
            continue;
        }
        match t {
            Tok::Word(w, s, e) => {
                if skip_next_word {
                    skip_next_word = false;
                } else {
                    // An IO number directly before a redirection.
                    let io_num = w.bytes().all(|c| c.is_ascii_digit())
                        && matches!(toks.get(k + 1), Some(Tok::Op(o, os, _)) if is_redirect(o) && os == e);
                    if !io_num {
                        words.push(ShWord {
                            text: unquote_shell(w),
                            raw: w.clone(),
                            span: map(Span::new(*s, *e)),
                        });
                    }
                    // Command substitutions: analyse their inside too.
                    if depth < 4
                        && let Some(p) = w.find("$(")
                        && let Some(q) = w.rfind(')')
                        && q > p + 2
                    {
                        let inner = &w[p + 2..q];
                        let base = s + p + 2;
                        if let Some(t2) = BrushShell
                            .tokenize(inner)
                            .or_else(|| PlainShell.tokenize(inner))
                        {
                            let shifted = |sp: Span| map(sp.offset(base));
                            segment(inner, &t2, &shifted, part, script, depth + 1);
                        }
                    }
                }
            }
            Tok::Op(o, _, _) => {
                if is_redirect(o) {
                    skip_next_word = true;
                } else {
                    let pipe = o == "|" || o == "|&";
                    // A compound command piped as a whole (`{ curl ...; } |
                    // sh`, `(curl ...) | tar`, `done | sh`): the output of its
                    // last command goes into the pipe.
                    let closes = match words.first() {
                        None => {
                            k > 0 && matches!(toks.get(k - 1), Some(Tok::Op(p, _, _)) if p == ")")
                        }
                        Some(w) => {
                            words.len() == 1
                                && matches!(w.raw.as_str(), "}" | "done" | "fi" | "esac")
                        }
                    };
                    if pipe
                        && closes
                        && script.commands.len() > first_cmd
                        && let Some(last) = script.commands.last_mut()
                    {
                        last.piped_to_next = true;
                    }
                    flush(&mut words, from_pipe, pipe, part, script);
                    from_pipe = pipe;
                }
            }
        }
        k += 1;
    }
    flush(&mut words, from_pipe, false, part, script);
    let _ = text;
}

fn flush(words: &mut Vec<ShWord>, from_pipe: bool, to_pipe: bool, part: Part, script: &mut Script) {
    if words.is_empty() {
        return;
    }
    let mut ws = std::mem::take(words);
    // Strip reserved words at the start (`then apt-get ...`).
    while ws
        .first()
        .is_some_and(|w| RESERVED.contains(&w.raw.as_str()))
    {
        ws.remove(0);
    }
    let Some(first) = ws.first() else { return };
    if SKIP_WHOLE.contains(&first.raw.as_str()) {
        return;
    }
    let mut at = 0;
    let mut sudo = None;
    while let Some(w) = ws.get(at) {
        let name = w.text.rsplit('/').next().unwrap_or(&w.text);
        if is_assignment(&w.raw) {
            at += 1;
        } else if name == "sudo" || name == "doas" {
            sudo = Some(w.span);
            at += 1;
            // sudo options; `-u user` takes a value.
            at = skip_options(&ws, at, &["-u", "-g", "-C", "-h", "-p", "-r", "-t", "-U"]);
        } else if name == "xargs" {
            // `xargs [opts] cmd args`: the command runs with arguments read
            // from input.
            at = skip_options(
                &ws,
                at + 1,
                &["-I", "-n", "-P", "-d", "-a", "-E", "-L", "-s"],
            );
        } else if matches!(
            name,
            "env" | "exec" | "nohup" | "command" | "time" | "nice" | "stdbuf"
        ) {
            at += 1;
            while ws.get(at).is_some_and(|o| {
                o.text.starts_with('-') || (name == "env" && is_assignment(&o.raw))
            }) {
                at += 1;
            }
        } else {
            break;
        }
    }
    let span = ws
        .first()
        .map(|f| f.span)
        .unwrap_or_default()
        .cover(ws.last().map(|l| l.span).unwrap_or_default());
    script.commands.push(Command {
        words: ws,
        program_at: at,
        sudo,
        span,
        piped_to_next: to_pipe,
        piped_from_prev: from_pipe,
        part,
    });
}

/// The index of the first word from `at` on that is not an option;
/// the options in `with_value` take the next word as their value.
fn skip_options(ws: &[ShWord], mut at: usize, with_value: &[&str]) -> usize {
    while let Some(o) = ws.get(at) {
        if !o.text.starts_with('-') {
            break;
        }
        at += if with_value.contains(&o.text.as_str()) {
            2
        } else {
            1
        };
    }
    at
}

fn is_assignment(raw: &str) -> bool {
    let Some(eq) = raw.find('=') else {
        return false;
    };
    let name = &raw[..eq];
    !name.is_empty()
        && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
        && !name.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// Quote removal for a shell word (no expansion).
pub fn unquote_shell(w: &str) -> String {
    if !w.contains(['\'', '"', '\\']) {
        return w.to_string();
    }
    let mut out = String::with_capacity(w.len());
    let mut it = w.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\'' => {
                for n in it.by_ref() {
                    if n == '\'' {
                        break;
                    }
                    out.push(n);
                }
            }
            '"' => {
                while let Some(n) = it.next() {
                    if n == '"' {
                        break;
                    }
                    if n == '\\'
                        && let Some(&p) = it.peek()
                        && matches!(p, '"' | '\\' | '$' | '`')
                    {
                        out.push(p);
                        it.next();
                        continue;
                    }
                    out.push(n);
                }
            }
            '\\' => {
                if let Some(n) = it.next() {
                    out.push(n);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Analyses a RUN instruction in shell form (and its heredoc bodies).
/// The exec form is analysed too: `RUN ["sh", "-c", "script"]` as the
/// script, any other `RUN ["prog", "arg"...]` as one command.
pub fn analyze_run(inst: &Instruction) -> Option<Script> {
    let w = match &inst.args {
        Args::Shell(w) => w,
        Args::Json(v) => return Some(analyze_exec(v)),
        _ => return None,
    };
    let start = find_shell_start(inst, &w.value)?;
    let mut line = w.value.clone();
    // Blank out heredoc markers so the tokenizer does not look for bodies.
    let mut markers: Vec<(usize, usize)> = Vec::new();
    if !inst.heredocs.is_empty() {
        for (word, s, e) in super::parse::shell_words(&line) {
            if word.contains("<<") && inst.heredocs.iter().any(|h| word.contains(h.name.as_str())) {
                markers.push((s, e));
            }
        }
        let mut bytes = line.into_bytes();
        for &(s, e) in &markers {
            for b in bytes.get_mut(s..e).unwrap_or(&mut []) {
                *b = b' ';
            }
        }
        line = String::from_utf8_lossy(&bytes).into_owned();
    }
    let map_line = |sp: Span| inst.map.map_span(sp.offset(start));
    let mut script = analyze_text(&line, &map_line, Part::Line);
    // Heredoc bodies run by a shell.
    for (hi, h) in inst.heredocs.iter().enumerate() {
        let Some(&(ms, _)) = markers.get(hi) else {
            continue;
        };
        let owner = script
            .commands
            .iter()
            .filter(|c| c.part == Part::Line)
            .find(|c| {
                let s = map_line(Span::new(ms, ms));
                c.span.start <= s.start && s.start <= c.span.end + 1
            });
        let shell_fed = match owner {
            None => true,
            Some(c) => c.program().is_some_and(super::parse::is_posix_shell),
        };
        if !shell_fed {
            continue;
        }
        let map_h = |sp: Span| h.map.map_span(sp);
        let sub = analyze_text(&h.body, &map_h, Part::Heredoc(hi));
        script.pipefail |= sub.pipefail;
        script.commands.extend(sub.commands);
    }
    Some(script)
}

/// The exec form: a POSIX shell with `-c` runs its script argument; any
/// other program is one command whose words are the JSON strings.
fn analyze_exec(v: &[super::Word]) -> Script {
    let shell = v
        .first()
        .is_some_and(|w| super::parse::is_posix_shell(&w.value));
    // `-c`, or short options that include it (`-ec`, `-xc`).
    let c_at = v.iter().skip(1).position(|w| {
        w.value.len() > 1
            && w.value.starts_with('-')
            && !w.value.starts_with("--")
            && w.value.contains('c')
    });
    if shell && let Some(ci) = c_at.map(|p| p + 1) {
        let Some(body) = v.get(ci + 1) else {
            return Script::default();
        };
        // Offsets in the decoded string map into the JSON literal (exact
        // when the string has no escapes), clamped to it.
        let lit = body.span;
        let map = |sp: Span| {
            let start = lit.start as usize + 1;
            let end = (lit.end as usize).saturating_sub(1).max(start);
            Span::new(
                (start + sp.start as usize).min(end),
                (start + sp.end as usize).min(end),
            )
        };
        let mut script = analyze_text(&body.value, &map, Part::Line);
        let opts = v.get(1..ci + 1).unwrap_or(&[]);
        script.pipefail |= opts.iter().any(|w| w.value == "pipefail")
            && opts
                .iter()
                .any(|w| w.value.starts_with('-') && w.value.contains('o'));
        return script;
    }
    let mut script = Script {
        tokenizer: "exec",
        ..Script::default()
    };
    let mut words: Vec<ShWord> = v
        .iter()
        .map(|w| ShWord {
            text: w.value.clone(),
            raw: w.value.clone(),
            span: w.span,
        })
        .collect();
    flush(&mut words, false, false, Part::Line, &mut script);
    script
}

/// Offset of the shell text (the args) in the logical text.
pub(crate) fn find_shell_start(inst: &Instruction, value: &str) -> Option<usize> {
    let t = &inst.text;
    // The args are the tail of the logical text (trailing blanks trimmed).
    let trimmed = t.trim_end_matches(|c: char| {
        c == ' ' || c == '\t' || c == '\r' || c == '\u{0b}' || c == '\u{0c}'
    });
    trimmed
        .len()
        .checked_sub(value.len())
        .filter(|&s| trimmed.get(s..) == Some(value))
}
