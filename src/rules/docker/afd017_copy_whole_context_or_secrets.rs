use std::path::Path;

use super::common::dockerfile;
use crate::dockerfile::Instruction;
use crate::engine::Parsed;
use crate::finding::{Finding, Severity};
use crate::rules::{FileCx, Findings, ProjectCx};

/// Sources of a COPY/ADD from the build context (not `--from`).
fn context_sources(ins: &Instruction) -> Vec<&crate::dockerfile::Word> {
    if !(ins.is("COPY") || ins.is("ADD")) || ins.flag("from").is_some() {
        return Vec::new();
    }
    let words = ins.arg_words();
    match words.split_last() {
        Some((_, srcs)) => srcs.to_vec(),
        None => Vec::new(),
    }
}

fn is_whole_context(s: &str) -> bool {
    matches!(s, "." | "./" | "*" | "./*" | "/" | ".*")
}

fn sensitive(src: &str) -> bool {
    let base = src
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(src)
        .to_ascii_lowercase();
    if base.ends_with(".example")
        || base.ends_with(".sample")
        || base.ends_with(".template")
        || base.ends_with(".dist")
    {
        return false;
    }
    base == ".env"
        || base.starts_with(".env.")
        || matches!(
            base.as_str(),
            "id_rsa"
                | "id_dsa"
                | "id_ecdsa"
                | "id_ed25519"
                | ".netrc"
                | ".pypirc"
                | ".git-credentials"
        )
        || base.ends_with(".pem")
        || base.ends_with(".key")
}

/// What a whole-context COPY would put at risk: the entries of the context
/// directory that usually hold secrets or history (`.git`, `.env`, keys,
/// credential files). `None` when the directory cannot be read.
fn at_risk(dir: &Path) -> Option<Vec<String>> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        // A hostile context may hold millions of entries: a bounded look.
        .take(100_000)
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter(|n| {
            matches!(
                n.as_str(),
                ".git" | ".ssh" | ".aws" | ".kube" | ".docker" | ".npmrc" | ".gnupg"
            ) || sensitive(n)
        })
        .collect();
    out.sort();
    Some(out)
}

/// Does a .dockerignore exclude `target`? Last matching pattern wins.
pub fn ignore_excludes(text: &str, target: &str) -> bool {
    let mut excluded = false;
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let (neg, pat) = match l.strip_prefix('!') {
            Some(p) => (true, p.trim()),
            None => (false, l),
        };
        let pat = pat
            .trim_start_matches("./")
            .trim_start_matches('/')
            .trim_end_matches('/');
        if pat.is_empty() {
            continue;
        }
        let matches = |p: &str| {
            globset::GlobBuilder::new(p)
                .literal_separator(true)
                .build()
                .map(|g| g.compile_matcher().is_match(target))
                .unwrap_or(false)
        };
        let hit = matches(pat) || pat.strip_prefix("**/").is_some_and(matches);
        if hit {
            excluded = !neg;
        }
    }
    excluded
}

crate::rule!(Afd017, "AFD017", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for step in df.steps() {
            for w in context_sources(step.inst) {
                if sensitive(&w.value) {
                    out.push(
                        Finding::new(w.span, format!("COPY of `{}`, a file that usually holds secrets, bakes it into the image", w.value))
                            .with_help("Do not copy secrets into the image: mount them at build time (`RUN --mount=type=secret`) or provide them at runtime."),
                    );
                }
            }
        }
    }

    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        // The scanned ignore files by path (one map, not a search per Dockerfile);
        // a scanned one that could not be read is there too, as unknown.
        let ignores: std::collections::HashMap<&str, &crate::engine::AnalyzedFile> = cx
            .files
            .iter()
            .filter(|f| matches!(f.parsed, Parsed::DockerIgnore | Parsed::Unreadable))
            .map(|f| (f.file.path.as_str(), f))
            .collect();
        for (fi, af) in cx.files.iter().enumerate() {
            let Parsed::Dockerfile(df) = &af.parsed else {
                continue;
            };
            let Some(ins) = df.instructions.iter().find(|i| {
                context_sources(i)
                    .iter()
                    .any(|w| is_whole_context(&w.value))
            }) else {
                continue;
            };
            let path = Path::new(&af.file.path);
            let dir = path.parent().unwrap_or(Path::new(""));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // BuildKit: `<Dockerfile name>.dockerignore` beside it wins over `.dockerignore`.
            let candidates = [
                dir.join(format!("{name}.dockerignore")),
                dir.join(".dockerignore"),
            ];
            let mut found: Option<(String, String)> = None;
            let mut unknown = false;
            for c in &candidates {
                let cs = c.to_string_lossy().replace('\\', "/");
                let cs = cs.strip_prefix("./").unwrap_or(&cs).to_string();
                if let Some(f) = ignores.get(cs.as_str()) {
                    if matches!(f.parsed, Parsed::Unreadable) {
                        unknown = true;
                    } else {
                        found = Some((cs, f.file.text.to_string()));
                    }
                    break;
                }
                // Not scanned: read it, safely (a regular file, no link,
                // size-capped); one that exists but cannot be read is
                // unknown, and what afcheck does not know is no finding.
                match crate::safe_read::read_sidecar(c, crate::engine::DEFAULT_MAX_FILE_SIZE) {
                    crate::safe_read::Sidecar::Text(t) => {
                        found = Some((cs, t));
                        break;
                    }
                    crate::safe_read::Sidecar::Unreadable => {
                        unknown = true;
                        break;
                    }
                    crate::safe_read::Sidecar::Missing => {}
                }
            }
            let span = ins.span;
            if unknown {
                continue;
            }
            let risk = at_risk(dir);
            let listed = |v: &[&String]| {
                let shown: Vec<&str> = v.iter().take(5).map(|s| s.as_str()).collect();
                let more = if v.len() > 5 {
                    format!(" and {} more", v.len() - 5)
                } else {
                    String::new()
                };
                format!("`{}`{more}", shown.join("`, `"))
            };
            match (found, risk) {
                (None, Some(risk)) if !risk.is_empty() => {
                    let all: Vec<&String> = risk.iter().collect();
                    out.push(
                        Finding::new(span, format!("COPY of the whole build context with no `.dockerignore` beside the Dockerfile: {} from the context end up in the image", listed(&all)))
                            .with_help("Add a `.dockerignore` next to the Dockerfile that excludes them (and build outputs, caches, credentials).")
                            .in_file(fi as u32),
                    );
                }
                (None, risk) => {
                    // Nothing sensitive is in the context now (or it cannot
                    // be read): hygiene, not a leak.
                    let now = if risk.is_some() {
                        "nothing that usually holds secrets is in the context now, but every file added to it later will be copied too"
                    } else {
                        "any `.git`, `.env` or key file in the build context would be copied too"
                    };
                    out.push(
                        Finding::new(span, format!("COPY of the whole build context with no `.dockerignore` beside the Dockerfile: {now}"))
                            .with_severity(Severity::Note)
                            .in_file(fi as u32),
                    );
                }
                (Some((ipath, text)), risk) => {
                    let missing: Vec<&String> = risk
                        .iter()
                        .flatten()
                        .filter(|t| !ignore_excludes(&text, t))
                        .collect();
                    if !missing.is_empty() {
                        out.push(
                            Finding::new(span, format!("COPY of the whole build context, but `{ipath}` does not exclude {}, which the context holds", listed(&missing)))
                                .with_help(format!("Add {} to `{ipath}`.", listed(&missing)))
                                .in_file(fi as u32),
                        );
                    }
                }
            }
        }
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerignore_matching() {
        assert!(ignore_excludes(".git\n.env\n", ".git"));
        assert!(ignore_excludes("**/.git\n", ".git"));
        assert!(ignore_excludes("*\n!src\n", ".env"));
        assert!(!ignore_excludes("*\n!.env\n", ".env"));
        assert!(ignore_excludes(".env*\n", ".env"));
        assert!(!ignore_excludes("node_modules\n", ".git"));
        assert!(sensitive("./.env") && sensitive("certs/server.key") && !sensitive(".env.example"));
    }
}
