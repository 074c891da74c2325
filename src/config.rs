//! `.afcheck.yaml`: the project configuration, and the resolved [`Settings`]
//! (target versions and policy) that rules read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::finding::Severity;
use crate::yaml;

/// Pod Security Standards level to check against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PssLevel {
    Baseline,
    Restricted,
}

impl PssLevel {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "baseline" => Some(PssLevel::Baseline),
            "restricted" => Some(PssLevel::Restricted),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            PssLevel::Baseline => "baseline",
            PssLevel::Restricted => "restricted",
        }
    }
}

/// The newest Kubernetes minor version afcheck knows (the newest in the
/// Pod Security conformance fixtures).
pub const NEWEST_K8S_MINOR: u32 = 37;

/// Resolved settings every rule can read.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Target Kubernetes version `1.N`: the minor number.
    pub k8s_minor: u32,
    pub pss: PssLevel,
    /// Explicit target Airflow version (`--airflow-version` or config); when
    /// None the Airflow rules detect it from the scanned images.
    pub airflow_version: Option<String>,
    /// Registries considered trusted for images (prefix match).
    pub trusted_registries: Vec<String>,
    /// AFK020 requires `resources.limits.cpu` (config `require-cpu-limits`).
    pub require_cpu_limits: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            k8s_minor: NEWEST_K8S_MINOR,
            pss: PssLevel::Restricted,
            airflow_version: None,
            trusted_registries: Vec::new(),
            require_cpu_limits: true,
        }
    }
}

/// Parses `1.N` (or `v1.N`, `1.N.P`) into N, for the versions afcheck
/// knows (1.0 to 1.NEWEST_K8S_MINOR).
pub fn parse_k8s_version(s: &str) -> Option<u32> {
    let s = s.trim().trim_start_matches('v');
    let mut parts = s.split('.');
    if parts.next()? != "1" {
        return None;
    }
    parts
        .next()?
        .parse()
        .ok()
        .filter(|n| *n <= NEWEST_K8S_MINOR)
}

/// Why `s` is not a Kubernetes version afcheck knows.
pub fn k8s_version_error(s: &str) -> String {
    format!(
        "`{s}` is not a Kubernetes version afcheck knows; known versions: 1.0 to 1.{NEWEST_K8S_MINOR} (written 1.N)"
    )
}

/// The configuration file, as read.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub ignore_paths: Vec<String>,
    pub per_path_ignores: Vec<(String, Vec<String>)>,
    pub kubernetes_version: Option<u32>,
    pub pss_level: Option<PssLevel>,
    pub airflow_version: Option<String>,
    pub trusted_registries: Vec<String>,
    pub fail_on: Option<String>,
    pub max_file_size: Option<u64>,
    pub require_cpu_limits: Option<bool>,
    /// `fix: true`: apply safe fixes as `--fix` does.
    pub fix: Option<bool>,
    /// `unsafe-fixes: true`: also apply unsafe fixes (with `fix` or `--fix`).
    pub unsafe_fixes: Option<bool>,
}

/// Every key `.afcheck.yaml` accepts (documented in docs/configuration.md).
pub const KEYS: &[&str] = &[
    "select",
    "ignore",
    "severity",
    "ignore-paths",
    "per-path-ignores",
    "kubernetes-version",
    "pss-level",
    "airflow-version",
    "trusted-registries",
    "fail-on",
    "max-file-size",
    "require-cpu-limits",
    "fix",
    "unsafe-fixes",
];

pub const FILE_NAME: &str = ".afcheck.yaml";

/// Finds the nearest `.afcheck.yaml` from `start` upward.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let p = d.join(FILE_NAME);
        if p.is_file() {
            return Some(p);
        }
        dir = d.parent();
    }
    None
}

fn str_list(n: yaml::NodeRef<'_>, key: &str) -> Result<Vec<String>, String> {
    if n.is_null() {
        return Ok(Vec::new());
    }
    if let Some(s) = n.as_str()
        && n.is_scalar()
    {
        return Ok(s
            .split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect());
    }
    if !n.is_sequence() {
        return Err(format!("`{key}` must be a list of strings"));
    }
    n.items()
        .map(|i| {
            i.as_str()
                .map(String::from)
                .ok_or_else(|| format!("`{key}` must be a list of strings"))
        })
        .collect()
}

/// Parses a size such as `10485760`, `10MiB`, `512KiB`, `1GiB`, `10MB`.
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    if num.is_empty() {
        return None;
    }
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        _ => return None,
    };
    // Sizes beyond 2^64 bytes mean "no limit": saturate, never overflow.
    let n: u64 = num.parse().unwrap_or(u64::MAX);
    Some(n.saturating_mul(mult))
}

/// Edit distance (insertions, deletions, substitutions and transpositions
/// of neighbours), case-insensitive.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate nearest to `input` (at most 2 edits, and fewer than the
/// input's length), for "did you mean" hints; among equally near ones, the
/// one sharing the longest prefix with the input (`AFK025` → `AFK023`).
pub fn nearest<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let n = input.chars().count();
    let common = |c: &str| {
        input
            .chars()
            .zip(c.chars())
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .count()
    };
    candidates
        .iter()
        .map(|c| (distance(input, c), std::cmp::Reverse(common(c)), *c))
        .filter(|(d, _, _)| *d <= 2 && *d < n)
        .min_by_key(|(d, p, _)| (*d, *p))
        .map(|(_, _, c)| c)
}

/// The rule ID, or ID prefix of the same length, nearest to `input`.
pub fn suggest_rule(input: &str, ids: &[&str]) -> Option<String> {
    let up = input.trim().to_ascii_uppercase();
    let n = up.len();
    if n == 0 {
        return None;
    }
    let mut prefixes: Vec<&str> = ids.iter().filter_map(|id| id.get(..n)).collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    nearest(&up, &prefixes)
        .or_else(|| nearest(&up, ids))
        .map(String::from)
}

/// Does `filter` (a rule ID or prefix, any case) match at least one of `ids`?
fn matches_some(filter: &str, ids: &[&str]) -> bool {
    let up = filter.trim().to_ascii_uppercase();
    !up.is_empty() && ids.iter().any(|id| id.starts_with(&up))
}

fn unknown_rule(what: &str, entry: &str, ids: &[&str]) -> String {
    let hint = suggest_rule(entry, ids)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    format!("{what}: `{entry}` matches no rule{hint}")
}

/// Expands `entries` (rule IDs or prefixes, any case, to a severity) into
/// exact rule IDs in `out`: a longer (more specific) entry wins over a
/// shorter one, and every entry replaces what `out` held for its rules.
/// An entry that matches no rule is an error with a suggestion.
pub fn expand_severity(
    entries: &BTreeMap<String, Severity>,
    ids: &[&str],
    out: &mut BTreeMap<String, Severity>,
) -> Result<(), String> {
    let mut sorted: Vec<(String, Severity)> = entries
        .iter()
        .map(|(k, v)| (k.trim().to_ascii_uppercase(), *v))
        .collect();
    sorted.sort_by_key(|(k, _)| k.len());
    for (key, sev) in sorted {
        if !matches_some(&key, ids) {
            return Err(unknown_rule("severity", &key, ids));
        }
        for id in ids.iter().filter(|id| id.starts_with(&key)) {
            out.insert((*id).to_string(), sev);
        }
    }
    Ok(())
}

impl Config {
    /// Checks every rule reference (`select`, `ignore`, `severity` keys,
    /// `per-path-ignores` lists) against the known rule IDs and expands the
    /// `severity` keys (IDs or prefixes, any case) into exact IDs. The CLI
    /// calls it with every rule's ID.
    pub fn resolve_rules(&mut self, ids: &[&str]) -> Result<(), String> {
        for f in &self.select {
            if !matches_some(f, ids) {
                return Err(unknown_rule("select", f, ids));
            }
        }
        for f in &self.ignore {
            if !matches_some(f, ids) {
                return Err(unknown_rule("ignore", f, ids));
            }
        }
        for (glob, list) in &self.per_path_ignores {
            for f in list {
                if !matches_some(f, ids) {
                    return Err(unknown_rule(&format!("per-path-ignores `{glob}`"), f, ids));
                }
            }
        }
        let entries = std::mem::take(&mut self.severity);
        expand_severity(&entries, ids, &mut self.severity)
    }

    pub fn load(path: &Path) -> Result<Config, String> {
        // At most 1 MiB (`--config <(cmd)` may name a pipe; a discovered
        // file is a regular one).
        let bytes = crate::safe_read::read_explicit(path, 1 << 20)
            .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("config file {} is not UTF-8", path.display()))?;
        let mut c = Config::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        c.path = Some(path.to_path_buf());
        Ok(c)
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        let stream = yaml::parse(text);
        if let Some(e) = stream.errors.first() {
            return Err(format!("invalid YAML: {}", e.message));
        }
        if let Some(d) = stream.duplicates.first() {
            return Err(format!("duplicate key `{}`", d.key));
        }
        let mut c = Config::default();
        let Some(root) = stream.first_root() else {
            return Ok(c);
        };
        if root.is_null() {
            return Ok(c);
        }
        if !root.is_mapping() {
            return Err("the configuration must be a mapping".into());
        }
        for (k, v) in root.entries() {
            let key = k.as_str().unwrap_or("");
            let v = v.deref();
            let scalar = || {
                v.as_str()
                    .map(String::from)
                    .ok_or_else(|| format!("`{key}` must be a string"))
            };
            match key {
                "select" => c.select = str_list(v, key)?,
                "ignore" => c.ignore = str_list(v, key)?,
                "severity" => {
                    if !v.is_null() && !v.is_mapping() {
                        return Err("`severity` must map rule IDs to error, warning or note".into());
                    }
                    for (rk, rv) in v.entries() {
                        let id = rk.as_str().unwrap_or("").to_string();
                        let sev = rv.as_str().and_then(Severity::parse).ok_or_else(|| {
                            format!("`severity.{id}` must be error, warning or note")
                        })?;
                        c.severity.insert(id, sev);
                    }
                }
                "ignore-paths" => c.ignore_paths = str_list(v, key)?,
                "per-path-ignores" => {
                    if !v.is_mapping() {
                        return Err("`per-path-ignores` must map globs to rule lists".into());
                    }
                    for (pk, pv) in v.entries() {
                        let glob = pk.as_str().unwrap_or("").to_string();
                        c.per_path_ignores.push((glob, str_list(pv, key)?));
                    }
                }
                "kubernetes-version" => {
                    let s = scalar()?;
                    c.kubernetes_version = Some(parse_k8s_version(&s).ok_or_else(|| {
                        format!("`kubernetes-version`: {}", k8s_version_error(&s))
                    })?);
                }
                "pss-level" => {
                    let s = scalar()?;
                    c.pss_level = Some(PssLevel::parse(&s).ok_or_else(|| {
                        format!("`pss-level` must be baseline or restricted, not `{s}`")
                    })?);
                }
                "airflow-version" => c.airflow_version = Some(scalar()?),
                "trusted-registries" => c.trusted_registries = str_list(v, key)?,
                "fail-on" => {
                    let s = scalar()?;
                    if !matches!(s.as_str(), "error" | "warning" | "note" | "never") {
                        return Err(format!(
                            "`fail-on` must be error, warning, note or never, not `{s}`"
                        ));
                    }
                    c.fail_on = Some(s);
                }
                "max-file-size" => {
                    let s = scalar()?;
                    c.max_file_size = Some(
                        parse_size(&s).ok_or_else(|| format!("`max-file-size`: bad size `{s}`"))?,
                    );
                }
                "require-cpu-limits" => {
                    c.require_cpu_limits = Some(
                        v.as_bool()
                            .ok_or_else(|| format!("`{key}` must be true or false"))?,
                    );
                }
                "fix" | "unsafe-fixes" => {
                    let b = v
                        .as_bool()
                        .ok_or_else(|| format!("`{key}` must be true or false"))?;
                    match key {
                        "fix" => c.fix = Some(b),
                        _ => c.unsafe_fixes = Some(b),
                    }
                }
                other => {
                    return Err(format!(
                        "unknown key `{other}` (known keys: {})",
                        KEYS.join(", ")
                    ));
                }
            }
        }
        // Validate globs now so a bad one is a configuration error.
        for g in c
            .ignore_paths
            .iter()
            .chain(c.per_path_ignores.iter().map(|p| &p.0))
        {
            Glob::new(g).map_err(|e| format!("bad glob `{g}`: {e}"))?;
        }
        Ok(c)
    }

    pub fn ignore_path_set(&self) -> GlobSet {
        build_globs(&self.ignore_paths)
    }
}

/// Where the configuration comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigSource {
    /// The nearest `.afcheck.yaml` from this directory upward (the CLI's
    /// current directory, an editor's workspace folder). A file found so
    /// may not be a link out of the directory holding it (its content would
    /// reach error messages), unless links are followed.
    Discover(PathBuf),
    /// This file (`--config FILE`): any file that can be read, a pipe too.
    File(PathBuf),
    /// A configuration's text (an editor's unsaved `.afcheck.yaml`),
    /// reported as `path` in error messages.
    Text { path: PathBuf, text: String },
    /// No configuration (`--no-config`).
    None,
}

impl Config {
    /// Reads the configuration `source` names: the default configuration
    /// when there is none. Errors are one line, naming the file.
    pub fn from_source(source: &ConfigSource, follow_symlinks: bool) -> Result<Config, String> {
        match source {
            ConfigSource::None => Ok(Config::default()),
            ConfigSource::File(p) => {
                // Any file that can be read: `--config <(cmd)` names a pipe.
                if std::fs::metadata(p).is_err() {
                    return Err(format!("config file {} does not exist", p.display()));
                }
                Config::load(p)
            }
            ConfigSource::Discover(dir) => {
                let Some(p) = discover(dir) else {
                    return Ok(Config::default());
                };
                if !follow_symlinks
                    && let Some(d) = p.parent().and_then(|d| std::fs::canonicalize(d).ok())
                    && let Err(e) = crate::safe_read::check_confined(&p, &d)
                {
                    return Err(format!("config file {}: {e}", p.display()));
                }
                Config::load(&p)
            }
            ConfigSource::Text { path, text } => {
                let mut c = Config::parse(text).map_err(|e| format!("{}: {e}", path.display()))?;
                c.path = Some(path.clone());
                Ok(c)
            }
        }
    }
}

/// When a run fails (`--fail-on`, `fail-on:`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    pub fn parse(s: &str) -> Option<FailOn> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(FailOn::Error),
            "warning" => Some(FailOn::Warning),
            "note" => Some(FailOn::Note),
            "never" => Some(FailOn::Never),
            _ => None,
        }
    }
    /// The lowest severity that fails the run; None for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Note => Some(Severity::Note),
            FailOn::Never => None,
        }
    }
}

/// Settings given on top of the configuration file (the CLI's flags, an
/// editor's settings), as written: [`crate::lint::resolve`] checks them
/// and they win over the file. Error messages name them by their flag.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--select`, `--ignore`: rule IDs or prefixes.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// `--severity ID=LEVEL` entries.
    pub severity: Vec<String>,
    /// `--k8s-version 1.N`.
    pub k8s_version: Option<String>,
    /// `--pss baseline|restricted`.
    pub pss: Option<String>,
    /// `--airflow-version X.Y.Z`.
    pub airflow_version: Option<String>,
    /// `--max-file-size SIZE`.
    pub max_file_size: Option<String>,
    /// `--fail-on`.
    pub fail_on: Option<FailOn>,
    /// `--follow-symlinks` (also lets a discovered configuration be a link
    /// out of its directory).
    pub follow_symlinks: bool,
}

pub fn build_globs(globs: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        if let Ok(g) = Glob::new(g) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_versions() {
        assert_eq!(parse_size("10MiB"), Some(10 << 20));
        assert_eq!(parse_size("123"), Some(123));
        assert_eq!(parse_size("x"), None);
        assert_eq!(parse_k8s_version("1.29"), Some(29));
        assert_eq!(parse_k8s_version("v1.30.2"), Some(30));
        assert_eq!(parse_k8s_version("2.1"), None);
        assert_eq!(parse_k8s_version("1.37"), Some(37));
        assert_eq!(parse_k8s_version("1.38"), None);
    }

    #[test]
    fn require_cpu_limits_key() {
        let c = Config::parse("require-cpu-limits: false\n").unwrap();
        assert_eq!(c.require_cpu_limits, Some(false));
        assert!(Config::parse("require-cpu-limits: sometimes\n").is_err());
        assert!(Settings::default().require_cpu_limits);
    }

    const IDS: &[&str] = &["AFD001", "AFD002", "AFK015", "AFK023", "AFS001"];

    #[test]
    fn suggestions() {
        assert_eq!(distance("rulse", "rules"), 1);
        assert_eq!(
            nearest("rulse", &["rules", "explain", "man"]),
            Some("rules")
        );
        assert_eq!(nearest("src", &["rules", "explain", "man"]), None);
        assert_eq!(suggest_rule("AFK025", IDS).as_deref(), Some("AFK023"));
        assert_eq!(suggest_rule("afx", IDS).as_deref(), Some("AFD"));
        assert_eq!(suggest_rule("ZZZZZZZZ", IDS), None);
    }

    #[test]
    fn unknown_rules_in_the_config_are_errors() {
        for text in [
            "select: [AFK, AFQ]\n",
            "ignore: [AFK9999]\n",
            "severity:\n  AFK025: note\n",
            "per-path-ignores:\n  \"tests/**\": [AFZ]\n",
        ] {
            let mut c = Config::parse(text).unwrap();
            let e = c.resolve_rules(IDS).unwrap_err();
            assert!(e.contains("matches no rule"), "{text}: {e}");
        }
        let mut c = Config::parse("severity:\n  AFK025: note\n").unwrap();
        let e = c.resolve_rules(IDS).unwrap_err();
        assert!(e.contains("did you mean `AFK023`"), "{e}");
    }

    #[test]
    fn severity_keys_take_prefixes_and_any_case() {
        let mut c =
            Config::parse("severity:\n  afk: note\n  AFK023: error\n  afd001: note\n").unwrap();
        c.resolve_rules(IDS).unwrap();
        assert_eq!(c.severity.get("AFK015"), Some(&Severity::Note));
        // The more specific entry wins, whatever the order.
        assert_eq!(c.severity.get("AFK023"), Some(&Severity::Error));
        assert_eq!(c.severity.get("AFD001"), Some(&Severity::Note));
        assert_eq!(c.severity.get("AFD002"), None);
    }
}
