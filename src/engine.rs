//! The run: discover inputs, read and parse each file once (in parallel),
//! run per-file rules, then project rules, then apply configuration,
//! suppressions and the baseline, and sort.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::airflow;
use crate::classify;
use crate::config::{Config, Settings};
use crate::finding::{Finding, Severity};
use crate::meta;
use crate::rules::{self, FileCx, ProjectCx, Rule};
use crate::safe_read;
use crate::source::{SourceFile, Span};
use crate::suppress::{self, Suppressions};

use crate::document::{self, display_path};
pub use crate::document::{AnalyzedFile, DEFAULT_MAX_FILE_SIZE, FileSummary, Parsed, YamlFile};

/// Where an input comes from.
#[derive(Clone, Debug)]
pub enum Input {
    /// A file on disk, with the path to report.
    File {
        path: PathBuf,
        display: String,
        explicit: bool,
    },
    /// Standard input, already read, reported (and classified) as `name`.
    Text { name: String, bytes: Vec<u8> },
    /// A file on disk as `--fix` has edited it in memory: `bytes` are read
    /// instead of the file, which keeps its path, name and classification.
    Edited {
        path: PathBuf,
        display: String,
        explicit: bool,
        bytes: Vec<u8>,
    },
    /// A path found but not read (a link out of the root, a FIFO, an
    /// unreadable directory, a name that is not UTF-8): one AFY005 saying why.
    /// `policy` is set when afcheck chose not to read it (a link out of the
    /// root or into `.git`, not a regular file): what it holds is unknown,
    /// so its AFY005 is a warning, not an error.
    Skipped {
        display: String,
        message: String,
        policy: bool,
    },
}

#[derive(Clone, Debug)]
pub struct Options {
    pub settings: Settings,
    /// Rule filters: IDs or prefixes.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub config: Config,
    pub max_file_size: u64,
    /// Read symbolic links whose target is outside the scanned directory
    /// (`--follow-symlinks`); by default they are reported and skipped.
    pub follow_symlinks: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            settings: Settings::default(),
            select: Vec::new(),
            ignore: Vec::new(),
            config: Config::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            follow_symlinks: false,
        }
    }
}

/// How many decompressed files [`Run::source`] keeps.
const CACHED_SOURCES: usize = 4;

/// The files [`Run::source`] decompressed last.
#[derive(Default)]
pub struct SourceCache(std::sync::Mutex<Vec<(u32, std::sync::Arc<SourceFile>)>>);

/// The result of a run.
pub struct Run {
    /// What stays of each file: its summary, with its text where a finding
    /// (or a related location) is shown.
    pub files: Vec<FileSummary>,
    pub findings: Vec<Finding>,
    /// The Airflow version assumed where no source says which one runs,
    /// as one line for the summary (see `airflow::model::assumed_note`).
    pub airflow_assumed: Option<String>,
    /// See [`Run::source`].
    pub sources: SourceCache,
}

impl Run {
    pub fn new(
        files: Vec<FileSummary>,
        findings: Vec<Finding>,
        airflow_assumed: Option<String>,
    ) -> Run {
        Run {
            files,
            findings,
            airflow_assumed,
            sources: SourceCache::default(),
        }
    }
    /// The text of file `idx`, for a reporter: decompressed again from the
    /// summary (the last few are cached, so a reporter going through the
    /// findings file by file decompresses each file about once, and memory
    /// holds a few files, not every file shown). None for a bad index or a
    /// file whose text was dropped (no finding shows it).
    pub fn source(&self, idx: u32) -> Option<std::sync::Arc<SourceFile>> {
        let f = self.files.get(idx as usize)?;
        let Ok(mut cache) = self.sources.0.lock() else {
            return f.load();
        };
        if let Some(at) = cache.iter().position(|(i, _)| *i == idx) {
            let hit = cache.remove(at);
            let s = hit.1.clone();
            cache.push(hit);
            return Some(s);
        }
        let s = f.load()?;
        cache.push((idx, s.clone()));
        if cache.len() > CACHED_SOURCES {
            cache.remove(0);
        }
        Some(s)
    }
    /// File `idx` with its text (decompressed once and kept; reporters use
    /// [`Run::source`]).
    pub fn file(&self, idx: u32) -> &SourceFile {
        self.files[idx as usize].source()
    }
    /// What the Airflow grouping reads of each file of the run
    /// ([`airflow::model::groups`]).
    pub fn file_settings(&self) -> Vec<airflow::model::FileSettings<'_>> {
        file_settings(&self.files)
    }
    pub fn count(&self, sev: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == sev).count()
    }
}

/// Error that stops a run before it starts (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("{0}: no such file or directory")]
    MissingPath(String),
    #[error("{0}")]
    Other(String),
}

/// Paths a user names to hand over a pipe or a device (`<(cmd)` is
/// `/dev/fd/63`, `/dev/stdin`): read as given, bounded.
fn is_special_path(abs: &Path) -> bool {
    abs.starts_with("/dev")
        || abs.starts_with("/proc/self/fd")
        || abs.starts_with("/proc/thread-self/fd")
}

/// For a path named on the command line: the root its links must stay in,
/// the current directory when the path is under it, else its own directory.
fn explicit_root(abs: &Path, cwd: &Path) -> Option<PathBuf> {
    let root = if abs.starts_with(cwd) {
        cwd
    } else {
        abs.parent()?
    };
    std::fs::canonicalize(root).ok()
}

fn skipped(path: &Path, message: impl Into<String>) -> Input {
    Input::Skipped {
        display: display_path(path),
        message: message.into(),
        policy: false,
    }
}

/// A path afcheck chose not to read (see [`Input::Skipped`]).
fn skipped_by_policy(path: &Path, message: impl Into<String>) -> Input {
    Input::Skipped {
        display: display_path(path),
        message: message.into(),
        policy: true,
    }
}

/// True when `e` is afcheck's choice not to read a file (a link out of the
/// root or into `.git`, a FIFO, device or socket), not a failure to read it.
fn by_policy(e: &safe_read::ReadError) -> bool {
    use safe_read::ReadError as E;
    matches!(e, E::OutsideRoot | E::IntoGit | E::NotRegular(_))
}

/// A path not read because of `e`: by policy or not.
fn skipped_for(path: &Path, e: safe_read::ReadError) -> Input {
    match by_policy(&e) {
        true => skipped_by_policy(path, e.to_string()),
        false => skipped(path, e.to_string()),
    }
}

/// An error of the directory walk, as a skipped path (or None when it has
/// no path or is not about reading the file system).
fn walk_error(err: &ignore::Error) -> Option<(String, Input)> {
    fn path_of(e: &ignore::Error) -> Option<&Path> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Loop { child, .. } => Some(child),
            _ => None,
        }
    }
    let path = path_of(err)?;
    let io = err.io_error()?;
    let message = format!("cannot read directory: {}", io.kind());
    Some((display_path(path), skipped(path, message)))
}

/// The ignore files the directory walker reads in every directory.
const IGNORE_FILES: [&str; 3] = [".gitignore", ".ignore", ".afcheckignore"];

/// An ignore file of `dir` that the walker must not read (it reads them
/// whole, unchecked: a link to `/dev/zero` would exhaust memory): a link
/// out of `root`, not a regular file, or over `max` bytes. With why, as a
/// skipped input.
fn hostile_ignore_file(dir: &Path, root: &Path, max: u64) -> Option<(PathBuf, Input)> {
    for name in IGNORE_FILES {
        let p = dir.join(name);
        let Ok(lm) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        let why = if lm.file_type().is_symlink() {
            match std::fs::metadata(&p) {
                // Unresolvable: the walker cannot open it either.
                Err(_) => None,
                Ok(m) if !m.is_file() => Some(safe_read::ReadError::NotRegular(
                    safe_read::kind_name(m.file_type()),
                )),
                Ok(m) => match safe_read::check_confined(&p, root) {
                    Err(e) => Some(e),
                    Ok(()) if m.len() > max => {
                        Some(safe_read::ReadError::TooLarge { len: m.len(), max })
                    }
                    Ok(()) => None,
                },
            }
        } else if !lm.is_file() {
            Some(safe_read::ReadError::NotRegular(safe_read::kind_name(
                lm.file_type(),
            )))
        } else if lm.len() > max {
            Some(safe_read::ReadError::TooLarge { len: lm.len(), max })
        } else {
            None
        };
        if let Some(e) = why {
            let message = format!("ignore file: {e}; its directory is not checked");
            let input = match by_policy(&e) {
                true => skipped_by_policy(&p, message),
                false => skipped(&p, message),
            };
            return Some((p, input));
        }
    }
    None
}

/// Expands paths into the files to check, in a deterministic order.
///
/// Only regular files are read from a walk; a symbolic link is read only
/// when its target stays inside the directory walked (else it becomes an
/// [`Input::Skipped`], unless `follow_symlinks`). A file named explicitly
/// follows the same rule for links, its root being the current directory
/// (or its own directory when it is outside); pipes and devices named
/// explicitly (`<(cmd)`, `/dev/stdin`) are read, bounded.
pub fn discover(paths: &[PathBuf], opts: &Options) -> Result<Vec<Input>, UsageError> {
    let ignore_set = opts.config.ignore_path_set();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let mut out = Vec::new();
    for root in paths {
        if std::fs::symlink_metadata(root).is_err() {
            return Err(UsageError::MissingPath(root.display().to_string()));
        }
        let meta = std::fs::metadata(root);
        if !meta.as_ref().is_ok_and(|m| m.is_dir()) {
            let abs = safe_read::lexical_absolute(root, &cwd);
            if meta.is_err() {
                // A dangling or looping link: said, not dropped.
                out.push(skipped(root, safe_read::ReadError::Dangling.to_string()));
                continue;
            }
            if !opts.follow_symlinks && !is_special_path(&abs) {
                let confined = explicit_root(&abs, &cwd)
                    .ok_or(safe_read::ReadError::Dangling)
                    .and_then(|r| safe_read::check_confined(root, &r));
                if let Err(e) = confined {
                    out.push(skipped_for(root, e));
                    continue;
                }
            }
            // Explicit files are checked whatever their name, unless they are
            // an unknown kind (then classification by content decides).
            out.push(Input::File {
                path: root.clone(),
                display: display_path(root),
                explicit: true,
            });
            continue;
        }
        let canon_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        let max = opts.max_file_size;
        // The walker reads each directory's ignore files itself, unchecked:
        // a directory whose ignore file is hostile is not entered.
        if let Some((_, input)) = hostile_ignore_file(root, &canon_root, max) {
            out.push(input);
            continue;
        }
        // It also reads those of the root's parents.
        let mut parents = true;
        for a in canon_root.ancestors().skip(1) {
            if let Some((_, mut input)) = hostile_ignore_file(a, a, max) {
                if let Input::Skipped { message, .. } = &mut input {
                    *message = message.replace("its directory is", "the directories below are");
                }
                out.push(input);
                parents = false;
            }
        }
        let skipped_dirs =
            std::sync::Arc::new(std::sync::Mutex::new(Vec::<(String, Input)>::new()));
        let seen = skipped_dirs.clone();
        let confine = canon_root.clone();
        let mut files: Vec<(String, Input)> = Vec::new();
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .follow_links(false)
            .parents(parents)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .require_git(false)
            .ignore(true)
            .add_custom_ignore_filename(".afcheckignore")
            .filter_entry(move |e| {
                if e.file_name() == ".git" {
                    return false;
                }
                if e.file_type().is_some_and(|t| t.is_dir())
                    && let Some((p, input)) = hostile_ignore_file(e.path(), &confine, max)
                {
                    if let Ok(mut v) = seen.lock() {
                        v.push((display_path(&p), input));
                    }
                    return false;
                }
                true
            })
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    if let Some((display, i)) = walk_error(&e)
                        && !ignore_set.is_match(&display)
                    {
                        files.push((display, i));
                    }
                    continue;
                }
            };
            let Some(ft) = entry.file_type() else {
                continue;
            };
            if ft.is_dir() {
                continue;
            }
            let display = display_path(entry.path());
            // A name that is not UTF-8 cannot be classified or reported
            // faithfully: said when it looks like a file afcheck reads.
            if entry.file_name().to_str().is_none() {
                let lossy = PathBuf::from(entry.file_name().to_string_lossy().into_owned());
                if classify::by_name(&lossy).is_some() && !ignore_set.is_match(&display) {
                    let i = skipped(
                        entry.path(),
                        "file name is not valid UTF-8; not checked (rename the file)",
                    );
                    files.push((display, i));
                }
                continue;
            }
            if classify::by_name(entry.path()).is_none() || ignore_set.is_match(&display) {
                continue;
            }
            let input = if ft.is_file() {
                Input::File {
                    path: entry.path().to_path_buf(),
                    display: display.clone(),
                    explicit: false,
                }
            } else if ft.is_symlink() {
                match std::fs::metadata(entry.path()) {
                    // Directory links are not followed (as before: no loops).
                    Ok(m) if m.is_dir() => continue,
                    Ok(m) if !m.is_file() => skipped_by_policy(
                        entry.path(),
                        format!(
                            "symbolic link to {}, not a regular file; not read",
                            safe_read::kind_name(m.file_type())
                        ),
                    ),
                    Ok(_) => match opts.follow_symlinks {
                        true => Input::File {
                            path: entry.path().to_path_buf(),
                            display: display.clone(),
                            explicit: false,
                        },
                        false => match safe_read::check_confined(entry.path(), &canon_root) {
                            Ok(()) => Input::File {
                                path: entry.path().to_path_buf(),
                                display: display.clone(),
                                explicit: false,
                            },
                            Err(e) => skipped_for(entry.path(), e),
                        },
                    },
                    Err(_) => skipped(entry.path(), safe_read::ReadError::Dangling.to_string()),
                }
            } else {
                // A FIFO, device or socket with a name afcheck reads.
                skipped_for(
                    entry.path(),
                    safe_read::ReadError::NotRegular(safe_read::kind_name(ft)),
                )
            };
            files.push((display, input));
        }
        if let Ok(mut v) = skipped_dirs.lock() {
            files.append(&mut v);
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        out.extend(files.into_iter().map(|(_, i)| i));
    }
    Ok(out)
}

fn unreadable(path: String, text: &str, at: usize, message: String) -> Box<AnalyzedFile> {
    Box::new(AnalyzedFile::unreadable(path, text, at, message))
}

/// A file afcheck chose not to read is a warning: what it holds is not
/// known, which is never an error (a file that cannot be read or parsed
/// keeps the rule's severity).
fn with_policy(mut u: Box<AnalyzedFile>, policy: bool) -> Box<AnalyzedFile> {
    if policy {
        for d in &mut u.diagnostics {
            d.severity = Severity::Warning;
            d.severity_fixed = true;
        }
    }
    u
}

/// Reads an input into text, or an unreadable file with its diagnostic.
fn read(input: &Input, max: u64) -> Result<(String, Vec<u8>), Box<AnalyzedFile>> {
    match input {
        Input::Text { name, bytes } => {
            if bytes.len() as u64 > max {
                return Err(unreadable(
                    name.clone(),
                    "",
                    0,
                    safe_read::ReadError::TooLarge {
                        len: bytes.len() as u64,
                        max,
                    }
                    .to_string(),
                ));
            }
            Ok((name.clone(), bytes.clone()))
        }
        Input::Edited { display, bytes, .. } => Ok((display.clone(), bytes.clone())),
        Input::File {
            path,
            display,
            explicit,
        } => {
            let bytes = if *explicit {
                safe_read::read_explicit(path, max)
            } else {
                safe_read::read_regular(path, max)
            };
            match bytes {
                Ok(b) => Ok((display.clone(), b)),
                Err(e) => {
                    let policy = by_policy(&e);
                    Err(with_policy(
                        unreadable(display.clone(), "", 0, e.to_string()),
                        policy,
                    ))
                }
            }
        }
        Input::Skipped {
            display,
            message,
            policy,
        } => Err(with_policy(
            unreadable(display.clone(), "", 0, message.clone()),
            *policy,
        )),
    }
}

/// Decodes UTF-16 text with a byte-order mark (Windows editors save it so;
/// Kubernetes' YAML decoder reads it). None when there is no BOM.
fn decode_utf16(bytes: &[u8]) -> Option<Result<String, usize>> {
    let le = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let body = &bytes[2..];
    let units = body.chunks(2).map(|c| match (c, le) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        // An odd byte at the end: not UTF-16 (reported below).
        _ => 0xDC00,
    });
    let mut out = String::with_capacity(body.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => out.push(c),
            Err(_) => return Some(Err(2 + 2 * i)),
        }
    }
    Some(Ok(out))
}

/// True when the head looks like UTF-16 text without a BOM: ASCII text
/// with a NUL byte after (or before) every character.
fn looks_utf16(head: &[u8]) -> bool {
    if head.len() < 8 {
        return false;
    }
    let pairs = head.len() / 2;
    let text = |b: u8| b == b'\t' || b == b'\n' || b == b'\r' || (0x20..0x7f).contains(&b);
    let be = head
        .chunks_exact(2)
        .filter(|c| c[0] == 0 && text(c[1]))
        .count();
    let le = head
        .chunks_exact(2)
        .filter(|c| text(c[0]) && c[1] == 0)
        .count();
    be * 10 >= pairs * 9 || le * 10 >= pairs * 9
}

fn decode(path: String, bytes: Vec<u8>) -> Result<(String, String), Box<AnalyzedFile>> {
    match decode_utf16(&bytes) {
        Some(Ok(text)) => return Ok((path, text)),
        Some(Err(at)) => {
            return Err(unreadable(
                path,
                "",
                0,
                format!(
                    "invalid UTF-16 at byte {at} (the file starts with a UTF-16 byte-order mark); not checked"
                ),
            ));
        }
        None => {}
    }
    let head = &bytes[..bytes.len().min(8192)];
    if looks_utf16(head) {
        return Err(unreadable(
            path,
            "",
            0,
            "UTF-16 text without a byte-order mark; not checked (save it as UTF-8)".into(),
        ));
    }
    if let Some(pos) = head.iter().position(|&b| b == 0) {
        let prefix = String::from_utf8_lossy(&bytes[..pos]).into_owned();
        return Err(unreadable(
            path,
            &prefix,
            pos,
            "binary file (contains NUL bytes); not checked".into(),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok((path, s)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..at]).into_owned();
            Err(unreadable(
                path,
                &prefix,
                at,
                format!(
                    "invalid UTF-8 at byte {at}; the file is not checked (afcheck reads UTF-8 only)"
                ),
            ))
        }
    }
}

/// Reads, classifies and parses one input.
pub fn analyze(input: &Input, max: u64) -> Option<AnalyzedFile> {
    let (name_path, fs_path) = match input {
        Input::File { path, display, .. } | Input::Edited { path, display, .. } => {
            (PathBuf::from(display), Some(path.clone()))
        }
        Input::Text { name, .. } => (PathBuf::from(name), None),
        Input::Skipped { display, .. } => (PathBuf::from(display), None),
    };
    let explicit = matches!(
        input,
        Input::File { explicit: true, .. }
            | Input::Edited { explicit: true, .. }
            | Input::Text { .. }
            | Input::Skipped { .. }
    );
    let kind = classify::by_name(&name_path);
    if kind.is_none() && !explicit {
        return None;
    }
    // A `.json` file found by a walk is afcheck's only when it holds a
    // Kubernetes object: one it cannot read is not reported (package-lock.json
    // over the size limit is not a manifest afcheck failed to check).
    let foreign_json = !explicit && classify::is_json(&name_path);
    let (path, bytes) = match read(input, max) {
        Ok(x) => x,
        Err(_) if foreign_json => return None,
        Err(f) => return Some(*f),
    };
    let (path, text) = match decode(path, bytes) {
        Ok(x) => x,
        Err(_) if foreign_json => return None,
        Err(f) => return Some(*f),
    };
    document::build(path, &text, &name_path, kind, fs_path.as_deref())
}

/// Does a rule filter entry (ID or prefix) match this rule?
pub fn matches_filter(id: &str, filter: &str) -> bool {
    let f = filter.trim().to_ascii_uppercase();
    !f.is_empty() && id.starts_with(&f)
}

/// Rules enabled by --select/--ignore and the config file.
pub fn enabled_rules(opts: &Options) -> Vec<&'static dyn Rule> {
    let select: Vec<&String> = opts
        .select
        .iter()
        .chain(opts.config.select.iter())
        .collect();
    let ignore: Vec<&String> = opts
        .ignore
        .iter()
        .chain(opts.config.ignore.iter())
        .collect();
    rules::registry()
        .into_iter()
        .filter(|r| select.is_empty() || select.iter().any(|s| matches_filter(r.id(), s)))
        .filter(|r| !ignore.iter().any(|s| matches_filter(r.id(), s)))
        .collect()
}

/// Runs every enabled rule over the inputs.
///
/// Every rule runs, enabled or not: the secret spans of all findings (of
/// disabled rules too, and of findings later suppressed, ignored or
/// deduplicated) are kept in [`FileSummary::sensitive`] so that no output
/// shows a secret some rule knows; only enabled rules' findings are kept.
pub fn run(inputs: &[Input], opts: &Options) -> Run {
    let rules = rules::registry();
    let max = opts.max_file_size;
    let enabled: Vec<&str> = enabled_rules(opts).iter().map(|r| r.id()).collect();
    // Per file, in parallel: read it, build its document, run its own
    // rules, and keep only its summary: the YAML tree, the Dockerfile model
    // and the text are dropped here, so memory follows the largest files
    // being checked at once, not the repository. Findings name the input's
    // index until the files are numbered below.
    type Done = Vec<Option<(FileSummary, Vec<Finding>)>>;
    // What is kept is allocated again on one thread of its own, packed
    // together ([`FileSummary::packed`]), while the next chunk is checked.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Done>(1);
    let (mut files, mut findings) = std::thread::scope(|scope| {
        let packer = scope.spawn(move || {
            let mut files: Vec<FileSummary> = Vec::with_capacity(inputs.len());
            let mut findings: Vec<Finding> = Vec::new();
            for (c, done) in rx.into_iter().enumerate() {
                for (k, item) in done.iter().enumerate() {
                    let Some((summary, found)) = item else {
                        continue;
                    };
                    let (from, to) = ((c * CHUNK + k) as u32, files.len() as u32);
                    files.push(summary.packed());
                    findings.extend(found.iter().map(|f| {
                        let mut f = f.clone();
                        if f.file == from {
                            f.file = to;
                        }
                        for r in &mut f.related {
                            if r.file == from {
                                r.file = to;
                            }
                        }
                        f
                    }));
                }
                // The originals are freed on a checking thread: freed here,
                // an allocator's per-thread cache would hand their blocks to
                // the next copies, which would then sit among the freed trees.
                rayon::spawn(move || drop(done));
            }
            (files, findings)
        });
        for (c, chunk) in inputs.chunks(CHUNK).enumerate() {
            let done: Done = chunk
                .par_iter()
                .enumerate()
                .map(|(k, input)| {
                    let k = (c * CHUNK + k) as u32;
                    let af = analyze(input, max)?;
                    let (mut findings, mut secrets) = check_file(&rules, &af, k, &opts.settings);
                    secrets.extend(findings.iter().flat_map(|f| f.secrets.iter().copied()));
                    // Disabled rules ran for their secret spans only (kept above).
                    findings.retain(|f| enabled.contains(&f.rule));
                    Some((af.summarize(secrets, reread_of(input, max)), findings))
                })
                .collect();
            if tx.send(done).is_err() {
                break;
            }
        }
        drop(tx);
        match packer.join() {
            Ok(kept) => kept,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    // Project analyses, once per run: the Airflow settings grouped by the
    // links between files, shared by the project rules and the summary.
    let first_project = findings.len();
    let airflow_assumed = {
        let by_file = file_settings(&files);
        let derived = airflow::model::Derived::of(&by_file);
        let groups = airflow::model::groups(&by_file, &derived, &opts.settings);
        let pcx = ProjectCx::new(&files, &opts.settings, &groups);
        for r in &rules {
            r.check_project(&pcx, &mut rules::Findings::new(r.id(), &mut findings));
        }
        airflow::model::assumed_note_of(&groups)
    };
    let touched = keep_secret_spans(&mut files, &findings[first_project..]);
    finish(&files, &mut findings, opts, &enabled);
    drop_unshown_texts(&mut files, &findings, &touched);
    Run::new(files, findings, airflow_assumed)
}

/// Files checked in parallel at a time: what they keep is packed on the
/// packing thread after each chunk (see `run`).
const CHUNK: usize = 128;

/// How to read a walked regular file again for the reporters (its text is
/// then not kept in memory); None for files named on the command line (a
/// pipe or a device cannot be read twice), text given on standard input or
/// by an editor, and files edited by `--fix`.
fn reread_of(input: &Input, max: u64) -> Option<document::Reread> {
    match input {
        Input::File {
            path,
            explicit: false,
            ..
        } => Some(document::Reread {
            path: path.clone(),
            max,
            read: reread,
        }),
        _ => None,
    }
}

/// Reads a walked file again as [`read`] and [`decode`] did.
fn reread(path: &Path, max: u64) -> Option<String> {
    let bytes = safe_read::read_regular(path, max).ok()?;
    decode(String::new(), bytes).ok().map(|(_, text)| text)
}

/// Runs every rule's `check_file` over one document (as file `index`), its
/// reading diagnostics first; each rule keeps at most
/// [`rules::MAX_KEPT_PER_RULE`] findings in the file. Also returns the
/// secret spans of the findings beyond that cap.
fn check_file(
    rules: &[&'static dyn Rule],
    af: &AnalyzedFile,
    index: u32,
    settings: &Settings,
) -> (Vec<Finding>, Vec<Span>) {
    let mut out: Vec<Finding> = af
        .diagnostics
        .iter()
        .map(|f| f.clone().in_file(index))
        .collect();
    let cx = FileCx {
        index,
        file: &af.file,
        analyzed: af,
        settings,
    };
    let mut buf = Vec::new();
    let mut dropped = Vec::new();
    for r in rules {
        buf.clear();
        let mut sink = rules::Findings::capped(r.id(), &mut buf, rules::MAX_KEPT_PER_RULE);
        r.check_file(&cx, &mut sink);
        dropped.extend(sink.finish());
        out.extend(buf.drain(..).map(|f| f.in_file(index)));
    }
    (out, dropped)
}

/// Keeps the stored text of the files the reporters show (those with a
/// finding or a related location); the others' is dropped, after their
/// secret values are taken again where a project rule marked a new secret
/// span in them (`touched`).
fn drop_unshown_texts(files: &mut [FileSummary], findings: &[Finding], touched: &[bool]) {
    let mut shown = vec![false; files.len()];
    for f in findings {
        for i in std::iter::once(f.file).chain(f.related.iter().map(|r| r.file)) {
            if let Some(x) = shown.get_mut(i as usize) {
                *x = true;
            }
        }
    }
    files
        .par_iter_mut()
        .zip(shown)
        .zip(touched)
        .for_each(|((f, shown), &touched)| {
            if shown {
                return;
            }
            if touched {
                let text = f.text();
                let values: Vec<String> =
                    document::sensitive_spans(&text, &f.sensitive, &f.airflow)
                        .into_iter()
                        .filter_map(|s| text.get(s.start()..s.end()).map(str::to_string))
                        .collect();
                drop(text);
                f.secret_values = values;
            }
            f.drop_text();
        });
}

fn file_settings(files: &[FileSummary]) -> Vec<airflow::model::FileSettings<'_>> {
    files
        .iter()
        .map(|f| airflow::model::FileSettings {
            path: &f.file.path,
            settings: &f.airflow,
        })
        .collect()
}

/// Adds the secret spans of `findings` to their files' `sensitive` spans;
/// says which files got one.
fn keep_secret_spans(files: &mut [FileSummary], findings: &[Finding]) -> Vec<bool> {
    let mut touched = vec![false; files.len()];
    for f in findings {
        if f.secrets.is_empty() {
            continue;
        }
        if let Some(af) = files.get_mut(f.file as usize) {
            af.sensitive.extend(f.secrets.iter().copied());
            touched[f.file as usize] = true;
        }
    }
    for (af, _) in files.iter_mut().zip(&touched).filter(|(_, t)| **t) {
        af.sensitive.sort();
        af.sensitive.dedup();
    }
    touched
}

/// How specific a rule is about a credential: the Airflow rules know what
/// the value is for (rank 0), the Dockerfile and Kubernetes rules know where
/// it sits (1), the generic secret detectors only that it looks secret (2).
fn secret_rank(rule: &str) -> u8 {
    match rule.get(..3) {
        Some("AFC") | Some("AFH") => 0,
        Some("AFS") => 2,
        _ => 1,
    }
}

/// One credential, one finding: when several rules mark the same secret
/// value, only the most specific keeps its finding (AFC008 over AFK029 over
/// AFS005 for the same connection URI). Findings without secrets are kept.
fn dedupe_secrets(findings: &mut Vec<Finding>) {
    let mut marked: Vec<(u32, Span, u8)> = findings
        .iter()
        .flat_map(|f| {
            f.secrets
                .iter()
                .map(move |s| (f.file, *s, secret_rank(f.rule)))
        })
        .collect();
    if marked.len() < 2 {
        return;
    }
    marked.sort_by_key(|m| (m.0, m.1.start));
    let overlaps =
        |a: Span, b: Span| a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1);
    findings.retain(|f| {
        if f.secrets.is_empty() {
            return true;
        }
        let rank = secret_rank(f.rule);
        !f.secrets.iter().any(|s| {
            // Candidates in the same file that start before this span ends.
            let lo = marked.partition_point(|m| (m.0, m.1.start) < (f.file, 0));
            marked[lo..]
                .iter()
                .take_while(|m| m.0 == f.file && m.1.start <= s.end)
                .any(|m| m.2 < rank && overlaps(m.1, *s))
        })
    });
}

fn finish(files: &[FileSummary], findings: &mut Vec<Finding>, opts: &Options, enabled: &[&str]) {
    // Severity from metadata and configuration.
    for f in findings.iter_mut() {
        if let Some(sev) = opts.config.severity.get(f.rule) {
            f.severity = *sev;
        } else if !f.severity_fixed
            && let Some(m) = meta::get(f.rule)
        {
            f.severity = m.severity;
        }
    }
    // Diagnostics made by the engine (AFY005) follow the same filters.
    findings.retain(|f| enabled.contains(&f.rule));
    dedupe_secrets(findings);
    // Per-path ignores.
    if !opts.config.per_path_ignores.is_empty() {
        let sets: Vec<(globset::GlobSet, &Vec<String>)> = opts
            .config
            .per_path_ignores
            .iter()
            .map(|(g, ids)| (crate::config::build_globs(std::slice::from_ref(g)), ids))
            .collect();
        findings.retain(|f| {
            let path = &files[f.file as usize].file.path;
            !sets.iter().any(|(set, ids)| {
                set.is_match(path) && ids.iter().any(|i| matches_filter(f.rule, i))
            })
        });
    }
    // Inline suppressions and annotations; unused ones become AFY004.
    let sups: Vec<&Suppressions> = files.iter().map(|f| &f.suppressions).collect();
    let mut unused = suppress::apply(&sups, findings);
    if enabled.contains(&"AFY004") {
        unused.retain(|u| enabled.contains(&u.rule_named()));
        for u in unused {
            let mut f = Finding::of(
                "AFY004",
                u.span,
                format!("suppression of {} matches no finding; remove it", u.rule),
            )
            .with_help("Delete the stale rule ID from the suppression comment or annotation.")
            .in_file(u.file);
            f.severity = meta::get("AFY004")
                .map(|m| m.severity)
                .unwrap_or(Severity::Note);
            findings.push(f);
        }
    }
    sort(files, findings);
    // A source linked into several groups (a ConfigMap two workloads
    // mount) gives the same finding once.
    dedupe_identical(findings);
}

fn dedupe_identical(findings: &mut Vec<Finding>) {
    findings.dedup_by(|a, b| {
        a.file == b.file && a.span == b.span && a.rule == b.rule && a.message == b.message
    });
}

/// Deterministic order: path, line, column, rule, message.
pub fn sort(files: &[FileSummary], findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        let pa = &files[a.file as usize].file.path;
        let pb = &files[b.file as usize].file.path;
        pa.cmp(pb)
            .then(a.span.start.cmp(&b.span.start))
            .then(a.rule.cmp(b.rule))
            .then(a.span.end.cmp(&b.span.end))
            .then(a.message.cmp(&b.message))
    });
}
