use super::common::{dockerfile, runs};
use crate::finding::{Finding, Severity};
use crate::rules::{FileCx, Findings};

fn is_shell(p: &str) -> bool {
    matches!(p, "sh" | "bash" | "zsh" | "dash" | "ash" | "ksh" | "fish")
}

fn is_fetch(p: &str) -> bool {
    matches!(p, "curl" | "wget" | "fetch")
}

crate::rule!(Afd013, "AFD013", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for r in runs(df) {
            let cmds = &r.script.commands;
            for (i, c) in cmds.iter().enumerate() {
                let Some(p) = c.program() else { continue };
                // curl ... | [sudo] sh
                if is_fetch(p)
                    && let Some(t) = r.script.pipe_target(i)
                    && t.program().is_some_and(is_shell)
                {
                    // Over plain HTTP anyone on the path can swap the script.
                    let http = c
                        .args()
                        .iter()
                        .any(|w| w.text.to_ascii_lowercase().starts_with("http://"));
                    let (sev, how) = if http {
                        (Severity::Error, " over plain HTTP")
                    } else {
                        (Severity::Warning, "")
                    };
                    out.push(
                        Finding::new(
                            c.span.cover(t.span),
                            format!(
                                "a script downloaded with `{p}`{how} is piped straight into `{}`",
                                t.program().unwrap_or("sh")
                            ),
                        )
                        .with_severity(sev),
                    );
                }
                // sh -c "$(curl ...)"
                if is_shell(p)
                    && let Some(w) = c.args().iter().find(|w| {
                        ["$(curl", "$(wget", "`curl", "`wget"]
                            .iter()
                            .any(|k| w.raw.contains(k))
                    })
                {
                    out.push(Finding::new(
                        c.span.cover(w.span),
                        format!("a downloaded script is run by `{p}` without verification"),
                    ));
                }
            }
        }
    }
});
