use super::common::dockerfile;
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

pub(crate) fn is_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.starts_with("http://")
        || l.starts_with("https://")
        || l.starts_with("git@")
        || l.starts_with("git://")
        || l.starts_with("ssh://")
}

fn is_archive(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst",
        ".tzst", ".gz", ".bz2", ".xz", ".zst",
    ]
    .iter()
    .any(|e| l.ends_with(e))
}

crate::rule!(Afd011, "AFD011", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for (i, ins) in df.instructions.iter().enumerate() {
            if !ins.is("ADD") {
                continue;
            }
            let words = ins.arg_words();
            let Some((_, srcs)) = words.split_last() else {
                continue;
            };
            if srcs.is_empty() && ins.heredocs.is_empty() {
                continue;
            }
            let mut local = Vec::new();
            for w in srcs {
                if w.value.starts_with("<<") {
                    local.push("heredoc".to_string());
                    continue;
                }
                let (v, known) = df.word_value(i, w);
                if !known || is_url(&v) || is_archive(&v) {
                    continue;
                }
                local.push(v);
            }
            if local.is_empty() || local.len() < srcs.len() {
                continue;
            }
            out.push(
                Finding::new(ins.keyword_span.cover(ins.span), format!("ADD of local files (`{}`) that are not archives: use COPY", local.join("`, `")))
                    .with_help("Replace ADD with COPY; ADD's URL fetching and archive extraction are not needed here."),
            );
        }
    }
});
