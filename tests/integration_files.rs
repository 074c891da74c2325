//! The problem matcher, the pre-commit manifest and the action script,
//! tested against real output.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn compact_output_of_fixtures() -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .current_dir(root())
        .args([
            "--no-config",
            "--format",
            "compact",
            "--fail-on",
            "never",
            "fixtures",
        ])
        .output()
        .unwrap();
    String::from_utf8(o.stdout).unwrap()
}

/// One annotation as the GitHub runner makes it from a matched line.
#[derive(Debug)]
struct Annotation {
    kind: &'static str,
    file: String,
    line: usize,
    column: usize,
    code: String,
    message: String,
}

/// The runner's problem-matcher semantics (actions/runner `IssueMatcher`
/// and `OutputManager.ConvertToIssue`) for single-pattern matchers: every
/// matcher is validated (non-empty unique owner, default severity empty,
/// error, warning or notice, group numbers inside the regexp); a line is
/// tried against the matchers, the first that matches makes the issue; its
/// severity is the `severity` group or else the matcher's default; empty
/// means error, error/warning/notice (any case) are kept and anything else
/// is dropped, as is an empty message.
fn runner_annotate(config: &serde_json::Value, line: &str) -> Option<Annotation> {
    let matchers = config["problemMatcher"].as_array().expect("problemMatcher");
    let mut owners = std::collections::BTreeSet::new();
    for m in matchers {
        let owner = m["owner"].as_str().unwrap_or("");
        assert!(!owner.is_empty(), "empty owner");
        assert!(
            owners.insert(owner.to_ascii_lowercase()),
            "duplicate owner {owner}"
        );
        let sev = m["severity"].as_str().unwrap_or("").to_ascii_uppercase();
        assert!(
            matches!(sev.as_str(), "" | "ERROR" | "WARNING" | "NOTICE"),
            "{sev}"
        );
        let pats = m["pattern"].as_array().expect("pattern");
        assert_eq!(pats.len(), 1, "single-line patterns only");
        let re = regex::Regex::new(pats[0]["regexp"].as_str().unwrap()).unwrap();
        for k in ["file", "line", "column", "severity", "code", "message"] {
            if let Some(i) = pats[0][k].as_u64() {
                assert!(
                    (i as usize) < re.captures_len(),
                    "{owner}: {k} out of range"
                );
            }
        }
        assert!(pats[0]["message"].is_u64(), "{owner}: no message group");
    }
    for m in matchers {
        let pat = &m["pattern"][0];
        let re = regex::Regex::new(pat["regexp"].as_str().unwrap()).unwrap();
        let Some(c) = re.captures(line) else {
            continue;
        };
        let group = |k: &str| {
            pat[k]
                .as_u64()
                .and_then(|i| c.get(i as usize))
                .map(|g| g.as_str().to_string())
        };
        let severity = group("severity")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| m["severity"].as_str().unwrap_or("").to_string());
        let kind = match severity.to_ascii_lowercase().as_str() {
            "" | "error" => "error",
            "warning" => "warning",
            "notice" => "notice",
            _ => return None,
        };
        let message = group("message").unwrap_or_default();
        if message.trim().is_empty() {
            return None;
        }
        return Some(Annotation {
            kind,
            file: group("file").unwrap_or_default(),
            line: group("line").and_then(|l| l.parse().ok()).unwrap_or(0),
            column: group("column").and_then(|l| l.parse().ok()).unwrap_or(0),
            code: group("code").unwrap_or_default(),
            message,
        });
    }
    None
}

#[test]
fn problem_matcher_annotates_every_compact_line_at_its_severity() {
    let text = std::fs::read_to_string(root().join(".github/afcheck-matcher.json")).unwrap();
    let config: serde_json::Value = serde_json::from_str(&text).unwrap();
    let out = compact_output_of_fixtures();
    assert!(out.lines().count() > 10, "too little output: {out}");
    let mut kinds = std::collections::BTreeSet::new();
    for line in out.lines() {
        let a =
            runner_annotate(&config, line).unwrap_or_else(|| panic!("no annotation for: {line}"));
        assert!(root().join(&a.file).is_file(), "{a:?}");
        assert!(a.line >= 1 && a.column >= 1, "{a:?}");
        assert!(afcheck::rules::meta::get(&a.code).is_some(), "{a:?}");
        let want = match line.split(": ").nth(1) {
            Some("error") => "error",
            Some("warning") => "warning",
            Some("note") => "notice",
            other => panic!("severity {other:?} in {line}"),
        };
        assert_eq!(a.kind, want, "{line}");
        assert!(line.contains(&a.message), "{a:?}");
        kinds.insert(a.kind);
    }
    // A note whose message carries forged `file:line:col: error:` text (a
    // message may quote the file's content) stays a notice at its own
    // location: the file name part never spans a `:` (afcheck writes a `:`
    // in a file name as `\x3a`, except a drive letter's).
    let forged = "Dockerfile:3:1: note: quoted x.yaml:99:7: error: forged [AFK001] [AFD002]";
    let a = runner_annotate(&config, forged).expect("annotated");
    assert_eq!(
        (a.kind, a.file.as_str(), a.line, a.code.as_str()),
        ("notice", "Dockerfile", 3, "AFD002"),
        "{a:?}"
    );
    let drive = "C:/src/Dockerfile:2:5: warning: w [AFD004]";
    let a = runner_annotate(&config, drive).expect("annotated");
    assert_eq!((a.file.as_str(), a.line), ("C:/src/Dockerfile", 2), "{a:?}");
    // The fixtures have findings of every severity: each reaches the runner.
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["error", "notice", "warning"]
    );
    // The issue's own regex matches too.
    let issue = regex::Regex::new(
        r"^(.+?):(\d+):(\d+):\s+(error|warning|note):\s+(.*?)\s+\[([A-Za-z0-9_.-]+)\]$",
    )
    .unwrap();
    assert!(out.lines().all(|l| issue.is_match(l)));
}

#[test]
fn pre_commit_manifest_has_the_hook() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let s = afcheck::yaml::parse(&text);
    assert!(s.errors.is_empty());
    let hooks = s.node(s.docs[0].root.unwrap());
    let hook = hooks.items().next().expect("one hook");
    for k in ["id", "name", "entry", "language", "files"] {
        assert!(
            hook.get(k).and_then(|v| v.as_str()).is_some(),
            "missing {k}"
        );
    }
    assert_eq!(hook.get("id").unwrap().as_str(), Some("afcheck"));
    // Not `language: rust`: pre-commit's `cargo install` ignores Cargo.lock.
    assert_eq!(hook.get("language").unwrap().as_str(), Some("script"));
    assert!(
        root()
            .join(hook.get("entry").unwrap().as_str().unwrap())
            .is_file()
    );
    let files = regex::Regex::new(hook.get("files").unwrap().as_str().unwrap()).unwrap();
    for p in [
        "Dockerfile",
        "docker/Dockerfile.prod",
        "k8s/deploy.yaml",
        "a.yml",
        "airflow.cfg",
        ".dockerignore",
        "api.Dockerfile",
    ] {
        assert!(files.is_match(p), "{p}");
    }
    for p in ["main.rs", "README.md"] {
        assert!(!files.is_match(p), "{p}");
    }
}

#[cfg(unix)]
#[test]
fn action_script_writes_outputs_and_exit_code() {
    let tmp = std::env::temp_dir().join(format!("afcheck-action-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(tmp.join("repo")).unwrap();
    std::fs::write(
        tmp.join("repo/fused.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
    )
    .unwrap();
    let out_file = tmp.join("github_output");
    let run = |fail_on: &str, sarif: &str| {
        std::fs::write(&out_file, "").unwrap();
        let o = Command::new("bash")
            .arg(root().join("scripts/action.sh"))
            .arg("run")
            .current_dir(tmp.join("repo"))
            .env("AFCHECK_BIN", env!("CARGO_BIN_EXE_afcheck"))
            .env("AFCHECK_ACTION_PATH", root())
            .env("GITHUB_OUTPUT", &out_file)
            .env("INPUT_PATH", ".")
            .env("INPUT_FORMAT", "github")
            .env("INPUT_FAIL_ON", fail_on)
            .env("INPUT_SARIF_FILE", sarif)
            .env("INPUT_ARGS", "--no-config")
            .output()
            .unwrap();
        (o, std::fs::read_to_string(&out_file).unwrap())
    };
    let (o, outputs) = run("error", "out.sarif");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("::add-matcher::"), "{stdout}");
    assert!(
        stdout.contains("::error file=fused.yaml,line=5"),
        "{stdout}"
    );
    assert!(outputs.contains("findings=1"), "{outputs}");
    assert!(outputs.contains("sarif-file=out.sarif"), "{outputs}");
    assert!(tmp.join("repo/out.sarif").is_file());

    let (o, outputs) = run("never", "");
    assert_eq!(o.status.code(), Some(0));
    assert!(outputs.contains("findings=1"));
    assert!(!outputs.contains("sarif-file"));
}
