use crate::document::Parsed;
use crate::finding::{Applicability, Edit, Finding};
use crate::rules::{FileCx, Findings};

crate::rule!(Afy002, "AFY002", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Parsed::Yaml(y) = cx.parsed() else { return };
        for d in &y.stream.duplicates {
            let first_line = cx.file.position(d.first.start()).line;
            let (message, fix) = if d.fused_object {
                (
                    format!(
                        "`{}` repeats at the top level (first at line {first_line}): a `---` document separator is probably missing before this line, so several objects are fused into one and a YAML decoder keeps only the last value of each key",
                        d.key
                    ),
                    "Insert a line `---` before this line so that each object is its own YAML document.".to_string(),
                )
            } else {
                (
                    format!(
                        "duplicate key `{}` (first at line {first_line}); only the last value is used",
                        d.key
                    ),
                    "Remove one of the keys, or merge their values.".to_string(),
                )
            };
            let mut f = Finding::new(d.repeat, message).with_help(fix).with_related(
                cx.index,
                d.first,
                format!("`{}` first defined here", d.key),
            );
            // A fused object starting at column 0 gets its `---`, above the
            // comment lines right before it (they describe it). Unsafe: the
            // objects that were silently merged into one are then all
            // applied.
            let text = &cx.file.text;
            let mut at = d.repeat.start();
            if d.fused_object && (at == 0 || text.as_bytes()[at - 1] == b'\n') {
                while at > 0 {
                    let prev = text[..at - 1].rfind('\n').map_or(0, |i| i + 1);
                    if !text[prev..at].starts_with('#') {
                        break;
                    }
                    at = prev;
                }
                let sep = Edit::insert(at, format!("---{}", cx.file.newline()));
                f = f.with_edits(Applicability::Unsafe, vec![sep]);
            }
            out.push(f);
        }
    }
});
