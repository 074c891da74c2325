//! Every source of Airflow configuration, turned into [`Setting`]s once per
//! file: `airflow.cfg` files, ConfigMaps holding an `airflow.cfg` (or
//! `AIRFLOW__*` keys), `AIRFLOW__SECTION__KEY` env vars in Kubernetes
//! containers, Helm values (`config:`, `env:`, `secret:`) and Dockerfile ENV.

use super::cfg::{self, CfgErrorKind, CfgFile, DEFAULT_SECTION};
use super::knowledge::{self, Version};
use crate::source::{SourceFile, Span, SpanMap};
use crate::yaml::{NodeRef, ScalarStyle, YamlStream};
use crate::{classify::YamlKind, k8s};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// An `airflow.cfg` file.
    Cfg,
    /// An `airflow.cfg` embedded in a ConfigMap.
    ConfigMapCfg,
    /// The official chart's `config:` values (rendered into airflow.cfg).
    HelmConfig,
    /// An env var of a Kubernetes container (or a ConfigMap key meant for
    /// `envFrom`).
    EnvVar,
    /// An env var in Helm values (`env:`, `secret:`).
    HelmEnv,
    /// A Dockerfile `ENV`.
    DockerEnv,
    /// A Docker Compose service's `environment`.
    ComposeEnv,
    /// A variable from a Compose service's `env_file`.
    ComposeEnvFile,
}

impl SourceKind {
    /// Sources Airflow reads as environment variables (they win over files).
    pub fn is_env(self) -> bool {
        matches!(
            self,
            SourceKind::EnvVar
                | SourceKind::HelmEnv
                | SourceKind::DockerEnv
                | SourceKind::ComposeEnv
                | SourceKind::ComposeEnvFile
        )
    }
    /// Values that end up in an airflow.cfg (`%` interpolation applies).
    pub fn is_file(self) -> bool {
        !self.is_env()
    }
    pub fn describe(self) -> &'static str {
        match self {
            SourceKind::Cfg => "airflow.cfg",
            SourceKind::ConfigMapCfg => "airflow.cfg in a ConfigMap",
            SourceKind::HelmConfig => "Helm `config:`",
            SourceKind::EnvVar => "environment variable",
            SourceKind::HelmEnv => "Helm values env",
            SourceKind::DockerEnv => "Dockerfile ENV",
            SourceKind::ComposeEnv => "Compose `environment`",
            SourceKind::ComposeEnvFile => "Compose `env_file`",
        }
    }
}

/// How the option is given: directly, or through `_cmd`/`_secret`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Value,
    Cmd,
    Secret,
}

impl Via {
    pub fn suffix(self) -> &'static str {
        match self {
            Via::Value => "",
            Via::Cmd => "_cmd",
            Via::Secret => "_secret",
        }
    }
}

/// Facts about a source that are not an option value.
#[derive(Clone, Debug, PartialEq)]
pub enum Marker {
    /// A section header `[name]` (span: the name).
    Section,
    /// The option at `key_span` repeats one first set at `first`.
    DuplicateOption { first: Span },
    /// The section header at `key_span` repeats one at `first`.
    DuplicateSection { first: Span },
    /// A line configparser refuses (message in `value`).
    Syntax,
    /// An `apache/airflow:X.Y.Z` image (or chart version key): `value`
    /// holds the version.
    Image,
    /// An `AIRFLOW_CONN_<ID>` connection env var (`key`: the connection
    /// id; `value`: its URI or JSON).
    Connection,
    /// The unit reads another source (span: the reference).
    Link(Link),
    /// A key of a ConfigMap's `data` or a Secret's `data`/`stringData` (any
    /// name), for `valueFrom` references: `name` is the key, `value` its
    /// value (decoded for a Secret's `data`; None when too long to be an
    /// option value), the spans its key and value. Never an option itself.
    Key,
    /// A `kustomization.yaml` with `namespace:` lists the file `file` (its
    /// normalised path) under `resources:`: its objects are applied into
    /// `namespace` (span: the entry in `resources:`).
    Namespace { file: String, namespace: String },
}

/// A reference from one source unit to another, as written in the files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// A Kubernetes object's unit (`ConfigMap/<ns>/<name>`,
    /// `ConfigMap/<ns>/<name>#<key>`, `Secret/<ns>/<name>`), found in any
    /// file of the run (same file first, then same directory).
    Object(String),
    /// A file of the run by its normalised path (an airflow.cfg a Dockerfile
    /// copies, the Dockerfile a Compose service builds).
    File(String),
    /// An env var's `valueFrom.configMapKeyRef` / `secretKeyRef`: the
    /// variable's value is key `key` of the object `object`
    /// (`ConfigMap/<ns>/<name>`, `Secret/<ns>/<name>`). The marker's
    /// `key_span` is the variable's name, which pairs it with the variable
    /// (a setting of the same unit with that `key_span`).
    Value { object: String, key: String },
}

/// One option set in one source (or, with `marker`, a fact about a source).
#[derive(Clone, Debug)]
pub struct Setting {
    /// Section and key as Airflow will look them up (env var names are
    /// lower-cased; cfg keys are kept as written, see `case_ok`). For `_cmd`
    /// and `_secret` the key is the base option.
    pub section: String,
    pub key: String,
    pub via: Via,
    /// The value; None when it comes from a Secret or other reference.
    pub value: Option<String>,
    pub source: SourceKind,
    /// The name as written (env var name, or cfg key), for messages.
    pub name: String,
    /// File-level spans of the key (env var name) and of the value.
    pub key_span: Span,
    pub value_span: Span,
    /// Offsets in `value` to file offsets.
    pub value_map: Option<SpanMap>,
    /// The source unit of its file it belongs to: "" (the whole file: an
    /// airflow.cfg, a Dockerfile, a Helm values file), `ConfigMap/<ns>/<name>`
    /// (its `AIRFLOW__*` keys), `ConfigMap/<ns>/<name>#<key>` (an airflow.cfg
    /// under `key`), `Secret/<ns>/<name>`, `<Kind>/<ns>/<name>/<container>`,
    /// `service/<name>` (Compose). The model links units into groups.
    pub unit: String,
    /// Where in the file, for messages (`ConfigMap/x`, `Deployment/y container z`).
    pub origin: String,
    /// False when Airflow never reads it because of its case (`[CORE]`,
    /// `LOAD_EXAMPLES`, `AIRFLOW__core__x`).
    pub case_ok: bool,
    /// For values in a cfg: offset in `value` of a `%` interpolation error.
    pub interp_error: Option<(usize, String)>,
    /// Comes from a Kubernetes Secret (`valueFrom.secretKeyRef`, chart `secret:`).
    pub from_secret: bool,
    pub marker: Option<Marker>,
    /// Set by a tool rather than written in the file (the Helm chart's
    /// built-in env vars from its Secrets): it takes part in effective
    /// values but is never reported itself.
    pub implicit: bool,
}

impl Setting {
    /// Fills section, key and suffix from an environment variable name
    /// (`AIRFLOW__SECTION__KEY[_CMD|_SECRET]` or `AIRFLOW_CONN_<ID>`);
    /// false when the name is not Airflow's.
    pub fn set_env_name(&mut self, name: &str) -> bool {
        if let Some(conn) = name.strip_prefix("AIRFLOW_CONN_").filter(|c| !c.is_empty()) {
            self.marker = Some(Marker::Connection);
            self.key = conn.to_ascii_lowercase();
        } else {
            let Some((section, key, via, case_ok)) = parse_env_name(name) else {
                return false;
            };
            self.section = section;
            self.key = key;
            self.via = via;
            self.case_ok = case_ok;
        }
        self.name = name.to_string();
        true
    }
    pub(crate) fn new(source: SourceKind, unit: &str, origin: &str) -> Setting {
        Setting {
            section: String::new(),
            key: String::new(),
            via: Via::Value,
            value: None,
            source,
            name: String::new(),
            key_span: Span::empty(0),
            value_span: Span::empty(0),
            value_map: None,
            unit: unit.to_string(),
            origin: origin.to_string(),
            case_ok: true,
            interp_error: None,
            from_secret: false,
            marker: None,
            implicit: false,
        }
    }
    /// `[section] key` (with the `_cmd`/`_secret` suffix if any).
    pub fn display(&self) -> String {
        format!("[{}] {}{}", self.section, self.key, self.via.suffix())
    }
    /// An option written in a source (not a marker, not implicit).
    pub fn is_option(&self) -> bool {
        self.marker.is_none() && !self.implicit
    }
    /// The file span of `value[range]`.
    pub fn value_sub_span(&self, start: usize, end: usize) -> Span {
        match &self.value_map {
            Some(m) => m.map_span(Span::new(start, end)),
            None => self.value_span,
        }
    }
}

/// The Airflow settings of an `airflow.cfg`.
pub fn settings_of_cfg(c: &CfgFile, file: &SourceFile) -> Vec<Setting> {
    let mut out = Vec::new();
    from_cfg(
        c,
        &file.text,
        SourceKind::Cfg,
        "",
        "airflow.cfg",
        &|x| x,
        &mut out,
    );
    out
}

/// The Airflow settings of a YAML file (Helm values, a Kustomization, a
/// Compose file, Kubernetes objects). `fs_path`: where the file was read on
/// disk (a Compose file's `env_file`s next to it are read too).
pub fn settings_of_yaml(
    file: &SourceFile,
    stream: &YamlStream,
    kind: YamlKind,
    objects: &[k8s::Object],
    fs_path: Option<&std::path::Path>,
) -> Vec<Setting> {
    let mut out = Vec::new();
    if kind == YamlKind::HelmValues {
        from_helm_values(stream, &file.text, &mut out);
    } else if is_kustomization(&file.path) {
        if let Some(root) = stream.first_root() {
            from_kustomization(root, &file.text, &file.path, &mut out);
        }
    } else if kind == YamlKind::Other && super::compose::is_compose(&file.path, stream) {
        super::compose::from_compose(stream, &file.text, &file.path, fs_path, &mut out);
    }
    let mut keys_left = MAX_REFERENCED_KEYS;
    for obj in objects {
        from_object(obj, stream, &file.text, &mut keys_left, &mut out);
    }
    out
}

/// The Airflow settings of a Dockerfile (`ENV`, the image it builds from).
pub fn settings_of_dockerfile(
    d: &crate::dockerfile::Dockerfile,
    file: &SourceFile,
) -> Vec<Setting> {
    let mut out = Vec::new();
    super::docker::from_dockerfile(d, &file.text, &file.path, &mut out);
    out
}

/// Splits an env var name into (section, key, via, case_ok).
pub fn parse_env_name(name: &str) -> Option<(String, String, Via, bool)> {
    if name.len() < 9 || !name.get(..9)?.eq_ignore_ascii_case("AIRFLOW__") {
        return None;
    }
    let rest = &name[9..];
    let (sec, key) = rest.split_once("__")?;
    if sec.is_empty() || key.is_empty() {
        return None;
    }
    let case_ok = name.starts_with("AIRFLOW__") && !rest.chars().any(|c| c.is_ascii_lowercase());
    let mut section = sec.to_ascii_lowercase();
    // `AIRFLOW__COMMON_IO__X` is section `common.io`.
    if !knowledge::is_known_section(&section) {
        let dotted = section.replacen('_', ".", 1);
        if knowledge::is_known_section(&dotted) {
            section = dotted;
        }
    }
    let key = key.to_ascii_lowercase();
    let (key, via) = split_suffix(&section, &key);
    Some((section, key, via, case_ok))
}

/// `fernet_key_cmd` -> (`fernet_key`, Cmd) unless `fernet_key_cmd` itself
/// is an option.
pub fn split_suffix(section: &str, key: &str) -> (String, Via) {
    if knowledge::option(section, key).is_some() {
        return (key.to_string(), Via::Value);
    }
    if let Some(b) = key.strip_suffix("_cmd") {
        return (b.to_string(), Via::Cmd);
    }
    if let Some(b) = key.strip_suffix("_secret") {
        return (b.to_string(), Via::Secret);
    }
    (key.to_string(), Via::Value)
}

fn from_cfg(
    c: &CfgFile,
    text: &str,
    source: SourceKind,
    unit: &str,
    origin: &str,
    outer: &dyn Fn(usize) -> usize,
    out: &mut Vec<Setting>,
) {
    let span = |s: Span| -> Span {
        let a = outer(s.start());
        if s.is_empty() {
            Span::empty(a)
        } else {
            Span::new(a, outer(s.end() - 1) + 1)
        }
    };
    for sec in &c.sections {
        let mut s = Setting::new(source, unit, origin);
        s.section = sec.name.clone();
        s.case_ok = sec.name == DEFAULT_SECTION || sec.name == sec.name.to_lowercase();
        s.key_span = span(sec.name_span);
        s.value_span = s.key_span;
        s.marker = Some(Marker::Section);
        out.push(s);
    }
    for e in &c.errors {
        let mut s = Setting::new(source, unit, origin);
        s.key_span = span(e.span);
        s.value_span = s.key_span;
        s.value = Some(e.message.clone());
        s.marker = Some(match e.kind {
            CfgErrorKind::DuplicateOption { first } => {
                Marker::DuplicateOption { first: span(first) }
            }
            CfgErrorKind::DuplicateSection { first } => {
                Marker::DuplicateSection { first: span(first) }
            }
            _ => Marker::Syntax,
        });
        if let Some(t) = text.get(e.span.start()..e.span.end()) {
            s.name = t.to_string();
        }
        out.push(s);
    }
    let mut interp = cfg::InterpCheck::new(c.options.iter().map(|o| o.value.len() + 1).sum());
    for o in &c.options {
        if o.duplicate {
            continue;
        }
        let sec = c.section_name(o);
        let mut s = Setting::new(source, unit, origin);
        let (key, via) = split_suffix(sec, &o.key);
        s.section = sec.to_string();
        s.key = key;
        s.via = via;
        s.name = o.key.clone();
        s.case_ok =
            (sec == DEFAULT_SECTION || sec == sec.to_lowercase()) && o.key == o.key.to_lowercase();
        s.value = Some(o.value.clone());
        s.key_span = span(o.key_span);
        s.value_span = span(o.value_span);
        s.value_map = Some(cfg::map_of(&o.pieces, outer));
        if let Err(e) = c.check_interpolation(sec, &o.value, &mut interp) {
            let msg = match &e.kind {
                cfg::InterpErrorKind::BarePercent => {
                    "`%` must be followed by `%` or `(`".to_string()
                }
                cfg::InterpErrorKind::BadReference => "bad `%(name)s` reference".to_string(),
                cfg::InterpErrorKind::Missing(n) => {
                    format!("`%({n})s` names no option of this section or [DEFAULT]")
                }
                cfg::InterpErrorKind::Depth => "`%(name)s` references nested too deep".to_string(),
                cfg::InterpErrorKind::TooLong => {
                    "`%(name)s` references expand too much".to_string()
                }
            };
            s.interp_error = Some((e.offset, msg));
        }
        out.push(s);
    }
}

fn scalar_text(n: NodeRef<'_>) -> Option<String> {
    let n = n.deref();
    if n.is_null() {
        return None;
    }
    if n.style() == Some(ScalarStyle::Plain) {
        if let Some(b) = n.as_bool() {
            return Some(if b { "true" } else { "false" }.to_string());
        }
        if let Some(i) = n.as_i64() {
            return Some(i.to_string());
        }
    }
    n.scalar().map(String::from)
}

fn env_from_item(
    item: NodeRef<'_>,
    source: SourceKind,
    unit: &str,
    origin: &str,
    text: &str,
    out: &mut Vec<Setting>,
) {
    env_item_mapped(item, source, unit, origin, text, None, out);
}

/// An env list entry (aliases followed) with its `name`: the entry, the
/// name's node and the name.
fn env_entry(item: NodeRef<'_>) -> Option<(NodeRef<'_>, NodeRef<'_>, &str)> {
    let item = item.deref();
    let name_node = item.get("name")?;
    Some((item, name_node, name_node.as_str()?))
}

/// One `{name, value|valueFrom}` env entry. `outer` maps spans of an
/// embedded YAML text (Helm `extraEnv: |`) to the file.
fn env_item_mapped(
    item: NodeRef<'_>,
    source: SourceKind,
    unit: &str,
    origin: &str,
    text: &str,
    outer: Option<&SpanMap>,
    out: &mut Vec<Setting>,
) {
    let Some((item, name_node, name)) = env_entry(item) else {
        return;
    };
    let fix = |sp: Span| outer.map(|m| m.map_span(sp)).unwrap_or(sp);
    let mut s = Setting::new(source, unit, origin);
    if !s.set_env_name(name) {
        return;
    }
    s.key_span = fix(name_node.span());
    if let Some(v) = item.get("value") {
        s.value = scalar_text(v).or(Some(String::new()));
        s.value_span = fix(v.span());
        s.value_map = match outer {
            None => Some(v.scalar_map(text)),
            // Offsets inside an embedded document's scalar: whole-value spans only.
            Some(_) => None,
        };
    } else if let Some(vf) = item.get("valueFrom") {
        s.value_span = fix(vf.span());
        s.from_secret = vf.get("secretKeyRef").is_some();
    } else {
        // `- name: X` alone sets the variable to "".
        s.value = Some(String::new());
        s.value_span = Span::empty(s.key_span.end());
    }
    out.push(s);
}

fn image_marker(image: &str, span: Span, unit: &str, origin: &str, out: &mut Vec<Setting>) {
    let Some(v) = airflow_image_version(image) else {
        return;
    };
    let mut s = Setting::new(SourceKind::EnvVar, unit, origin);
    s.marker = Some(Marker::Image);
    s.value = Some(v.to_string());
    s.key_span = span;
    s.value_span = span;
    out.push(s);
}

/// The Airflow minor version of an Astronomer Runtime image tag: the
/// Airflow 3 scheme `3.0-1` names it directly; the earlier majors map to
/// one Airflow minor each (Astronomer's runtime/Airflow version table).
/// The patch release is not known from the tag: `.0` is assumed.
fn astro_runtime_version(tag: &str) -> Option<Version> {
    let head = tag.split('-').next()?;
    let mut parts = head.split('.');
    let major: u32 = parts.next()?.parse().ok()?;
    let minor: Option<u32> = parts.next().and_then(|m| m.parse().ok());
    if tag.contains('-') && (2..=3).contains(&major) && minor.is_some() {
        return Version::parse(&format!("{major}.{}.0", minor?));
    }
    let airflow_minor = match major {
        4 => 2,
        5 => 3,
        6 => 4,
        7 => 5,
        8 => 6,
        9 => 7,
        10 => 8,
        11 => 9,
        12 => 10,
        13 => 11,
        _ => return None,
    };
    Version::parse(&format!("2.{airflow_minor}.0"))
}

/// The Airflow version of an `apache/airflow:X.Y.Z[-pythonN]` image (or an
/// Astronomer Runtime image).
pub fn airflow_image_version(image: &str) -> Option<Version> {
    let image = image.trim();
    let (repo, tag) = image
        .split_once('@')
        .map(|(r, _)| r)
        .unwrap_or(image)
        .rsplit_once(':')?;
    if repo.ends_with("astronomer/astro-runtime") {
        return astro_runtime_version(tag);
    }
    if repo.contains('/') && !repo.ends_with("apache/airflow") {
        return None;
    }
    if !repo.ends_with("apache/airflow") {
        return None;
    }
    image_tag_version(tag)
}

/// The Airflow version an `apache/airflow` image tag names: `X.Y.Z` (with
/// an optional pre-release such as `rc1` and `slim-`/`-pythonX.Y`). A tag
/// that is not a version (`latest`, `slim-latest-python3.12`, the docs'
/// `|version|` placeholder, an unresolved `${TAG}`, `2`, `2.x`) names none:
/// the group then falls back to `--airflow-version` or the default.
pub fn image_tag_version(tag: &str) -> Option<Version> {
    let tag = tag.trim();
    let tag = tag.strip_prefix("slim-").unwrap_or(tag);
    let (ver, suffix) = tag.split_once('-').unwrap_or((tag, ""));
    let python = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit() || c == '.');
    if !suffix.is_empty() && !suffix.strip_prefix("python").is_some_and(python) {
        return None;
    }
    let parts: Vec<&str> = ver.split('.').collect();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let [major, minor, patch] = parts[..] else {
        return None;
    };
    let n = patch.bytes().take_while(u8::is_ascii_digit).count();
    let pre = &patch[n..];
    let pre_ok = pre.is_empty()
        || ["rc", "b", "a", ".dev"]
            .iter()
            .any(|p| pre.strip_prefix(p).is_some_and(digits));
    if !(digits(major) && digits(minor) && n > 0 && pre_ok) {
        return None;
    }
    Version::parse(ver)
}

/// `kustomization.yaml` (or `.yml`, or `Kustomization`).
fn is_kustomization(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    )
}

/// A Kustomize `configMapGenerator`: the ConfigMap it generates is linked
/// to the files it is made of (`files: [airflow.cfg]`, `key=path`), and its
/// `literals` (`AIRFLOW__...=value`) are that ConfigMap's env keys.
/// Workloads reference the generated ConfigMap by its base name.
fn from_kustomization(root: NodeRef<'_>, text: &str, path: &str, out: &mut Vec<Setting>) {
    let dir = super::docker::dir_of(path);
    // `namespace:` sets the namespace of everything the kustomization
    // emits (over the one written in a resource or a generator).
    let kns = root
        .get("namespace")
        .and_then(|n| n.as_str())
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if let (Some(kns), Some(res)) = (kns, root.get("resources")) {
        for r in res.items() {
            let Some(rel) = r.as_str().map(str::trim) else {
                continue;
            };
            // Plain files of this directory or below; other kustomizations
            // (directories), URLs and `..` paths are not followed.
            let lower = rel.to_ascii_lowercase();
            if rel.contains("://")
                || rel.split('/').any(|c| c == "..")
                || rel.starts_with('/')
                || !(lower.ends_with(".yaml")
                    || lower.ends_with(".yml")
                    || lower.ends_with(".json"))
            {
                continue;
            }
            let mut s = Setting::new(SourceKind::EnvVar, "", "kustomization `namespace`");
            s.marker = Some(Marker::Namespace {
                file: super::docker::join_path(dir, rel),
                namespace: kns.to_string(),
            });
            s.key_span = r.span();
            s.value_span = r.span();
            out.push(s);
        }
    }
    let Some(gens) = root.get("configMapGenerator") else {
        return;
    };
    for g in gens.items() {
        let g = g.deref();
        let Some(name) = g.get("name").and_then(|n| n.as_str()) else {
            continue;
        };
        let ns = kns.or_else(|| g.get("namespace").and_then(|n| n.as_str()));
        let unit = object_unit("ConfigMap", ns, name);
        let origin = format!("configMapGenerator {name}");
        if let Some(files) = g.get("files") {
            for f in files.items() {
                let Some(spec) = f.as_str() else { continue };
                let (key, rel) = match spec.split_once('=') {
                    Some((k, p)) => (k.trim(), p.trim()),
                    None => (spec.rsplit('/').next().unwrap_or(spec), spec),
                };
                if !key.ends_with(".cfg") || rel.contains("://") {
                    continue;
                }
                let to = Link::File(super::docker::join_path(dir, rel));
                link(&format!("{unit}#{key}"), &origin, to, f.span(), out);
            }
        }
        if let Some(lits) = g.get("literals") {
            for l in lits.items() {
                let Some(line) = l.deref().scalar() else {
                    continue;
                };
                let Some((k, v)) = line.split_once('=') else {
                    continue;
                };
                let map = l.scalar_map(text);
                // Every literal is a key of the generated ConfigMap (for
                // `valueFrom` references).
                if v.len() <= MAX_REFERENCED_VALUE {
                    let mut key = Setting::new(SourceKind::EnvVar, &unit, &origin);
                    key.marker = Some(Marker::Key);
                    key.name = k.trim().to_string();
                    key.key_span = map.map_span(Span::new(0, k.len()));
                    key.value_span = map.map_span(Span::new(k.len() + 1, line.len()));
                    key.value_map = Some(SpanMap::identity(key.value_span.start()));
                    key.value = Some(v.to_string());
                    out.push(key);
                }
                let mut s = Setting::new(SourceKind::EnvVar, &unit, &origin);
                if !s.set_env_name(k.trim()) || s.marker.is_some() {
                    continue;
                }
                s.key_span = map.map_span(Span::new(0, k.len()));
                s.value_span = map.map_span(Span::new(k.len() + 1, line.len()));
                s.value_map = Some(SpanMap::identity(s.value_span.start()));
                s.value = Some(v.to_string());
                out.push(s);
            }
        }
    }
}

/// The path an object reference resolves to: `Kind/<namespace>/<name>`.
pub fn object_unit(kind: &str, ns: Option<&str>, name: &str) -> String {
    format!("{kind}/{}/{name}", ns.unwrap_or(""))
}

fn link(unit: &str, origin: &str, to: Link, span: Span, out: &mut Vec<Setting>) {
    let mut s = Setting::new(SourceKind::EnvVar, unit, origin);
    s.marker = Some(Marker::Link(to));
    s.key_span = span;
    s.value_span = span;
    out.push(s);
}

/// An Airflow env var of a container filled by `valueFrom.configMapKeyRef`
/// or `secretKeyRef` (`{name, key}`): a link to that key of the object in
/// the container's namespace, paired with the variable by its name's span.
fn value_ref(
    item: NodeRef<'_>,
    ns: Option<&str>,
    unit: &str,
    origin: &str,
    out: &mut Vec<Setting>,
) {
    value_ref_mapped(item, ns, unit, origin, None, out);
}

/// [`value_ref`] in an embedded YAML text (Helm `extraEnv: |`): `outer`
/// maps its spans to the file.
fn value_ref_mapped(
    item: NodeRef<'_>,
    ns: Option<&str>,
    unit: &str,
    origin: &str,
    outer: Option<&SpanMap>,
    out: &mut Vec<Setting>,
) {
    let Some((item, name_node, name)) = env_entry(item) else {
        return;
    };
    if !Setting::new(SourceKind::EnvVar, unit, origin).set_env_name(name) {
        return;
    }
    for (field, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")] {
        let Some(r) = item.path(&["valueFrom", field]) else {
            continue;
        };
        let (Some(obj), Some(key)) = (
            r.get("name")
                .and_then(|n| n.as_str())
                .filter(|n| !n.is_empty()),
            r.get("key")
                .and_then(|n| n.as_str())
                .filter(|n| !n.is_empty()),
        ) else {
            continue;
        };
        let to = Link::Value {
            object: object_unit(kind, ns, obj),
            key: key.to_string(),
        };
        let span = outer
            .map(|m| m.map_span(name_node.span()))
            .unwrap_or(name_node.span());
        link(unit, origin, to, span, out);
    }
}

/// The ConfigMaps and Secrets an `envFrom` list names: (kind, name, the
/// name's node). An item with a `prefix` renames every key (no
/// `AIRFLOW__*` name survives unless the prefix is part of it): not followed.
fn env_from_refs<'a>(list: NodeRef<'a>) -> Vec<(&'static str, &'a str, NodeRef<'a>)> {
    let mut out = Vec::new();
    for item in list.items() {
        let item = item.deref();
        if item
            .get("prefix")
            .and_then(|p| p.as_str())
            .is_some_and(|p| !p.is_empty())
        {
            continue;
        }
        for (field, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
            if let Some(n) = item.path(&[field, "name"])
                && let Some(target) = n.as_str()
            {
                out.push((kind, target, n));
            }
        }
    }
    out
}

/// A key of a ConfigMap or Secret (for `valueFrom` references).
fn data_key(
    unit: &str,
    origin: &str,
    k: NodeRef<'_>,
    v: NodeRef<'_>,
    text: &str,
    b64: Option<bool>,
    out: &mut Vec<Setting>,
) {
    let Some(key) = k.as_str() else { return };
    let mut s = Setting::new(SourceKind::EnvVar, unit, origin);
    s.marker = Some(Marker::Key);
    s.name = key.to_string();
    s.key_span = k.span();
    s.value_span = v.span();
    let raw = scalar_text(v).or_else(|| v.deref().is_null().then(String::new));
    s.value = match b64 {
        // Not valid base64 of UTF-8 text: unknown.
        Some(true) => raw.and_then(|t| crate::secrets::base64::decode_str(&t)),
        _ => raw,
    }
    .filter(|t| t.len() <= MAX_REFERENCED_VALUE);
    if b64.is_none() && s.value.is_some() {
        s.value_map = Some(v.scalar_map(text));
    }
    s.from_secret = b64.is_some();
    out.push(s);
}

/// Longer values are not kept for `valueFrom` references (no Airflow option
/// value is that long): a variable referencing one has an unknown value.
const MAX_REFERENCED_VALUE: usize = 4096;
/// At most this many keys of the ConfigMaps and Secrets of one file are
/// kept for `valueFrom` references (a bound on memory for huge files); a
/// variable referencing a later key has an unknown value.
const MAX_REFERENCED_KEYS: usize = 4096;

/// A pod's ConfigMap volume: (volume name, ConfigMap name, `items` key -> path).
type ConfigMapVolume<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);

fn from_object(
    obj: &k8s::Object,
    stream: &YamlStream,
    text: &str,
    keys_left: &mut usize,
    out: &mut Vec<Setting>,
) {
    let ns = obj.namespace.as_deref();
    let name = obj.name.as_deref().unwrap_or("");
    let node = obj.node(stream);
    if obj.kind == "Secret" && obj.group().is_empty() {
        // `AIRFLOW__*` keys of a Secret (for `envFrom`): known values, but
        // kept in a Secret, so never plaintext findings. `data` is base64.
        let origin = obj.display();
        let unit = object_unit("Secret", ns, name);
        for (field, b64) in [("stringData", false), ("data", true)] {
            let Some(data) = node.get(field) else {
                continue;
            };
            for (k, v) in data.entries() {
                if *keys_left > 0 {
                    *keys_left -= 1;
                    data_key(&unit, &origin, k, v, text, Some(b64), out);
                }
                let Some(key) = k.as_str() else { continue };
                let mut s = Setting::new(SourceKind::EnvVar, &unit, &origin);
                if !s.set_env_name(key) || s.marker.is_some() {
                    continue;
                }
                s.key_span = k.span();
                s.value = scalar_text(v).map(|t| {
                    if b64 {
                        crate::secrets::base64::decode_str(&t).unwrap_or_default()
                    } else {
                        t
                    }
                });
                s.value_span = v.span();
                s.from_secret = true;
                out.push(s);
            }
        }
        return;
    }
    if obj.kind == "ConfigMap" {
        let origin = obj.display();
        let unit = object_unit("ConfigMap", ns, name);
        let Some(data) = node.get("data") else { return };
        for (k, v) in data.entries() {
            if *keys_left > 0 {
                *keys_left -= 1;
                data_key(&unit, &origin, k, v, text, None, out);
            }
            let Some(key) = k.as_str() else { continue };
            let Some(body) = v.deref().scalar() else {
                continue;
            };
            if key.ends_with(".cfg")
                && (key == "airflow.cfg" || super::looks_like_airflow_cfg(body))
            {
                let c = cfg::parse_cfg(body);
                let map = v.scalar_map(text);
                from_cfg(
                    &c,
                    text,
                    SourceKind::ConfigMapCfg,
                    &format!("{unit}#{key}"),
                    &origin,
                    &|x| map.map(x),
                    out,
                );
            } else {
                let mut s = Setting::new(SourceKind::EnvVar, &unit, &origin);
                if !s.set_env_name(key) || s.marker.is_some() {
                    continue;
                }
                s.key_span = k.span();
                s.value = scalar_text(v).or(Some(String::new()));
                s.value_span = v.span();
                s.value_map = Some(v.scalar_map(text));
                out.push(s);
            }
        }
        return;
    }
    if super::gitops::from_wrapper(obj, stream, text, out) {
        return;
    }
    let Some(ps) = k8s::pod_spec(obj, stream) else {
        return;
    };
    // ConfigMap volumes: volume name -> (ConfigMap name, items key -> path).
    let mut volumes: Vec<ConfigMapVolume<'_>> = Vec::new();
    if let Some(vs) = ps.spec.get("volumes") {
        for v in vs.items() {
            let v = v.deref();
            let Some(vn) = v.get("name").and_then(|n| n.as_str()) else {
                continue;
            };
            // A `configMap` volume, or the ConfigMaps of a `projected` one.
            let mut sources: Vec<NodeRef<'_>> = v.get("configMap").into_iter().collect();
            if let Some(ps) = v.path(&["projected", "sources"]) {
                sources.extend(ps.items().filter_map(|s| s.deref().get("configMap")));
            }
            for src in sources {
                let Some(cm) = src.get("name").and_then(|n| n.as_str()) else {
                    continue;
                };
                let items = src
                    .get("items")
                    .map(|it| {
                        it.items()
                            .filter_map(|i| {
                                Some((i.get("key")?.as_str()?, i.get("path")?.as_str()?))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                volumes.push((vn, cm, items));
            }
        }
    }
    for c in ps.containers() {
        let origin = format!("{} container {}", obj.display(), c.name.unwrap_or("?"));
        let unit = format!(
            "{}/{}/{name}/{}",
            obj.kind,
            ns.unwrap_or(""),
            c.name.unwrap_or("?")
        );
        if let Some(img) = c.node.get("image")
            && let Some(s) = img.as_str()
        {
            image_marker(s, img.span(), &unit, &origin, out);
        }
        let mut home = None;
        let mut config = None;
        if let Some(env) = c.node.get("env") {
            for item in env.items() {
                let item = item.deref();
                match item.get("name").and_then(|n| n.as_str()) {
                    Some("AIRFLOW_HOME") => home = item.get("value").and_then(|v| v.as_str()),
                    Some("AIRFLOW_CONFIG") => config = item.get("value").and_then(|v| v.as_str()),
                    _ => {}
                }
                env_from_item(item, SourceKind::EnvVar, &unit, &origin, text, out);
                value_ref(item, ns, &unit, &origin, out);
            }
        }
        if let Some(ef) = c.node.get("envFrom") {
            for (kind, target, n) in env_from_refs(ef) {
                let to = Link::Object(object_unit(kind, ns, target));
                link(&unit, &origin, to, n.span(), out);
            }
        }
        // The airflow.cfg Airflow reads: $AIRFLOW_CONFIG, else
        // $AIRFLOW_HOME/airflow.cfg, else any `.../airflow.cfg`.
        let is_cfg_path = |p: &str| match (config, home) {
            (Some(c), _) => p == c,
            (None, Some(h)) => p == format!("{}/airflow.cfg", h.trim_end_matches('/')),
            (None, None) => p.ends_with("/airflow.cfg"),
        };
        if let Some(mounts) = c.node.get("volumeMounts") {
            for m in mounts.items() {
                let m = m.deref();
                let (Some(vn), Some(mp)) = (
                    m.get("name").and_then(|n| n.as_str()),
                    m.get("mountPath").and_then(|n| n.as_str()),
                ) else {
                    continue;
                };
                for (_, cm, items) in volumes.iter().filter(|v| v.0 == vn) {
                    let span = m.get("mountPath").map(|n| n.span()).unwrap_or(m.span());
                    let sub = m
                        .get("subPath")
                        .and_then(|n| n.as_str())
                        .filter(|s| !s.is_empty());
                    let mut keys: Vec<&str> = Vec::new();
                    match sub {
                        Some(sp) => {
                            if is_cfg_path(mp) {
                                let key = items
                                    .iter()
                                    .find(|(_, p)| *p == sp)
                                    .map(|(k, _)| *k)
                                    .unwrap_or(sp);
                                keys.push(key);
                            }
                        }
                        None => {
                            let dir = mp.trim_end_matches('/');
                            if items.is_empty() {
                                if is_cfg_path(&format!("{dir}/airflow.cfg")) {
                                    keys.push("airflow.cfg");
                                }
                            } else {
                                for (k, p) in items {
                                    if is_cfg_path(&format!("{dir}/{p}")) {
                                        keys.push(k);
                                    }
                                }
                            }
                        }
                    }
                    for key in keys {
                        let to =
                            Link::Object(format!("{}#{key}", object_unit("ConfigMap", ns, cm)));
                        link(&unit, &origin, to, span, out);
                    }
                }
            }
        }
    }
}

/// Env vars the official chart (1.x) sets from Secrets by default
/// (`enableBuiltInSecretEnvVars`), the Airflow options among them.
const BUILTIN_SECRET_ENV: &[(&str, &[&str])] = &[
    (
        "AIRFLOW__CORE__FERNET_KEY",
        &["fernetKeySecretName", "fernetKey"],
    ),
    (
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
        &["data.metadataSecretName", "data.metadataConnection"],
    ),
    (
        "AIRFLOW__API__SECRET_KEY",
        &["apiSecretKeySecretName", "apiSecretKey"],
    ),
    (
        "AIRFLOW__API_AUTH__JWT_SECRET",
        &["jwtSecretName", "jwtSecret"],
    ),
    (
        "AIRFLOW__WEBSERVER__SECRET_KEY",
        &["webserverSecretKeySecretName", "webserverSecretKey"],
    ),
    (
        "AIRFLOW__CELERY__RESULT_BACKEND",
        &[
            "data.resultBackendSecretName",
            "data.resultBackendConnection",
        ],
    ),
    (
        "AIRFLOW__CELERY__BROKER_URL",
        &["data.brokerUrlSecretName", "data.brokerUrl"],
    ),
];

fn from_helm_values(stream: &YamlStream, text: &str, out: &mut Vec<Setting>) {
    let Some(root) = stream.first_root() else {
        return;
    };
    if !root.is_mapping() {
        return;
    }
    if let Some(a) = community_root(root) {
        from_community_values(a, text, "", out);
    } else {
        from_helm_root(root, text, "", out);
    }
}

/// The `airflow:` mapping of the community chart's (airflow-helm/charts)
/// values: that chart keeps every Airflow setting under it.
pub fn community_root(root: NodeRef<'_>) -> Option<NodeRef<'_>> {
    let a = root.get("airflow")?;
    (a.is_mapping()
        && [
            "legacyCommands",
            "config",
            "users",
            "fernetKey",
            "webserverSecretKey",
            "image",
            "executor",
        ]
        .iter()
        .filter(|k| a.get(k).is_some())
        .count()
            >= 2)
        .then_some(a)
}

/// The published default fernet key of the community chart's values.
pub const COMMUNITY_DEFAULT_FERNET_KEY: &str = "7T512UXSSmBOkpWimFHIVb8jK6lfmSAvx4mO6Arehnc=";

/// The community chart: `airflow.config` (env var names), `airflow.extraEnv`,
/// `airflow.fernetKey`/`airflow.webserverSecretKey` (rendered into env vars
/// from a Secret the chart makes), `airflow.image.tag`.
pub(crate) fn from_community_values(
    a: NodeRef<'_>,
    text: &str,
    unit: &str,
    out: &mut Vec<Setting>,
) {
    if let Some(t) = a.path(&["image", "tag"])
        && let Some(ts) = scalar_text(t)
        && let Some(v) = image_tag_version(&ts)
        && a.path(&["image", "repository"])
            .and_then(|r| r.as_str())
            .is_none_or(|r| r.ends_with("apache/airflow"))
    {
        let mut s = Setting::new(
            SourceKind::HelmConfig,
            unit,
            "Helm values (community chart)",
        );
        s.marker = Some(Marker::Image);
        s.value = Some(v.to_string());
        s.key_span = t.span();
        s.value_span = t.span();
        out.push(s);
    }
    if let Some(config) = a.get("config") {
        for (k, v) in merged_entries(config) {
            let Some(name) = k.as_str() else { continue };
            let mut s = Setting::new(
                SourceKind::HelmEnv,
                unit,
                "Helm values `airflow.config` (community chart)",
            );
            if !s.set_env_name(name) {
                continue;
            }
            s.key_span = k.span();
            s.value = scalar_text(v).or(Some(String::new()));
            s.value_span = v.span();
            s.value_map = Some(v.scalar_map(text));
            out.push(s);
        }
    }
    if let Some(extra) = a.get("extraEnv") {
        for item in extra.items() {
            env_from_item(
                item,
                SourceKind::HelmEnv,
                unit,
                "Helm values `airflow.extraEnv` (community chart)",
                text,
                out,
            );
            value_ref(
                item,
                None,
                unit,
                "Helm values `airflow.extraEnv` (community chart)",
                out,
            );
        }
    }
    // The chart renders these into env vars of every Airflow pod (from a
    // Secret it creates): known values written in the values file.
    for (key, name) in [
        ("fernetKey", "AIRFLOW__CORE__FERNET_KEY"),
        ("webserverSecretKey", "AIRFLOW__WEBSERVER__SECRET_KEY"),
    ] {
        let Some((k, v)) = a.entry(key) else { continue };
        let Some(val) = scalar_text(v) else { continue };
        let mut s = Setting::new(SourceKind::HelmEnv, unit, "Helm values (community chart)");
        s.set_env_name(name);
        s.name = format!("airflow.{key}");
        s.key_span = k.span();
        s.value = Some(val);
        s.value_span = v.span();
        s.value_map = Some(v.scalar_map(text));
        out.push(s);
    }
}

/// Mapping entries with merge keys (`<<`) resolved: own keys first (the
/// last of repeated keys wins, at the place of the first), then merged keys
/// not set here, aliases followed. Linear in the number of entries.
pub fn merged_entries(n: NodeRef<'_>) -> Vec<(NodeRef<'_>, NodeRef<'_>)> {
    let mut out: Vec<(NodeRef<'_>, NodeRef<'_>)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    // Aliases can repeat a mapping many times over: a bounded walk.
    let mut budget = 100_000usize;
    merge_into(n.deref(), &mut out, &mut index, 0, &mut budget);
    out
}

fn merge_into<'a>(
    n: NodeRef<'a>,
    out: &mut Vec<(NodeRef<'a>, NodeRef<'a>)>,
    index: &mut std::collections::HashMap<&'a str, usize>,
    depth: usize,
    budget: &mut usize,
) {
    if depth > 8 {
        return;
    }
    let mut merged = Vec::new();
    // Keys set at this level override merged ones, whatever the order.
    let mut own: std::collections::HashMap<&'a str, usize> = std::collections::HashMap::new();
    for (k, v) in n.entries() {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        if k.scalar() == Some("<<") && k.style() == Some(ScalarStyle::Plain) {
            merged.push(v.deref());
            continue;
        }
        let Some(ks) = k.scalar() else { continue };
        if index.contains_key(ks) && !own.contains_key(ks) {
            // Set by an outer level: that one wins.
            continue;
        }
        match own.get(ks) {
            Some(&i) => out[i] = (k, v),
            None => {
                own.insert(ks, out.len());
                index.insert(ks, out.len());
                out.push((k, v));
            }
        }
    }
    for m in merged {
        if m.is_mapping() {
            merge_into(m, out, index, depth + 1, budget);
        } else {
            for src in m.items() {
                merge_into(src.deref(), out, index, depth + 1, budget);
            }
        }
    }
}

/// The official chart's values (the file's root, or a GitOps wrapper's
/// inline values).
pub(crate) fn from_helm_root(root: NodeRef<'_>, text: &str, unit: &str, out: &mut Vec<Setting>) {
    let group = unit.to_string();
    let origin = "Helm values".to_string();
    // Version: the image tag when the image is Apache Airflow's
    // (`images.airflow.tag`, then `defaultAirflowTag`), else the chart's
    // `airflowVersion`; a custom image's tag says nothing about Airflow.
    let official = |repo: Option<NodeRef<'_>>| {
        repo.filter(|r| !r.is_null())
            .and_then(|r| r.as_str())
            .is_none_or(|r| r.trim_end_matches('/').ends_with("apache/airflow"))
    };
    let default_official = official(root.get("defaultAirflowRepository"));
    let image_official = match root.path(&["images", "airflow", "repository"]) {
        Some(r) if !r.is_null() => official(Some(r)),
        _ => default_official,
    };
    // The first of the image's tag, the default tag and `airflowVersion`
    // that names a version (a `latest` tag falls through).
    let tags = [
        root.path(&["images", "airflow", "tag"])
            .filter(|n| !n.is_null() && image_official),
        root.get("defaultAirflowTag").filter(|_| image_official),
    ];
    let tag = tags
        .into_iter()
        .flatten()
        .find_map(|t| Some((t, image_tag_version(&scalar_text(t)?)?)))
        .or_else(|| {
            let t = root.get("airflowVersion")?;
            Some((t, Version::parse(&scalar_text(t)?)?))
        });
    if let Some((t, v)) = tag {
        let mut s = Setting::new(SourceKind::HelmConfig, &group, &origin);
        s.marker = Some(Marker::Image);
        s.value = Some(v.to_string());
        s.key_span = t.span();
        s.value_span = t.span();
        out.push(s);
    }
    if let Some(config) = root.get("config") {
        for (sk, sv) in config.entries() {
            let Some(section) = sk.as_str() else { continue };
            let mut m = Setting::new(SourceKind::HelmConfig, &group, &origin);
            m.section = section.to_string();
            m.case_ok = section == section.to_lowercase();
            m.key_span = sk.span();
            m.value_span = sk.span();
            m.marker = Some(Marker::Section);
            let sec_ok = m.case_ok;
            out.push(m);
            for (kk, kv) in sv.deref().entries() {
                let Some(key) = kk.as_str() else { continue };
                let (base, via) = split_suffix(section, key);
                let mut s = Setting::new(SourceKind::HelmConfig, &group, &origin);
                s.section = section.to_string();
                s.key = base;
                s.via = via;
                s.name = key.to_string();
                s.case_ok = sec_ok && key == key.to_lowercase();
                s.key_span = kk.span();
                s.value = scalar_text(kv).or(Some(String::new()));
                s.value_span = kv.span();
                s.value_map = Some(kv.scalar_map(text));
                if let Some(v) = &s.value
                    && let Some(&off) = cfg::percent_syntax_errors(v).first()
                    && !v.contains("{{")
                {
                    s.interp_error = Some((off, "`%` must be followed by `%` or `(`".into()));
                }
                out.push(s);
            }
        }
    }
    // A `valueFrom` in the chart's env lists is followed as from a
    // namespace-less workload (the release's namespace is not in the values).
    if let Some(env) = root.get("env") {
        for item in env.items() {
            env_from_item(
                item,
                SourceKind::HelmEnv,
                &group,
                "Helm values `env`",
                text,
                out,
            );
            value_ref(item.deref(), None, &group, "Helm values `env`", out);
        }
    }
    // Per-component env lists.
    for comp in [
        "scheduler",
        "workers",
        "webserver",
        "apiServer",
        "triggerer",
        "dagProcessor",
        "flower",
        "migrateDatabaseJob",
        "createUserJob",
        "cleanup",
    ] {
        if let Some(env) = root.path(&[comp, "env"]) {
            let origin = format!("Helm values `{comp}.env`");
            for item in env.items() {
                env_from_item(item, SourceKind::HelmEnv, &group, &origin, text, out);
                value_ref(item.deref(), None, &group, &origin, out);
            }
        }
    }
    // `extraEnv`: a YAML list, or (official chart) a string holding one.
    if let Some(extra) = root.get("extraEnv") {
        if extra.is_sequence() {
            for item in extra.items() {
                env_from_item(
                    item,
                    SourceKind::HelmEnv,
                    &group,
                    "Helm values `extraEnv`",
                    text,
                    out,
                );
                value_ref(item, None, &group, "Helm values `extraEnv`", out);
            }
        } else if let Some(body) = extra.scalar().filter(|b| b.contains("name")) {
            let inner = crate::yaml::parse(body);
            let map = extra.scalar_map(text);
            if let Some(list) = inner.first_root() {
                for item in list.items() {
                    env_item_mapped(
                        item,
                        SourceKind::HelmEnv,
                        &group,
                        "Helm values `extraEnv`",
                        body,
                        Some(&map),
                        out,
                    );
                    value_ref_mapped(
                        item,
                        None,
                        &group,
                        "Helm values `extraEnv`",
                        Some(&map),
                        out,
                    );
                }
            }
        }
    }
    // `extraEnvFrom`: a string holding an envFrom list (or a list) added to
    // every Airflow container. A ConfigMap or Secret it names literally is
    // followed like a container's `envFrom`, as a namespace-less reference
    // (the release's namespace is not in the values); a templated name
    // (`{{ .Release.Name }}-...`) names nothing afcheck can find.
    if let Some(extra) = root.get("extraEnvFrom") {
        let origin = "Helm values `extraEnvFrom`";
        let mut refs = |list: NodeRef<'_>, map: Option<&SpanMap>| {
            for (kind, target, n) in env_from_refs(list) {
                if target.contains("{{") {
                    continue;
                }
                let span = map.map(|m| m.map_span(n.span())).unwrap_or(n.span());
                let to = Link::Object(object_unit(kind, None, target));
                link(&group, origin, to, span, out);
            }
        };
        if extra.is_sequence() {
            refs(extra, None);
        } else if let Some(body) = extra.scalar().filter(|b| b.contains("Ref")) {
            let inner = crate::yaml::parse(body);
            let map = extra.scalar_map(text);
            if let Some(list) = inner.first_root() {
                refs(list, Some(&map));
            }
        }
    }
    // The chart injects these env vars from the Secrets it manages (or the
    // `...SecretName` ones) into every Airflow pod unless disabled in
    // `enableBuiltInSecretEnvVars`: they win over `config:`.
    let chart = [
        "executor",
        "airflowVersion",
        "defaultAirflowTag",
        "fernetKey",
        "fernetKeySecretName",
        "createUserJob",
        "dagProcessor",
        "triggerer",
    ]
    .iter()
    .any(|k| root.get(k).is_some());
    if chart {
        let toggles = root.get("enableBuiltInSecretEnvVars");
        let celery = root
            .get("executor")
            .and_then(|e| e.as_str())
            .is_none_or(|e| e.contains("Celery"));
        for (name, from) in BUILTIN_SECRET_ENV {
            if toggles.and_then(|t| t.get(name)).and_then(|v| v.as_bool()) == Some(false) {
                continue;
            }
            if name.starts_with("AIRFLOW__CELERY__") && !celery {
                continue;
            }
            let Some((section, key, via, case_ok)) = parse_env_name(name) else {
                continue;
            };
            // Where the Secret's content comes from, when written.
            let at = from.iter().find_map(|p| {
                let parts: Vec<&str> = p.split('.').collect();
                let (last, parent) = parts.split_last()?;
                let parent = if parent.is_empty() {
                    Some(root)
                } else {
                    root.path(parent)
                };
                parent.and_then(|n| n.key_span(last)).map(|sp| (*p, sp))
            });
            let origin = match at {
                Some((p, _)) => format!("the chart's built-in `{name}` (from `{p}`)"),
                None => {
                    format!("the chart's built-in `{name}` (from the Secret the chart generates)")
                }
            };
            let mut s = Setting::new(SourceKind::HelmEnv, &group, &origin);
            s.section = section;
            s.key = key;
            s.via = via;
            s.case_ok = case_ok;
            s.name = name.to_string();
            s.from_secret = true;
            s.implicit = true;
            if let Some((_, sp)) = at {
                s.key_span = sp;
                s.value_span = sp;
            }
            out.push(s);
        }
    }
    // Chart `secret:` entries: env vars filled from Kubernetes Secrets.
    if let Some(sec) = root.get("secret") {
        for item in sec.items() {
            let item = item.deref();
            let Some(n) = item.get("envName") else {
                continue;
            };
            let Some(name) = n.as_str() else { continue };
            let Some((section, key, via, case_ok)) = parse_env_name(name) else {
                continue;
            };
            let mut s = Setting::new(SourceKind::HelmEnv, &group, "Helm values `secret`");
            s.section = section;
            s.key = key;
            s.via = via;
            s.case_ok = case_ok;
            s.name = name.to_string();
            s.key_span = n.span();
            s.value_span = item.span();
            s.from_secret = true;
            out.push(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names() {
        let (s, k, v, ok) = parse_env_name("AIRFLOW__CORE__FERNET_KEY_CMD").unwrap();
        assert_eq!(
            (s.as_str(), k.as_str(), v, ok),
            ("core", "fernet_key", Via::Cmd, true)
        );
        let (s, k, v, _) = parse_env_name("AIRFLOW__API_AUTH__JWT_SECRET").unwrap();
        assert_eq!(
            (s.as_str(), k.as_str(), v),
            ("api_auth", "jwt_secret", Via::Value)
        );
        let (_, _, _, ok) = parse_env_name("AIRFLOW__core__load_examples").unwrap();
        assert!(!ok);
        assert!(parse_env_name("AIRFLOW_HOME").is_none());
        assert_eq!(
            airflow_image_version("apache/airflow:2.9.3-python3.11"),
            Some(Version(2, 9, 3))
        );
        assert_eq!(
            airflow_image_version("docker.io/apache/airflow:slim-3.0.1"),
            Some(Version(3, 0, 1))
        );
        assert_eq!(airflow_image_version("myco/airflow:2.9.3"), None);
        // Tags that name no version.
        for t in [
            "|version|",
            "latest",
            "latest-python3.12",
            "slim-latest",
            "${TAG}",
            "2",
            "2.x",
            "3.0",
            "main",
            "2.9.3-custom",
        ] {
            assert_eq!(
                airflow_image_version(&format!("apache/airflow:{t}")),
                None,
                "{t}"
            );
        }
        assert_eq!(
            airflow_image_version("apache/airflow:3.0.0rc1-python3.12"),
            Version::parse("3.0.0")
        );
        assert_eq!(
            airflow_image_version("quay.io/astronomer/astro-runtime:12.4.0"),
            Some(Version(2, 10, 0))
        );
        assert_eq!(
            airflow_image_version("astrocrpublic.azurecr.io/astronomer/astro-runtime:3.0-2"),
            Some(Version(3, 0, 0))
        );
    }

    fn yaml_settings(path: &str, text: &str) -> Vec<Setting> {
        let file = SourceFile::new(path, text);
        let stream = crate::yaml::parse(text);
        let objects = k8s::objects(&stream);
        settings_of_yaml(&file, &stream, YamlKind::Other, &objects, None)
    }

    fn at(text: &str, sp: Span) -> &str {
        &text[sp.start()..sp.end()]
    }

    #[test]
    fn value_from_refs_link_to_the_key() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: af\nspec:\n  containers:\n    - name: c\n      env:\n        - name: AIRFLOW__CORE__LOAD_EXAMPLES\n          valueFrom:\n            configMapKeyRef: {name: vals, key: load-examples, optional: true}\n        - name: AIRFLOW__CORE__FERNET_KEY\n          valueFrom:\n            secretKeyRef: {name: keys, key: fernet}\n        - name: OTHER\n          valueFrom:\n            configMapKeyRef: {name: vals, key: other}\n        - name: AIRFLOW__CORE__PARALLELISM\n          valueFrom:\n            fieldRef: {fieldPath: metadata.name}\n";
        let s = yaml_settings("pod.yaml", text);
        let links: Vec<(&Link, &str)> = s
            .iter()
            .filter_map(|s| match &s.marker {
                Some(Marker::Link(l)) => Some((l, at(text, s.key_span))),
                _ => None,
            })
            .collect();
        assert_eq!(
            links,
            vec![
                (
                    &Link::Value {
                        object: "ConfigMap/af/vals".into(),
                        key: "load-examples".into()
                    },
                    "AIRFLOW__CORE__LOAD_EXAMPLES"
                ),
                (
                    &Link::Value {
                        object: "Secret/af/keys".into(),
                        key: "fernet".into()
                    },
                    "AIRFLOW__CORE__FERNET_KEY"
                ),
            ]
        );
        // The variables themselves: set, value unknown until resolved; the
        // one from a Secret is marked so.
        let vars: Vec<(&str, bool, bool)> = s
            .iter()
            .filter(|s| s.is_option())
            .map(|s| (s.name.as_str(), s.value.is_none(), s.from_secret))
            .collect();
        assert_eq!(
            vars,
            vec![
                ("AIRFLOW__CORE__LOAD_EXAMPLES", true, false),
                ("AIRFLOW__CORE__FERNET_KEY", true, true),
                ("AIRFLOW__CORE__PARALLELISM", true, false),
            ]
        );
        // Each link pairs with its variable by the name's span.
        for l in s
            .iter()
            .filter(|s| matches!(s.marker, Some(Marker::Link(_))))
        {
            assert!(s.iter().any(|v| v.is_option() && v.key_span == l.key_span));
        }
    }

    #[test]
    fn configmap_and_secret_keys_are_kept_for_references() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vals\ndata:\n  load-examples: \"True\"\n  AIRFLOW__CORE__PARALLELISM: \"8\"\n  empty:\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: keys\n  namespace: af\nstringData:\n  plain: abc\ndata:\n  fernet: VHJ1ZQ==\n  bad: '<base64>'\n";
        let s = yaml_settings("objs.yaml", text);
        let keys: Vec<(&str, &str, Option<&str>, bool, &str)> = s
            .iter()
            .filter(|s| s.marker == Some(Marker::Key))
            .map(|s| {
                (
                    s.unit.as_str(),
                    s.name.as_str(),
                    s.value.as_deref(),
                    s.from_secret,
                    at(text, s.value_span),
                )
            })
            .collect();
        assert_eq!(
            keys,
            vec![
                (
                    "ConfigMap//vals",
                    "load-examples",
                    Some("True"),
                    false,
                    "\"True\""
                ),
                (
                    "ConfigMap//vals",
                    "AIRFLOW__CORE__PARALLELISM",
                    Some("8"),
                    false,
                    "\"8\""
                ),
                ("ConfigMap//vals", "empty", Some(""), false, ""),
                ("Secret/af/keys", "plain", Some("abc"), true, "abc"),
                ("Secret/af/keys", "fernet", Some("True"), true, "VHJ1ZQ=="),
                ("Secret/af/keys", "bad", None, true, "'<base64>'"),
            ]
        );
        // Key markers are never options; the `AIRFLOW__*` key still is one.
        let opts: Vec<&str> = s
            .iter()
            .filter(|s| s.is_option())
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(opts, vec!["AIRFLOW__CORE__PARALLELISM"]);
        // Over-long values are not kept (a reference to one is unknown).
        let long = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  k: {}\n",
            "x".repeat(MAX_REFERENCED_VALUE + 1)
        );
        let s = yaml_settings("big.yaml", &long);
        assert_eq!(s.len(), 1);
        assert_eq!(
            (s[0].marker.clone(), s[0].value.clone()),
            (Some(Marker::Key), None)
        );
        // At most MAX_REFERENCED_KEYS keys per file, over all its objects.
        let many: String = (0..2)
            .map(|o| {
                let data: String = (0..MAX_REFERENCED_KEYS / 2 + 5)
                    .map(|i| format!("  k{i}: v\n"))
                    .collect();
                format!(
                    "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m{o}\ndata:\n{data}"
                )
            })
            .collect();
        let s = yaml_settings("many.yaml", &many);
        assert_eq!(s.len(), MAX_REFERENCED_KEYS);
        assert!(s.iter().any(|s| s.unit == "ConfigMap//m1"));
    }

    #[test]
    fn kustomization_namespace() {
        let text = "namespace: airflow\nresources:\n  - deployment.yaml\n  - sub/cm.yml\n  - ../base\n  - ../other.yaml\n  - base\n  - https://example.com/x.yaml\nconfigMapGenerator:\n  - name: env\n    namespace: elsewhere\n    literals:\n      - AIRFLOW__CORE__LOAD_EXAMPLES=False\n";
        let s = yaml_settings("deploy/prod/kustomization.yaml", text);
        let ns: Vec<(&str, &str, &str)> = s
            .iter()
            .filter_map(|s| match &s.marker {
                Some(Marker::Namespace { file, namespace }) => {
                    Some((file.as_str(), namespace.as_str(), at(text, s.key_span)))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            ns,
            vec![
                ("deploy/prod/deployment.yaml", "airflow", "deployment.yaml"),
                ("deploy/prod/sub/cm.yml", "airflow", "sub/cm.yml"),
            ]
        );
        // The kustomization's namespace wins over the generator's.
        let lit = s.iter().find(|s| s.is_option()).expect("literal");
        assert_eq!(lit.unit, "ConfigMap/airflow/env");
        // Every literal is also a key for `valueFrom` references.
        let key = s
            .iter()
            .find(|s| s.marker == Some(Marker::Key))
            .expect("key");
        assert_eq!(
            (
                key.unit.as_str(),
                key.name.as_str(),
                key.value.as_deref(),
                at(text, key.value_span)
            ),
            (
                "ConfigMap/airflow/env",
                "AIRFLOW__CORE__LOAD_EXAMPLES",
                Some("False"),
                "False"
            )
        );
        // Without `namespace:`, the generator's own and no markers.
        let s = yaml_settings(
            "kustomization.yaml",
            "resources: [a.yaml]\nconfigMapGenerator:\n  - name: env\n    namespace: x\n    literals: [AIRFLOW__CORE__LOAD_EXAMPLES=False]\n",
        );
        assert!(
            !s.iter()
                .any(|s| matches!(s.marker, Some(Marker::Namespace { .. })))
        );
        assert_eq!(s[0].unit, "ConfigMap/x/env");
    }

    /// The settings of a Helm values file holding `text`.
    fn helm_values_settings(text: &str) -> Vec<Setting> {
        let file = SourceFile::new("values.yaml", text);
        let stream = crate::yaml::parse(text);
        settings_of_yaml(&file, &stream, YamlKind::HelmValues, &[], None)
    }

    /// The first setting that links to another source.
    fn first_link(s: &[Setting]) -> &Setting {
        s.iter()
            .find(|s| matches!(s.marker, Some(Marker::Link(_))))
            .expect("link")
    }

    #[test]
    fn helm_extra_env_from_links_literal_names() {
        let text = "airflowVersion: 3.0.2\nextraEnvFrom: |\n  - configMapRef:\n      name: airflow-env\n  - secretRef:\n      name: '{{ .Release.Name }}-conns'\n  - secretRef: {name: keys}\n    prefix: X_\n  - secretRef: {name: creds}\n";
        let s = helm_values_settings(text);
        let links: Vec<(&Link, &str, &str)> = s
            .iter()
            .filter_map(|s| match &s.marker {
                Some(Marker::Link(l)) => Some((l, s.unit.as_str(), at(text, s.key_span))),
                _ => None,
            })
            .collect();
        assert_eq!(
            links,
            vec![
                (
                    &Link::Object("ConfigMap//airflow-env".into()),
                    "",
                    "airflow-env"
                ),
                (&Link::Object("Secret//creds".into()), "", "creds"),
            ]
        );
        // `valueFrom` in the chart's env lists: namespace-less references.
        let text = "airflowVersion: 3.0.2\nscheduler:\n  env:\n    - name: AIRFLOW__CORE__PARALLELISM\n      valueFrom: {configMapKeyRef: {name: tuning, key: p}}\n";
        let s = helm_values_settings(text);
        let l = first_link(&s);
        assert_eq!(
            l.marker,
            Some(Marker::Link(Link::Value {
                object: "ConfigMap//tuning".into(),
                key: "p".into()
            }))
        );
        assert!(s.iter().any(|v| v.is_option() && v.key_span == l.key_span));
        // ... and in the `extraEnv` string, located in the file.
        let text = "airflowVersion: 3.0.2\nextraEnv: |\n  - name: AIRFLOW__CORE__PARALLELISM\n    valueFrom:\n      configMapKeyRef: {name: tuning, key: p}\n";
        let s = helm_values_settings(text);
        let l = first_link(&s);
        assert_eq!(at(text, l.key_span), "AIRFLOW__CORE__PARALLELISM");
        assert!(s.iter().any(|v| v.is_option() && v.key_span == l.key_span));
    }

    #[test]
    fn cfg_settings_spans() {
        let text = "[core]\nFERNET_KEY = abc\nload_examples = 5%\n";
        let parsed = cfg::parse_cfg(text);
        let file = SourceFile::new("airflow.cfg", text);
        let s = settings_of_cfg(&parsed, &file);
        let opts: Vec<_> = s.iter().filter(|s| s.is_option()).collect();
        assert_eq!(opts.len(), 2);
        assert!(!opts[0].case_ok);
        assert_eq!(
            &text[opts[0].value_span.start()..opts[0].value_span.end()],
            "abc"
        );
        assert!(opts[1].interp_error.is_some());
    }
}
