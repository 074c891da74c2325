use super::common::dockerfile;
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd020, "AFD020", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for st in &df.stages {
            for kw in ["CMD", "ENTRYPOINT"] {
                let all: Vec<_> = df
                    .stage_instructions(st)
                    .iter()
                    .filter(|i| i.is(kw))
                    .collect();
                let Some(first) = all.first() else { continue };
                for extra in all.iter().skip(1) {
                    out.push(
                        Finding::new(
                            extra.keyword_span,
                            format!(
                                "more than one {kw} in the stage: only the last one takes effect"
                            ),
                        )
                        .with_related(
                            cx.index,
                            first.keyword_span,
                            format!("first {kw}"),
                        ),
                    );
                }
            }
        }
    }
});
