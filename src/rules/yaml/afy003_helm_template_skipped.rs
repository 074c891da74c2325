use std::collections::BTreeMap;

use crate::document::Kind;
use crate::finding::Finding;
use crate::rules::{Findings, ProjectCx};
use crate::source::Span;

crate::rule!(Afy003, "AFY003", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        // One note per chart (or per loose template), at its first template.
        let mut charts: BTreeMap<String, (u32, usize)> = BTreeMap::new();
        for (i, f) in cx.files.iter().enumerate() {
            if let Kind::HelmTemplate { chart } = &f.kind {
                let key = chart.clone().unwrap_or_else(|| f.file.path.clone());
                let e = charts.entry(key).or_insert((i as u32, 0));
                e.1 += 1;
            }
        }
        for (chart, (file, count)) in charts {
            out.push(
                Finding::new(Span::empty(0),
                    format!(
                        "{count} Helm template file(s) in `{chart}` skipped: templates are not YAML until rendered"
                    ),
                )
                .with_help(format!(
                    "Check the rendered manifests: `helm template {chart} | afcheck --stdin-filename rendered.yaml -`"
                ))
                .in_file(file),
            );
        }
    }
});
