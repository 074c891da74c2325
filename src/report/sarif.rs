//! SARIF 2.1.0, built with `serde-sarif`.
//!
//! One run: `tool.driver` describes every rule afcheck has (so `ruleIndex`
//! is stable whatever fired), results carry 1-based regions with end line
//! and end column (exclusive, as SARIF defines it) in Unicode code points
//! (`columnKind: unicodeCodePoints`), file URIs relative to `%SRCROOT%`, and
//! a `partialFingerprints["afcheck/v1"]` equal to the baseline fingerprint.

use std::collections::{BTreeMap, HashMap};
use std::io;

use serde_sarif::sarif;

use crate::engine::Run;
use crate::finding::Severity;
use crate::meta::{self, Meta};

/// The `uriBaseId` of every relative artifact location.
pub const SRCROOT: &str = "%SRCROOT%";
/// The key of afcheck's partial fingerprint.
pub const FINGERPRINT_KEY: &str = "afcheck/v1";
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(sev: Severity) -> sarif::ResultLevel {
    match sev {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Note => sarif::ResultLevel::Note,
    }
}

/// Is this a security rule (gets the `security` tag)?
pub fn is_security(m: &Meta) -> bool {
    m.security_severity.is_some()
        || matches!(m.category.as_str(), "security" | "pod-security" | "secrets")
}

/// `properties.tags` of a rule: category, extra tags, and `security` for
/// security rules; without duplicates, in that order.
pub fn tags(m: &Meta) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    let mut push = |t: &str| {
        if !t.is_empty() && !v.iter().any(|x| x == t) {
            v.push(t.to_string());
        }
    };
    push(&m.category);
    for t in &m.tags {
        push(t);
    }
    if is_security(m) {
        push("security");
    }
    v
}

fn text(s: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(s.trim().to_string())
        .build()
}

/// The SARIF rule descriptor of a rule's metadata.
pub fn descriptor(m: &Meta) -> sarif::ReportingDescriptor {
    let help_text = format!(
        "{}\n\n{}\n\nFix: {}\n\nDocumentation: {}",
        m.summary.trim(),
        m.rationale.trim(),
        m.fix.trim(),
        m.help_uri()
    );
    let help_md = format!(
        "**{}**\n\n{}\n\n### How to fix\n\n{}\n\n[Documentation]({})",
        m.summary.trim(),
        m.rationale.trim(),
        m.fix.trim(),
        m.help_uri()
    );
    let mut extra = BTreeMap::new();
    if let Some(s) = m.security_severity {
        extra.insert(
            "security-severity".to_string(),
            serde_json::Value::String(format!("{s:.1}")),
        );
    }
    if let Some(p) = &m.pss_level {
        extra.insert(
            "pss-level".to_string(),
            serde_json::Value::String(p.clone()),
        );
    }
    if let Some(f) = m.fixable {
        extra.insert(
            "fixable".to_string(),
            serde_json::Value::String(f.as_str().to_string()),
        );
    }
    let props = sarif::PropertyBag::builder()
        .tags(tags(m))
        .additional_properties(extra)
        .build();
    sarif::ReportingDescriptor::builder()
        .id(m.id.clone())
        .name(m.name.clone())
        .short_description(text(&m.summary))
        .full_description(text(&m.rationale))
        .help(
            sarif::MultiformatMessageString::builder()
                .text(help_text)
                .markdown(help_md)
                .build(),
        )
        .help_uri(m.help_uri())
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(serde_json::Value::String(m.severity.as_str().to_string()))
                .build(),
        )
        .properties(props)
        .build()
}

/// Percent-encodes a path for a URI (RFC 3986: unreserved characters and
/// `/` are kept).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The artifact location of a reported path: relative to `%SRCROOT%`, or a
/// `file://` URI for absolute paths.
pub fn artifact_location(path: &str) -> sarif::ArtifactLocation {
    let bytes = path.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if path.starts_with('/') {
        sarif::ArtifactLocation::builder()
            .uri(format!("file://{}", encode_path(path)))
            .build()
    } else if drive {
        // Keep the drive's colon: `file:///C:/...`.
        sarif::ArtifactLocation::builder()
            .uri(format!(
                "file:///{}:{}",
                &path[..1],
                encode_path(&path[2..])
            ))
            .build()
    } else {
        sarif::ArtifactLocation::builder()
            .uri(encode_path(path))
            .uri_base_id(SRCROOT)
            .build()
    }
}

fn region(r: super::Region) -> sarif::Region {
    sarif::Region::builder()
        .start_line(r.start_line as i64)
        .start_column(r.start_column as i64)
        .end_line(r.end_line as i64)
        .end_column(r.end_column as i64)
        .build()
}

/// Rule descriptors (every rule with metadata, then any rule ID that fired
/// without it) and the index of each rule ID among them.
fn rules_of(
    run: &Run,
) -> (
    Vec<sarif::ReportingDescriptor>,
    HashMap<&'static str, usize>,
) {
    let mut rules: Vec<sarif::ReportingDescriptor> = meta::all().iter().map(descriptor).collect();
    let mut index: HashMap<&'static str, usize> = meta::all()
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    for f in &run.findings {
        if !index.contains_key(f.rule) {
            index.insert(f.rule, rules.len());
            rules.push(sarif::ReportingDescriptor::builder().id(f.rule).build());
        }
    }
    (rules, index)
}

/// A finding's fix as a SARIF `fix`: one artifact change with its
/// replacements (regions exact, as the edits' ranges, in code points).
fn sarif_fix(
    f: &crate::finding::Finding,
    src: &crate::source::SourceFile,
    clean: &super::Cleaner,
) -> Option<sarif::Fix> {
    let fx = f.fix.as_ref().filter(|x| !x.edits.is_empty())?;
    let placed = super::fixes::placed(f, src, clean)?;
    let replacements: Vec<sarif::Replacement> = placed
        .iter()
        .map(|p| {
            let region = sarif::Region::builder()
                .start_line(p.start.line as i64)
                .start_column(p.start.column as i64)
                .end_line(p.end.line as i64)
                .end_column(p.end.column as i64)
                .build();
            let b = sarif::Replacement::builder().deleted_region(region);
            if p.content.is_empty() {
                b.build()
            } else {
                b.inserted_content(
                    sarif::ArtifactContent::builder()
                        .text(p.content.to_string())
                        .build(),
                )
                .build()
            }
        })
        .collect();
    let change = sarif::ArtifactChange::builder()
        .artifact_location(artifact_location(&src.path))
        .replacements(replacements)
        .build();
    let description = match fx.applicability {
        crate::finding::Applicability::Safe => "Safe fix (afcheck --fix)",
        crate::finding::Applicability::Unsafe => {
            "Unsafe fix: may change behaviour (afcheck --fix --unsafe-fixes)"
        }
    };
    Some(
        sarif::Fix::builder()
            .description(sarif::Message::builder().text(description).build())
            .artifact_changes(vec![change])
            .build(),
    )
}

/// The results of a run, one at a time.
fn results<'a>(
    run: &'a Run,
    clean: &'a super::Cleaner,
    index: &'a HashMap<&'static str, usize>,
) -> impl Iterator<Item = sarif::Result> + 'a {
    let mut fps = crate::fingerprint::Fingerprinter::default();
    run.findings.iter().filter_map(move |f| {
        let src = super::source_of(run, f.file);
        let fp = fps.next(src.as_deref(), f, &clean.redactor);
        let src = src?;
        let src = &*src;
        let location = sarif::Location::builder()
            .physical_location(
                sarif::PhysicalLocation::builder()
                    .artifact_location(artifact_location(&src.path))
                    .region(region(super::region(src, f.span)))
                    .build(),
            )
            .build();
        let related: Vec<sarif::Location> = f
            .related
            .iter()
            .enumerate()
            .filter_map(|(i, rel)| {
                let rsrc = super::source_of(run, rel.file)?;
                let rsrc = &*rsrc;
                Some(
                    sarif::Location::builder()
                        .id(i as i64 + 1)
                        .physical_location(
                            sarif::PhysicalLocation::builder()
                                .artifact_location(artifact_location(&rsrc.path))
                                .region(region(super::region(rsrc, rel.span)))
                                .build(),
                        )
                        .message(
                            sarif::Message::builder()
                                .text(clean.text_in(f.file, &rel.message))
                                .build(),
                        )
                        .build(),
                )
            })
            .collect();
        let mut message = clean.text_in(f.file, &f.message);
        if let Some(help) = &f.help {
            message.push_str("\nFix: ");
            message.push_str(&clean.text_in(f.file, help));
        }
        let mut partial = BTreeMap::new();
        partial.insert(FINGERPRINT_KEY.to_string(), fp);
        let mut result = sarif::Result::builder()
            .rule_id(f.rule)
            .rule_index(index.get(f.rule).copied().unwrap_or(0) as i64)
            .level(level(f.severity))
            .message(sarif::Message::builder().text(message).build())
            .locations(vec![location])
            .partial_fingerprints(partial)
            .build();
        if !related.is_empty() {
            result.related_locations = Some(related);
        }
        if let Some(fix) = sarif_fix(f, src, clean) {
            result.fixes = Some(vec![fix]);
        }
        Some(result)
    })
}

/// The SARIF log of a run without its results.
fn skeleton(
    run: &Run,
    opts: &super::ReportOptions<'_>,
    rules: Vec<sarif::ReportingDescriptor>,
) -> sarif::Sarif {
    let driver = sarif::ToolComponent::builder()
        .name("afcheck")
        .version(opts.version)
        .semantic_version(opts.version)
        .information_uri(crate::REPO_URL)
        .rules(rules)
        .build();
    let srcroot = match opts.src_root_uri {
        Some(uri) => sarif::ArtifactLocation::builder().uri(uri).build(),
        None => sarif::ArtifactLocation::builder()
            .description(
                sarif::Message::builder()
                    .text("The directory afcheck was run from; result paths are relative to it.")
                    .build(),
            )
            .build(),
    };
    let mut bases = BTreeMap::new();
    bases.insert(SRCROOT.to_string(), srcroot);
    // What afcheck assumed (the Airflow version where no source names one)
    // reaches code scanning as a tool notification.
    let notes: Vec<sarif::Notification> = run
        .airflow_assumed
        .iter()
        .map(|note| {
            sarif::Notification::builder()
                .level(serde_json::Value::String("note".into()))
                .message(
                    sarif::Message::builder()
                        .text(super::escape::visible(note, true).into_owned())
                        .build(),
                )
                .build()
        })
        .collect();
    let invocations: Vec<sarif::Invocation> = if notes.is_empty() {
        Vec::new()
    } else {
        vec![
            sarif::Invocation::builder()
                .execution_successful(true)
                .tool_execution_notifications(notes)
                .build(),
        ]
    };
    let builder = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(Vec::new());
    let empty = invocations.is_empty();
    let mut run = builder
        .invocations(invocations)
        .column_kind(serde_json::Value::String("unicodeCodePoints".into()))
        .original_uri_base_ids(bases)
        .automation_details(
            sarif::RunAutomationDetails::builder()
                .id(opts.automation_id)
                .build(),
        )
        .build();
    if empty {
        run.invocations = None;
    }
    sarif::Sarif::builder()
        .schema(SCHEMA_URI)
        .version(serde_json::Value::String("2.1.0".into()))
        .runs(vec![run])
        .build()
}

/// The SARIF log of a run.
pub fn log(run: &Run, opts: &super::ReportOptions<'_>) -> sarif::Sarif {
    let (rules, index) = rules_of(run);
    let clean = super::Cleaner::new(run);
    let mut log = skeleton(run, opts, rules);
    log.runs[0].results = Some(results(run, &clean, &index).collect());
    log
}

/// Writes the SARIF log, streaming its results.
pub fn write(
    run: &Run,
    opts: &super::ReportOptions<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let (rules, index) = rules_of(run);
    let clean = super::Cleaner::new(run);
    let log = skeleton(run, opts, rules);
    let mut w = io::BufWriter::new(out);
    super::write_streamed(&mut w, &log, "results", 6, results(run, &clean, &index))?;
    io::Write::write_all(&mut w, b"\n")?;
    io::Write::flush(&mut w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        let l = artifact_location("k8s/my app#1.yaml");
        assert_eq!(l.uri.as_deref(), Some("k8s/my%20app%231.yaml"));
        assert_eq!(l.uri_base_id.as_deref(), Some(SRCROOT));
        let l = artifact_location("/srv/repo/Dockerfile");
        assert_eq!(l.uri.as_deref(), Some("file:///srv/repo/Dockerfile"));
        assert_eq!(l.uri_base_id, None);
        let l = artifact_location("C:/repo/Dockerfile");
        assert_eq!(l.uri.as_deref(), Some("file:///C:/repo/Dockerfile"));
    }
}
