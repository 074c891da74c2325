use super::afd003_final_stage_runs_as_root::{is_root, last_user};
use super::common::dockerfile;
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

/// The first stage of a stage's lineage (the one built on an image).
fn root_of(df: &crate::dockerfile::Dockerfile, stage: usize) -> Option<usize> {
    let mut cur = stage;
    for _ in 0..=df.stages.len() {
        match df.stages.get(cur)?.parent {
            Some(p) => cur = p,
            None => return Some(cur),
        }
    }
    None
}

crate::rule!(Afd004, "AFD004", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        let Some(fin) = df.final_stage() else { return };
        let Some((_, ins, u)) = last_user(df, fin.index) else {
            return;
        };
        // Windows containers name users (`ContainerUser`); `runAsNonRoot`
        // does not apply to them.
        if root_of(df, fin.index)
            .and_then(|r| df.stages.get(r))
            .is_some_and(|r| crate::dockerfile::image::is_windows(&r.base_resolved))
        {
            return;
        }
        if u.is_empty() || is_root(&u) || u.contains('$') || u.bytes().all(|c| c.is_ascii_digit()) {
            return;
        }
        out.push(
            Finding::new(ins.span, format!("USER `{u}` is a name: Kubernetes `runAsNonRoot` cannot verify that a named user is not root"))
                .with_help(format!("Use the numeric UID (and GID), for example `USER 10001:10001`; find it with `id -u {u}` in the image.")),
        );
    }
});
