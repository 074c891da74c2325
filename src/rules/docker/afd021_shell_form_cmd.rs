use super::common::dockerfile;
use crate::dockerfile::Args;
use crate::finding::{Applicability, Edit, Finding};
use crate::rules::{FileCx, Findings};

/// The exec-form words of a shell-form command that has no shell syntax
/// (plain words of letters, digits and `_ . / : = , @ % + -`), a leading
/// `exec` dropped; `None` when the shell does something the exec form
/// would not (variables, quotes, globs, operators, redirections,
/// builtins).
fn exec_words(cmd: &str) -> Option<Vec<&str>> {
    let plain = |w: &str| {
        w.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"_./:=,@%+-".contains(&c))
    };
    let mut words: Vec<&str> = cmd.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
    if words.first() == Some(&"exec") {
        words.remove(0);
    }
    let first = *words.first()?;
    let builtin = matches!(
        first,
        "cd" | "set"
            | "export"
            | "source"
            | "."
            | "eval"
            | "ulimit"
            | "umask"
            | "trap"
            | "exit"
            | "unset"
            | "shift"
            | "wait"
            | "exec"
    );
    // `a=b cmd` is an assignment prefix, `-x` as program is not one.
    let assignment = first.contains('=') || first.starts_with('-');
    (words.iter().all(|w| plain(w)) && !builtin && !assignment).then_some(words)
}

crate::rule!(Afd021, "AFD021", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for step in df.steps() {
            let ins = step.inst;
            if !(ins.is("CMD") || ins.is("ENTRYPOINT")) {
                continue;
            }
            if let Args::Shell(w) = &ins.args {
                // Always unsafe: the program becomes PID 1 with no shell
                // around it (it now gets the signals, and reaps children),
                // and an exec-form ENTRYPOINT takes CMD as arguments.
                // Offered only for commands with no shell syntax, written
                // on one line.
                let exact = exec_words(&w.value).filter(|_| {
                    cx.file.text.get(w.span.start()..w.span.end()) == Some(w.value.as_str())
                });
                let json = |ws: &mut dyn Iterator<Item = &str>| {
                    let q: Vec<String> = ws
                        .map(|s| format!("\"{}\"", s.replace('"', "\\\"")))
                        .collect();
                    format!("[{}]", q.join(", "))
                };
                let form = match &exact {
                    Some(ws) => json(&mut ws.iter().copied()),
                    None => json(&mut w.value.split_whitespace()),
                };
                let edit = exact.map(|_| Edit::replace(w.span, form.clone()));
                out.push(
                    Finding::new(ins.keyword_span.cover(w.span), format!("{} in shell form runs under `/bin/sh -c`, which does not forward SIGTERM to the process", ins.keyword))
                        .with_help(format!("Use the exec (JSON) form: `{} {form}`.", ins.keyword))
                        .with_edits(Applicability::Unsafe, edit.into_iter().collect()),
                );
            }
        }
    }
});
