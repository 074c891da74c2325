use crate::engine::Parsed;
use crate::finding::Finding;
use crate::rules::FileCx;

crate::rule!(Afy002, "AFY002", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let Parsed::Yaml(y) = cx.parsed() else { return };
        for d in &y.stream.duplicates {
            let first_line = cx.file.position(d.first.start()).line;
            let (message, fix) = if d.fused_object {
                // The recovered object this key belongs to starts where the
                // `---` is missing.
                let start = y
                    .stream
                    .objects()
                    .map(|o| o.span())
                    .find(|s| s.contains(d.repeat))
                    .map_or(d.repeat, |s| s);
                let line = cx.file.position(start.start()).line;
                (
                    format!(
                        "duplicate top-level key `{}` (first at line {first_line}): a `---` document separator is probably missing before line {line}, so several objects are fused into one and only the last values would be applied",
                        d.key
                    ),
                    format!(
                        "Insert a line `---` before line {line} so that each object is its own YAML document."
                    ),
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
            out.push(
                Finding::new("AFY002", d.repeat, message)
                    .with_fix(fix)
                    .with_related(cx.index, d.first, format!("`{}` first defined here", d.key)),
            );
        }
    }
});
