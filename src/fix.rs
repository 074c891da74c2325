//! Automatic fixes: applying the edits of findings to the texts they were
//! found in, pass after pass, without ever breaking a file.
//!
//! - [`apply`] applies sorted, non-overlapping edits to one text.
//! - [`select`] picks, among the fixes of one file, those whose edits do not
//!   overlap (or touch) an earlier one's: a conflicting fix waits for the
//!   next pass, when the file has been linted again.
//! - [`fix_inputs`] runs the engine over a set of inputs (as one project, so
//!   project rules see every file), applies the selected fixes of each file,
//!   and repeats until nothing is left to fix or [`MAX_PASSES`] passes were
//!   made. A file whose fixed text parses worse than before (a new YAML,
//!   Dockerfile or `airflow.cfg` syntax error, a new duplicate key, another
//!   kind of file) keeps its text: its fixes are retried one by one and
//!   those that break it are dropped.
//!
//! Writing the results is the caller's business (the CLI writes files
//! atomically, [`write_atomic`]; the library returns texts).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::engine::{self, Input, Options, Parsed, Run};
use crate::finding::{Applicability, Edit, Finding, Fix};

/// Most passes [`fix_inputs`] makes.
pub const MAX_PASSES: usize = 10;

/// Applies `edits` (sorted by position, not overlapping; see
/// [`crate::finding::Fix`]) to `text`, the text the edits' ranges index.
/// Returns `None` when an edit is out of range, overlaps the one before it
/// or does not fall on character boundaries.
pub fn apply(text: &str, edits: &[Edit]) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0usize;
    for e in edits {
        let (s, t) = (e.range.start(), e.range.end());
        if s < at
            || t < s
            || t > text.len()
            || !text.is_char_boundary(s)
            || !text.is_char_boundary(t)
        {
            return None;
        }
        out.push_str(&text[at..s]);
        out.push_str(&e.content);
        at = t;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// Is this fix applied in a run that applies unsafe fixes or not?
pub fn wanted(fix: &Fix, unsafe_fixes: bool) -> bool {
    !fix.edits.is_empty() && (unsafe_fixes || fix.applicability == Applicability::Safe)
}

/// Chooses, among `fixes` (of one file), those applied together in one
/// pass: ordered by their first edit, a fix is taken when none of its edits
/// overlaps or touches the edits taken before (two insertions at one point
/// conflict). Returns the indices taken and their edits, sorted.
pub fn select(fixes: &[&Fix]) -> (Vec<usize>, Vec<Edit>) {
    let mut order: Vec<usize> = (0..fixes.len())
        .filter(|&i| !fixes[i].edits.is_empty())
        .collect();
    order.sort_by_key(|&i| {
        let e = &fixes[i].edits;
        let start = e.iter().map(|x| x.range.start).min().unwrap_or(0);
        let end = e.iter().map(|x| x.range.end).max().unwrap_or(start);
        (start, end, i)
    });
    let mut taken: Vec<usize> = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    // Spans taken so far, sorted: a fix's edits may be far apart.
    let mut used: Vec<(u32, u32)> = Vec::new();
    let clash = |used: &[(u32, u32)], s: u32, e: u32| {
        // First used span ending at or after s.
        let i = used.partition_point(|u| u.1 < s);
        used.get(i).is_some_and(|u| u.0 <= e)
    };
    for i in order {
        let fx = fixes[i];
        let mut sorted = fx.edits.clone();
        sorted.sort();
        // A fix whose own edits overlap is malformed: never applied.
        if sorted.windows(2).any(|w| w[1].range.start < w[0].range.end) {
            continue;
        }
        if sorted
            .iter()
            .any(|e| clash(&used, e.range.start, e.range.end))
        {
            continue;
        }
        for e in &sorted {
            let at = used.partition_point(|u| (u.0, u.1) < (e.range.start, e.range.end));
            used.insert(at, (e.range.start, e.range.end));
        }
        edits.extend(sorted);
        taken.push(i);
    }
    edits.sort();
    (taken, edits)
}

/// What a text parses into, to tell whether a fix broke it: the kind of
/// file and how many syntax errors and duplicate keys it has (YAML errors,
/// Dockerfile syntax errors, `airflow.cfg` syntax errors and duplicate
/// options or sections, also of a cfg embedded in YAML; the parse
/// diagnostics AFY001, AFY002, AFD027 and AFC006 report).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Health {
    kind: u8,
    errors: usize,
    duplicates: usize,
}

impl Health {
    /// True when `self` (after a fix) is no worse than `before`.
    pub fn no_worse_than(self, before: Health) -> bool {
        self.kind == before.kind
            && self.errors <= before.errors
            && self.duplicates <= before.duplicates
    }
}

/// Parses `text` as the file `name` (`path` on disk, for what the parse
/// reads beside it) and says how healthy it is.
pub fn health(name: &str, path: Option<&Path>, text: &str, max: u64) -> Health {
    let input = match path {
        Some(p) => Input::Edited {
            path: p.to_path_buf(),
            display: name.to_string(),
            explicit: true,
            bytes: text.as_bytes().to_vec(),
        },
        None => Input::Text {
            name: name.to_string(),
            bytes: text.as_bytes().to_vec(),
        },
    };
    let Some(af) = engine::analyze(&input, max.max(text.len() as u64 + 1)) else {
        return Health {
            kind: 0,
            errors: 0,
            duplicates: 0,
        };
    };
    // An airflow.cfg embedded in the file (a ConfigMap, a Helm `config:`
    // block) that a fix breaks is as broken as the file.
    let embedded = af
        .airflow
        .iter()
        .filter(|s| {
            matches!(
                s.marker,
                Some(
                    crate::airflow::sources::Marker::DuplicateOption { .. }
                        | crate::airflow::sources::Marker::DuplicateSection { .. }
                        | crate::airflow::sources::Marker::Syntax
                )
            )
        })
        .count();
    let (kind, errors, duplicates) = match &af.parsed {
        Parsed::Dockerfile(d) => (1, d.errors.len(), 0),
        Parsed::DockerIgnore => (2, 0, 0),
        Parsed::Yaml(y) => (
            10 + y.kind as u8,
            y.stream.errors.len() + embedded,
            y.stream.duplicates.len(),
        ),
        Parsed::AirflowCfg(c) => (3, c.errors.len(), 0),
        Parsed::HelmTemplate { .. } => (4, 0, 0),
        Parsed::Unreadable => (5, 1, 0),
    };
    Health {
        kind,
        errors,
        duplicates,
    }
}

/// One file `fix_inputs` changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedFile {
    /// Index of the input.
    pub input: usize,
    /// The path as reported.
    pub display: String,
    /// The text as read (with its byte-order mark, if any).
    pub original: String,
    /// The text with the fixes applied (the byte-order mark kept).
    pub fixed: String,
    /// How many findings' fixes were applied to it.
    pub applied: usize,
}

/// The result of [`fix_inputs`].
pub struct Outcome {
    /// The run over the fixed texts: what remains.
    pub run: Run,
    /// The files whose text changed, in input order.
    pub files: Vec<FixedFile>,
    /// Files that had fixes but were not edited, with why (from `may_edit`).
    pub refused: Vec<(String, String)>,
    /// Fixes not applied because they would break the file's syntax.
    pub dropped: usize,
    /// How many passes changed something.
    pub passes: usize,
}

impl Outcome {
    /// How many findings' fixes were applied in all.
    pub fn applied(&self) -> usize {
        self.files.iter().map(|f| f.applied).sum()
    }
}

/// The display name and disk path of an input.
fn names(i: &Input) -> (&str, Option<&Path>) {
    match i {
        Input::File { path, display, .. } | Input::Edited { path, display, .. } => {
            (display, Some(path))
        }
        Input::Text { name, .. } => (name, None),
        Input::Skipped { display, .. } => (display, None),
    }
}

/// For each file of `run`, the index of the input it came from (the engine
/// keeps the inputs' order and drops those it does not read).
fn input_of_files(inputs: &[Input], run: &Run) -> Vec<Option<usize>> {
    let mut at = 0;
    run.files
        .iter()
        .map(|af| {
            let found = (at..inputs.len()).find(|&i| names(&inputs[i]).0 == af.file.path);
            if let Some(i) = found {
                at = i + 1;
            }
            found
        })
        .collect()
}

/// A key of a fix that does not depend on where it is (the text it replaces
/// and with what), to remember fixes that broke a file.
fn fix_key(text: &str, f: &Finding) -> String {
    let mut k = format!("{}\u{0}{}", f.rule, f.message);
    if let Some(fx) = &f.fix {
        for e in &fx.edits {
            let old = text.get(e.range.start()..e.range.end()).unwrap_or_default();
            k.push('\u{0}');
            k.push_str(old);
            k.push('\u{0}');
            k.push_str(&e.content);
        }
    }
    k
}

/// The inputs with the texts edited so far in place of the files.
fn current_inputs(inputs: &[Input], texts: &[Option<String>]) -> Vec<Input> {
    inputs
        .iter()
        .zip(texts)
        .map(|(i, t)| match (i, t) {
            (_, None) => i.clone(),
            (
                Input::File {
                    path,
                    display,
                    explicit,
                },
                Some(t),
            )
            | (
                Input::Edited {
                    path,
                    display,
                    explicit,
                    ..
                },
                Some(t),
            ) => Input::Edited {
                path: path.clone(),
                display: display.clone(),
                explicit: *explicit,
                bytes: t.as_bytes().to_vec(),
            },
            (Input::Text { name, .. }, Some(t)) => Input::Text {
                name: name.clone(),
                bytes: t.as_bytes().to_vec(),
            },
            (Input::Skipped { .. }, Some(_)) => i.clone(),
        })
        .collect()
}

/// What one pass does to one file.
struct FilePass {
    input: usize,
    text: String,
    applied: usize,
    dropped: Vec<String>,
}

/// Fixes one file's text (without BOM) with its findings' wanted fixes;
/// `None` when nothing changes.
fn fix_file(
    name: &str,
    path: Option<&Path>,
    text: &str,
    findings: &[&Finding],
    max: u64,
) -> (Option<(String, usize)>, Vec<String>) {
    let fixes: Vec<&Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
    let (taken, edits) = select(&fixes);
    let Some(next) = apply(text, &edits) else {
        return (None, Vec::new());
    };
    if next == text {
        return (None, Vec::new());
    }
    let before = health(name, path, text, max);
    if health(name, path, &next, max).no_worse_than(before) {
        return (Some((next, taken.len())), Vec::new());
    }
    // Together they break the file: find the fixes that do by halving
    // (each fix is local, so a few break it), keeping the others. At most
    // `MAX_TRIALS` parses per file and pass: fixes not tried wait for the
    // next pass.
    let mut search = Search {
        name,
        path,
        text,
        max,
        before,
        fixes: &fixes,
        accepted: Vec::new(),
        broken: Vec::new(),
        trials: 0,
    };
    search.split(&taken);
    let dropped = search
        .broken
        .iter()
        .map(|&i| fix_key(text, findings[i]))
        .collect();
    let applied = search.accepted.len();
    let changed = match search.text_with(&[]) {
        Some(t) if t != text => Some((t, applied)),
        _ => None,
    };
    (changed, dropped)
}

/// Most parses [`fix_file`] makes to find the fixes that break a file.
const MAX_TRIALS: usize = 64;

/// The search for the fixes of one file that break its syntax.
struct Search<'a> {
    name: &'a str,
    path: Option<&'a Path>,
    text: &'a str,
    max: u64,
    before: Health,
    fixes: &'a [&'a Fix],
    /// Fixes kept, and fixes that break the file alone.
    accepted: Vec<usize>,
    broken: Vec<usize>,
    trials: usize,
}

impl Search<'_> {
    /// The text with the accepted fixes and `more` applied.
    fn text_with(&self, more: &[usize]) -> Option<String> {
        let mut all: Vec<Edit> = self
            .accepted
            .iter()
            .chain(more)
            .flat_map(|&i| self.fixes[i].edits.iter().cloned())
            .collect();
        all.sort();
        apply(self.text, &all)
    }

    /// Keeps `set` if the file stays healthy with it, else halves it.
    fn split(&mut self, set: &[usize]) {
        if set.is_empty() || self.trials >= MAX_TRIALS {
            return;
        }
        self.trials += 1;
        let ok = self
            .text_with(set)
            .is_some_and(|t| health(self.name, self.path, &t, self.max).no_worse_than(self.before));
        if ok {
            self.accepted.extend_from_slice(set);
        } else if set.len() == 1 {
            self.broken.push(set[0]);
        } else {
            let (a, b) = set.split_at(set.len() / 2);
            self.split(a);
            self.split(b);
        }
    }
}

/// Lints `inputs` as one project and applies the fixes of their findings
/// (unsafe ones too when `unsafe_fixes`), pass after pass, to the texts of
/// the inputs `may_edit` allows (it gets the input index and the text as
/// read, and says why not). Nothing is written.
pub fn fix_inputs(
    inputs: &[Input],
    opts: &Options,
    unsafe_fixes: bool,
    may_edit: &(dyn Fn(usize, &str) -> Result<(), String> + Sync),
) -> Outcome {
    let max = opts.max_file_size;
    // Per input: the text edited so far (BOM included), the text as read.
    let mut texts: Vec<Option<String>> = vec![None; inputs.len()];
    let mut originals: Vec<Option<String>> = vec![None; inputs.len()];
    let mut applied = vec![0usize; inputs.len()];
    let mut blocked: Vec<Option<String>> = vec![None; inputs.len()];
    let mut dropped_keys: HashSet<(usize, String)> = HashSet::new();
    let mut passes = 0;
    let mut run = engine::run(inputs, opts);
    loop {
        let map = input_of_files(inputs, &run);
        // The wanted fixes of each file, not known to break it.
        let mut per_file: Vec<Vec<&Finding>> = vec![Vec::new(); run.files.len()];
        for f in &run.findings {
            let Some(fx) = &f.fix else { continue };
            if !wanted(fx, unsafe_fixes) {
                continue;
            }
            let fi = f.file as usize;
            let Some(Some(ii)) = map.get(fi) else {
                continue;
            };
            if blocked[*ii].is_some() {
                continue;
            }
            let text = &run.files[fi].file.text;
            if dropped_keys.contains(&(*ii, fix_key(text, f))) {
                continue;
            }
            per_file[fi].push(f);
        }
        if passes >= MAX_PASSES || per_file.iter().all(Vec::is_empty) {
            break;
        }
        // Files edited for the first time: as read, and allowed?
        for (fi, fs) in per_file.iter_mut().enumerate() {
            let Some(ii) = map[fi] else { continue };
            if fs.is_empty() || originals[ii].is_some() {
                continue;
            }
            let read = read_text(&inputs[ii], &run.files[fi].file.text);
            match may_edit(ii, &read) {
                Ok(()) => originals[ii] = Some(read),
                Err(why) => {
                    blocked[ii] = Some(why);
                    fs.clear();
                }
            }
        }
        let results: Vec<FilePass> = per_file
            .par_iter()
            .enumerate()
            .filter(|(_, fs)| !fs.is_empty())
            .filter_map(|(fi, fs)| {
                let ii = map[fi]?;
                let af = &run.files[fi];
                let (name, path) = names(&inputs[ii]);
                let (changed, dropped) = fix_file(name, path, &af.file.text, fs, max);
                let (text, n) = changed.unwrap_or_default();
                Some(FilePass {
                    input: ii,
                    text,
                    applied: n,
                    dropped,
                })
            })
            .collect();
        let mut changed = false;
        let known = dropped_keys.len();
        for r in results {
            for k in r.dropped {
                dropped_keys.insert((r.input, k));
            }
            if r.applied == 0 {
                continue;
            }
            let bom = if originals[r.input]
                .as_deref()
                .is_some_and(|o| o.starts_with('\u{feff}'))
            {
                "\u{feff}"
            } else {
                ""
            };
            texts[r.input] = Some(format!("{bom}{}", r.text));
            applied[r.input] += r.applied;
            changed = true;
        }
        if changed {
            passes += 1;
            run = engine::run(&current_inputs(inputs, &texts), opts);
        } else if dropped_keys.len() == known {
            // Nothing applied and nothing new to leave out: stable.
            break;
        }
    }
    let files = (0..inputs.len())
        .filter_map(|i| {
            let fixed = texts[i].clone()?;
            let original = originals[i].clone()?;
            (fixed != original).then(|| FixedFile {
                input: i,
                display: names(&inputs[i]).0.to_string(),
                original,
                fixed,
                applied: applied[i],
            })
        })
        .collect();
    let refused = blocked
        .iter()
        .enumerate()
        .filter_map(|(i, b)| Some((names(&inputs[i]).0.to_string(), b.clone()?)))
        .collect();
    Outcome {
        run,
        files,
        refused,
        dropped: dropped_keys.len(),
        passes,
    }
}

/// The text of an input as read: the engine's text (without BOM), with
/// the BOM the bytes start with.
fn read_text(input: &Input, text: &str) -> String {
    let bom = match input {
        Input::Text { bytes, .. } | Input::Edited { bytes, .. } => {
            bytes.starts_with(b"\xEF\xBB\xBF")
        }
        Input::File { path, .. } => {
            // Only the first bytes: the whole file is compared by the writer.
            let mut head = [0u8; 3];
            std::fs::File::open(path)
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
                .is_ok()
                && head == *b"\xEF\xBB\xBF"
        }
        Input::Skipped { .. } => false,
    };
    if bom {
        format!("\u{feff}{text}")
    } else {
        text.to_string()
    }
}

/// Writes `text` to `target` atomically: into a new temporary file in the
/// same directory, with the target's permissions (and owner, where
/// allowed), then renamed over it.
/// `target` must be the real file (links resolved by the caller).
pub fn write_atomic(target: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let meta = std::fs::metadata(target)?;
    let perms = meta.permissions();
    let mut n = 0u32;
    let (tmp, mut file) = loop {
        let tmp: PathBuf = dir.join(format!(".{name}.afcheck-fix.{}.{n}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        file.write_all(text.as_bytes())?;
        file.set_permissions(perms)?;
        // The owner too, where allowed (root fixing another user's file).
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid()));
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn applies_in_order_and_refuses_overlaps() {
        let t = "FROM a\nMAINTAINER x\n";
        let e = [
            Edit::replace(Span::new(7, 17), "LABEL maintainer=\"x\""),
            Edit::insert(0, "# c\n"),
        ];
        assert_eq!(apply(t, &e), None, "unsorted edits are refused");
        let e = [
            Edit::insert(0, "# c\n"),
            Edit::replace(Span::new(7, 19), "LABEL maintainer=\"x\""),
        ];
        assert_eq!(
            apply(t, &e).unwrap(),
            "# c\nFROM a\nLABEL maintainer=\"x\"\n"
        );
        let e = [Edit::delete(Span::new(0, 5)), Edit::delete(Span::new(4, 6))];
        assert_eq!(apply(t, &e), None);
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix {
            edits,
            applicability: Applicability::Safe,
        }
    }

    #[test]
    fn select_defers_overlapping_and_touching_fixes() {
        let a = fix(vec![Edit::replace(Span::new(0, 4), "x")]);
        let b = fix(vec![Edit::replace(Span::new(2, 6), "y")]);
        let c = fix(vec![Edit::insert(4, "z")]);
        let d = fix(vec![
            Edit::insert(10, "w"),
            Edit::replace(Span::new(20, 22), "v"),
        ]);
        // Far apart edits of one fix: e conflicts with d's second edit.
        let e = fix(vec![Edit::replace(Span::new(21, 21), "u")]);
        let (taken, edits) = select(&[&a, &b, &c, &d, &e]);
        assert_eq!(taken, vec![0, 3]);
        assert_eq!(edits.len(), 3);
        // Two insertions at one point conflict.
        let f = fix(vec![Edit::insert(3, "1")]);
        let g = fix(vec![Edit::insert(3, "2")]);
        assert_eq!(select(&[&f, &g]).0, vec![0]);
        // A fix whose own edits overlap is never taken.
        let h = fix(vec![
            Edit::delete(Span::new(0, 5)),
            Edit::delete(Span::new(3, 8)),
        ]);
        assert!(select(&[&h]).0.is_empty());
    }

    #[test]
    fn a_fix_that_breaks_the_syntax_is_dropped_and_the_others_kept() {
        let text = "a: 1\nb: 2\nc: 3\n";
        let good = Finding::of("AFK001", Span::new(3, 4), "x").with_edits(
            Applicability::Safe,
            vec![Edit::replace(Span::new(3, 4), "5")],
        );
        // An unclosed flow sequence: a YAML syntax error.
        let bad = Finding::of("AFK002", Span::new(8, 9), "y").with_edits(
            Applicability::Safe,
            vec![Edit::replace(Span::new(8, 9), "[2")],
        );
        let dup = Finding::of("AFK003", Span::new(10, 11), "z").with_edits(
            Applicability::Safe,
            vec![Edit::replace(Span::new(10, 11), "a")],
        );
        let (changed, dropped) = fix_file("v.yaml", None, text, &[&good, &bad, &dup], 1 << 20);
        assert_eq!(changed, Some(("a: 5\nb: 2\nc: 3\n".to_string(), 1)));
        assert_eq!(dropped.len(), 2, "the syntax error and the duplicate key");
        let (changed, _) = fix_file("v.yaml", None, text, &[&bad], 1 << 20);
        assert_eq!(changed, None);
    }

    #[test]
    fn among_many_fixes_the_one_that_breaks_is_found_by_halving() {
        let text: String = (0..200).map(|i| format!("k{i}: 1\n")).collect();
        let fs: Vec<Finding> = (0..200)
            .map(|i| {
                let at = text.find(&format!("k{i}: 1\n")).unwrap() + format!("k{i}: ").len();
                let new = if i == 137 { "[1" } else { "2" };
                Finding::of("AFK001", Span::new(at, at + 1), "x").with_edits(
                    Applicability::Safe,
                    vec![Edit::replace(Span::new(at, at + 1), new)],
                )
            })
            .collect();
        let refs: Vec<&Finding> = fs.iter().collect();
        let (changed, dropped) = fix_file("v.yaml", None, &text, &refs, 1 << 20);
        let (fixed, n) = changed.unwrap();
        assert_eq!((n, dropped.len()), (199, 1));
        assert!(fixed.contains("k137: 1\n") && fixed.contains("k136: 2\n"));
    }

    #[test]
    fn an_embedded_airflow_cfg_broken_by_a_fix_counts() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: airflow-config\ndata:\n  airflow.cfg: |\n    [core]\n    executor = LocalExecutor\n    parallelism = 4\n";
        let at = text.find("parallelism").unwrap();
        let dup = text.replacen("parallelism", "executor", 1);
        let before = health("cm.yaml", None, text, 1 << 20);
        assert!(health("cm.yaml", None, text, 1 << 20).no_worse_than(before));
        assert!(!health("cm.yaml", None, &dup, 1 << 20).no_worse_than(before));
        let f = Finding::of("AFC002", Span::new(at, at + 11), "x").with_edits(
            Applicability::Safe,
            vec![Edit::replace(Span::new(at, at + 11), "executor")],
        );
        assert_eq!(fix_file("cm.yaml", None, text, &[&f], 1 << 20).0, None);
    }

    #[test]
    fn write_atomic_keeps_permissions() {
        let dir = std::env::temp_dir().join(format!("afcheck-fix-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("Dockerfile");
        std::fs::write(&p, "FROM a\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&p, "FROM b\n").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "FROM b\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
