use super::common::dockerfile;
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd026, "AFD026", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for ins in &df.instructions {
            if !ins.is("COPY") {
                continue;
            }
            let Some(f) = ins.flag("from") else { continue };
            let Some(raw) = f.value.as_deref() else {
                continue;
            };
            let (v, known) = crate::dockerfile::expand(raw, &|n| df.global_default(n));
            if !known || v.is_empty() {
                continue;
            }
            let name = v.to_ascii_lowercase();
            let cur = ins.stage;
            if let Ok(n) = name.parse::<usize>() {
                if cur.is_some_and(|c| n >= c) {
                    let what = if cur == Some(n) {
                        "the current stage"
                    } else {
                        "a later stage"
                    };
                    out.push(Finding::new(f.span, format!("`COPY --from={n}` refers to {what}; only earlier stages can be copied from")).with_help("Copy from an earlier stage, by name."));
                }
                continue;
            }
            let stage = df
                .stages
                .iter()
                .find(|s| s.alias.as_ref().is_some_and(|a| a.value == name));
            match stage {
                Some(s) if Some(s.index) == cur => out.push(
                    Finding::new(
                        f.span,
                        format!("`COPY --from={v}` copies from the stage it is in"),
                    )
                    .with_help(
                        "Copy from another stage, or use a plain COPY from the build context.",
                    ),
                ),
                Some(_) => {}
                None => {
                    if name.contains(['/', ':', '@', '.']) {
                        continue; // an image reference
                    }
                    let known: Vec<&str> = df
                        .stages
                        .iter()
                        .filter_map(|s| s.alias.as_ref().map(|a| a.value.as_str()))
                        .collect();
                    let hint = if known.is_empty() {
                        String::new()
                    } else {
                        format!(" (stages: `{}`)", known.join("`, `"))
                    };
                    out.push(
                        Finding::new(f.span, format!("`COPY --from={v}` names no stage of this Dockerfile{hint}; it would be pulled as an image"))
                    );
                }
            }
        }
    }
});
