use super::common::dockerfile;
use crate::dockerfile::Dockerfile;
use crate::finding::{Applicability, Edit, Finding};
use crate::rules::{FileCx, Findings};

/// Is this WORKDIR value absolute (POSIX or Windows)?
fn absolute(v: &str) -> bool {
    let b = v.as_bytes();
    let windows_abs = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
    v.starts_with('/') || v.starts_with('\\') || windows_abs
}

/// The working directory a stage's instructions start from, as far as
/// the file says.
#[derive(Clone, Debug)]
enum Dir {
    /// Set by the base image, which afcheck does not read (`/` if it sets
    /// none).
    Base,
    /// An absolute path; `exact` when it holds no build argument a
    /// `--build-arg` could change.
    Known { path: String, exact: bool },
    /// Not known (a WORKDIR with an unknown variable).
    Unknown,
}

/// `base` joined with the relative `rel`, `.` and `..` resolved.
fn join(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The working directory before each WORKDIR instruction: one pass over
/// the stages (a stage built on an earlier one starts where it ended).
fn dirs_before(df: &Dockerfile) -> Vec<Option<Dir>> {
    let mut at: Vec<Option<Dir>> = vec![None; df.instructions.len()];
    let mut ends: Vec<Dir> = Vec::with_capacity(df.stages.len());
    for (s, st) in df.stages.iter().enumerate() {
        let mut dir = match st.parent.filter(|&p| p < s).and_then(|p| ends.get(p)) {
            Some(d) => d.clone(),
            None if st.base_resolved.eq_ignore_ascii_case("scratch") => Dir::Known {
                path: "/".into(),
                exact: true,
            },
            None => Dir::Base,
        };
        for i in st.instructions.clone() {
            let Some(ins) = df.instructions.get(i) else {
                break;
            };
            let Some(w) = ins.shell_text().filter(|_| ins.is("WORKDIR")) else {
                continue;
            };
            if let Some(slot) = at.get_mut(i) {
                *slot = Some(dir.clone());
            }
            let raw = crate::dockerfile::unquote(&w.value, df.escape);
            let (v, known) = df.expand_at(i, &raw);
            let exact = !raw.contains('$');
            dir = match (&dir, known) {
                (_, false) => Dir::Unknown,
                _ if absolute(&v) => Dir::Known {
                    path: join("/", &v),
                    exact,
                },
                (Dir::Known { path, exact: e }, true) => Dir::Known {
                    path: join(path, &v),
                    exact: *e && exact,
                },
                _ => Dir::Unknown,
            };
        }
        ends.push(dir);
    }
    at
}

crate::rule!(Afd018, "AFD018", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        let mut dirs: Option<Vec<Option<Dir>>> = None;
        for step in df.steps_of("WORKDIR") {
            let (i, ins) = (step.index, step.inst);
            let Some(w) = ins.shell_text() else { continue };
            let raw = crate::dockerfile::unquote(&w.value, df.escape);
            let (v, known) = df.expand_at(i, &raw);
            if !known {
                continue;
            }
            if absolute(&v) || v.is_empty() {
                continue;
            }
            // The absolute path: safe when the directory before is known
            // exactly, unsafe against `/` when the base image's WORKDIR
            // (not read) decides it. A path written with quotes, escapes
            // or variables, and an ONBUILD trigger, get none.
            let plain = !w.value.contains(['$', '"', '\'', '\\', '`', ' ', '\t'])
                && cx.file.text.get(w.span.start()..w.span.end()) == Some(w.value.as_str());
            let before = match step.onbuild {
                None if plain => dirs
                    .get_or_insert_with(|| dirs_before(df))
                    .get(i)
                    .cloned()
                    .flatten(),
                _ => None,
            };
            let (target, applicability) = match &before {
                Some(Dir::Known { path, exact }) => (
                    Some(join(path, &v)),
                    if *exact {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    },
                ),
                Some(Dir::Base) => (Some(join("/", &v)), Applicability::Unsafe),
                _ => (None, Applicability::Unsafe),
            };
            // The help names the directory this WORKDIR resolves to when
            // it is known.
            let example = match (&before, &target) {
                (Some(Dir::Known { .. }), Some(t)) => t.clone(),
                _ => format!("/{}", v.trim_start_matches("./")),
            };
            out.push(
                Finding::new(w.span, format!("relative WORKDIR `{v}` depends on the previous WORKDIR (or the base image's)"))
                    .with_help(format!("Use an absolute path, for example `WORKDIR {example}`."))
                    .with_edits(applicability, target.map(|t| Edit::replace(w.span, t)).into_iter().collect()),
            );
        }
    }
});
