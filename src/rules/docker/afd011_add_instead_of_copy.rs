use super::common::dockerfile;
use crate::finding::{Applicability, Edit, Finding};
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

/// Flags ADD and COPY share; ADD's own (`--checksum`, `--keep-git-dir`,
/// `--unpack`) have no COPY equivalent.
fn copy_takes(flag: &str) -> bool {
    matches!(flag, "chown" | "chmod" | "link" | "exclude")
}

crate::rule!(Afd011, "AFD011", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for step in df.steps_of("ADD") {
            let (i, ins) = (step.index, step.inst);
            let words = ins.arg_words();
            let Some((_, srcs)) = words.split_last() else {
                continue;
            };
            if srcs.is_empty() && ins.heredocs.is_empty() {
                continue;
            }
            let mut local = Vec::new();
            let mut glob = false;
            for w in srcs {
                if w.value.starts_with("<<") {
                    local.push("heredoc".to_string());
                    continue;
                }
                let (v, known) = df.word_value(i, w);
                if !known || is_url(&v) || is_archive(&v) {
                    continue;
                }
                glob |= v.contains(['*', '?', '[']);
                local.push(v);
            }
            if local.is_empty() || local.len() < srcs.len() {
                continue;
            }
            // ADD extracts a local tar archive whatever its name: the names
            // say none is one, unless a pattern may match one (unsafe).
            let kw = ins.keyword_span;
            let written = cx.file.text.get(kw.start()..kw.end());
            let edit = written
                .filter(|k| k.eq_ignore_ascii_case("ADD"))
                .filter(|_| ins.flags.iter().all(|f| copy_takes(&f.name)))
                .map(|k| {
                    let copy = if k == "add" { "copy" } else { "COPY" };
                    Edit::replace(kw, copy)
                });
            let applicability = if glob {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            out.push(
                Finding::new(
                    ins.keyword_span.cover(ins.span),
                    format!(
                        "ADD of local files (`{}`) that are not archives",
                        local.join("`, `")
                    ),
                )
                .with_edits(applicability, edit.into_iter().collect()),
            );
        }
    }
});
