//! Helpers shared by the Dockerfile rules: package-manager command models,
//! stage lineage, and iteration over RUN scripts.

use crate::dockerfile::image::ImageRef;
use crate::dockerfile::shell::{Command, Script, ShWord};
use crate::dockerfile::{Dockerfile, Instruction, Stage};
use crate::document::Parsed;
use crate::rules::FileCx;

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
    pub inst: &'a Instruction,
    pub script: &'a Script,
}

/// Every analysed RUN of stages with a POSIX shell.
pub fn runs(df: &Dockerfile) -> impl Iterator<Item = RunRef<'_>> {
    df.instructions
        .iter()
        .enumerate()
        .filter_map(move |(index, inst)| {
            let (inst, script) = inst.run()?;
            let stage = inst.stage.and_then(|s| df.stages.get(s));
            if stage.is_some_and(|s| s.non_posix_shell) {
                return None;
            }
            Some(RunRef {
                index,
                inst,
                script,
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

/// Is `cmd` `apt-get <sub>` / `apt <sub>` / `aptitude <sub>`?
pub fn apt_sub(cmd: &Command) -> Option<(&str, &[ShWord])> {
    let prog = cmd.program()?;
    if !matches!(prog, "apt-get" | "apt" | "aptitude") {
        return None;
    }
    let args = cmd.args();
    // Skip options (and `-o X` values) before the subcommand.
    let mut i = 0;
    while let Some(w) = args.get(i) {
        if w.text == "-o" || w.text == "-t" || w.text == "-c" {
            i += 2;
        } else if w.text.starts_with('-') {
            i += 1;
        } else {
            return Some((w.text.as_str(), args.get(i + 1..).unwrap_or(&[])));
        }
    }
    None
}

/// `apk [options] <sub> ...`: (subcommand, the words after it).
pub fn apk_sub(cmd: &Command) -> Option<(&str, &[ShWord])> {
    if cmd.program()? != "apk" {
        return None;
    }
    let args = cmd.args();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        if w.text.starts_with('-') {
            i += if takes_value(&w.text) && !w.text.contains('=') {
                2
            } else {
                1
            };
        } else {
            return Some((w.text.as_str(), args.get(i + 1..).unwrap_or(&[])));
        }
    }
    None
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
    let mut i = 0;
    while let Some(w) = args.get(i) {
        if w.text.starts_with('-') {
            i += if takes_value(&w.text) && !w.text.contains('=') {
                2
            } else {
                1
            };
            continue;
        }
        out.push(w);
        i += 1;
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

/// `yum|dnf|microdnf|zypper <sub> ...`: (program, subcommand, rest).
pub fn rpm_sub(cmd: &Command) -> Option<(&str, &str, &[ShWord])> {
    let prog = cmd.program()?;
    if !matches!(prog, "yum" | "dnf" | "microdnf" | "zypper" | "tdnf") {
        return None;
    }
    let args = cmd.args();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        if w.text.starts_with('-') {
            i += if takes_value(&w.text) && !w.text.contains('=') {
                2
            } else {
                1
            };
        } else {
            return Some((prog, w.text.as_str(), args));
        }
    }
    None
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
