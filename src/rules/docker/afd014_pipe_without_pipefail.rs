use super::common::{dockerfile, runs};
use crate::dockerfile::{Args, Dockerfile};
use crate::finding::Finding;
use crate::rules::FileCx;

/// Does a SHELL with `-o pipefail` apply at instruction `at`?
fn shell_has_pipefail(df: &Dockerfile, at: usize) -> bool {
    let Some(stage) = df.instructions.get(at).and_then(|i| i.stage) else {
        return false;
    };
    let mut cur = Some(stage);
    let mut guard = 0;
    let mut end = at;
    while let Some(s) = cur {
        guard += 1;
        if guard > df.stages.len() + 1 {
            break;
        }
        let Some(st) = df.stages.get(s) else { break };
        for i in (st.instructions.start..end.min(st.instructions.end)).rev() {
            if let Some(ins) = df.instructions.get(i)
                && ins.is("SHELL")
                && let Args::Json(v) = &ins.args
            {
                return v
                    .windows(2)
                    .any(|w| w[0].value == "-o" && w[1].value == "pipefail")
                    || v.iter().any(|w| {
                        w.value.starts_with('-')
                            && !w.value.starts_with("--")
                            && w.value.contains('o')
                            && v.iter().any(|x| x.value == "pipefail")
                    });
            }
        }
        cur = st.parent;
        end = usize::MAX;
    }
    false
}

crate::rule!(Afd014, "AFD014", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let Some(df) = dockerfile(cx) else { return };
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
            if shell_has_pipefail(df, r.index) {
                continue;
            }
            out.push(
                Finding::new("AFD014", first.span, "a pipe in RUN without `set -o pipefail`: a failure before the last command of the pipe is ignored")
                    .with_fix("Add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN, or start the command with `set -o pipefail &&` (bash)."),
            );
        }
    }
});
