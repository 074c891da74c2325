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
            .docs
            .first()
            .and_then(|d| d.root)
            .map(|r| {
                stream
                    .node(r)
                    .entries()
                    .filter_map(|(k, _)| k.as_str())
                    .collect()
            })
            .unwrap_or_default();
        if classify::is_helm_values(name_path, &keys) {
            YamlKind::HelmValues
        } else {
            YamlKind::Other
        }
    };
    Some(Parsed::Yaml(YamlFile {
        stream,
        kind,
        objects,
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
