//! `afcheck server`: a language server over standard input and output.
//!
//! Built on `lsp-server` (the synchronous scaffold rust-analyzer uses:
//! crossbeam channels, no async runtime) and `lsp-types`. One main loop
//! owns the state and never runs an analysis: documents are analysed on a
//! worker thread, one job at a time, from a snapshot of the texts; edits
//! that arrive meanwhile wait (debounced) for the next job, so a superseded
//! analysis is never started, and a result for a text that changed since is
//! dropped. Index builds run on their own threads.
//!
//! - [`encoding`]: positions in UTF-16 (default) or UTF-8.
//! - [`diagnostics`]: findings to diagnostics, cleaned of secrets.
//! - [`actions`]: fixes, fix-all and suppression comments.
//! - [`hover`]: rule documentation on rule IDs.
//! - [`workspace`]: roots, configuration, the file index and the links
//!   between files that decide what a change re-evaluates.

pub mod actions;
pub mod diagnostics;
pub mod encoding;
pub mod hover;
pub mod workspace;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Diagnostic,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidChangeWorkspaceFoldersParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, HoverParams,
    OptionalVersionedTextDocumentIdentifier, PublishDiagnosticsParams, TextDocumentEdit, TextEdit,
    Uri, WorkspaceEdit,
};

use self::diagnostics::Item;
use self::encoding::Encoding;
use self::workspace::Key;
use crate::engine::Options;
use crate::finding::Applicability;

/// Default wait after a change before analysing (typing goes on).
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(150);

/// Runs the server over standard input and output until the client exits;
/// returns the exit code: 0 after `shutdown` then `exit`, 1 when the client
/// exits or goes away without `shutdown` (as LSP asks).
pub fn run_stdio() -> Result<i32, String> {
    let (conn, io) = Connection::stdio();
    let r = serve(&conn);
    drop(conn);
    // The reader thread ends at `exit` or end of input.
    io.join().map_err(|e| format!("language server I/O: {e}"))?;
    Ok(if r? { 0 } else { 1 })
}

/// Serves one client over `conn` (standard I/O, or memory in tests and
/// benchmarks) until `exit`, or until the client goes away. True when the
/// client asked for `shutdown` first.
pub fn serve(conn: &Connection) -> Result<bool, String> {
    let (id, params) = conn
        .initialize_start()
        .map_err(|e| format!("initialize: {e}"))?;
    // Read field by field: a capability this version of lsp-types does not
    // know must not cost the client its workspace folders.
    let get = |ptr: &str| params.pointer(ptr);
    let offered: Vec<lsp_types::PositionEncodingKind> =
        get("/capabilities/general/positionEncodings")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .map(|s| lsp_types::PositionEncodingKind::from(s.to_string()))
            .collect();
    let enc = Encoding::negotiate(Some(&offered));
    let debounce = get("/initializationOptions/debounceMs")
        .and_then(|v| v.as_u64())
        .map(|ms| Duration::from_millis(ms.min(10_000)))
        .unwrap_or(DEFAULT_DEBOUNCE);
    let flag = |ptr: &str| get(ptr).and_then(|v| v.as_bool()).unwrap_or(false);
    let document_changes = flag("/capabilities/workspace/workspaceEdit/documentChanges");
    let watch = flag("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration");
    let uri_at = |v: &serde_json::Value| v.as_str().and_then(|s| s.parse::<Uri>().ok());
    let mut folders: Vec<PathBuf> = get("/workspaceFolders")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|f| uri_at(&f["uri"]))
        .filter_map(|u| uri_to_path(&u))
        .collect();
    if folders.is_empty()
        && let Some(p) = get("/rootUri")
            .and_then(uri_at)
            .and_then(|u| uri_to_path(&u))
    {
        folders.push(p);
    }
    let caps = capabilities(enc);
    conn.initialize_finish(
        id,
        serde_json::json!({
            "capabilities": caps,
            "serverInfo": {"name": "afcheck", "version": env!("CARGO_PKG_VERSION")},
        }),
    )
    .map_err(|e| format!("initialize: {e}"))?;

    let (job_tx, job_rx) = crossbeam_channel::unbounded::<Job>();
    let (event_tx, event_rx) = crossbeam_channel::unbounded::<Event>();
    let worker_events = event_tx.clone();
    let worker = std::thread::Builder::new()
        .name("afcheck-analysis".into())
        .spawn(move || worker_loop(job_rx, worker_events))
        .map_err(|e| format!("cannot start the analysis thread: {e}"))?;

    let mut server = Server {
        sender: conn.sender.clone(),
        events: event_tx,
        jobs: job_tx,
        enc,
        debounce,
        document_changes,
        roots: Vec::new(),
        files: HashMap::new(),
        dirty: BTreeSet::new(),
        deadline: None,
        busy: false,
        generation: 0,
        watch,
        next_request: 0,
    };
    for f in folders {
        server.add_root(f, true);
    }
    let r = server.main_loop(conn, &event_rx);
    // The worker ends with its channel; an analysis still running is not
    // waited for.
    drop(server);
    drop(worker);
    r
}

fn capabilities(enc: Encoding) -> lsp_types::ServerCapabilities {
    use lsp_types::*;
    ServerCapabilities {
        position_encoding: Some(enc.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(actions::FIX_ALL),
            ]),
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

/// A project root: a workspace folder, or the directory of a document
/// opened outside every folder (not indexed).
struct Root {
    dir: Option<PathBuf>,
    opts: Arc<Options>,
    /// The `.afcheck.yaml` in force, if any.
    config: Option<PathBuf>,
    /// A workspace folder, whose files are indexed.
    indexed: bool,
}

/// A file the server knows: an open document or an indexed file.
struct Entry {
    /// The URI to publish under (the client's, for an open document).
    uri: Uri,
    root: usize,
    /// The path the engine sees (relative to the root).
    rel: String,
    text: Arc<str>,
    /// Set while the document is open.
    version: Option<i32>,
    /// The keys of `text`, once computed.
    keys: Option<Arc<Vec<Key>>>,
    /// Keys of an earlier text: a change re-evaluates both neighbourhoods.
    old_keys: Option<Arc<Vec<Key>>>,
    published: Option<Vec<Diagnostic>>,
    /// The items of the last analysis and the text they index.
    items: Arc<Vec<Item>>,
    items_text: Option<(Option<i32>, Arc<str>)>,
}

struct Server {
    sender: Sender<Message>,
    events: Sender<Event>,
    jobs: Sender<Job>,
    enc: Encoding,
    debounce: Duration,
    document_changes: bool,
    roots: Vec<Root>,
    /// By normalised URI.
    files: HashMap<String, Entry>,
    dirty: BTreeSet<String>,
    deadline: Option<Instant>,
    busy: bool,
    generation: u64,
    watch: bool,
    next_request: u64,
}

/// What the worker and index threads report.
enum Event {
    Analysed(Done),
    Indexed {
        root: usize,
        files: Vec<workspace::Indexed>,
        opts: Box<Options>,
        config: Option<PathBuf>,
        error: Option<String>,
        truncated: bool,
    },
}

/// One analysis: for each root concerned, the files of the root and which
/// of them changed.
struct Job {
    generation: u64,
    enc: Encoding,
    groups: Vec<Group>,
}

struct Group {
    opts: Arc<Options>,
    files: Vec<JobFile>,
}

struct JobFile {
    key: String,
    uri: Uri,
    rel: String,
    text: Arc<str>,
    version: Option<i32>,
    keys: Option<Arc<Vec<Key>>>,
    old_keys: Option<Arc<Vec<Key>>>,
    changed: bool,
}

struct Done {
    generation: u64,
    files: Vec<FileOut>,
    changed: Vec<String>,
    /// How many files were checked, and how long it took.
    checked: usize,
    elapsed: Duration,
}

struct FileOut {
    key: String,
    version: Option<i32>,
    text: Arc<str>,
    keys: Arc<Vec<Key>>,
    /// None for files that are not open (not published).
    items: Option<Vec<Item>>,
}

/// The normalised key of a URI: the `file:` URI rebuilt from its path,
/// else the URI as given.
fn key_of(uri: &Uri) -> String {
    uri_to_path(uri)
        .and_then(|p| path_to_uri(&p))
        .map(|u| u.as_str().to_string())
        .unwrap_or_else(|| uri.as_str().to_string())
}

/// The path of a `file:` URI.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let mut bytes = Vec::with_capacity(rest.len());
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            bytes.push(v);
            i += 3;
        } else {
            bytes.push(b[i]);
            i += 1;
        }
    }
    let s = String::from_utf8(bytes).ok()?;
    // `/C:/x` on Windows.
    #[cfg(windows)]
    let s = match s.as_bytes() {
        [b'/', d, b':', ..] if d.is_ascii_alphabetic() => s[1..].to_string(),
        _ => s,
    };
    Some(PathBuf::from(s))
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let s = path.to_str()?.replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for &c in s.as_bytes() {
        if c.is_ascii_alphanumeric() || b"/-._~".contains(&c) {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out.parse().ok()
}

fn file_name_of(uri: &Uri) -> String {
    let s = uri.as_str();
    let s = s.split(['?', '#']).next().unwrap_or(s);
    s.rsplit(['/', ':']).next().unwrap_or(s).to_string()
}

impl Server {
    /// Runs until `exit` (true when `shutdown` came first) or until the
    /// client goes away.
    fn main_loop(&mut self, conn: &Connection, events: &Receiver<Event>) -> Result<bool, String> {
        let mut shutdown = false;
        loop {
            let timer = match self.deadline {
                Some(d) if !self.busy && !self.dirty.is_empty() => {
                    crossbeam_channel::at(d.max(Instant::now()))
                }
                _ => crossbeam_channel::never(),
            };
            crossbeam_channel::select! {
                recv(conn.receiver) -> msg => {
                    let Ok(msg) = msg else { return Ok(shutdown) };
                    match msg {
                        Message::Request(req) => {
                            if shutdown {
                                self.send(Message::Response(Response::new_err(
                                    req.id,
                                    ErrorCode::InvalidRequest as i32,
                                    "the server is shutting down".into(),
                                )));
                            } else if req.method == lsp_types::request::Shutdown::METHOD {
                                shutdown = true;
                                self.respond(req.id, ());
                            } else {
                                self.on_request(req);
                            }
                        }
                        Message::Notification(n) => {
                            if n.method == lsp_types::notification::Exit::METHOD {
                                return Ok(shutdown);
                            }
                            if !shutdown {
                                self.on_notification(n);
                            }
                        }
                        Message::Response(_) => {}
                    }
                }
                recv(events) -> ev => {
                    if let Ok(ev) = ev {
                        self.on_event(ev);
                    }
                }
                recv(timer) -> _ => self.dispatch(),
            }
        }
    }

    fn send(&self, m: Message) {
        let _ = self.sender.send(m);
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_string(),
            params,
        )));
    }

    fn show(&self, typ: lsp_types::MessageType, message: String) {
        self.notify::<lsp_types::notification::ShowMessage>(lsp_types::ShowMessageParams {
            typ,
            message,
        });
    }

    fn log(&self, message: String) {
        self.notify::<lsp_types::notification::LogMessage>(lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::LOG,
            message,
        });
    }

    fn respond(&self, id: RequestId, result: impl serde::Serialize) {
        self.send(Message::Response(Response::new_ok(id, result)));
    }

    /// Marks `key` for analysis after `delay`.
    fn mark(&mut self, key: String, delay: Duration) {
        self.dirty.insert(key);
        let at = Instant::now() + delay;
        self.deadline = Some(match self.deadline {
            // A later change postpones the analysis (debounce), an open
            // does not wait for pending typing.
            Some(d) if delay.is_zero() => d.min(at),
            _ => at,
        });
    }

    // ---- roots -------------------------------------------------------

    /// Adds a root and starts indexing it (workspace folders).
    fn add_root(&mut self, dir: PathBuf, index: bool) -> usize {
        let (opts, config, error) = workspace::options_for(Some(&dir));
        // An indexed root says it once its index is read.
        if let Some(e) = error.filter(|_| !index) {
            self.show(lsp_types::MessageType::WARNING, format!("afcheck: {e}"));
        }
        self.roots.push(Root {
            dir: Some(dir),
            opts: Arc::new(opts),
            config,
            indexed: index,
        });
        let i = self.roots.len() - 1;
        if index {
            self.reindex(i);
        }
        i
    }

    /// Re-reads a root's configuration and files, off the main loop. A
    /// root that is not a workspace folder only re-reads its configuration.
    fn reindex(&mut self, root: usize) {
        let Some(dir) = self.roots[root].dir.clone() else {
            return;
        };
        if !self.roots[root].indexed {
            let (opts, config, error) = workspace::options_for(Some(&dir));
            if let Some(e) = error {
                self.show(lsp_types::MessageType::WARNING, format!("afcheck: {e}"));
            }
            let r = &mut self.roots[root];
            r.opts = Arc::new(opts);
            r.config = config;
            let open: Vec<String> = self
                .files
                .iter()
                .filter(|(_, e)| e.root == root && e.version.is_some())
                .map(|(k, _)| k.clone())
                .collect();
            for k in open {
                self.mark(k, Duration::ZERO);
            }
            return;
        }
        let events = self.events.clone();
        let _ = std::thread::Builder::new()
            .name("afcheck-index".into())
            .spawn(move || {
                let (opts, config, error) = workspace::options_for(Some(&dir));
                let (files, truncated) = workspace::index(&dir, &opts);
                let _ = events.send(Event::Indexed {
                    root,
                    files,
                    opts: Box::new(opts),
                    config,
                    error,
                    truncated,
                });
            });
    }

    /// The root of a document: the deepest workspace folder holding it,
    /// else a root for its directory (documents outside every folder are
    /// analysed together with the other open ones of that directory).
    fn root_for(&mut self, uri: &Uri) -> (usize, String) {
        let Some(path) = uri_to_path(uri) else {
            // `untitled:` and other schemes: one root without a directory.
            let i = match self.roots.iter().position(|r| r.dir.is_none()) {
                Some(i) => i,
                None => {
                    self.roots.push(Root {
                        dir: None,
                        opts: Arc::new(Options::default()),
                        config: None,
                        indexed: false,
                    });
                    self.roots.len() - 1
                }
            };
            return (i, file_name_of(uri));
        };
        let best = self
            .roots
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let d = r.dir.as_ref()?;
                let rel = workspace::rel_path(d, &path)?;
                Some((d.components().count(), i, rel))
            })
            .max_by_key(|(n, _, _)| *n);
        if let Some((_, i, rel)) = best {
            return (i, rel);
        }
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let i = self.add_root(dir.clone(), false);
        let rel = workspace::rel_path(&dir, &path).unwrap_or_else(|| file_name_of(uri));
        (i, rel)
    }

    // ---- notifications -------------------------------------------------

    fn on_notification(&mut self, n: Notification) {
        use lsp_types::notification::*;
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return;
                };
                let doc = p.text_document;
                let key = key_of(&doc.uri);
                let (root, rel) = match self.files.get(&key) {
                    Some(e) => (e.root, e.rel.clone()),
                    None => self.root_for(&doc.uri),
                };
                let text: Arc<str> = Arc::from(doc.text);
                let e = self.files.entry(key.clone()).or_insert_with(|| Entry {
                    uri: doc.uri.clone(),
                    root,
                    rel,
                    text: text.clone(),
                    version: None,
                    keys: None,
                    old_keys: None,
                    published: None,
                    items: Arc::new(Vec::new()),
                    items_text: None,
                });
                e.uri = doc.uri;
                e.version = Some(doc.version);
                if *e.text != *text {
                    e.old_keys = e.keys.take().or(e.old_keys.take());
                    e.text = text;
                }
                self.mark(key, Duration::ZERO);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return;
                };
                let key = key_of(&p.text_document.uri);
                let Some(e) = self.files.get_mut(&key) else {
                    return;
                };
                // Full synchronisation: the last change holds the whole text.
                let Some(change) = p.content_changes.into_iter().last() else {
                    return;
                };
                if change.range.is_some() {
                    // Not negotiated; a client that sends ranges anyway is
                    // not followed (the text would be wrong).
                    return;
                }
                e.version = Some(p.text_document.version);
                if e.keys.is_some() {
                    e.old_keys = e.keys.take();
                }
                e.text = Arc::from(change.text);
                let d = self.debounce;
                self.mark(key, d);
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                    return;
                };
                let key = key_of(&p.text_document.uri);
                self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
                    uri: p.text_document.uri,
                    diagnostics: Vec::new(),
                    version: None,
                });
                self.close(&key);
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) else {
                    return;
                };
                if let Some(path) = uri_to_path(&p.text_document.uri) {
                    self.on_disk_change(&[path]);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeWatchedFilesParams>(n.params) else {
                    return;
                };
                let paths: Vec<PathBuf> = p
                    .changes
                    .iter()
                    .filter_map(|c| uri_to_path(&c.uri))
                    .collect();
                self.on_disk_change(&paths);
            }
            DidChangeWorkspaceFolders::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeWorkspaceFoldersParams>(n.params)
                else {
                    return;
                };
                for f in p.event.added {
                    if let Some(dir) = uri_to_path(&f.uri) {
                        self.add_root(dir, true);
                    }
                }
                for f in p.event.removed {
                    let Some(dir) = uri_to_path(&f.uri) else {
                        continue;
                    };
                    let Some(i) = self
                        .roots
                        .iter()
                        .position(|r| r.dir.as_deref() == Some(&dir))
                    else {
                        continue;
                    };
                    // The root stays (indices stay valid) but is no longer
                    // indexed: only its open documents remain.
                    self.roots[i].indexed = false;
                    self.files.retain(|_, e| e.root != i || e.version.is_some());
                }
            }
            Initialized::METHOD => self.register_watchers(),
            _ => {}
        }
    }

    /// Asks the client to report changes of the files afcheck reads and of
    /// its configuration and ignore files.
    fn register_watchers(&mut self) {
        if !self.watch {
            return;
        }
        use lsp_types::*;
        let globs = [
            "**/.afcheck.yaml",
            "**/{.gitignore,.ignore,.afcheckignore}",
            "**/*.{yaml,yml,json,cfg}",
            "**/*{Dockerfile,Containerfile,dockerfile,containerfile}*",
            "**/*.{dockerignore,containerignore}",
            "**/.dockerignore",
        ];
        let opts = DidChangeWatchedFilesRegistrationOptions {
            watchers: globs
                .iter()
                .map(|g| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(g.to_string()),
                    kind: None,
                })
                .collect(),
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "afcheck-watch".into(),
                method: notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(opts).ok(),
            }],
        };
        self.next_request += 1;
        self.send(Message::Request(Request::new(
            RequestId::from(format!("afcheck-{}", self.next_request)),
            request::RegisterCapability::METHOD.into(),
            params,
        )));
    }

    fn close(&mut self, key: &str) {
        let Some(e) = self.files.get_mut(key) else {
            return;
        };
        e.version = None;
        e.published = None;
        e.items = Arc::new(Vec::new());
        e.items_text = None;
        let root = &self.roots[e.root];
        // An indexed file goes back to its text on disk; others are dropped.
        let disk = root
            .indexed
            .then(|| uri_to_path(&e.uri))
            .flatten()
            .and_then(|p| {
                let bytes = crate::safe_read::read_regular(&p, root.opts.max_file_size).ok()?;
                String::from_utf8(bytes).ok()
            });
        match disk {
            Some(t) => {
                if *e.text != *t {
                    e.old_keys = e.keys.take().or(e.old_keys.take());
                    e.text = Arc::from(t);
                    self.mark(key.to_string(), Duration::ZERO);
                }
            }
            None => {
                let e = self.files.remove(key);
                // Its neighbours lose a file: re-evaluate them.
                if let Some(keys) = e.and_then(|e| e.keys.or(e.old_keys)) {
                    self.mark_neighbours(&keys);
                }
            }
        }
    }

    /// Marks the open documents sharing a key with `keys`.
    fn mark_neighbours(&mut self, keys: &[Key]) {
        let hit: Vec<String> = self
            .files
            .iter()
            .filter(|(_, e)| e.version.is_some())
            .filter(|(_, e)| {
                e.keys
                    .as_ref()
                    .is_some_and(|k| k.iter().any(|k| keys.contains(k)))
            })
            .map(|(k, _)| k.clone())
            .collect();
        for k in hit {
            self.mark(k, Duration::ZERO);
        }
    }

    /// Files changed on disk (watched, or saved): the configuration or an
    /// ignore file re-reads the roots under it; other files update the
    /// index unless they are open (the editor's text wins).
    fn on_disk_change(&mut self, paths: &[PathBuf]) {
        let mut reindex = BTreeSet::new();
        for p in paths {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if matches!(
                name,
                crate::config::FILE_NAME | ".gitignore" | ".ignore" | ".afcheckignore"
            ) {
                let dir = p.parent().unwrap_or(Path::new("/"));
                for (i, r) in self.roots.iter().enumerate() {
                    let Some(rd) = &r.dir else { continue };
                    // A configuration applies to the roots at or below it,
                    // and the one in force may be above the root.
                    if rd.starts_with(dir) || r.config.as_deref() == Some(p.as_path()) {
                        reindex.insert(i);
                    }
                }
                continue;
            }
            let Some(uri) = path_to_uri(p) else { continue };
            let key = uri.as_str().to_string();
            if self.files.get(&key).is_some_and(|e| e.version.is_some()) {
                continue;
            }
            let (root, rel) = match self.files.get(&key) {
                Some(e) => (e.root, e.rel.clone()),
                None => {
                    let Some((i, rel)) = self.roots.iter().enumerate().find_map(|(i, r)| {
                        let d = r.dir.as_ref().filter(|_| r.indexed)?;
                        Some((i, workspace::rel_path(d, p)?))
                    }) else {
                        continue;
                    };
                    if crate::classify::by_name(Path::new(&rel)).is_none()
                        || self.roots[i].opts.config.ignore_path_set().is_match(&rel)
                    {
                        continue;
                    }
                    (i, rel)
                }
            };
            let max = self.roots[root].opts.max_file_size;
            let text = crate::safe_read::read_regular(p, max)
                .ok()
                .and_then(|b| String::from_utf8(b).ok());
            match text {
                Some(t) => {
                    let e = self.files.entry(key.clone()).or_insert_with(|| Entry {
                        uri,
                        root,
                        rel,
                        text: Arc::from(""),
                        version: None,
                        keys: None,
                        old_keys: None,
                        published: None,
                        items: Arc::new(Vec::new()),
                        items_text: None,
                    });
                    if *e.text != *t {
                        e.old_keys = e.keys.take().or(e.old_keys.take());
                        e.text = Arc::from(t);
                        self.mark(key, Duration::ZERO);
                    }
                }
                None => {
                    if let Some(e) = self.files.remove(&key)
                        && let Some(keys) = e.keys.or(e.old_keys)
                    {
                        self.mark_neighbours(&keys);
                    }
                }
            }
        }
        for r in reindex {
            self.reindex(r);
        }
    }

    // ---- analysis ------------------------------------------------------

    /// Sends the dirty files, with their roots' snapshots, to the worker.
    fn dispatch(&mut self) {
        if self.busy || self.dirty.is_empty() {
            return;
        }
        let dirty = std::mem::take(&mut self.dirty);
        self.deadline = None;
        let mut roots: BTreeSet<usize> = BTreeSet::new();
        for k in &dirty {
            if let Some(e) = self.files.get(k) {
                roots.insert(e.root);
            }
        }
        let mut groups = Vec::new();
        for r in roots {
            let files: Vec<JobFile> = self
                .files
                .iter()
                .filter(|(_, e)| e.root == r)
                .map(|(k, e)| JobFile {
                    key: k.clone(),
                    uri: e.uri.clone(),
                    rel: e.rel.clone(),
                    text: e.text.clone(),
                    version: e.version,
                    keys: e.keys.clone(),
                    old_keys: e.old_keys.clone(),
                    changed: dirty.contains(k),
                })
                .collect();
            groups.push(Group {
                opts: self.roots[r].opts.clone(),
                files,
            });
        }
        if groups.is_empty() {
            return;
        }
        self.generation += 1;
        self.busy = true;
        let job = Job {
            generation: self.generation,
            enc: self.enc,
            groups,
        };
        if self.jobs.send(job).is_err() {
            self.busy = false;
        }
    }

    fn on_event(&mut self, ev: Event) {
        match ev {
            Event::Analysed(done) => {
                if done.generation == self.generation {
                    self.busy = false;
                }
                // Slow re-checks are said: the files a change links to
                // (the project rules) are checked with it.
                if done.elapsed > Duration::from_millis(200) {
                    self.log(format!(
                        "afcheck: checked {} file(s) in {} ms for {} changed file(s)",
                        done.checked,
                        done.elapsed.as_millis(),
                        done.changed.len()
                    ));
                }
                self.apply(done);
            }
            Event::Indexed {
                root,
                files,
                opts,
                config,
                error,
                truncated,
            } => {
                if let Some(e) = error {
                    self.show(lsp_types::MessageType::WARNING, format!("afcheck: {e}"));
                }
                if truncated {
                    self.log(format!(
                        "afcheck: the workspace folder is large: indexed its first {} files or {} MiB only (project rules see those)",
                        workspace::MAX_INDEXED_FILES,
                        workspace::MAX_INDEXED_BYTES >> 20
                    ));
                }
                let r = &mut self.roots[root];
                r.opts = Arc::new(*opts);
                r.config = config;
                // Indexed files of the root are replaced; open documents
                // keep their text (and their place).
                self.files
                    .retain(|_, e| e.root != root || e.version.is_some());
                for f in files {
                    let Some(uri) = path_to_uri(&f.path) else {
                        continue;
                    };
                    let key = uri.as_str().to_string();
                    if let Some(e) = self.files.get_mut(&key) {
                        if *e.text == *f.text && e.keys.is_none() {
                            e.keys = Some(f.keys);
                        }
                        continue;
                    }
                    self.files.insert(
                        key,
                        Entry {
                            uri,
                            root,
                            rel: f.rel,
                            text: f.text,
                            version: None,
                            keys: Some(f.keys),
                            old_keys: None,
                            published: None,
                            items: Arc::new(Vec::new()),
                            items_text: None,
                        },
                    );
                }
                let open: Vec<String> = self
                    .files
                    .iter()
                    .filter(|(_, e)| e.root == root && e.version.is_some())
                    .map(|(k, _)| k.clone())
                    .collect();
                for k in open {
                    self.mark(k, Duration::ZERO);
                }
            }
        }
    }

    /// Takes a worker's results: keys for the texts they were computed
    /// from, diagnostics for open documents whose text is still the one
    /// analysed.
    fn apply(&mut self, done: Done) {
        let mut publish = Vec::new();
        for out in done.files {
            let Some(e) = self.files.get_mut(&out.key) else {
                continue;
            };
            if !Arc::ptr_eq(&e.text, &out.text) && *e.text != *out.text {
                continue;
            }
            e.keys = Some(out.keys);
            e.old_keys = None;
            let Some(items) = out.items else { continue };
            if e.version.is_none() || e.version != out.version {
                continue;
            }
            let diags: Vec<Diagnostic> = items.iter().map(|i| i.diagnostic.clone()).collect();
            e.items = Arc::new(items);
            e.items_text = Some((out.version, out.text.clone()));
            let changed = done.changed.contains(&out.key);
            if changed || e.published.as_ref() != Some(&diags) {
                publish.push(PublishDiagnosticsParams {
                    uri: e.uri.clone(),
                    diagnostics: diags.clone(),
                    version: out.version,
                });
                e.published = Some(diags);
            }
        }
        for p in publish {
            self.notify::<lsp_types::notification::PublishDiagnostics>(p);
        }
    }

    // ---- requests ------------------------------------------------------

    fn on_request(&mut self, req: Request) {
        use lsp_types::request::*;
        match req.method.as_str() {
            CodeActionRequest::METHOD => {
                let result = serde_json::from_value::<CodeActionParams>(req.params)
                    .ok()
                    .map(|p| self.code_actions(p))
                    .unwrap_or_default();
                self.respond(req.id, result);
            }
            HoverRequest::METHOD => {
                let result = serde_json::from_value::<HoverParams>(req.params)
                    .ok()
                    .and_then(|p| {
                        let pp = p.text_document_position_params;
                        let e = self.files.get(&key_of(&pp.text_document.uri))?;
                        hover::hover(&e.rel, &e.text, pp.position, self.enc)
                    });
                self.respond(req.id, result);
            }
            _ => self.send(Message::Response(Response::new_err(
                req.id,
                ErrorCode::MethodNotFound as i32,
                format!("afcheck does not handle `{}`", req.method),
            ))),
        }
    }

    fn workspace_edit(
        &self,
        uri: &Uri,
        version: Option<i32>,
        edits: Vec<TextEdit>,
    ) -> WorkspaceEdit {
        if self.document_changes {
            WorkspaceEdit {
                document_changes: Some(lsp_types::DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: uri.clone(),
                        version,
                    },
                    edits: edits.into_iter().map(lsp_types::OneOf::Left).collect(),
                }])),
                ..WorkspaceEdit::default()
            }
        } else {
            WorkspaceEdit {
                changes: Some(std::iter::once((uri.clone(), edits)).collect()),
                ..WorkspaceEdit::default()
            }
        }
    }

    fn code_actions(&self, p: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = p.text_document.uri;
        let Some(e) = self.files.get(&key_of(&uri)) else {
            return Vec::new();
        };
        // Only for the text the items index (the editor's current one).
        let Some((version, text)) = &e.items_text else {
            return Vec::new();
        };
        if *version != e.version || **text != *e.text {
            return Vec::new();
        }
        let wanted = |kind: &str| match &p.context.only {
            None => true,
            Some(only) => only.iter().any(|o| {
                let o = o.as_str();
                kind == o || kind.starts_with(&format!("{o}."))
            }),
        };
        let r = p.range;
        let mut out = Vec::new();
        if wanted(CodeActionKind::QUICKFIX.as_str()) {
            for item in e.items.iter() {
                let d = &item.diagnostic.range;
                if d.end < r.start || r.end < d.start {
                    continue;
                }
                let name = crate::rules::meta::get(item.rule)
                    .map(|m| m.name.as_str())
                    .unwrap_or("");
                if let Some((app, edits)) = &item.fix {
                    let safe = *app == Applicability::Safe;
                    out.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!(
                            "Fix {} ({name}){}",
                            item.rule,
                            if safe {
                                ""
                            } else {
                                " (unsafe: check the result)"
                            }
                        ),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![item.diagnostic.clone()]),
                        edit: Some(self.workspace_edit(&uri, *version, edits.clone())),
                        is_preferred: Some(safe),
                        ..CodeAction::default()
                    }));
                }
                if let Some(edit) = &item.suppress {
                    out.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!("Suppress {} on this line", item.rule),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![item.diagnostic.clone()]),
                        edit: Some(self.workspace_edit(&uri, *version, vec![edit.clone()])),
                        is_preferred: Some(false),
                        ..CodeAction::default()
                    }));
                }
            }
        }
        if wanted(actions::FIX_ALL) {
            let (edits, diags) = actions::fix_all(&e.items);
            if !edits.is_empty() {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Fix all safe afcheck problems in this file".into(),
                    kind: Some(CodeActionKind::new(actions::FIX_ALL)),
                    diagnostics: Some(diags),
                    edit: Some(self.workspace_edit(&uri, *version, edits)),
                    ..CodeAction::default()
                }));
            }
        }
        out
    }
}

// ---- the worker ------------------------------------------------------------

fn worker_loop(jobs: Receiver<Job>, events: Sender<Event>) {
    for job in jobs {
        let generation = job.generation;
        let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyse(job)))
            .unwrap_or_else(|_| Done {
                generation,
                files: Vec::new(),
                changed: Vec::new(),
                checked: 0,
                elapsed: Duration::ZERO,
            });
        if events.send(Event::Analysed(done)).is_err() {
            return;
        }
    }
}

/// Analyses the changed files of a job with every file linked to them.
fn analyse(job: Job) -> Done {
    let t0 = Instant::now();
    let mut checked = 0;
    let mut out = Vec::new();
    let mut changed_all = Vec::new();
    for g in job.groups {
        let max = g.opts.max_file_size;
        // Keys of texts not summarised yet (changed ones), needed only to
        // choose among other files (a root of changed files is analysed
        // whole; the run then gives their keys).
        let choose = g.files.iter().any(|f| !f.changed);
        let keys: Vec<Option<Arc<Vec<Key>>>> = g
            .files
            .iter()
            .map(|f| match &f.keys {
                Some(k) => Some(k.clone()),
                None if choose => Some(Arc::new(workspace::keys_of_text(&f.rel, &f.text, max))),
                None => None,
            })
            .collect();
        // A changed file links through its old keys and its new ones; a
        // namespace-wide key only when its rule runs.
        let enabled: std::collections::HashSet<&str> = crate::engine::enabled_rules(&g.opts)
            .iter()
            .map(|r| r.id())
            .collect();
        let live = |k: &Key| workspace::key_rule(k).is_none_or(|r| enabled.contains(r));
        let linked: Vec<Vec<Key>> = g
            .files
            .iter()
            .zip(&keys)
            .map(|(f, k)| {
                let mut v: Vec<Key> = k
                    .iter()
                    .flat_map(|k| k.iter())
                    .filter(|k| live(k))
                    .cloned()
                    .collect();
                if f.changed
                    && let Some(old) = &f.old_keys
                {
                    v.extend(old.iter().filter(|k| live(k)).cloned());
                }
                v
            })
            .collect();
        let refs: Vec<&[Key]> = linked.iter().map(Vec::as_slice).collect();
        let comp = workspace::components(&refs);
        let wanted: BTreeSet<usize> = g
            .files
            .iter()
            .zip(&comp)
            .filter(|(f, _)| f.changed)
            .map(|(_, c)| *c)
            .collect();
        // In path order, as the command line walks a folder: the project
        // rules report some findings at the first file of a set.
        let mut members: Vec<usize> = (0..g.files.len())
            .filter(|&i| wanted.contains(&comp[i]))
            .collect();
        members.sort_by(|&a, &b| g.files[a].rel.cmp(&g.files[b].rel));
        let docs: Vec<(String, String)> = members
            .iter()
            .map(|&i| {
                let f = &g.files[i];
                let body = f.text.strip_prefix('\u{feff}').unwrap_or(&f.text);
                (f.rel.clone(), body.to_string())
            })
            .collect();
        checked += docs.len();
        let mut run = crate::lint::lint_project(&docs, &g.opts);
        crate::report::limit(
            &mut run,
            crate::report::MAX_PER_RULE_PER_FILE,
            crate::report::MAX_PER_FILE,
        );
        let clean = crate::report::Cleaner::new(&run);
        let by_path: HashMap<&str, u32> = run
            .files
            .iter()
            .enumerate()
            .map(|(i, af)| (af.file.path.as_str(), i as u32))
            .collect();
        let uri_by_index: HashMap<u32, Uri> = members
            .iter()
            .filter_map(|&i| {
                let f = &g.files[i];
                Some((*by_path.get(f.rel.as_str())?, f.uri.clone()))
            })
            .collect();
        let uri_of = |i: u32| uri_by_index.get(&i).cloned();
        for &i in &members {
            let f = &g.files[i];
            let idx = by_path.get(f.rel.as_str()).copied();
            let keys = match (&keys[i], idx) {
                (Some(k), _) => k.clone(),
                (None, Some(idx)) => Arc::new(workspace::keys_of(&run.files[idx as usize])),
                (None, None) => Arc::new(Vec::new()),
            };
            let items = f.version.map(|_| match idx {
                Some(idx) => diagnostics::file_items(&run, &clean, idx, &f.text, job.enc, &uri_of),
                None => Vec::new(),
            });
            if f.changed {
                changed_all.push(f.key.clone());
            }
            out.push(FileOut {
                key: f.key.clone(),
                version: f.version,
                text: f.text.clone(),
                keys,
                items,
            });
        }
    }
    Done {
        generation: job.generation,
        files: out,
        changed: changed_all,
        checked,
        elapsed: t0.elapsed(),
    }
}
