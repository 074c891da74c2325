use super::afd011_add_instead_of_copy::is_url;
use super::common::dockerfile;
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd012, "AFD012", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for step in df.steps_of("ADD") {
            let (i, ins) = (step.index, step.inst);
            if ins.flag("checksum").is_some() {
                continue;
            }
            let words = ins.arg_words();
            let Some((_, srcs)) = words.split_last() else {
                continue;
            };
            for w in srcs {
                let (v, _) = df.word_value(i, w);
                let l = v.to_ascii_lowercase();
                if !(l.starts_with("http://") || l.starts_with("https://")) || !is_url(&v) {
                    continue;
                }
                // Git sources are pinned by ref, not checksum.
                if l.contains(".git#") || l.ends_with(".git") {
                    continue;
                }
                out.push(
                    Finding::new(w.span, format!("ADD downloads `{v}` without `--checksum`: a changed or tampered file goes unnoticed"))
                );
            }
        }
    }
});
