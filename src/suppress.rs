//! Suppressions: `# afcheck ignore=ID[,ID] reason` (on the line above or at
//! the end of the line), `# afcheck ignore-file=ID[,ID]`, the Kubernetes
//! annotation `afcheck.io/ignore: "ID,ID"`, and the pragmas of the tools
//! users migrate from (`# hadolint ignore=DL3008`, kube-linter's
//! `ignore-check.kube-linter.io/<check>` annotation), mapped through each
//! rule's recorded equivalents.

use std::sync::OnceLock;

use crate::dockerfile::Dockerfile;
use crate::finding::Finding;
use crate::k8s::Object;
use crate::meta;
use crate::source::{SourceFile, Span};
use crate::yaml::YamlStream;

/// Where a suppression applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Findings starting on the 0-based lines `first..=last`, which span
    /// the bytes `from..to` of the file.
    Lines {
        first: u32,
        last: u32,
        from: usize,
        to: usize,
    },
    /// The whole file.
    File,
    /// Findings inside this byte range (a Kubernetes object).
    Range(Span),
}

#[derive(Clone, Debug)]
pub struct Suppression {
    /// Rule ID (ours), or the foreign code as written when it maps to none.
    pub rule: String,
    pub scope: Scope,
    /// Where the suppression is written (for AFY004).
    pub span: Span,
    /// Foreign pragmas (hadolint, kube-linter) are never reported as unused.
    pub foreign: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    pub items: Vec<Suppression>,
}

/// An unused suppression, reported as AFY004.
#[derive(Clone, Debug)]
pub struct Unused {
    pub file: u32,
    pub span: Span,
    pub rule: String,
}

impl Unused {
    pub fn rule_named(&self) -> &str {
        &self.rule
    }
}

fn is_rule_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 6
        && b.starts_with(b"AF")
        && b"DKYCHS".contains(&b[2])
        && b[3..].iter().all(u8::is_ascii_digit)
}

/// Our rule IDs that list `code` among a tool's equivalents.
fn equivalents_of(tool: &str, code: &str) -> Vec<&'static str> {
    static MAPS: OnceLock<Vec<(String, String, &'static str)>> = OnceLock::new();
    let maps = MAPS.get_or_init(|| {
        let mut v = Vec::new();
        for m in meta::all() {
            for c in &m.equivalents.hadolint {
                v.push(("hadolint".to_string(), c.clone(), m.id.as_str()));
            }
            for c in &m.equivalents.kube_linter {
                v.push(("kube-linter".to_string(), c.clone(), m.id.as_str()));
            }
        }
        v
    });
    maps.iter()
        .filter(|(t, c, _)| t == tool && c.eq_ignore_ascii_case(code))
        .map(|(_, _, id)| *id)
        .collect()
}

/// Finds the `#` that starts a comment on a line (outside quotes, after a
/// blank or at the start), if any.
pub(crate) fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    let b = line.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'#' if i == 0 || b[i - 1].is_ascii_whitespace() => return Some(i),
                _ => {}
            },
        }
    }
    None
}

fn split_ids(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// Parses `ignore=IDS` / `ignore-file=IDS` after a tool keyword.
fn pragma<'a>(comment: &'a str, tool: &str) -> Option<(bool, &'a str)> {
    let rest = comment.trim_start_matches('#').trim_start();
    let rest = rest.strip_prefix(tool)?;
    let rest = rest
        .strip_prefix(|c: char| c.is_whitespace() || c == ':')?
        .trim_start();
    let (file, rest) = if let Some(r) = rest.strip_prefix("ignore-file=") {
        (true, r)
    } else if let Some(r) = rest.strip_prefix("ignore=") {
        (false, r)
    } else {
        return None;
    };
    let ids = rest.split_whitespace().next().unwrap_or("");
    Some((file, ids))
}

/// hadolint's pragmas: `# hadolint ignore=DL3008` and the file-wide
/// `# hadolint global ignore=DL3008`.
fn hadolint_pragma(comment: &str) -> Option<(bool, &str)> {
    if let Some(p) = pragma(comment, "hadolint") {
        return Some(p);
    }
    let rest = comment
        .trim_start_matches('#')
        .trim_start()
        .strip_prefix("hadolint")?;
    let rest = rest.trim_start().strip_prefix("global")?.trim_start();
    let ids = rest
        .strip_prefix("ignore=")?
        .split_whitespace()
        .next()
        .unwrap_or("");
    Some((true, ids))
}

/// What kind of file suppressions are collected from: a Dockerfile (its
/// parsed instructions, if any, and hadolint pragmas), YAML (Kubernetes
/// annotations on its objects), or other text.
#[derive(Clone, Copy)]
pub enum Kind<'a> {
    Dockerfile(Option<&'a Dockerfile>),
    Yaml(&'a YamlStream, &'a [Object]),
    Other,
}

/// Collects the suppressions written in a file.
pub fn collect(file: &SourceFile, parsed: Kind<'_>) -> Suppressions {
    let mut items = Vec::new();
    let text: &str = &file.text;
    if !text.contains("afcheck") && !text.contains("hadolint") && !text.contains("kube-linter") {
        return Suppressions { items };
    }
    let is_docker = matches!(parsed, Kind::Dockerfile(_));
    let n = file.lines.line_count();
    let line_text = |i: usize| file.slice(file.lines.line_span(text, i));
    for i in 0..n {
        let line = line_text(i);
        if !(line.contains("afcheck") || is_docker && line.contains("hadolint")) {
            continue;
        }
        let Some(cpos) = comment_start(line) else {
            continue;
        };
        let comment = &line[cpos..];
        let own_line = line[..cpos].trim().is_empty();
        let base = file.lines.line_start(i);
        let span = Span::new(base + cpos, base + line.len());
        // Target lines: this line (trailing comment) or the next code line.
        let target = || -> (u32, u32) {
            if !own_line {
                return (i as u32, i as u32);
            }
            let mut j = i + 1;
            while j < n {
                let t = line_text(j).trim();
                if !t.is_empty() && !t.starts_with('#') {
                    break;
                }
                j += 1;
            }
            let start = j;
            // A parsed Dockerfile instruction covers its continuation lines
            // (comments and blank lines included) and its heredoc bodies.
            if let Kind::Dockerfile(Some(df)) = parsed
                && let Some(ins) = df
                    .instructions
                    .iter()
                    .find(|ins| file.lines.line_of(ins.span.start()) == start)
            {
                let end = file
                    .lines
                    .line_of(ins.span.end().saturating_sub(1).max(ins.span.start()));
                return (start as u32, end.max(start) as u32);
            }
            // A Dockerfile instruction continues over escaped line ends.
            if is_docker {
                while j + 1 < n {
                    let t = line_text(j).trim_end();
                    if t.ends_with('\\') || t.ends_with('`') {
                        j += 1;
                    } else {
                        break;
                    }
                }
            }
            (start as u32, j as u32)
        };
        if let Some((whole, ids)) = pragma(comment, "afcheck") {
            for id in split_ids(ids) {
                let id = id.to_ascii_uppercase();
                let scope = if whole {
                    Scope::File
                } else {
                    let (a, b) = target();
                    lines(file, a, b)
                };
                items.push(Suppression {
                    rule: id,
                    scope,
                    span,
                    foreign: false,
                });
            }
        } else if is_docker && let Some((whole, codes)) = hadolint_pragma(comment) {
            let scope = if whole {
                Scope::File
            } else {
                let (a, b) = target();
                lines(file, a, b)
            };
            for code in split_ids(codes) {
                for id in equivalents_of("hadolint", code) {
                    items.push(Suppression {
                        rule: id.to_string(),
                        scope: scope.clone(),
                        span,
                        foreign: true,
                    });
                }
            }
        }
    }
    // Kubernetes annotations.
    if let Kind::Yaml(stream, objects) = parsed {
        for obj in objects {
            let node = obj.node(stream);
            let Some(ann) = node.path(&["metadata", "annotations"]) else {
                continue;
            };
            for (k, v) in ann.entries() {
                let Some(key) = k.as_str() else { continue };
                if key == "afcheck.io/ignore" {
                    for id in split_ids(v.as_str().unwrap_or("")) {
                        items.push(Suppression {
                            rule: id.to_ascii_uppercase(),
                            scope: Scope::Range(obj.span),
                            span: k.span().cover(v.span()),
                            foreign: false,
                        });
                    }
                } else if let Some(check) = key.strip_prefix("ignore-check.kube-linter.io/") {
                    for id in equivalents_of("kube-linter", check) {
                        items.push(Suppression {
                            rule: id.to_string(),
                            scope: Scope::Range(obj.span),
                            span: k.span(),
                            foreign: true,
                        });
                    }
                }
            }
        }
    }
    items.retain(|s| s.foreign || is_rule_id(&s.rule) || s.rule.len() >= 3);
    Suppressions { items }
}

/// The scope of lines `first..=last` of `file`.
fn lines(file: &SourceFile, first: u32, last: u32) -> Scope {
    let n = file.lines.line_count();
    // A suppression with no code line after it targets line `n`, which no
    // finding starts on.
    let from = match first as usize {
        f if f < n => file.lines.line_start(f),
        _ => usize::MAX,
    };
    let to = match last as usize + 1 {
        next if next < n => file.lines.line_start(next),
        _ => usize::MAX,
    };
    Scope::Lines {
        first,
        last,
        from,
        to,
    }
}

fn covers(s: &Suppression, f: &Finding) -> bool {
    if !(f.rule == s.rule || (!is_rule_id(&s.rule) && f.rule.starts_with(s.rule.as_str()))) {
        return false;
    }
    match &s.scope {
        Scope::File => true,
        Scope::Range(r) => r.contains(f.span) || (r.start <= f.span.start && f.span.start < r.end),
        Scope::Lines { from, to, .. } => *from <= f.span.start() && f.span.start() < *to,
    }
}

/// Drops suppressed findings; returns the suppressions that matched nothing.
/// `files[i]` are the suppressions of the run's file `i`.
pub fn apply(files: &[&Suppressions], findings: &mut Vec<Finding>) -> Vec<Unused> {
    let mut used: Vec<Vec<bool>> = files.iter().map(|f| vec![false; f.items.len()]).collect();
    findings.retain(|f| {
        // Suppression findings themselves cannot be suppressed away silently.
        let Some(sup) = files.get(f.file as usize) else {
            return true;
        };
        let mut keep = true;
        for (i, s) in sup.items.iter().enumerate() {
            if covers(s, f) {
                used[f.file as usize][i] = true;
                keep = false;
            }
        }
        keep
    });
    let mut out = Vec::new();
    for (fi, sup) in files.iter().enumerate() {
        for (i, s) in sup.items.iter().enumerate() {
            if !used[fi][i] && !s.foreign {
                out.push(Unused {
                    file: fi as u32,
                    span: s.span,
                    rule: s.rule.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragma_forms() {
        assert_eq!(
            pragma("# afcheck ignore=AFK015,AFD003 why", "afcheck"),
            Some((false, "AFK015,AFD003"))
        );
        assert_eq!(
            pragma("#afcheck ignore-file=AFS", "afcheck"),
            Some((true, "AFS"))
        );
        assert_eq!(
            pragma("# hadolint ignore=DL3008", "hadolint"),
            Some((false, "DL3008"))
        );
        assert_eq!(pragma("# afcheck is great", "afcheck"), None);
        assert_eq!(
            hadolint_pragma("# hadolint global ignore=DL3008,DL3015"),
            Some((true, "DL3008,DL3015"))
        );
        assert_eq!(
            hadolint_pragma("# hadolint ignore=DL3008"),
            Some((false, "DL3008"))
        );
        assert_eq!(comment_start("a: '#x' # c"), Some(8));
        assert_eq!(comment_start("url: http://x#y"), None);
    }
}
