use super::common::{apk_sub, apt_sub, dockerfile, package_args, rpm_sub_word, runs};
use crate::dockerfile::image::{ImageRef, has_bash};
use crate::dockerfile::{Args, Dockerfile, Instruction};
use crate::finding::{Applicability, Edit, Finding};
use crate::rules::{FileCx, Findings};

/// Does this SHELL's argument list turn on pipefail?
fn sets_pipefail(v: &[crate::dockerfile::Word]) -> bool {
    v.windows(2)
        .any(|w| w[0].value == "-o" && w[1].value == "pipefail")
        || v.iter().any(|w| {
            w.value.starts_with('-')
                && !w.value.starts_with("--")
                && w.value.contains('o')
                && v.iter().any(|x| x.value == "pipefail")
        })
}

/// For each instruction: does a SHELL with `-o pipefail` apply to it (the
/// last SHELL before it in its stage, else the one its parent stage ends
/// with)? One pass over the file, however many RUNs ask.
fn pipefail_at(df: &Dockerfile) -> Vec<bool> {
    let mut at = vec![false; df.instructions.len()];
    let mut stage_end: Vec<bool> = Vec::with_capacity(df.stages.len());
    for (s, st) in df.stages.iter().enumerate() {
        // Parents are earlier stages; anything else inherits nothing.
        let mut state = st
            .parent
            .filter(|&p| p < s)
            .and_then(|p| stage_end.get(p).copied())
            .unwrap_or(false);
        for i in st.instructions.clone() {
            let Some(ins) = df.instructions.get(i) else {
                break;
            };
            if let Some(slot) = at.get_mut(i) {
                *slot = state;
            }
            if ins.is("SHELL")
                && let Args::Json(v) = &ins.args
            {
                state = sets_pipefail(v);
            }
        }
        stage_end.push(state);
    }
    at
}

/// Does this RUN install bash (`apk add bash`, `apt-get install bash`,
/// `dnf install bash`...)?
fn installs_bash(ins: &Instruction) -> bool {
    let Some(script) = &ins.script else {
        return false;
    };
    script.commands.iter().any(|c| {
        let rest = match (apk_sub(c), apt_sub(c), rpm_sub_word(c)) {
            (Some(("add", rest)), _, _) | (_, Some(("install", rest)), _) => rest,
            (_, _, Some((_, sub, args))) if sub.text == "install" => args,
            _ => return false,
        };
        // Packages of an apk virtual group are usually deleted again.
        let virtual_group = c
            .args()
            .iter()
            .any(|w| w.text == "-t" || w.text.starts_with("--virtual"));
        !virtual_group
            && package_args(rest)
                .iter()
                .any(|w| w.text == "bash" || w.text.starts_with("bash="))
    })
}

/// For each instruction: is bash known to exist when it runs? It does in
/// a base image known to have it, after a RUN that installs it, and after
/// a SHELL that runs it. One pass, parents first.
fn bash_at(df: &Dockerfile) -> Vec<bool> {
    let mut at = vec![false; df.instructions.len()];
    let mut stage_end: Vec<bool> = Vec::with_capacity(df.stages.len());
    for (s, st) in df.stages.iter().enumerate() {
        let mut state = match st.parent {
            Some(p) => p < s && stage_end.get(p).copied().unwrap_or(false),
            None => st.base_known && has_bash(&ImageRef::parse(&st.base_resolved)),
        };
        for i in st.instructions.clone() {
            let Some(ins) = df.instructions.get(i) else {
                break;
            };
            if let Some(slot) = at.get_mut(i) {
                *slot = state;
            }
            let shell_is_bash = ins.is("SHELL")
                && matches!(&ins.args, Args::Json(v) if v.first().is_some_and(|w| {
                    w.value.rsplit('/').next() == Some("bash")
                }));
            state |= shell_is_bash || (ins.is("RUN") && installs_bash(ins));
        }
        stage_end.push(state);
    }
    at
}

/// Inserts the pipefail SHELL on its own line before the RUN at `index`
/// and the comment lines right above it (which describe the RUN), indented
/// as the RUN is.
fn shell_before(text: &str, df: &Dockerfile, index: usize, newline: &str) -> Option<Edit> {
    let ins = df.instructions.get(index)?;
    // Comments are taken only after the end of the previous instruction.
    let floor = index
        .checked_sub(1)
        .and_then(|p| df.instructions.get(p))
        .map_or(0, |p| p.span.end());
    let line_start = |at: usize| {
        text.get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |p| p + 1)
    };
    let at = ins.keyword_span.start();
    let run_line = line_start(at);
    let indent = text.get(run_line..at)?;
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let mut start = run_line;
    while start > floor {
        let prev = line_start(start - 1);
        let comment = text
            .get(prev..start)
            .is_some_and(|l| l.trim_start().starts_with('#'));
        if prev < floor || !comment {
            break;
        }
        start = prev;
    }
    Some(Edit::insert(
        start,
        format!("{indent}SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]{newline}"),
    ))
}

crate::rule!(Afd014, "AFD014", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        let mut pipefail: Option<Vec<bool>> = None;
        let mut bash: Option<Vec<bool>> = None;
        // Per stage, the first RUN that gets the fix: one SHELL before it
        // serves every later RUN of the stage (the findings of the stage
        // share that one edit).
        let mut first_in_stage: std::collections::HashMap<usize, usize> =
            std::collections::HashMap::new();
        for r in runs(df) {
            if r.script.pipefail {
                continue;
            }
            // A pipe fed by a command that cannot fail (`echo "$sum *f" |
            // sha256sum -c -`) loses nothing without pipefail.
            let Some(first) = r.script.commands.iter().find(|c| {
                c.piped_to_next && !matches!(c.program(), Some("echo" | "printf" | "yes" | "true"))
            }) else {
                continue;
            };
            let pipefail = pipefail.get_or_insert_with(|| pipefail_at(df));
            if pipefail.get(r.index).copied().unwrap_or(false) {
                continue;
            }
            // Unsafe: every later RUN (and shell-form CMD) of the stage
            // then runs under bash instead of /bin/sh, and a pipe whose
            // first command fails (`yes | ...` ends with SIGPIPE) now
            // fails the build. Only where bash is known to exist (the
            // SHELL goes before the first such RUN of the stage where it
            // does); not for an ONBUILD trigger (it runs in another image).
            let edit = match (r.stage, r.onbuild) {
                (Some(s), None)
                    if bash
                        .get_or_insert_with(|| bash_at(df))
                        .get(r.index)
                        .copied()
                        .unwrap_or(false) =>
                {
                    let anchor = *first_in_stage.entry(s).or_insert(r.index);
                    shell_before(&cx.file.text, df, anchor, cx.file.newline())
                }
                _ => None,
            };
            out.push(
                Finding::new(first.span, "a pipe in RUN without `set -o pipefail`: a failure before the last command of the pipe is ignored")
                    .with_edits(Applicability::Unsafe, edit.into_iter().collect()),
            );
        }
    }
});
