//! The document layer: one file as the rules see it, built once from its
//! text (parsed file, its model, its Airflow settings, its suppressions,
//! its secret hits and sensitive spans). Sits between the parsers and
//! models below and the rules and the engine above; imports neither.

use std::path::Path;

use crate::classify::{self, FileKind, YamlKind};
use crate::finding::{Finding, Severity};
use crate::secrets::Hit;
use crate::source::{SourceFile, Span};
use crate::suppress::{self, Suppressions};
use crate::{airflow, dockerfile, k8s, secrets, yaml};

/// Default limit on the size of one file.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 << 20;

/// A parsed YAML file.
#[derive(Debug)]
pub struct YamlFile {
    pub stream: yaml::YamlStream,
    pub kind: YamlKind,
    pub objects: Vec<k8s::Object>,
    /// The Argo CD `helm.values` strings of an Airflow chart, parsed once.
    pub embedded: Vec<airflow::gitops::Embedded>,
}

/// What a file parsed into.
#[derive(Debug)]
pub enum Parsed {
    Dockerfile(dockerfile::Dockerfile),
    DockerIgnore,
    Yaml(YamlFile),
    AirflowCfg(airflow::CfgFile),
    /// A Helm chart template: not YAML until rendered. `chart` is the chart
    /// directory (the nearest ancestor with a Chart.yaml), if any.
    HelmTemplate {
        chart: Option<String>,
    },
    /// Could not be read or decoded; the diagnostic is in the file's findings.
    Unreadable,
}

/// One file after parsing and modelling.
#[derive(Debug)]
pub struct AnalyzedFile {
    pub file: SourceFile,
    pub parsed: Parsed,
    /// Airflow settings this file contributes (cfg, ConfigMap, env, ENV, Helm).
    pub airflow: Vec<airflow::Setting>,
    pub suppressions: Suppressions,
    /// Findings made while reading the file (AFY005).
    pub diagnostics: Vec<Finding>,
    /// Every secret the detectors find in the file (overlaps resolved),
    /// computed once when the document is built; the AFS rules report them.
    pub secret_hits: Vec<Hit>,
    /// Secret spans: values that are secret by their place (a Kubernetes
    /// Secret's `data` and `stringData`) and, after the engine's run, every
    /// span any rule marked as a secret (selected or not, suppressed or
    /// not). Reporters mask them (and their values) in every output.
    pub sensitive: Vec<Span>,
}

impl AnalyzedFile {
    /// A document of `file` as parsed, with no analyses (tests, reporters'
    /// hand-built runs).
    pub fn bare(file: SourceFile, parsed: Parsed) -> AnalyzedFile {
        AnalyzedFile {
            file,
            parsed,
            airflow: Vec::new(),
            suppressions: Suppressions::default(),
            diagnostics: Vec::new(),
            secret_hits: Vec::new(),
            sensitive: Vec::new(),
        }
    }
    /// A file that could not be read or decoded: `text` is what was read
    /// before the problem at byte `at`; one AFY005 says why.
    pub fn unreadable(path: String, text: &str, at: usize, message: String) -> AnalyzedFile {
        let file = SourceFile::new(path, text);
        let span = Span::empty(at.min(file.text.len()));
        let mut af = AnalyzedFile::bare(file, Parsed::Unreadable);
        af.diagnostics = vec![Finding::of("AFY005", span, message)];
        af
    }
    pub fn yaml(&self) -> Option<&YamlFile> {
        match &self.parsed {
            Parsed::Yaml(y) => Some(y),
            _ => None,
        }
    }
    /// True for a file afcheck chose not to read (a link out of the root or
    /// into `.git`, a FIFO, device or socket): its only content is the
    /// warning that says so.
    pub fn skipped_by_policy(&self) -> bool {
        matches!(self.parsed, Parsed::Unreadable)
            && !self.diagnostics.is_empty()
            && self
                .diagnostics
                .iter()
                .all(|d| d.severity_fixed && d.severity == Severity::Warning)
    }
    pub fn dockerfile(&self) -> Option<&dockerfile::Dockerfile> {
        match &self.parsed {
            Parsed::Dockerfile(d) => Some(d),
            _ => None,
        }
    }
}

/// How a path is reported: `/` separators, no leading `./`.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("./").unwrap_or(&s).to_string();
    if s.is_empty() { ".".into() } else { s }
}

/// The chart directory of a template: nearest ancestor holding Chart.yaml.
fn chart_dir(path: &Path) -> Option<String> {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d.join("Chart.yaml").is_file() {
            return Some(display_path(d));
        }
        dir = d.parent();
    }
    None
}

/// Content sniffing for stdin and explicit files with unknown names.
pub fn sniff(text: &str) -> Option<FileKind> {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    let upper = first.to_ascii_uppercase();
    // `FROM<TAB>image` is as valid as `FROM image`.
    if upper.starts_with("FROM ")
        || upper.starts_with("FROM\t")
        || upper.starts_with("ARG ")
        || upper.starts_with("ARG\t")
    {
        return Some(FileKind::Dockerfile);
    }
    if first.starts_with('[') && airflow::looks_like_airflow_cfg(text) {
        return Some(FileKind::Cfg);
    }
    if first.contains(':') || first.starts_with("---") || first.starts_with("- ") {
        return Some(FileKind::Yaml);
    }
    None
}

/// Parses and models one file's text. `name_path` is the path it is
/// reported (and classified) as, `kind` its class by name if any,
/// `fs_path` where it was read on disk (for a chart's directory and a
/// Compose file's `env_file`s). None when the file is not afcheck's (an
/// unknown kind, a `.cfg` that is not Airflow's, a JSON file that holds no
/// Kubernetes object).
pub fn build(
    path: String,
    text: &str,
    name_path: &Path,
    kind: Option<FileKind>,
    fs_path: Option<&Path>,
) -> Option<AnalyzedFile> {
    let text_ref = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Unknown names given explicitly (or on stdin) are classified by content.
    let kind = kind.or_else(|| sniff(text_ref))?;
    let parsed = match kind {
        FileKind::Dockerfile => Parsed::Dockerfile(dockerfile::parse(text_ref)),
        FileKind::DockerIgnore => Parsed::DockerIgnore,
        FileKind::Cfg => {
            let is_airflow = name_path.file_name().is_some_and(|n| n == "airflow.cfg")
                || airflow::looks_like_airflow_cfg(text_ref);
            if !is_airflow {
                return None;
            }
            Parsed::AirflowCfg(airflow::parse_cfg(text_ref))
        }
        FileKind::Yaml => parse_yaml(text_ref, name_path, fs_path)?,
    };
    let file = SourceFile::new(path, text);
    let airflow = airflow_settings(&file, &parsed, fs_path);
    let suppressions = match &parsed {
        Parsed::Dockerfile(d) => suppress::collect(&file, suppress::Kind::Dockerfile(Some(d))),
        Parsed::Yaml(y) => suppress::collect(&file, suppress::Kind::Yaml(&y.stream, &y.objects)),
        _ => suppress::collect(&file, suppress::Kind::Other),
    };
    let sensitive = match &parsed {
        Parsed::Yaml(y) => k8s::secret_value_spans(&y.stream, &y.objects),
        _ => Vec::new(),
    };
    let secret_hits = secret_hits(&file, &parsed);
    Some(AnalyzedFile {
        file,
        parsed,
        airflow,
        suppressions,
        diagnostics: Vec::new(),
        secret_hits,
        sensitive,
    })
}

fn parse_yaml(text_ref: &str, name_path: &Path, fs_path: Option<&Path>) -> Option<Parsed> {
    let json = classify::is_json(name_path);
    // Cheap test before parsing: a JSON manifest names its apiVersion.
    if json && !text_ref.contains("\"apiVersion\"") {
        return None;
    }
    // Parsed first only when the text looks like a template outside
    // a chart's templates/ (which are templates whatever they hold).
    let maybe = !json
        && classify::is_helm_template(name_path, text_ref)
        && !classify::in_chart_templates(name_path);
    let stream = maybe.then(|| yaml::parse(text_ref));
    // A file that parses cleanly has its `{{` checked against its
    // scalars: inside one, it is text, not a template action.
    let scalars: Option<Vec<Span>> = stream.as_ref().filter(|s| s.errors.is_empty()).map(|s| {
        let mut v: Vec<Span> = s
            .nodes
            .iter()
            .filter(|n| matches!(n.kind, yaml::NodeKind::Scalar { .. }))
            .map(|n| n.span)
            .collect();
        v.sort_unstable();
        v
    });
    if !json && classify::is_helm_template_parsed(name_path, text_ref, scalars.as_deref()) {
        return Some(Parsed::HelmTemplate {
            chart: fs_path.and_then(chart_dir),
        });
    }
    let stream = stream.unwrap_or_else(|| yaml::parse(text_ref));
    let objects = k8s::objects(&stream);
    if json && objects.is_empty() {
        return None;
    }
    let kind = if !objects.is_empty() {
        YamlKind::Manifests
    } else {
        let keys: Vec<&str> = stream
            .first_root()
            .map(|r| r.entries().filter_map(|(k, _)| k.as_str()).collect())
            .unwrap_or_default();
        if classify::is_helm_values(name_path, &keys) {
            YamlKind::HelmValues
        } else {
            YamlKind::Other
        }
    };
    let embedded = airflow::gitops::embedded_values(&stream, &objects, text_ref);
    Some(Parsed::Yaml(YamlFile {
        stream,
        kind,
        objects,
        embedded,
    }))
}

/// Every Airflow setting a parsed file contributes; `fs_path` is where it
/// was read on disk (a Compose file's `env_file`s next to it are read too).
pub fn airflow_settings(
    file: &SourceFile,
    parsed: &Parsed,
    fs_path: Option<&Path>,
) -> Vec<airflow::Setting> {
    use airflow::sources;
    match parsed {
        Parsed::AirflowCfg(c) => sources::settings_of_cfg(c, file),
        Parsed::Yaml(y) => sources::settings_of_yaml(file, &y.stream, y.kind, &y.objects, fs_path),
        Parsed::Dockerfile(d) => sources::settings_of_dockerfile(d, file),
        _ => Vec::new(),
    }
}

/// Every secret hit of a parsed file (overlaps resolved).
pub fn secret_hits(file: &SourceFile, parsed: &Parsed) -> Vec<Hit> {
    use secrets::sources::{self, TextKind};
    let text: &str = &file.text;
    match parsed {
        Parsed::Unreadable | Parsed::DockerIgnore => Vec::new(),
        Parsed::Yaml(y) => sources::scan_yaml(text, &y.stream, &y.objects),
        Parsed::AirflowCfg(_) => sources::scan_text(text, TextKind::Ini),
        Parsed::HelmTemplate { .. } => sources::scan_text(text, TextKind::HelmTemplate),
        Parsed::Dockerfile(df) => sources::scan_dockerfile(text, df),
    }
}

/// Every secret span of one file that does not depend on findings:
/// `sensitive` (Secret data and every span a rule marked), Airflow's
/// sensitive options, URL credentials.
pub fn sensitive_spans(text: &str, sensitive: &[Span], airflow: &[airflow::Setting]) -> Vec<Span> {
    let mut v = sensitive.to_vec();
    for s in airflow {
        let Some(value) = &s.value else { continue };
        let connection = s.marker == Some(crate::airflow::sources::Marker::Connection);
        if s.value_span.is_empty() || s.implicit || (s.marker.is_some() && !connection) {
            continue;
        }
        let sensitive = connection || crate::airflow::knowledge::is_sensitive(&s.section, &s.key);
        if !sensitive || crate::secrets::spans::is_reference(value) || value.contains("://") {
            // URIs (connections, broker URLs): only their credentials,
            // found below, are secret.
            continue;
        }
        if crate::secrets::placeholder::is_reference_or_placeholder(value) {
            continue;
        }
        v.push(s.value_span);
    }
    if text.contains("://") {
        crate::secrets::spans::url_credentials(text, 0, &mut v);
    }
    v.retain(|s| s.end() <= text.len() && s.start <= s.end);
    v
}

/// What a file is, once its tree and model are dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Dockerfile,
    DockerIgnore,
    Yaml(YamlKind),
    AirflowCfg,
    /// A Helm chart template and its chart directory, if any.
    HelmTemplate {
        chart: Option<String>,
    },
    Unreadable,
}

/// A Dockerfile `COPY` or `ADD` from the build context (not `--from`).
#[derive(Clone, Debug)]
pub struct CopyRef {
    /// The instruction.
    pub span: Span,
    /// Its sources (every argument but the destination).
    pub sources: Vec<String>,
}

/// The official Airflow chart's values keys that name a signing secret or
/// the Secret holding it.
pub const CHART_SECRET_KEYS: [&str; 6] = [
    "apiSecretKey",
    "apiSecretKeySecretName",
    "webserverSecretKey",
    "webserverSecretKeySecretName",
    "jwtSecret",
    "jwtSecretName",
];

/// One values root of the official Airflow chart (a values file, or the
/// inline values of a GitOps object).
#[derive(Clone, Debug)]
pub struct ChartValues {
    /// The values mapping.
    pub span: Span,
    /// Its first key (or the file's start).
    pub first_key: Span,
    /// Which of [`CHART_SECRET_KEYS`] are set to a non-empty string.
    pub set: Vec<&'static str>,
}

/// A file's text, compressed (LZ4, fast enough to be lost in the parse):
/// kept for the reporters (and the rare project rule that quotes a line) at
/// a fraction of its size.
#[derive(Clone, Debug, Default)]
pub struct StoredText {
    compressed: Vec<u8>,
}

impl StoredText {
    pub fn new(text: &str) -> StoredText {
        StoredText {
            compressed: lz4_flex::block::compress_prepend_size(text.as_bytes()),
        }
    }
    /// The text as it was stored.
    pub fn load(&self) -> String {
        lz4_flex::block::decompress_size_prepended(&self.compressed)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

/// How to read a file's text again: a regular file found by the walk keeps
/// no text at all once its own rules ran (memory follows the largest file,
/// not the repository); the few files a reporter shows are read again and
/// checked against the hash of the text that was checked.
#[derive(Clone, Debug)]
pub struct Reread {
    pub path: std::path::PathBuf,
    /// The size limit the file was read with.
    pub max: u64,
    /// Reads and decodes the file as the engine did (None when it cannot).
    pub read: fn(&Path, u64) -> Option<String>,
}

/// The hash a re-read text is checked against.
fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Where the text of a summary comes from when it is not held.
#[derive(Clone, Debug)]
enum Kept {
    /// Compressed in memory (text given on standard input, named files,
    /// edited files).
    Stored(StoredText),
    /// Read again from disk, checked against `hash`.
    Reread { from: Reread, hash: u64 },
}

/// What stays of a document once its own rules ran: what the project rules,
/// the suppressions and the reporters need. The YAML tree, the Dockerfile
/// model and the text are dropped: a walked regular file is read again from
/// disk ([`Reread`], checked against the hash of what was checked), any
/// other keeps its text compressed ([`StoredText`]); either only for the
/// files a reporter shows.
#[derive(Debug)]
pub struct FileSummary {
    /// The file's path; its text and line index only in a hand-built
    /// summary ([`FileSummary::bare`]) and, during a run, for a file with
    /// Airflow settings ([`FileSummary::has_text`]). A run's files give
    /// their text through [`FileSummary::load`] (reporters, via
    /// `Run::source`), [`FileSummary::text`] or [`FileSummary::source`].
    pub file: SourceFile,
    pub kind: Kind,
    /// Airflow settings this file contributes.
    pub airflow: Vec<airflow::Setting>,
    pub suppressions: Suppressions,
    /// Findings made while reading the file (AFY005).
    pub diagnostics: Vec<Finding>,
    /// Secret spans (see [`AnalyzedFile::sensitive`]); with the spans of
    /// every finding once the run is over.
    pub sensitive: Vec<Span>,
    /// The file's entries of the run's Kubernetes object index.
    pub objects: Vec<k8s::index::ObjectSummary>,
    /// A Dockerfile's `COPY`/`ADD` from the build context.
    pub copies: Vec<CopyRef>,
    /// The official Airflow chart's values roots.
    pub chart_values: Vec<ChartValues>,
    /// The text of [`sensitive_spans`] when the summary was made, for the
    /// redaction of files whose text is not kept.
    pub secret_values: Vec<String>,
    stored: Option<Kept>,
    has_text: bool,
    /// Set when a re-read found the file changed since it was checked.
    changed: std::sync::atomic::AtomicBool,
    /// The text decompressed for [`FileSummary::source`], once.
    restored: std::sync::OnceLock<Box<SourceFile>>,
}

impl FileSummary {
    /// A file with its text and nothing else (hand-built runs in tests).
    pub fn bare(file: SourceFile) -> FileSummary {
        FileSummary {
            file,
            kind: Kind::DockerIgnore,
            airflow: Vec::new(),
            suppressions: Suppressions::default(),
            diagnostics: Vec::new(),
            sensitive: Vec::new(),
            objects: Vec::new(),
            copies: Vec::new(),
            chart_values: Vec::new(),
            secret_values: Vec::new(),
            stored: None,
            has_text: true,
            changed: Default::default(),
            restored: std::sync::OnceLock::new(),
        }
    }
    /// True when [`FileSummary::file`] holds the text.
    pub fn has_text(&self) -> bool {
        self.has_text
    }
    /// True when the text is there to show: held, stored compressed, or to
    /// be read again from disk (the engine keeps this only for files a
    /// finding shows).
    pub fn has_source(&self) -> bool {
        self.has_text || self.stored.is_some()
    }
    /// The file's text (decompressed when it is not held; empty when it was
    /// dropped).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match (&self.stored, self.has_text) {
            (Some(k), false) => std::borrow::Cow::Owned(self.unheld(k)),
            _ => std::borrow::Cow::Borrowed(&self.file.text),
        }
    }
    /// The text that is not held: decompressed, or read again from disk. A
    /// file that changed since it was checked gives an empty text (its
    /// findings are still reported, without source lines: showing the new
    /// text could show what no rule checked) and is marked
    /// [`FileSummary::changed`].
    fn unheld(&self, kept: &Kept) -> String {
        match kept {
            Kept::Stored(s) => s.load(),
            Kept::Reread { from, hash } => {
                let path = match from.path.as_os_str().is_empty() {
                    true => Path::new(&self.file.path),
                    false => from.path.as_path(),
                };
                let text = (from.read)(path, from.max)
                    .map(|t| match t.strip_prefix('\u{feff}') {
                        Some(rest) => rest.to_string(),
                        None => t,
                    })
                    .filter(|t| text_hash(t) == *hash);
                match text {
                    Some(t) => t,
                    None => {
                        self.changed
                            .store(true, std::sync::atomic::Ordering::Relaxed);
                        String::new()
                    }
                }
            }
        }
    }
    /// True when a re-read found the file changed (or gone) since it was
    /// checked: its findings were shown without source lines.
    pub fn changed(&self) -> bool {
        self.changed.load(std::sync::atomic::Ordering::Relaxed)
    }
    /// The file with its text, decompressed anew when it is not held (for a
    /// reporter, which drops it when done with the file); None when the
    /// text was dropped.
    pub fn load(&self) -> Option<std::sync::Arc<SourceFile>> {
        if self.has_text {
            return Some(std::sync::Arc::new(SourceFile {
                path: self.file.path.clone(),
                text: self.file.text.clone(),
                lines: self.file.lines.clone(),
            }));
        }
        let text = self.unheld(self.stored.as_ref()?);
        Some(std::sync::Arc::new(SourceFile {
            path: self.file.path.clone(),
            lines: crate::source::LineIndex::new(&text),
            text: std::sync::Arc::from(text),
        }))
    }
    /// The file with its text, decompressed once and kept (the library API's
    /// [`crate::engine::Run::file`]; reporters use `Run::source`, which does
    /// not keep every file).
    pub fn source(&self) -> &SourceFile {
        if self.has_text || self.stored.is_none() {
            return &self.file;
        }
        self.restored.get_or_init(|| {
            let text = self.text();
            Box::new(SourceFile {
                path: self.file.path.clone(),
                lines: crate::source::LineIndex::new(&text),
                text: std::sync::Arc::from(&*text),
            })
        })
    }
    /// The 1-based line of a byte offset (decompresses the text when it is not
    /// held: for the rare message that quotes another file's line).
    pub fn line_of(&self, offset: usize) -> u32 {
        if self.has_text {
            return self.file.position(offset).line;
        }
        SourceFile::new(self.file.path.clone(), &self.text())
            .position(offset)
            .line
    }
    /// A copy of the summary allocated anew on the calling thread (see
    /// `engine::run`: summaries made on the worker threads would otherwise
    /// stay scattered among the freed parse trees of their allocator arenas,
    /// and memory would grow faster than what is kept).
    pub fn packed(&self) -> FileSummary {
        FileSummary {
            file: SourceFile {
                path: self.file.path.as_str().to_owned(),
                text: if self.file.text.is_empty() {
                    self.file.text.clone()
                } else {
                    std::sync::Arc::from(&*self.file.text)
                },
                lines: self.file.lines.clone(),
            },
            kind: self.kind.clone(),
            airflow: self.airflow.clone(),
            suppressions: self.suppressions.clone(),
            diagnostics: self.diagnostics.clone(),
            sensitive: self.sensitive.clone(),
            objects: self.objects.clone(),
            copies: self.copies.clone(),
            chart_values: self.chart_values.clone(),
            secret_values: self.secret_values.clone(),
            stored: self.stored.clone(),
            has_text: self.has_text,
            changed: std::sync::atomic::AtomicBool::new(
                self.changed.load(std::sync::atomic::Ordering::Relaxed),
            ),
            restored: std::sync::OnceLock::new(),
        }
    }
    /// Forgets the text (the file is shown nowhere).
    pub fn drop_text(&mut self) {
        self.stored = None;
        if self.has_text {
            self.file = SourceFile::new(std::mem::take(&mut self.file.path), "");
            self.has_text = false;
        }
    }
    /// See [`AnalyzedFile::skipped_by_policy`].
    pub fn skipped_by_policy(&self) -> bool {
        self.kind == Kind::Unreadable
            && !self.diagnostics.is_empty()
            && self
                .diagnostics
                .iter()
                .all(|d| d.severity_fixed && d.severity == Severity::Warning)
    }
}

impl AnalyzedFile {
    /// What stays of this document once its own rules ran (their findings
    /// marked `secrets`): the document's tree, model and text are dropped.
    ///
    /// `reread`: how to read the file again (a regular file found by the
    /// walk); its text is then not kept. Other files keep it compressed.
    pub fn summarize(
        self,
        secrets: impl IntoIterator<Item = Span>,
        reread: Option<Reread>,
    ) -> FileSummary {
        let AnalyzedFile {
            file,
            parsed,
            airflow,
            suppressions,
            diagnostics,
            secret_hits: _,
            mut sensitive,
        } = self;
        sensitive.extend(secrets);
        sensitive.sort();
        sensitive.dedup();
        let secret_values = sensitive_spans(&file.text, &sensitive, &airflow)
            .into_iter()
            .map(|s| file.slice(s).to_string())
            .collect();
        let mut objects = Vec::new();
        let mut copies = Vec::new();
        let mut chart_values = Vec::new();
        let kind = match &parsed {
            Parsed::Dockerfile(df) => {
                for ins in &df.instructions {
                    if !(ins.is("COPY") || ins.is("ADD")) || ins.flag("from").is_some() {
                        continue;
                    }
                    let words = ins.arg_words();
                    if let Some((_, srcs)) = words.split_last() {
                        copies.push(CopyRef {
                            span: ins.span,
                            sources: srcs.iter().map(|w| w.value.clone()).collect(),
                        });
                    }
                }
                Kind::Dockerfile
            }
            Parsed::DockerIgnore => Kind::DockerIgnore,
            Parsed::Yaml(y) => {
                objects = k8s::index::summarize(&file, &y.objects, &y.stream);
                let roots = airflow::gitops::chart_values_roots(
                    &y.stream,
                    y.kind,
                    &y.objects,
                    &y.embedded,
                    &file.text,
                );
                for cr in roots {
                    chart_values.push(ChartValues {
                        span: cr.whole(),
                        first_key: cr
                            .root
                            .entries()
                            .next()
                            .map(|(k, _)| cr.span(k.span(), &file.text))
                            .unwrap_or(Span::empty(0)),
                        // Set here, or possibly set where afcheck does not
                        // look (values files merged under a GitOps
                        // object's inline values, Argo CD parameters).
                        set: CHART_SECRET_KEYS
                            .into_iter()
                            .filter(|k| {
                                airflow::gitops::is_set(cr.root.get(k)) || !cr.unset_known(&[k])
                            })
                            .collect(),
                    });
                }
                Kind::Yaml(y.kind)
            }
            Parsed::AirflowCfg(_) => Kind::AirflowCfg,
            Parsed::HelmTemplate { chart } => Kind::HelmTemplate {
                chart: chart.clone(),
            },
            Parsed::Unreadable => Kind::Unreadable,
        };
        drop(parsed);
        // A file that sets Airflow options keeps its text as it is: the
        // Airflow project rules make fix edits on it
        // (`rules::airflow::edits`). Such files are few; every other file
        // keeps it compressed.
        let keep = airflow.iter().any(|s| s.is_option());
        // An unreadable file's text is what could be read (the prefix its
        // diagnostic points into), not the file: it is not read again.
        let reread = reread.filter(|_| kind != Kind::Unreadable);
        let (file, stored) = match keep {
            true => (file, None),
            false => {
                let kept = match reread {
                    Some(mut from) => Kept::Reread {
                        // Most walked files are read under the path they are
                        // shown as: it is not stored twice.
                        from: {
                            if from.path.as_os_str() == file.path.as_str() {
                                from.path = std::path::PathBuf::new();
                            }
                            from
                        },
                        hash: text_hash(&file.text),
                    },
                    None => Kept::Stored(StoredText::new(&file.text)),
                };
                (SourceFile::new(file.path.clone(), ""), Some(kept))
            }
        };
        FileSummary {
            file,
            kind,
            airflow,
            suppressions,
            diagnostics,
            sensitive,
            objects,
            copies,
            chart_values,
            secret_values,
            stored,
            has_text: keep,
            changed: Default::default(),
            restored: std::sync::OnceLock::new(),
        }
    }
}
