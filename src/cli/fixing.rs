//! `--fix` and `--diff` on files: which files may be written, writing them
//! atomically, and the unified diff.
//!
//! A file is edited only when it is a regular file inside the directory it
//! was found under (or, named explicitly, the current directory or its own
//! directory), reached through no symbolic link that leaves it (also with
//! `--follow-symlinks`), and its bytes are exactly the UTF-8 text afcheck
//! parsed (a UTF-16 file, or one changed while afcheck ran, is left alone).
//! The new text is written to a temporary file in the same directory, with
//! the file's permissions, then renamed over the file.

use std::path::{Path, PathBuf};

use crate::engine::{Input, Options};
use crate::fix::{self, Outcome};
use crate::report;
use crate::safe_read;

/// The directory a file's links must stay in: the directory named on the
/// command line it was found under, or for a file named itself, the
/// current directory when the file is under it, else its own directory.
fn root_of(path: &Path, explicit: bool, paths: &[PathBuf], cwd: &Path) -> Option<PathBuf> {
    if !explicit
        && let Some(dir) = paths
            .iter()
            .filter(|p| path.starts_with(p) && p.is_dir())
            .max_by_key(|p| p.as_os_str().len())
    {
        return std::fs::canonicalize(dir).ok();
    }
    let abs = safe_read::lexical_absolute(path, cwd);
    let root = if abs.starts_with(cwd) {
        cwd
    } else {
        abs.parent()?
    };
    std::fs::canonicalize(root).ok()
}

/// How a file reached under two names is refused under the second one.
pub(super) const SAME_FILE: &str = "the same file as";

/// Why the file of input `input` may not be rewritten with a fix, if so.
/// `claimed`: the real files already being fixed, with the name they are
/// fixed under (two links to one file: fixed once).
fn check_editable(
    input: &Input,
    text: &str,
    paths: &[PathBuf],
    max: u64,
    claimed: &std::sync::Mutex<Vec<(PathBuf, String)>>,
) -> Result<(), String> {
    let (path, explicit) = match input {
        Input::Text { .. } => return Ok(()),
        Input::File { path, explicit, .. } => (path, *explicit),
        _ => return Err("not a file afcheck read".into()),
    };
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let root = root_of(path, explicit, paths, &cwd).ok_or("its directory cannot be resolved")?;
    safe_read::check_confined(path, &root).map_err(|e| match e {
        safe_read::ReadError::OutsideRoot => {
            "symbolic link to a target outside the scanned directory; afcheck never writes through it"
                .to_string()
        }
        other => other.to_string(),
    })?;
    let real = std::fs::canonicalize(path).map_err(|e| format!("cannot resolve: {e}"))?;
    let meta = std::fs::symlink_metadata(&real).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "{}, not a regular file",
            safe_read::kind_name(meta.file_type())
        ));
    }
    // Renaming over it would succeed: a read-only file is left alone.
    if meta.permissions().readonly() {
        return Err("the file is read-only".into());
    }
    let bytes = safe_read::read_regular(&real, max).map_err(|e| e.to_string())?;
    if bytes != text.as_bytes() {
        return Err(
            "its bytes are not the UTF-8 text afcheck checked (UTF-16, or changed while afcheck ran)"
                .into(),
        );
    }
    let mut claimed = claimed.lock().map_err(|_| "internal error")?;
    if let Some((_, name)) = claimed.iter().find(|(p, _)| *p == real) {
        return Err(format!(
            "{SAME_FILE} {}, fixed under that name",
            report::escape::path(name)
        ));
    }
    if let Input::File { display, .. } = input {
        claimed.push((real, display.clone()));
    }
    Ok(())
}

/// Runs the fixes over `inputs` (`paths`: as named on the command line).
pub(super) fn fix(
    inputs: &[Input],
    paths: &[PathBuf],
    opts: &Options,
    unsafe_fixes: bool,
) -> Outcome {
    let max = opts.max_file_size;
    let claimed = std::sync::Mutex::new(Vec::new());
    let may_edit = |i: usize, text: &str| check_editable(&inputs[i], text, paths, max, &claimed);
    fix::fix_inputs(inputs, opts, unsafe_fixes, &may_edit)
}

/// Writes the fixed files (not standard input); returns the inputs written.
/// A file that cannot be written is an error (exit 2), after the others.
pub(super) fn write_files(inputs: &[Input], outcome: &Outcome) -> Result<Vec<usize>, String> {
    let mut written = Vec::new();
    let mut errors = Vec::new();
    for f in &outcome.files {
        let Input::File { path, .. } = &inputs[f.input] else {
            continue;
        };
        let shown = report::escape::path(&f.display).into_owned();
        let real = match std::fs::canonicalize(path) {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("cannot write {shown}: {e}"));
                continue;
            }
        };
        // Unchanged since it was checked (and still a regular file)?
        match safe_read::read_regular(&real, f.original.len() as u64 + 1) {
            Ok(b) if b == f.original.as_bytes() => {}
            _ => {
                errors.push(format!(
                    "not fixed: {shown}: the file changed while afcheck ran"
                ));
                continue;
            }
        }
        match fix::write_atomic(&real, &f.fixed) {
            Ok(()) => written.push(f.input),
            Err(e) => errors.push(format!("cannot write {shown}: {e}")),
        }
    }
    if errors.is_empty() {
        Ok(written)
    } else {
        Err(errors.join("\nafcheck: error: "))
    }
}

/// The fixes as a unified diff (`--- a/PATH`, `+++ b/PATH`, three lines of
/// context), every line cleaned as the reports' texts are: secrets known
/// in the original or the fixed text masked, hidden characters visible.
pub(super) fn unified_diff(inputs: &[Input], outcome: &Outcome) -> String {
    // The originals of the changed files, checked again for their secrets
    // (a fix may delete a line holding one).
    let originals: Vec<Input> = outcome
        .files
        .iter()
        .map(|f| match &inputs[f.input] {
            Input::File { path, explicit, .. } => Input::Edited {
                path: path.clone(),
                display: f.display.clone(),
                explicit: *explicit,
                bytes: f.original.as_bytes().to_vec(),
            },
            _ => Input::Text {
                name: f.display.clone(),
                bytes: f.original.as_bytes().to_vec(),
            },
        })
        .collect();
    let before = crate::engine::run(&originals, &Options::default());
    let clean_before = report::Cleaner::new(&before);
    let clean_after = report::Cleaner::new(&outcome.run);
    let index = |run: &crate::engine::Run, name: &str| {
        run.files
            .iter()
            .position(|af| af.file.path == name)
            .map(|i| i as u32)
    };
    let mut out = String::new();
    for f in &outcome.files {
        let name = report::escape::visible(&f.display, false);
        let diff = similar::TextDiff::from_lines(f.original.as_str(), f.fixed.as_str());
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{name}"), &format!("b/{name}"))
            .to_string();
        let (ib, ia) = (index(&before, &f.display), index(&outcome.run, &f.display));
        for line in text.split_inclusive('\n') {
            let masked = clean_before.redactor.text_in(ib, line);
            let masked = clean_after.redactor.text_in(ia, &masked);
            out.push_str(&report::escape::visible(&masked, true));
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}
