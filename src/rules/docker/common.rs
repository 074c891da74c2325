//! Helpers shared by the Dockerfile rules: package-manager command models,
//! stage lineage, and iteration over RUN scripts.

use crate::dockerfile::image::ImageRef;
use crate::dockerfile::shell::{Command, Part, Script, ShWord};
use crate::dockerfile::{Dockerfile, Instruction, Stage};
use crate::engine::Parsed;
use crate::finding::{Applicability, Edit};
use crate::rules::FileCx;
use crate::source::Span;

pub fn dockerfile<'a>(cx: &FileCx<'a>) -> Option<&'a Dockerfile> {
    match cx.parsed() {
        Parsed::Dockerfile(d) => Some(d),
        _ => None,
    }
}

/// Stages built on an external image (not `scratch`, not an earlier stage,
/// its ARGs resolved) that is not pinned by digest: the stage, the resolved
/// reference, and the parsed image.
pub fn undigested_bases(df: &Dockerfile) -> impl Iterator<Item = (&Stage, &str, ImageRef)> {
    df.stages.iter().filter_map(|st| {
        if !st.base_known || st.parent.is_some() {
            return None;
        }
        let r = st.base_resolved.trim();
        if r.is_empty() || r.eq_ignore_ascii_case("scratch") {
            return None;
        }
        let img = ImageRef::parse(r);
        img.digest.is_none().then_some((st, r, img))
    })
}

/// A RUN instruction with its script, in a POSIX-shell stage.
pub struct RunRef<'a> {
    pub index: usize,
    /// The RUN (the trigger of an `ONBUILD RUN`).
    pub inst: &'a Instruction,
    pub script: &'a Script,
    /// The stage of the RUN (of its ONBUILD for a trigger).
    pub stage: Option<usize>,
    /// The `ONBUILD` that holds the RUN.
    pub onbuild: Option<&'a Instruction>,
}

/// Every analysed RUN of stages with a POSIX shell, ONBUILD triggers
/// included.
pub fn runs(df: &Dockerfile) -> impl Iterator<Item = RunRef<'_>> {
    df.steps().filter_map(move |s| {
        let script = s.inst.script.as_ref()?;
        let stage = s.stage.and_then(|i| df.stages.get(i));
        if stage.is_some_and(|st| st.non_posix_shell) {
            return None;
        }
        Some(RunRef {
            index: s.index,
            inst: s.inst,
            script,
            stage: s.stage,
            onbuild: s.onbuild,
        })
    })
}

/// Stages whose layers end up in the final image: the last stage and the
/// stages it is built `FROM`.
pub fn final_lineage(df: &Dockerfile) -> Vec<bool> {
    let mut v = vec![false; df.stages.len()];
    let mut cur = df.stages.len().checked_sub(1);
    let mut guard = 0;
    while let Some(i) = cur {
        if guard > df.stages.len() {
            break;
        }
        guard += 1;
        if let Some(slot) = v.get_mut(i) {
            *slot = true;
        }
        cur = df.stages.get(i).and_then(|s| s.parent);
    }
    v
}

pub fn in_final_lineage(lineage: &[bool], stage: Option<usize>) -> bool {
    stage.is_none_or(|s| lineage.get(s).copied().unwrap_or(false))
}

/// Index in `args` of the first word that is not an option; the value of
/// an option for which `takes` holds (written apart, not `--opt=value`) is
/// skipped.
fn first_operand(args: &[ShWord], takes: impl Fn(&str) -> bool) -> Option<usize> {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        if !w.text.starts_with('-') {
            return Some(i);
        }
        i += if takes(&w.text) && !w.text.contains('=') {
            2
        } else {
            1
        };
    }
    None
}

/// The subcommand word of a command and the words after it.
fn sub_of(cmd: &Command, takes: impl Fn(&str) -> bool) -> Option<(&ShWord, &[ShWord])> {
    let args = cmd.args();
    let i = first_operand(args, takes)?;
    Some((args.get(i)?, args.get(i + 1..).unwrap_or(&[])))
}

/// `apt-get <sub>` / `apt <sub>` / `aptitude <sub>`: the subcommand word
/// and the words after it.
pub fn apt_sub_word(cmd: &Command) -> Option<(&ShWord, &[ShWord])> {
    let prog = cmd.program()?;
    if !matches!(prog, "apt-get" | "apt" | "aptitude") {
        return None;
    }
    sub_of(cmd, |o| matches!(o, "-o" | "-t" | "-c"))
}

/// Is `cmd` `apt-get <sub>` / `apt <sub>` / `aptitude <sub>`?
pub fn apt_sub(cmd: &Command) -> Option<(&str, &[ShWord])> {
    apt_sub_word(cmd).map(|(w, rest)| (w.text.as_str(), rest))
}

/// `apk [options] <sub> ...`: (subcommand, the words after it).
pub fn apk_sub(cmd: &Command) -> Option<(&str, &[ShWord])> {
    if cmd.program()? != "apk" {
        return None;
    }
    sub_of(cmd, takes_value).map(|(w, rest)| (w.text.as_str(), rest))
}

/// Is `name` exported (`export NAME=...`, `NAME=...;`) by a command of the
/// script that runs before `cmd`?
pub fn exported_before(script: &Script, cmd: &Command, name: &str) -> bool {
    let prefix = format!("{name}=");
    script
        .commands
        .iter()
        .take_while(|c| !std::ptr::eq(*c, cmd))
        .any(|c| {
            let assigns_only = c.program_at >= c.words.len();
            let exports = matches!(c.program(), Some("export" | "declare" | "typeset"));
            (assigns_only || exports) && c.words.iter().any(|w| w.text.starts_with(&prefix))
        })
}

/// Options of apt, yum, dnf that take a value.
fn takes_value(opt: &str) -> bool {
    matches!(
        opt,
        "-o" | "-t"
            | "-c"
            | "--option"
            | "--target-release"
            | "--config-file"
            | "--repo"
            | "--enablerepo"
            | "--disablerepo"
            | "--setopt"
            | "--installroot"
            | "--releasever"
            | "-r"
            | "-X"
            | "--repository"
            | "--root"
            | "-p"
            | "--virtual"
            | "--exclude"
            | "-x"
    )
}

/// The package arguments of an install command (options skipped).
pub fn package_args(args: &[ShWord]) -> Vec<&ShWord> {
    let mut out = Vec::new();
    let mut rest = args;
    while let Some(i) = first_operand(rest, takes_value) {
        let Some(w) = rest.get(i) else { break };
        out.push(w);
        rest = rest.get(i + 1..).unwrap_or(&[]);
    }
    out
}

/// Does an option list say "yes" (`-y`, `--yes`, `--assume-yes`, `-qq`, `-qy`)?
pub fn has_yes(args: &[ShWord]) -> bool {
    // Quiet level 2 implies yes: `-qq`, `-q -q`, `--quiet --quiet`.
    let quiet: usize = args
        .iter()
        .map(|w| {
            let t = w.text.as_str();
            if t == "--quiet" {
                1
            } else if t.starts_with('-') && !t.starts_with("--") && !t.contains('=') {
                t.matches('q').count()
            } else {
                0
            }
        })
        .sum();
    quiet >= 2
        || args.iter().any(|w| {
            let t = w.text.as_str();
            matches!(
                t,
                "--yes" | "--assume-yes" | "--assumeyes" | "-qq" | "--quiet=2" | "-q=2"
            ) || (t.starts_with('-') && !t.starts_with("--") && t.contains('y'))
        })
}

/// `yum|dnf|microdnf|zypper|tdnf <sub> ...`: (program, subcommand word,
/// every argument).
pub fn rpm_sub_word(cmd: &Command) -> Option<(&str, &ShWord, &[ShWord])> {
    let prog = cmd.program()?;
    if !matches!(prog, "yum" | "dnf" | "microdnf" | "zypper" | "tdnf") {
        return None;
    }
    sub_of(cmd, takes_value).map(|(w, _)| (prog, w, cmd.args()))
}

/// `pip install ...`, `pip3 install`, `python -m pip install`, `uv pip
/// install`: the words after `install`.
pub fn pip_install(cmd: &Command) -> Option<&[ShWord]> {
    let argv = cmd.argv();
    let prog = cmd.program()?;
    let mut i = 1;
    let is_pip = |s: &str| {
        s == "pip" || s.starts_with("pip3") || s.starts_with("pip2") || s.starts_with("pip-")
    };
    if is_pip(prog) {
    } else if prog.starts_with("python") {
        // python -m pip install
        while let Some(w) = argv.get(i) {
            if w.text == "-m" {
                if argv.get(i + 1).is_some_and(|m| m.text == "pip") {
                    i += 2;
                    break;
                }
                return None;
            } else if w.text.starts_with('-') {
                i += 1;
            } else {
                return None;
            }
        }
    } else if prog == "uv" && argv.get(1).is_some_and(|w| w.text == "pip") {
        i = 2;
    } else {
        return None;
    }
    // Options before `install`.
    while let Some(w) = argv.get(i) {
        if w.text == "install" {
            return argv.get(i + 1..);
        }
        if !w.text.starts_with('-') {
            return None;
        }
        i += 1;
    }
    None
}

/// pip options that take a value.
pub fn pip_opt_takes_value(o: &str) -> bool {
    matches!(
        o,
        "-r" | "--requirement"
            | "-c"
            | "--constraint"
            | "-e"
            | "--editable"
            | "-t"
            | "--target"
            | "-i"
            | "--index-url"
            | "--extra-index-url"
            | "-f"
            | "--find-links"
            | "--prefix"
            | "--root"
            | "--platform"
            | "--python-version"
            | "--implementation"
            | "--abi"
            | "--src"
            | "--upgrade-strategy"
            | "--trusted-host"
            | "--cache-dir"
            | "--progress-bar"
            | "--log"
            | "--proxy"
            | "--retries"
            | "--timeout"
            | "--exists-action"
            | "--cert"
            | "--client-cert"
            | "--global-option"
            | "--install-option"
            | "--config-settings"
            | "-C"
            | "--python"
            | "--only-binary"
            | "--no-binary"
            | "--report"
            | "--root-user-action"
            | "--keyring-provider"
    )
}

/// pip install arguments split into (options, package specs).
pub fn pip_split(args: &[ShWord]) -> (Vec<&ShWord>, Vec<&ShWord>) {
    let mut opts = Vec::new();
    let mut pkgs = Vec::new();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        if w.text.starts_with('-') {
            opts.push(w);
            if pip_opt_takes_value(&w.text) && !w.text.contains('=') {
                if let Some(v) = args.get(i + 1) {
                    opts.push(v);
                }
                i += 2;
                continue;
            }
        } else {
            pkgs.push(w);
        }
        i += 1;
    }
    (opts, pkgs)
}

/// Is an ENV or ARG with this name set in the stage (or its parents) before
/// instruction `at`, or as an assignment prefix of the command?
pub fn var_set(df: &Dockerfile, at: usize, cmd: Option<&Command>, name: &str) -> bool {
    if let Some(c) = cmd
        && c.words
            .get(..c.program_at)
            .unwrap_or(&[])
            .iter()
            .any(|w| w.raw.starts_with(&format!("{name}=")))
    {
        return true;
    }
    df.var_at(at, name).is_some()
}

/// Expands a word that holds `$VAR` references; `None` when unknown. An
/// unquoted variable holding a list splits into its words; a quoted word
/// (`"pkg == $V"`) stays one.
pub fn expand_word(df: &Dockerfile, at: usize, w: &ShWord) -> Option<Vec<String>> {
    if !w.text.contains('$') {
        return Some(vec![w.text.clone()]);
    }
    let (v, known) = df.expand_at(at, &w.text);
    if !known {
        return None;
    }
    if w.raw.contains(['"', '\'']) {
        return Some(vec![v]);
    }
    Some(v.split_whitespace().map(String::from).collect())
}

/// Is `w` written in the file exactly as its raw text (no line
/// continuation or escape inside it)? Fix edits anchor only on such words.
pub fn written(text: &str, w: &ShWord) -> bool {
    text.get(w.span.start()..w.span.end()) == Some(w.raw.as_str())
}

/// An edit that inserts ` <arg>` right after the word `w`.
pub fn insert_after(text: &str, w: &ShWord, arg: &str) -> Option<Edit> {
    written(text, w).then(|| Edit::insert(w.span.end(), format!(" {arg}")))
}

/// The end, in the file, of the last token of a shell text (`map` maps
/// offsets of `script` to the file), when that token can be followed by
/// `&& command`: a word or a closing parenthesis (not `;`, `&` or a
/// dangling operator). Comments after it stay after the insertion.
fn script_end(text: &str, script: &str, map: &dyn Fn(Span) -> Span) -> Option<usize> {
    use crate::dockerfile::shell::{BrushShell, Shell, Tok};
    let toks = BrushShell.tokenize(script)?;
    let last = toks.iter().rev().find(|t| match t {
        Tok::Op(o, _, _) => !o.trim().is_empty(),
        Tok::Word(..) => true,
    })?;
    let (s, e) = match last {
        Tok::Word(w, s, e) if !w.ends_with('\\') => (*s, *e),
        Tok::Op(o, s, e) if o == ")" => (*s, *e),
        _ => return None,
    };
    let last_byte = script.get(s..e)?.bytes().last()?;
    let end = map(Span::new(e - 1, e)).end();
    // The mapped end must hold the token's last character.
    (end > 0 && text.as_bytes().get(end - 1) == Some(&last_byte)).then_some(end)
}

/// An edit that appends ` && <command>` to the shell script that holds
/// `c` (the RUN's text, or the heredoc body it is in), so `command` runs
/// last and only when everything before it succeeded. `None` when the end
/// of the script cannot take it (it ends with `;` or `&`, or the RUN mixes
/// a shell text with heredocs).
pub fn append_to_run(text: &str, inst: &Instruction, c: &Command, command: &str) -> Option<Edit> {
    let end = match c.part {
        Part::Line => {
            if !inst.heredocs.is_empty() {
                return None;
            }
            let w = inst.shell_text()?;
            let start = crate::dockerfile::shell::find_shell_start(inst, &w.value)?;
            script_end(text, &w.value, &|sp| inst.map.map_span(sp.offset(start)))?
        }
        Part::Heredoc(n) => {
            let h = inst.heredocs.get(n)?;
            script_end(text, &h.body, &|sp| h.map.map_span(sp))?
        }
    };
    Some(Edit::insert(end, format!(" && {command}")))
}

/// Where RUNs use a tool (apt, apk): for each stage, the index of the last
/// such RUN in it or in a stage built on it, directly or not. Removing the
/// tool's lists or cache in a RUN before that index can break that later
/// RUN (an install without an index update first). Built in one pass over
/// the RUNs and one over the stages.
pub struct LaterUse(Vec<Option<usize>>);

pub fn later_use(df: &Dockerfile, uses: impl Fn(&Command) -> bool) -> LaterUse {
    let mut last: Vec<Option<usize>> = vec![None; df.stages.len()];
    for r in runs(df) {
        if let Some(slot) = r.stage.and_then(|s| last.get_mut(s))
            && r.script.commands.iter().any(&uses)
        {
            *slot = Some(r.index);
        }
    }
    // Children come after their parent: fold them in from the end.
    for s in (0..df.stages.len()).rev() {
        let parent = df.stages.get(s).and_then(|st| st.parent).filter(|&p| p < s);
        let here = last.get(s).copied().flatten();
        if let Some(p) = parent
            && let Some(slot) = last.get_mut(p)
        {
            *slot = (*slot).max(here);
        }
    }
    LaterUse(last)
}

impl LaterUse {
    /// Does a RUN after instruction `at` of `stage` (or of a stage built
    /// on it) use the tool? Unknown stage: assume so.
    pub fn after(&self, at: usize, stage: Option<usize>) -> bool {
        match stage {
            Some(s) => self.0.get(s).copied().flatten().is_some_and(|i| i > at),
            None => true,
        }
    }
}

/// The fix that removes what a package manager downloaded (`remove`, a
/// command such as `rm -rf /var/lib/apt/lists/*`) at the end of the script
/// of RUN `r`, where `cmd` left it: appended as ` && remove` (see
/// [`append_to_run`]). Safe unless `later` says a later RUN of the image
/// uses the tool (an install there without an index update would fail).
/// No edit when `cmd` runs under sudo: the RUN's user could not remove the
/// files without it, and sudo in RUN is a finding of its own (AFD015).
pub fn removal_fix(
    text: &str,
    r: &RunRef<'_>,
    cmd: &Command,
    remove: &str,
    later: &LaterUse,
) -> (Applicability, Vec<Edit>) {
    let last = r.script.commands.last().unwrap_or(cmd);
    let edit = cmd
        .sudo
        .is_none()
        .then(|| append_to_run(text, r.inst, last, remove))
        .flatten();
    let applicability = if later.after(r.index, r.stage) {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    (applicability, edit.into_iter().collect())
}
