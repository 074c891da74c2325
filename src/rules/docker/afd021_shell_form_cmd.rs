use super::common::dockerfile;
use crate::dockerfile::Args;
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd021, "AFD021", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for ins in &df.instructions {
            if !(ins.is("CMD") || ins.is("ENTRYPOINT")) {
                continue;
            }
            if let Args::Shell(w) = &ins.args {
                let words: Vec<String> = w
                    .value
                    .split_whitespace()
                    .map(|s| format!("\"{}\"", s.replace('"', "\\\"")))
                    .collect();
                out.push(
                    Finding::new(ins.keyword_span.cover(w.span), format!("{} in shell form runs under `/bin/sh -c`, which does not forward SIGTERM to the process", ins.keyword))
                        .with_help(format!("Use the exec (JSON) form: `{} [{}]`.", ins.keyword, words.join(", "))),
                );
            }
        }
    }
});
