use super::common::{dockerfile, final_lineage, in_final_lineage, runs};
use crate::dockerfile::image::{DefaultUser, ImageRef, default_user};
use crate::dockerfile::{Dockerfile, Instruction};
use crate::finding::{Finding, Severity};
use crate::rules::{FileCx, Findings};

/// The user part of a USER value (`user[:group]`).
fn user_part(v: &str) -> &str {
    v.split(':').next().unwrap_or(v).trim()
}

pub(crate) fn is_root(u: &str) -> bool {
    u == "root" || u == "0"
}

/// The last USER of a stage or its parents, with the effective value.
pub(crate) fn last_user(df: &Dockerfile, stage: usize) -> Option<(usize, &Instruction, String)> {
    let mut cur = Some(stage);
    let mut guard = 0;
    while let Some(s) = cur {
        guard += 1;
        if guard > df.stages.len() + 1 {
            break;
        }
        let st = df.stages.get(s)?;
        for i in st.instructions.clone().rev() {
            let Some(ins) = df.instructions.get(i) else {
                continue;
            };
            if ins.is("USER")
                && let Some(w) = ins.shell_text()
            {
                let (v, known) = df.expand_at(i, &w.value);
                let v = if known { v } else { w.value.clone() };
                return Some((i, ins, user_part(&v).to_string()));
            }
        }
        cur = st.parent;
    }
    None
}

/// A privilege step-down tool (`gosu`, `su-exec`, `setpriv`...) used by a
/// RUN, ENTRYPOINT or CMD of the final image's stages.
fn step_down_tool(df: &Dockerfile) -> Option<&'static str> {
    const TOOLS: &[&str] = &[
        "gosu",
        "su-exec",
        "setpriv",
        "s6-setuidgid",
        "chpst",
        "runuser",
    ];
    let lineage = final_lineage(df);
    let hit = |w: &str| TOOLS.iter().copied().find(|t| w.contains(t));
    for r in runs(df) {
        if !in_final_lineage(&lineage, r.stage) {
            continue;
        }
        for c in &r.script.commands {
            if let Some(t) = c.argv().iter().find_map(|w| hit(&w.text)) {
                return Some(t);
            }
        }
    }
    df.instructions
        .iter()
        .filter(|i| (i.is("ENTRYPOINT") || i.is("CMD")) && in_final_lineage(&lineage, i.stage))
        .flat_map(|i| i.arg_words())
        .find_map(|w| hit(&w.value))
}

crate::rule!(Afd003, "AFD003", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        let Some(fin) = df.final_stage() else { return };
        match last_user(df, fin.index) {
            Some((_, ins, u)) => {
                if is_root(&u) {
                    out.push(Finding::new(
                        ins.span,
                        format!("the final stage runs as root (`USER {u}` is the last USER)"),
                    ));
                }
            }
            None => {
                // The root of the lineage decides the default user.
                let mut root = fin;
                let mut guard = 0;
                while let Some(p) = root.parent.and_then(|p| df.stages.get(p)) {
                    root = p;
                    guard += 1;
                    if guard > df.stages.len() {
                        break;
                    }
                }
                if !root.base_known {
                    return;
                }
                let img = ImageRef::parse(&root.base_resolved);
                match default_user(&img) {
                    DefaultUser::Root => {
                        let what = if root.base_resolved.eq_ignore_ascii_case("scratch") {
                            "`scratch` has no user, so processes run as uid 0".to_string()
                        } else {
                            format!("`{}` runs as root by default", root.base_resolved)
                        };
                        // An image that uses a step-down tool (the
                        // docker-library pattern: the entrypoint starts as
                        // root and execs the server as its own user).
                        if let Some(tool) = step_down_tool(df) {
                            out.push(
                                Finding::new(fin.base.span, format!("the final stage has no USER and {what}; the image uses `{tool}`, so its entrypoint probably drops privileges at start"))
                                    .with_help("If the entrypoint always drops privileges, prefer `USER <uid>` with the needed file ownership; otherwise add `USER <uid>`.")
                                    .with_severity(Severity::Note),
                            );
                        } else {
                            out.push(Finding::new(
                                fin.base.span,
                                format!("the final stage has no USER and {what}"),
                            ));
                        }
                    }
                    DefaultUser::Unknown => {
                        // What afcheck does not know is never more than a note.
                        out.push(
                            Finding::new(fin.base.span, format!("the final stage has no USER and afcheck does not know the default user of `{}`: the container runs as root if that image sets none", root.base_resolved))
                                .with_severity(Severity::Note),
                        );
                    }
                    DefaultUser::NonRoot(_) => {}
                }
            }
        }
    }
});
