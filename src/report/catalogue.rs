//! The rule catalogue: `afcheck rules` (text table or JSON),
//! `afcheck explain ID` and the generated `docs/rules/` pages.
//!
//! `explain` prints exactly the docs page of the rule: both come from the
//! rule's metadata (`rules/<domain>/<ID>.yaml`) and its first failing and
//! passing fixtures, embedded at build time. Regenerate the pages with
//! `AFCHECK_BLESS=1 cargo test --test docs`; the same test fails when a page
//! is stale, missing, or has no rule.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::engine;
use crate::rules::meta::{self, Meta};
use crate::source::Span;

include!(concat!(env!("OUT_DIR"), "/rule_examples.rs"));

/// Longest example shown in a page, in lines.
const MAX_EXAMPLE_LINES: usize = 60;

/// Where the generated pages live, relative to the repository root.
pub const DOCS_DIR: &str = "docs/rules";

/// `afcheck rules`: every rule as an aligned table.
pub fn rules_text() -> String {
    rules_table(meta::all())
}

/// `afcheck rules --format json`: every rule as a JSON array.
pub fn rules_json() -> String {
    rules_json_for(meta::all())
}

/// One line per rule, aligned columns, with a header line.
pub fn rules_table(metas: &[Meta]) -> String {
    let w_name = metas.iter().map(|m| m.name.len()).max().unwrap_or(4).max(4);
    let w_cat = metas
        .iter()
        .map(|m| m.category.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<7} {:<w_name$} {:<8} {:<6} {:<w_cat$} SUMMARY",
        "ID", "NAME", "SEVERITY", "FIX", "CATEGORY"
    );
    for m in metas {
        let _ = writeln!(
            s,
            "{:<7} {:<w_name$} {:<8} {:<6} {:<w_cat$} {}",
            m.id,
            m.name,
            m.severity.as_str(),
            m.fixable.map(|f| f.as_str()).unwrap_or("-"),
            m.category,
            one_line(&m.summary)
        );
    }
    s
}

#[derive(Serialize)]
struct RuleJson<'a> {
    id: &'a str,
    name: &'a str,
    severity: &'static str,
    category: &'a str,
    summary: String,
    docs: String,
    /// Whether `afcheck --fix` can fix findings of the rule.
    fixable: bool,
    /// How: `safe` (`--fix`), `unsafe` (only with `--unsafe-fixes`) or
    /// `mixed` (safe for some findings, unsafe for others); null when the
    /// rule has no automatic fix.
    fix_applicability: Option<&'static str>,
    /// SARIF `security-severity` (0.0 to 10.0), null for non-security rules.
    security_severity: Option<f64>,
    /// `baseline` or `restricted` for Pod Security Standards controls.
    pss_level: Option<&'a str>,
    /// The same check in other tools, by tool.
    equivalents: EquivalentsJson<'a>,
}

#[derive(Serialize)]
struct EquivalentsJson<'a> {
    hadolint: &'a [String],
    #[serde(rename = "kube-linter")]
    kube_linter: &'a [String],
    checkov: &'a [String],
    polaris: &'a [String],
    #[serde(rename = "kube-score")]
    kube_score: &'a [String],
    #[serde(rename = "airflow-config-lint")]
    airflow: &'a [String],
    gitleaks: &'a [String],
}

/// A JSON array of `{id, name, severity, category, summary, docs, fixable,
/// fix_applicability, security_severity, pss_level, equivalents}`.
pub fn rules_json_for(metas: &[Meta]) -> String {
    let v: Vec<RuleJson<'_>> = metas
        .iter()
        .map(|m| RuleJson {
            id: &m.id,
            name: &m.name,
            severity: m.severity.as_str(),
            category: &m.category,
            summary: one_line(&m.summary),
            docs: m.help_uri(),
            fixable: m.fixable.is_some(),
            fix_applicability: m.fixable.map(|f| f.as_str()),
            // Through its decimal text, so 8.5 stays 8.5 and not 8.5000001.
            security_severity: m
                .security_severity
                .and_then(|x| format!("{x:.1}").parse().ok()),
            pss_level: m.pss_level.as_deref(),
            equivalents: EquivalentsJson {
                hadolint: &m.equivalents.hadolint,
                kube_linter: &m.equivalents.kube_linter,
                checkov: &m.equivalents.checkov,
                polaris: &m.equivalents.polaris,
                kube_score: &m.equivalents.kube_score,
                airflow: &m.equivalents.airflow,
                gitleaks: &m.equivalents.gitleaks,
            },
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// `afcheck explain ID`: the rule's full documentation, the text of its
/// docs page without the page's "generated" marker line.
pub fn explain(m: &Meta) -> String {
    render_body(m)
}

/// The first line of every generated page.
pub fn generated_marker(m: &Meta) -> String {
    format!(
        "<!-- Generated from {} by `AFCHECK_BLESS=1 cargo test --test docs`; do not edit. -->\n\n",
        m.source
    )
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A failing or passing example: (path from the repository root, text).
pub fn examples(id: &str, kind: &str) -> Vec<(&'static str, &'static str)> {
    RULE_EXAMPLES
        .iter()
        .filter(|e| e.0 == id && e.1 == kind)
        .map(|e| (e.2, e.3))
        .collect()
}

fn language(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if name.ends_with(".yaml") || name.ends_with(".yml") {
        "yaml"
    } else if name.ends_with(".cfg") {
        "ini"
    } else if name.contains("dockerignore") || name.contains("containerignore") {
        "text"
    } else if name.contains("dockerfile") || name.contains("containerfile") {
        "dockerfile"
    } else if name.ends_with(".json") {
        "json"
    } else {
        "text"
    }
}

/// The text of an example with every secret afcheck finds in it masked, so
/// that docs pages and `afcheck explain` never repeat a credential (even a
/// fake one from a fixture). The example is checked alone, in memory.
fn masked_example(path: &str, text: &str) -> String {
    let input = engine::Input::Text {
        name: path.to_string(),
        bytes: text.as_bytes().to_vec(),
    };
    let run = engine::run(&[input], &engine::Options::default());
    let Some(file) = run.files.first() else {
        return text.to_string();
    };
    let spans: Vec<Span> = run
        .findings
        .iter()
        .filter(|f| f.file == 0)
        .flat_map(|f| f.secrets.iter().copied())
        .collect();
    if spans.is_empty() {
        return text.to_string();
    }
    mask_spans(&file.file.text, spans)
}

/// `text` with each span replaced by the [`super::redact::mask`] of its
/// content; overlapping spans are merged first.
pub fn mask_spans(text: &str, mut spans: Vec<Span>) -> String {
    spans.sort();
    let file = crate::source::SourceFile::new("", text);
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    let mut i = 0;
    while i < spans.len() {
        let mut cur = spans[i];
        i += 1;
        while i < spans.len() && spans[i].start < cur.end {
            cur = cur.cover(spans[i]);
            i += 1;
        }
        if cur.is_empty() || cur.start() < at {
            continue;
        }
        out.push_str(file.slice(Span::new(at, cur.start())));
        out.push_str(&super::redact::mask(file.slice(cur)));
        at = cur.end().min(text.len());
    }
    out.push_str(file.slice(Span::new(at, text.len())));
    out
}

/// The name an example is shown under: the file name of a one-file case,
/// the path inside the case folder of a project case; never the fixture's
/// path (`fixtures/<domain>/<ID>/<kind>/...`).
pub fn example_name(path: &str) -> &str {
    let parts: Vec<&str> = path.splitn(6, '/').collect();
    match parts.as_slice() {
        ["fixtures", _, _, _, file] => file,
        ["fixtures", _, _, _, _case, rest] => rest,
        _ => path.rsplit('/').next().unwrap_or(path),
    }
}

/// An example without the test suite's markers: comment lines holding only
/// `# expect: ID`, `# expect-file: ID` or `# fixture-args: ...` are dropped,
/// and an `# expect: ID` comment at the end of a line is cut off.
pub fn without_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let eol = &line[body.len()..];
        let t = body.trim_start();
        if t.starts_with('#')
            && ["expect:", "expect-file:", "fixture-args:"]
                .iter()
                .any(|m| t[1..].trim_start().starts_with(m))
        {
            continue;
        }
        match body.find("# expect:") {
            Some(pos) if !body[..pos].trim().is_empty() => {
                out.push_str(body[..pos].trim_end());
                out.push_str(eol);
            }
            _ => out.push_str(line),
        }
    }
    out
}

fn code_block(s: &mut String, path: &str, text: &str) {
    let text = &without_markers(text);
    let path = example_name(path);
    let fence = if text.contains("```") { "~~~~" } else { "```" };
    let _ = writeln!(s, "`{path}`:\n");
    let _ = writeln!(s, "{fence}{}", language(path));
    let lines: Vec<&str> = text.lines().collect();
    for l in lines.iter().take(MAX_EXAMPLE_LINES) {
        let _ = writeln!(s, "{}", l.trim_end_matches('\r'));
    }
    if lines.len() > MAX_EXAMPLE_LINES {
        let _ = writeln!(s, "# ... {} more lines", lines.len() - MAX_EXAMPLE_LINES);
    }
    let _ = writeln!(s, "{fence}\n");
}

fn list_or_dash(v: &[String]) -> String {
    if v.is_empty() {
        "—".to_string()
    } else {
        v.iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn paragraph(s: &mut String, text: &str) {
    let t = text.trim();
    if !t.is_empty() {
        let _ = writeln!(s, "{t}\n");
    }
}

/// The markdown page `docs/rules/<ID>.md` of a rule: the generated marker,
/// then [`explain`]'s text.
pub fn render_docs_page(m: &Meta) -> String {
    generated_marker(m) + &render_body(m)
}

/// What a rule's page says about its automatic fix.
pub fn fixable_text(f: meta::Fixable) -> &'static str {
    match f {
        meta::Fixable::Safe => {
            "`afcheck --fix` fixes it: the fix removes the problem and changes nothing else (see [fixes](../fixes.md))."
        }
        meta::Fixable::Unsafe => {
            "`afcheck --fix --unsafe-fixes` fixes it: the fix can change behaviour, so review it; `--fix` alone leaves it (see [fixes](../fixes.md))."
        }
        meta::Fixable::Mixed => {
            "`afcheck --fix` fixes some occurrences safely; the others need `--unsafe-fixes`, as their fix can change behaviour (see [fixes](../fixes.md))."
        }
    }
}

fn render_body(m: &Meta) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}: {}\n", m.id, m.name);
    paragraph(&mut s, &m.summary);
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(s, "| Severity | {} |", m.severity.as_str());
    let _ = writeln!(s, "| Category | {} |", m.category);
    if let Some(p) = &m.pss_level {
        let _ = writeln!(s, "| Pod Security Standards | {p} |");
    }
    if let Some(v) = m.security_severity {
        let _ = writeln!(s, "| Security severity | {v:.1} |");
    }
    if !m.tags.is_empty() {
        let _ = writeln!(s, "| Tags | {} |", m.tags.join(", "));
    }
    if let Some(f) = m.fixable {
        let _ = writeln!(s, "| Automatic fix | {} |", f.as_str());
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "## Why it matters\n");
    paragraph(&mut s, &m.rationale);
    let _ = writeln!(s, "## How to fix\n");
    paragraph(&mut s, &m.fix);
    if let Some(f) = m.fixable {
        paragraph(&mut s, fixable_text(f));
    }
    let fail = examples(&m.id, "fail");
    let pass = examples(&m.id, "pass");
    if !fail.is_empty() || !pass.is_empty() {
        let _ = writeln!(s, "## Examples\n");
        if !fail.is_empty() {
            let _ = writeln!(s, "Reported:\n");
            for (p, t) in &fail {
                code_block(&mut s, p, &masked_example(p, t));
            }
        }
        if !pass.is_empty() {
            let _ = writeln!(s, "Not reported:\n");
            for (p, t) in &pass {
                code_block(&mut s, p, &masked_example(p, t));
            }
        }
    }
    let e = &m.equivalents;
    let _ = writeln!(s, "## Equivalent checks in other tools\n");
    let _ = writeln!(s, "| Tool | Checks |\n|---|---|");
    for (tool, v) in [
        ("hadolint", &e.hadolint),
        ("kube-linter", &e.kube_linter),
        ("Checkov", &e.checkov),
        ("Polaris", &e.polaris),
        ("kube-score", &e.kube_score),
        ("airflow config lint", &e.airflow),
        ("gitleaks", &e.gitleaks),
    ] {
        let _ = writeln!(s, "| {tool} | {} |", list_or_dash(v));
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "## Suppressing\n");
    let _ = writeln!(
        s,
        "Add `# afcheck ignore={} <reason>` on the line above the finding or at the end of its line, \
`# afcheck ignore-file={}` anywhere in the file, or disable the rule in `.afcheck.yaml`.",
        m.id, m.id
    );
    if m.domain() == "k8s" {
        let _ = writeln!(
            s,
            "On a Kubernetes object, the annotation `afcheck.io/ignore: \"{}\"` also works.",
            m.id
        );
    }
    if !e.hadolint.is_empty() {
        let _ = writeln!(
            s,
            "Existing `# hadolint ignore={}` comments are honoured.",
            e.hadolint.join(",")
        );
    }
    if !e.kube_linter.is_empty() {
        let anns: Vec<String> = e
            .kube_linter
            .iter()
            .map(|c| format!("`ignore-check.kube-linter.io/{c}`"))
            .collect();
        let _ = writeln!(
            s,
            "Existing kube-linter annotations ({}) are honoured.",
            anns.join(", ")
        );
    }
    let _ = writeln!(s);
    if !m.references.is_empty() {
        let _ = writeln!(s, "## References\n");
        for r in &m.references {
            let _ = writeln!(s, "- <{}>", r.trim());
        }
        let _ = writeln!(s);
    }
    // One trailing newline.
    while s.ends_with("\n\n") {
        s.pop();
    }
    s
}

fn domain_title(d: &str) -> &'static str {
    match d {
        "docker" => "Dockerfile (AFD)",
        "k8s" => "Kubernetes (AFK)",
        "yaml" => "YAML and engine (AFY)",
        "airflow" => "Airflow configuration (AFC)",
        "helm" => "Helm values (AFH)",
        "secrets" => "Secrets (AFS)",
        _ => "Other",
    }
}

/// `docs/rules/README.md`: every rule, by domain.
pub fn render_index(metas: &[Meta]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<!-- Generated from rules/ by `AFCHECK_BLESS=1 cargo test --test docs`; do not edit. -->\n"
    );
    let _ = writeln!(s, "# afcheck rules\n");
    let _ = writeln!(
        s,
        "{} rules. `afcheck rules` lists them; `afcheck explain ID` prints a rule's page. \
         Fix: what `afcheck --fix` does about a finding ([fixes](../fixes.md)): `safe` fixes it, \
         `unsafe` needs `--unsafe-fixes`, `mixed` depends on the finding.\n",
        metas.len()
    );
    for d in [
        "docker", "k8s", "airflow", "helm", "secrets", "yaml", "unknown",
    ] {
        let in_domain: Vec<&Meta> = metas.iter().filter(|m| m.domain() == d).collect();
        if in_domain.is_empty() {
            continue;
        }
        let _ = writeln!(s, "## {}\n", domain_title(d));
        let _ = writeln!(
            s,
            "| ID | Name | Severity | Fix | Category | Summary |\n|---|---|---|---|---|---|"
        );
        for m in in_domain {
            let _ = writeln!(
                s,
                "| [{id}]({id}.md) | {} | {} | {} | {} | {} |",
                m.name,
                m.severity.as_str(),
                m.fixable.map(|f| f.as_str()).unwrap_or("—"),
                m.category,
                one_line(&m.summary).replace('|', "\\|"),
                id = m.id
            );
        }
        let _ = writeln!(s);
    }
    while s.ends_with("\n\n") {
        s.pop();
    }
    s
}

/// Every generated docs file under `root` (the repository root): the index
/// and one page per rule with metadata.
pub fn generate_docs(root: &Path) -> Vec<(PathBuf, String)> {
    generate_docs_for(root, meta::all())
}

/// [`generate_docs`] for a given set of rules.
pub fn generate_docs_for(root: &Path, metas: &[Meta]) -> Vec<(PathBuf, String)> {
    let dir = root.join(DOCS_DIR);
    let mut v = vec![(dir.join("README.md"), render_index(metas))];
    for m in metas {
        v.push((dir.join(format!("{}.md", m.id)), render_docs_page(m)));
    }
    v
}
