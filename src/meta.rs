//! Rule metadata, loaded from the `rules/<domain>/<ID>.yaml` files embedded at
//! build time. The single source for `afcheck rules`, `afcheck explain`, SARIF
//! rule descriptors and the generated `docs/rules/` pages.

use std::sync::OnceLock;

use crate::finding::Severity;
use crate::yaml::{self, NodeRef};

include!(concat!(env!("OUT_DIR"), "/rule_files.rs"));

#[derive(Clone, Debug, Default)]
pub struct Equivalents {
    pub hadolint: Vec<String>,
    pub kube_linter: Vec<String>,
    pub checkov: Vec<String>,
    pub polaris: Vec<String>,
    pub kube_score: Vec<String>,
    pub airflow: Vec<String>,
    pub gitleaks: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Meta {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub category: String,
    pub summary: String,
    pub rationale: String,
    pub fix: String,
    pub references: Vec<String>,
    pub equivalents: Equivalents,
    /// Extra SARIF tags (the category is always a tag).
    pub tags: Vec<String>,
    /// SARIF `security-severity` (0.0 to 10.0) for security rules.
    pub security_severity: Option<f32>,
    /// For Pod Security Standards controls: `baseline` or `restricted`.
    pub pss_level: Option<String>,
    /// The automatic fix the rule offers, from `fixable:`: `safe` (`--fix`
    /// applies it), `unsafe` (only with `--unsafe-fixes`), `mixed` (safe for
    /// some occurrences, unsafe for others); `None` when there is none.
    pub fixable: Option<Fixable>,
    /// Path of the metadata file, for messages.
    pub source: String,
}

/// What automatic fix a rule offers (`fixable:` in its metadata).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fixable {
    Safe,
    Unsafe,
    Mixed,
}

impl Fixable {
    pub fn parse(s: &str) -> Option<Fixable> {
        match s {
            "safe" => Some(Fixable::Safe),
            "unsafe" => Some(Fixable::Unsafe),
            "mixed" => Some(Fixable::Mixed),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Fixable::Safe => "safe",
            Fixable::Unsafe => "unsafe",
            Fixable::Mixed => "mixed",
        }
    }
}

impl Meta {
    pub fn docs_path(&self) -> String {
        format!("docs/rules/{}.md", self.id)
    }
    pub fn help_uri(&self) -> String {
        format!("{}/blob/main/docs/rules/{}.md", crate::REPO_URL, self.id)
    }
    pub fn domain(&self) -> &'static str {
        domain_of(&self.id)
    }
}

/// Folder under `rules/`, `fixtures/` and `src/rules/` for a rule ID prefix.
pub fn domain_of(id: &str) -> &'static str {
    match id.get(..3) {
        Some("AFD") => "docker",
        Some("AFK") => "k8s",
        Some("AFY") => "yaml",
        Some("AFC") => "airflow",
        Some("AFH") => "helm",
        Some("AFS") => "secrets",
        _ => "unknown",
    }
}

fn strings(n: Option<NodeRef<'_>>) -> Vec<String> {
    match n {
        Some(n) if n.is_sequence() => n
            .items()
            .filter_map(|i| i.as_str())
            .map(String::from)
            .collect(),
        Some(n) => n.as_str().map(|s| vec![s.to_string()]).unwrap_or_default(),
        None => Vec::new(),
    }
}

/// Parses one metadata file; errors name the missing or invalid field.
pub fn parse_meta(path: &str, text: &str) -> Result<Meta, String> {
    let stream = yaml::parse(text);
    if let Some(e) = stream.errors.first() {
        return Err(format!("{path}: {}", e.message));
    }
    let root = stream
        .first_root()
        .ok_or_else(|| format!("{path}: empty"))?;
    let req = |k: &str| -> Result<String, String> {
        root.get(k)
            .and_then(|v| v.as_str())
            .map(|s| s.trim_end().to_string())
            .ok_or_else(|| format!("{path}: missing `{k}`"))
    };
    let sev = req("severity")?;
    let eq = root.get("equivalents");
    let eqget = |k: &str| strings(eq.and_then(|e| e.get(k)));
    Ok(Meta {
        id: req("id")?,
        name: req("name")?,
        severity: Severity::parse(&sev).ok_or_else(|| format!("{path}: bad severity `{sev}`"))?,
        category: req("category")?,
        summary: req("summary")?,
        rationale: req("rationale")?,
        fix: req("fix")?,
        references: strings(root.get("references")),
        equivalents: Equivalents {
            hadolint: eqget("hadolint"),
            kube_linter: eqget("kube-linter"),
            checkov: eqget("checkov"),
            polaris: eqget("polaris"),
            kube_score: eqget("kube-score"),
            airflow: eqget("airflow"),
            gitleaks: eqget("gitleaks"),
        },
        tags: strings(root.get("tags")),
        security_severity: root
            .get("security-severity")
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse().ok()),
        pss_level: root
            .get("pss-level")
            .and_then(|v| v.as_str())
            .map(String::from),
        fixable: match root.get("fixable").and_then(|v| v.as_str()) {
            None => None,
            Some(f) => Some(
                Fixable::parse(f)
                    .ok_or_else(|| format!("{path}: bad `fixable: {f}` (safe, unsafe or mixed)"))?,
            ),
        },
        source: path.to_string(),
    })
}

/// Every rule's metadata, sorted by ID. Invalid files are a build defect,
/// caught by the test suite; here they are skipped.
pub fn all() -> &'static [Meta] {
    static ALL: OnceLock<Vec<Meta>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<Meta> = RULE_FILES
            .iter()
            .filter_map(|(p, t)| parse_meta(p, t).ok())
            .collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    })
}

pub fn get(id: &str) -> Option<&'static Meta> {
    let all = all();
    all.binary_search_by(|m| m.id.as_str().cmp(id))
        .ok()
        .map(|i| &all[i])
}

/// Looks a rule up by ID (any case) or slug name.
pub fn find(id_or_name: &str) -> Option<&'static Meta> {
    let up = id_or_name.to_ascii_uppercase();
    get(&up).or_else(|| all().iter().find(|m| m.name == id_or_name))
}
