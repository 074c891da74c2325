use super::common::{dockerfile, runs};
use crate::dockerfile::{Args, Dockerfile};
use crate::finding::Finding;
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

crate::rule!(Afd014, "AFD014", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        let mut pipefail: Option<Vec<bool>> = None;
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
            out.push(
                Finding::new(first.span, "a pipe in RUN without `set -o pipefail`: a failure before the last command of the pipe is ignored")
                    .with_help("Add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN, or start the command with `set -o pipefail &&` (bash)."),
            );
        }
    }
});
