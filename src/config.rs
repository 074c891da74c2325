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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            k8s_minor: NEWEST_K8S_MINOR,
            pss: PssLevel::Restricted,
            airflow_version: None,
            trusted_registries: Vec::new(),
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

impl Config {
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
        let Some(root) = stream
            .docs
            .first()
            .and_then(|d| d.root)
            .map(|r| stream.node(r))
        else {
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
}
