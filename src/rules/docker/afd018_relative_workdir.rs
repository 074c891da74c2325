use super::common::dockerfile;
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd018, "AFD018", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for (i, ins) in df.instructions.iter().enumerate() {
            if !ins.is("WORKDIR") {
                continue;
            }
            let Some(w) = ins.shell_text() else { continue };
            let raw = crate::dockerfile::unquote(&w.value, df.escape);
            let (v, known) = df.expand_at(i, &raw);
            if !known {
                continue;
            }
            let b = v.as_bytes();
            let windows_abs = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
            if v.starts_with('/') || v.starts_with('\\') || windows_abs || v.is_empty() {
                continue;
            }
            out.push(
                Finding::new(w.span, format!("relative WORKDIR `{v}` depends on the previous WORKDIR (or the base image's)"))
                    .with_help(format!("Use an absolute path, for example `WORKDIR /{}`.", v.trim_start_matches("./"))),
            );
        }
    }
});
