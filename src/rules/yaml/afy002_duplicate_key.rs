use crate::engine::Parsed;
use crate::finding::Finding;
use crate::rules::FileCx;

crate::rule!(Afy002, "AFY002", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let Parsed::Yaml(y) = cx.parsed() else { return };
        for d in &y.stream.duplicates {
            let pos = cx.file.position(d.first.start());
            let (message, fix) = if d.fused_object {
                (
                    format!(
                        "duplicate top-level key `{}`: a `---` document separator is probably missing, so only the last object would be applied",
                        d.key
                    ),
                    "Insert a line `---` before this key so that each object is its own YAML document.",
                )
            } else {
                (
                    format!(
                        "duplicate key `{}` (first at line {}); only the last value is used",
                        d.key, pos.line
                    ),
                    "Remove one of the keys, or merge their values.",
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
