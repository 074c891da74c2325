//! Decides what a file is, by name first and content second.

use std::path::Path;

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Dockerfile,
    DockerIgnore,
    /// Any `*.yaml`/`*.yml`; split into manifests, Helm values, templates or
    /// other YAML after reading.
    Yaml,
    /// `airflow.cfg`, or any `*.cfg` (confirmed by content).
    Cfg,
}

/// Classification by file name alone; None for files afcheck ignores.
pub fn by_name(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    if lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.") && !lower.ends_with(".dockerignore")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
        || named_variant(&lower)
    {
        return Some(FileKind::Dockerfile);
    }
    if lower == ".dockerignore" || lower.ends_with(".dockerignore") || lower == ".containerignore" {
        return Some(FileKind::DockerIgnore);
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return Some(FileKind::Yaml);
    }
    if lower.ends_with(".cfg") {
        return Some(FileKind::Cfg);
    }
    None
}

/// `Dockerfile-dev`, `Dockerfile_prod`, `prod_Dockerfile`, `app__Dockerfile.debian`:
/// the word Dockerfile (or Containerfile) joined to a variant by `-`, `_` or
/// `.`, unless the name has a
/// source-code or data extension (`dockerfile_test.go`, `dockerfile-lint.json`).
fn named_variant(lower: &str) -> bool {
    let variant = lower
        .split(['-', '_', '.'])
        .any(|t| t == "dockerfile" || t == "containerfile");
    const NOT: &[&str] = &[
        ".go",
        ".rs",
        ".py",
        ".js",
        ".ts",
        ".java",
        ".rb",
        ".sh",
        ".md",
        ".txt",
        ".json",
        ".yaml",
        ".yml",
        ".toml",
        ".lock",
        ".bak",
        ".orig",
        ".swp",
        ".dockerignore",
    ];
    variant && !NOT.iter().any(|e| lower.ends_with(e))
}

/// A Docker Compose file by name: `docker-compose*.y*ml`, `compose*.y*ml`.
pub fn is_compose_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    (name.starts_with("docker-compose") || name.starts_with("compose"))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

/// What a YAML file holds, decided after parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YamlKind {
    /// At least one Kubernetes object (apiVersion + kind).
    Manifests,
    /// Helm chart values (`values*.yaml` or recognised keys).
    HelmValues,
    /// Anything else: checked for secrets only.
    Other,
}

/// True when the YAML text is a Go template (a Helm chart template) rather
/// than YAML: template actions at the start of a line, or as an unquoted value.
pub fn is_helm_template(path: &Path, text: &str) -> bool {
    is_helm_template_parsed(path, text, None)
}

/// True for a file under a `templates/` directory (a chart's templates).
pub fn in_chart_templates(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "templates")
}

/// [`is_helm_template`] for a file already parsed. `scalars` holds, when
/// the file parsed as YAML without error, the spans of its scalars (sorted
/// by start): a `{{` inside a scalar (a block scalar holding a Go template,
/// a quoted alert description) is text, not a template action, so such a
/// file is YAML. Files in a chart's `templates/` are templates whatever
/// they hold.
pub fn is_helm_template_parsed(path: &Path, text: &str, scalars: Option<&[Span]>) -> bool {
    if !text.contains("{{") {
        return false;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("values") {
        return false;
    }
    if in_chart_templates(path) {
        return true;
    }
    let in_scalar = |at: usize| {
        scalars.is_some_and(|sc| {
            let i = sc.partition_point(|s| s.start() <= at);
            i > 0 && sc[i - 1].end() > at
        })
    };
    let base = text.as_ptr() as usize;
    text.lines().any(|l| {
        let t = l.trim_start();
        let t = t.strip_prefix("- ").unwrap_or(t);
        // Offset of `rest` (a suffix of this line) in the text.
        let at = |rest: &str| rest.as_ptr() as usize - base;
        let action = |s: &str| {
            let s = s.trim_start_matches('-').trim_start();
            [
                "if ",
                "else",
                "end",
                "range ",
                "with ",
                "define ",
                "include ",
                "template ",
                "/*",
                ".Values",
                "$",
                "toYaml",
                "tpl ",
            ]
            .iter()
            .any(|k| s.starts_with(k))
        };
        if let Some(rest) = t.strip_prefix("{{") {
            return action(rest) && !in_scalar(at(t));
        }
        // `key: {{ .Values.x }}` (unquoted value)
        if let Some(pos) = t.find(": {{") {
            return action(&t[pos + 4..]) && !in_scalar(at(&t[pos + 2..]));
        }
        false
    })
}

/// Top-level keys of the official Apache Airflow Helm chart's values.
const AIRFLOW_CHART_KEYS: &[&str] = &[
    "airflowVersion",
    "defaultAirflowTag",
    "defaultAirflowRepository",
    "executor",
    "fernetKey",
    "fernetKeySecretName",
    "webserverSecretKey",
    "webserverSecretKeySecretName",
    "createUserJob",
    "migrateDatabaseJob",
    "dagProcessor",
    "triggerer",
    "pgbouncer",
    "apiServer",
];

/// Recognises Helm values by name (`values*.yaml`) or by the Airflow chart's keys.
pub fn is_helm_values(path: &Path, top_keys: &[&str]) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("values") && (name.ends_with(".yaml") || name.ends_with(".yml")) {
        return true;
    }
    // The community chart (airflow-helm/charts) keeps its settings under
    // `airflow:`, next to per-component keys.
    let community = top_keys.contains(&"airflow")
        && top_keys.iter().any(|k| {
            matches!(
                *k,
                "web" | "workers" | "scheduler" | "dags" | "flower" | "externalDatabase"
            )
        });
    community
        || top_keys
            .iter()
            .filter(|k| AIRFLOW_CHART_KEYS.contains(k))
            .count()
            >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (n, k) in [
            ("Dockerfile", Some(FileKind::Dockerfile)),
            ("dockerfile", Some(FileKind::Dockerfile)),
            ("Dockerfile.prod", Some(FileKind::Dockerfile)),
            ("api.Dockerfile", Some(FileKind::Dockerfile)),
            ("Containerfile", Some(FileKind::Dockerfile)),
            ("Dockerfile-dev", Some(FileKind::Dockerfile)),
            ("Dockerfile_prod", Some(FileKind::Dockerfile)),
            ("dev.Dockerfile", Some(FileKind::Dockerfile)),
            ("Containerfile.arm64", Some(FileKind::Dockerfile)),
            ("22__alpine3.24__Dockerfile", Some(FileKind::Dockerfile)),
            ("hass__Dockerfile.debian", Some(FileKind::Dockerfile)),
            ("dockerfiles.md", None),
            ("dockerfile_test.go", None),
            ("dockerfile-lint.json", None),
            ("Dockerfile-dev.yaml", Some(FileKind::Yaml)),
            (".dockerignore", Some(FileKind::DockerIgnore)),
            ("Dockerfile.dockerignore", Some(FileKind::DockerIgnore)),
            ("a/b/deploy.yml", Some(FileKind::Yaml)),
            ("airflow.cfg", Some(FileKind::Cfg)),
            ("main.rs", None),
        ] {
            assert_eq!(by_name(Path::new(n)), k, "{n}");
        }
    }

    #[test]
    fn templates() {
        let p = Path::new("chart/x.yaml");
        assert!(is_helm_template(p, "a:\n{{- if .Values.x }}\n"));
        assert!(is_helm_template(p, "image: {{ .Values.image }}\n"));
        assert!(!is_helm_template(p, "description: \"{{ $labels.x }}\"\n"));
        assert!(!is_helm_template(p, "a: b\n"));
        assert!(is_helm_template(
            Path::new("c/templates/d.yaml"),
            "x: '{{ y }}'"
        ));
        assert!(!is_helm_template(
            Path::new("c/values.yaml"),
            "x: {{ .Values.y }}"
        ));
        // Parsed cleanly, with the actions only inside a block scalar: YAML.
        let t = "data:\n  tpl: |\n    {{ if .x }}\n    a: {{ .Values.y }}\n    {{ end }}\n";
        let scalars = [Span::new(15, t.len() - 1)];
        assert!(is_helm_template(p, t));
        assert!(!is_helm_template_parsed(p, t, Some(&scalars)));
        // An action outside every scalar stays a template.
        let t2 = "a: |\n  {{ if }}\n{{ if .Values.x }}\n";
        assert!(is_helm_template_parsed(p, t2, Some(&[Span::new(3, 14)])));
    }
}
