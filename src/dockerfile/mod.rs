//! Dockerfiles: a parser that follows BuildKit's grammar, with exact spans.
//!
//! The model:
//! - [`Dockerfile`] holds parser [`Directive`]s, every [`Instruction`] in
//!   order, the build [`Stage`]s, the comments, and the [`SyntaxError`]s
//!   (reported as AFD027; parsing resumes at the next instruction).
//! - An [`Instruction`] has its keyword, flags ([`Flag`]), arguments
//!   ([`Args`]: JSON array, shell text, word list, key=value [`KeyValue`]
//!   pairs, HEALTHCHECK, ONBUILD), heredocs ([`Heredoc`]), and for RUN the
//!   analysed shell script ([`shell::Script`]).
//! - Continuation lines are joined into one logical text as BuildKit does;
//!   [`Instruction::map`] maps offsets in that text back to the file, so
//!   every span ([`Word::span`], [`shell::ShWord::span`], ...) is a file span.
//!
//! Values are resolved against ARG and ENV where they are known
//! ([`Dockerfile::expand`], [`Stage::base_resolved`]).

pub mod image;
mod parse;
pub mod shell;

use std::ops::Range;

use crate::source::{Span, SpanMap};

pub use parse::{is_posix_shell, parse, unquote};

/// A parser directive (`# syntax=`, `# escape=`, `# check=`).
#[derive(Clone, Debug)]
pub struct Directive {
    /// Lower-case name.
    pub name: String,
    pub value: String,
    pub span: Span,
}

/// A syntax error: the instruction (or line) is not one BuildKit accepts.
#[derive(Clone, Debug)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// A word with its file span. `value` is the text as BuildKit's parser gives
/// it (quotes kept where BuildKit keeps them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    pub value: String,
    pub span: Span,
}

/// A `--name[=value]` flag.
#[derive(Clone, Debug)]
pub struct Flag {
    /// The flag as BuildKit reports it, for example `--mount=type=cache,target=/x`.
    pub text: String,
    /// Name without the leading dashes, lower case (`mount`).
    pub name: String,
    pub value: Option<String>,
    pub span: Span,
    pub name_span: Span,
    pub value_span: Option<Span>,
}

/// One `key=value` (or legacy `key value`) pair of ENV, LABEL or ARG.
#[derive(Clone, Debug)]
pub struct KeyValue {
    pub key: String,
    pub key_span: Span,
    /// The value after quote removal and escape processing (what the build
    /// sees before variable expansion); `None` for an ARG without default.
    pub value: Option<String>,
    /// The value as written (BuildKit's parse keeps quotes).
    pub raw_value: Option<String>,
    pub value_span: Option<Span>,
    /// The whole word (`key=value`) as BuildKit's parser splits it.
    pub raw: String,
    /// `ENV key value` form.
    pub legacy: bool,
}

/// A heredoc attached to RUN, COPY or ADD.
#[derive(Clone, Debug)]
pub struct Heredoc {
    pub name: String,
    /// `<<-`: leading tabs are stripped.
    pub chomp: bool,
    /// Unquoted delimiter: variables in the body are expanded.
    pub expand: bool,
    /// The `<<EOF` word.
    pub marker_span: Span,
    /// Body text, every line ending with a newline.
    pub body: String,
    /// Span of the body in the file (terminator line excluded).
    pub body_span: Span,
    /// Maps offsets in `body` to file offsets (line by line).
    pub map: SpanMap,
}

/// Instruction arguments.
#[derive(Clone, Debug, Default)]
pub enum Args {
    #[default]
    None,
    /// JSON (exec) form: the decoded strings.
    Json(Vec<Word>),
    /// Shell form or a single string: the text after the flags.
    Shell(Word),
    /// Whitespace-separated words (FROM, EXPOSE, COPY/ADD/VOLUME shell form).
    List(Vec<Word>),
    /// ENV, LABEL, ARG.
    Pairs(Vec<KeyValue>),
    /// HEALTHCHECK: `CMD`/`NONE` then the command.
    Health { kind: Word, cmd: Box<Args> },
    /// ONBUILD: the trigger instruction.
    Onbuild(Box<Instruction>),
}

/// One instruction.
#[derive(Clone, Debug)]
pub struct Instruction {
    /// Upper-case keyword (`RUN`).
    pub keyword: String,
    pub keyword_span: Span,
    /// From the keyword to the end of the last continuation line, plus the
    /// heredoc bodies.
    pub span: Span,
    /// The logical text (continuations joined, comments removed).
    pub text: String,
    /// Maps offsets in `text` to file offsets.
    pub map: SpanMap,
    pub flags: Vec<Flag>,
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    /// Stage index, or `None` before the first FROM.
    pub stage: Option<usize>,
    /// RUN in shell form: the analysed script (commands found in the text
    /// and in heredocs fed to a shell).
    pub script: Option<shell::Script>,
}

impl Instruction {
    pub fn is(&self, kw: &str) -> bool {
        self.keyword.eq_ignore_ascii_case(kw)
    }
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |f| f.name == name)
    }
    /// File span of a range of [`Instruction::text`].
    pub fn map_span(&self, s: Span) -> Span {
        self.map.map_span(s)
    }
    pub fn is_json(&self) -> bool {
        matches!(self.args, Args::Json(_))
    }
    /// Arguments as words: JSON strings, the list, or the shell text.
    pub fn arg_words(&self) -> Vec<&Word> {
        match &self.args {
            Args::Json(v) | Args::List(v) => v.iter().collect(),
            Args::Shell(w) => vec![w],
            _ => Vec::new(),
        }
    }
    pub fn pairs(&self) -> &[KeyValue] {
        match &self.args {
            Args::Pairs(p) => p,
            _ => &[],
        }
    }
    /// The shell text of a shell-form instruction.
    pub fn shell_text(&self) -> Option<&Word> {
        match &self.args {
            Args::Shell(w) => Some(w),
            _ => None,
        }
    }
    /// The RUN this instruction executes with its analysed script: a RUN
    /// (shell or exec form), or the RUN trigger of an `ONBUILD RUN`.
    pub fn run(&self) -> Option<(&Instruction, &shell::Script)> {
        if let Some(s) = &self.script {
            return Some((self, s));
        }
        match &self.args {
            Args::Onbuild(inner) => inner.script.as_ref().map(|s| (&**inner, s)),
            _ => None,
        }
    }
    /// `RUN --mount=type=cache,...` or `type=tmpfs` (nothing written there
    /// stays in the layer), optionally on a target containing a path.
    pub fn has_cache_mount(&self, target_contains: Option<&str>) -> bool {
        self.flags_named("mount").any(|f| {
            let v = f.value.as_deref().unwrap_or("");
            let is_cache = v
                .split(',')
                .any(|p| matches!(p.trim(), "type=cache" | "type=tmpfs"));
            is_cache
                && target_contains.is_none_or(|t| {
                    v.split(',').any(|p| {
                        let p = p.trim();
                        (p.starts_with("target=")
                            || p.starts_with("dst=")
                            || p.starts_with("destination="))
                            && p.contains(t)
                    })
                })
        })
    }
}

/// A build stage: `FROM` up to the next `FROM`.
#[derive(Clone, Debug)]
pub struct Stage {
    pub index: usize,
    /// Index of the FROM instruction.
    pub from: usize,
    /// The image as written.
    pub base: Word,
    /// The image after ARG substitution (global ARG defaults).
    pub base_resolved: String,
    /// True when every variable in the image reference had a known value.
    pub base_known: bool,
    /// `AS name`, lower case.
    pub alias: Option<Word>,
    pub platform: Option<String>,
    /// Instruction indices of the stage (FROM included).
    pub instructions: Range<usize>,
    /// Index of an earlier stage this stage builds on (`FROM builder`).
    pub parent: Option<usize>,
    /// The stage's SHELL is not a POSIX shell (PowerShell, cmd), or the base
    /// is a Windows image: shell rules skip it.
    pub non_posix_shell: bool,
}

/// An instruction as the build runs it: a plain instruction, or the
/// trigger of an `ONBUILD` (which runs in the builds `FROM` this image).
/// Rules that judge one instruction on its own (ADD of local files, a
/// shell-form CMD, a secret in ENV) see triggers through
/// [`Dockerfile::steps`]; rules that judge a stage's state (its last USER,
/// its CMDs) read [`Dockerfile::instructions`], where a trigger does not
/// take effect.
#[derive(Clone, Copy, Debug)]
pub struct Step<'a> {
    /// Index of the instruction in [`Dockerfile::instructions`] (the
    /// `ONBUILD` for a trigger).
    pub index: usize,
    /// The instruction, or the trigger of an `ONBUILD`.
    pub inst: &'a Instruction,
    /// The `ONBUILD` instruction that holds `inst`.
    pub onbuild: Option<&'a Instruction>,
    /// Stage index of the instruction (a trigger's is its ONBUILD's).
    pub stage: Option<usize>,
}

/// A key=value pair with where it is.
#[derive(Clone, Copy, Debug)]
pub struct PairRef<'a> {
    pub instruction: &'a Instruction,
    pub pair: &'a KeyValue,
    pub stage: Option<usize>,
}

/// A parsed Dockerfile.
#[derive(Clone, Debug)]
pub struct Dockerfile {
    pub directives: Vec<Directive>,
    /// The escape character (`\` or `` ` ``).
    pub escape: char,
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    /// Comment lines (whole-line comments, including directives).
    pub comments: Vec<Span>,
    pub errors: Vec<SyntaxError>,
    /// Global ARG defaults as BuildKit computes them (see
    /// [`Dockerfile::global_default`]), computed once by the parser.
    globals: std::collections::HashMap<String, Option<String>>,
    /// For each variable name, the indices (ascending) of the ENV and ARG
    /// instructions that define it: variable lookups go straight to them
    /// instead of scanning the stage (linear on huge files).
    defs: std::collections::HashMap<String, Vec<usize>>,
}

impl Default for Dockerfile {
    fn default() -> Self {
        Dockerfile {
            directives: Vec::new(),
            escape: '\\',
            instructions: Vec::new(),
            stages: Vec::new(),
            comments: Vec::new(),
            errors: Vec::new(),
            globals: std::collections::HashMap::new(),
            defs: std::collections::HashMap::new(),
        }
    }
}

impl Dockerfile {
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }
    /// Instructions of a stage.
    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        self.instructions
            .get(stage.instructions.clone())
            .unwrap_or(&[])
    }
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }
    /// Index of the first FROM (the end of the global scope).
    fn first_from(&self) -> usize {
        self.instructions
            .iter()
            .position(|i| i.is("FROM"))
            .unwrap_or(self.instructions.len())
    }
    /// ARG instructions before the first FROM.
    pub fn global_args(&self) -> impl Iterator<Item = &KeyValue> {
        let end = self.first_from();
        self.instructions[..end]
            .iter()
            .filter(|i| i.is("ARG"))
            .flat_map(|i| i.pairs())
    }
    /// Every instruction in order, with the trigger of an `ONBUILD` in its
    /// place (see [`Step`]).
    pub fn steps(&self) -> impl Iterator<Item = Step<'_>> {
        self.instructions
            .iter()
            .enumerate()
            .map(|(index, i)| match &i.args {
                Args::Onbuild(inner) => Step {
                    index,
                    inst: inner,
                    onbuild: Some(i),
                    stage: i.stage,
                },
                _ => Step {
                    index,
                    inst: i,
                    onbuild: None,
                    stage: i.stage,
                },
            })
    }
    /// The steps whose instruction is `kw` (ONBUILD triggers included).
    pub fn steps_of<'a>(&'a self, kw: &'a str) -> impl Iterator<Item = Step<'a>> + 'a {
        self.steps().filter(move |s| s.inst.is(kw))
    }
    fn pairs_of<'a>(&'a self, kw: &'a str) -> impl Iterator<Item = PairRef<'a>> + 'a {
        self.steps_of(kw).flat_map(|s| {
            let instruction = s.onbuild.unwrap_or(s.inst);
            s.inst.pairs().iter().map(move |pair| PairRef {
                instruction,
                pair,
                stage: s.stage,
            })
        })
    }
    /// Every ENV pair in the file (ONBUILD ENV included), in order.
    pub fn env_pairs(&self) -> impl Iterator<Item = PairRef<'_>> {
        self.pairs_of("ENV")
    }
    /// Every ARG pair in the file, in order.
    pub fn arg_pairs(&self) -> impl Iterator<Item = PairRef<'_>> {
        self.pairs_of("ARG")
    }
    /// Every LABEL pair in the file, in order.
    pub fn label_pairs(&self) -> impl Iterator<Item = PairRef<'_>> {
        self.pairs_of("LABEL")
    }
    /// Value of a variable (ARG default or ENV) visible at instruction
    /// `at` in its stage, if known.
    pub fn var_at(&self, at: usize, name: &str) -> Option<String> {
        let inst = self.instructions.get(at)?;
        let stage = inst.stage.and_then(|s| self.stages.get(s));
        let start = stage.map(|s| s.from + 1).unwrap_or(0);
        // Later definitions win: the instructions that define `name`,
        // backwards within the stage.
        let defs = self.defs_of(name);
        let before = defs.partition_point(|&i| i < at);
        for &i in defs[..before].iter().rev() {
            if i < start {
                break;
            }
            let Some(ins) = self.instructions.get(i) else {
                continue;
            };
            for p in ins.pairs().iter().rev() {
                if p.key == name {
                    if let Some(v) = &p.value {
                        let v = v.clone();
                        return Some(self.expand_at(i, &v).0);
                    }
                    if ins.is("ARG") {
                        // Redeclared global ARG takes the global default.
                        return self.global_default(name);
                    }
                }
            }
        }
        // Parent stage's ENV is inherited.
        if let Some(st) = stage
            && let Some(p) = st.parent
            && let Some(ps) = self.stages.get(p)
        {
            let end = ps.instructions.end;
            if end > 0 && end <= at {
                let v = self.var_at_end_of_stage(p, name);
                if v.is_some() {
                    return v;
                }
            }
        }
        None
    }
    fn var_at_end_of_stage(&self, stage: usize, name: &str) -> Option<String> {
        let st = self.stages.get(stage)?;
        let defs = self.defs_of(name);
        let before = defs.partition_point(|&i| i < st.instructions.end);
        for &i in defs[..before].iter().rev() {
            if i < st.instructions.start {
                break;
            }
            let ins = self.instructions.get(i)?;
            if ins.is("ENV") {
                for p in ins.pairs().iter().rev() {
                    if p.key == name {
                        return p.value.clone();
                    }
                }
            }
        }
        None
    }
    /// Default of a global ARG (declared before the first FROM), as BuildKit
    /// computes it: each default is expanded against the global ARGs declared
    /// before it, and a re-declaration without a value keeps the earlier one.
    pub fn global_default(&self, name: &str) -> Option<String> {
        self.globals.get(name).cloned().flatten()
    }
    fn defs_of(&self, name: &str) -> &[usize] {
        self.defs.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
    /// Computes the global ARG defaults and the variable definition index
    /// in one pass each (called by the parser).
    pub(crate) fn compute_globals(&mut self) {
        let mut defs: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, ins) in self.instructions.iter().enumerate() {
            if ins.is("ENV") || ins.is("ARG") {
                for p in ins.pairs() {
                    let v = defs.entry(p.key.clone()).or_default();
                    if v.last() != Some(&i) {
                        v.push(i);
                    }
                }
            }
        }
        self.defs = defs;
        let mut known: std::collections::HashMap<String, Option<String>> =
            std::collections::HashMap::new();
        let end = self.first_from();
        for ins in self.instructions[..end].iter().filter(|i| i.is("ARG")) {
            for p in ins.pairs() {
                let Some(v) = &p.value else {
                    // Re-declared without a value: the earlier default stays.
                    known.entry(p.key.clone()).or_insert(None);
                    continue;
                };
                let (v, ok) = expand(v, &|n| known.get(n).cloned().flatten());
                known.insert(p.key.clone(), ok.then_some(v));
            }
        }
        self.globals = known;
    }
    /// The value of an argument word of instruction `at` as the build sees
    /// it: JSON strings as decoded; shell-form words with their quotes
    /// removed and variables expanded (none inside single quotes). Returns
    /// the value and whether every variable was known.
    pub fn word_value(&self, at: usize, w: &Word) -> (String, bool) {
        let json = self.instructions.get(at).is_some_and(|i| match &i.args {
            Args::Onbuild(trigger) => trigger.is_json(),
            _ => i.is_json(),
        });
        if json {
            return self.expand_at(at, &w.value);
        }
        let v = &w.value;
        if v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'') {
            return (v[1..v.len() - 1].to_string(), true);
        }
        let (e, known) = self.expand_at(at, v);
        (parse::unquote(&e, self.escape), known)
    }
    /// Expands `$VAR`, `${VAR}`, `${VAR:-default}`... in `text` as seen by
    /// instruction `at`. Returns the text and whether every variable was known.
    pub fn expand_at(&self, at: usize, text: &str) -> (String, bool) {
        expand(text, &|n| self.var_at(at, n))
    }
}

/// Expands shell-style variables with a lookup; unknown variables expand to
/// nothing and make the result "not fully known".
pub fn expand(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> (String, bool) {
    expand_depth(text, lookup, 0)
}

fn expand_depth(text: &str, lookup: &dyn Fn(&str) -> Option<String>, depth: u32) -> (String, bool) {
    if !text.contains('$') || depth > 8 {
        return (text.to_string(), !text.contains('$'));
    }
    let mut out = String::with_capacity(text.len());
    let mut known = true;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' && b.get(i + 1) == Some(&b'$') {
            out.push('$');
            i += 2;
            continue;
        }
        if c != b'$' {
            let ch_len = text[i..].chars().next().map(char::len_utf8).unwrap_or(1);
            out.push_str(&text[i..i + ch_len]);
            i += ch_len;
            continue;
        }
        if b.get(i + 1) == Some(&b'{') {
            // Find the matching brace.
            let mut depth_b = 0;
            let mut j = i + 1;
            let mut end = None;
            while j < b.len() {
                match b[j] {
                    b'{' => depth_b += 1,
                    b'}' => {
                        depth_b -= 1;
                        if depth_b == 0 {
                            end = Some(j);
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            let Some(end) = end else {
                out.push_str(&text[i..]);
                known = false;
                break;
            };
            let inner = &text[i + 2..end];
            let name_len = inner
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                .count();
            let name = &inner[..name_len];
            let op = &inner[name_len..];
            let val = lookup(name);
            let (s, k) = if let Some(d) = op.strip_prefix(":-") {
                match val.filter(|v| !v.is_empty()) {
                    Some(v) => (v, true),
                    None => expand_depth(d, lookup, depth + 1),
                }
            } else if let Some(d) = op.strip_prefix('-') {
                match val {
                    Some(v) => (v, true),
                    None => expand_depth(d, lookup, depth + 1),
                }
            } else if let Some(a) = op.strip_prefix(":+") {
                match val.filter(|v| !v.is_empty()) {
                    Some(_) => expand_depth(a, lookup, depth + 1),
                    None => (String::new(), true),
                }
            } else if let Some(a) = op.strip_prefix('+') {
                match val {
                    Some(_) => expand_depth(a, lookup, depth + 1),
                    None => (String::new(), true),
                }
            } else if op.is_empty() {
                match val {
                    Some(v) => (v, true),
                    None => (String::new(), false),
                }
            } else {
                // Pattern operators (${VAR%x}...): unknown result.
                (String::new(), false)
            };
            out.push_str(&s);
            known &= k;
            i = end + 1;
        } else {
            let name_len = text[i + 1..]
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                .count();
            if name_len == 0 {
                out.push('$');
                i += 1;
                continue;
            }
            let name = &text[i + 1..i + 1 + name_len];
            match lookup(name) {
                Some(v) => out.push_str(&v),
                None => known = false,
            }
            i += 1 + name_len;
        }
    }
    (out, known)
}

#[cfg(test)]
mod tests;
