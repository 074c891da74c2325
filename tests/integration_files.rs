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

#[test]
fn problem_matcher_matches_every_compact_line() {
    let text = std::fs::read_to_string(root().join(".github/afcheck-matcher.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let pat = &v["problemMatcher"][0]["pattern"][0];
    let re = regex::Regex::new(pat["regexp"].as_str().unwrap()).unwrap();
    let idx = |k: &str| pat[k].as_u64().unwrap() as usize;
    let out = compact_output_of_fixtures();
    assert!(out.lines().count() > 10, "too little output: {out}");
    for line in out.lines() {
        let c = re
            .captures(line)
            .unwrap_or_else(|| panic!("matcher misses: {line}"));
        let file = &c[idx("file")];
        assert!(root().join(file).is_file(), "{file}");
        let l: usize = c[idx("line")].parse().unwrap();
        let col: usize = c[idx("column")].parse().unwrap();
        assert!(l >= 1 && col >= 1);
        assert!(matches!(&c[idx("severity")], "error" | "warning" | "note"));
        let code = &c[idx("code")];
        assert!(afcheck::rules::meta::get(code).is_some(), "{code}");
        assert!(!c[idx("message")].is_empty());
    }
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
    assert_eq!(hook.get("language").unwrap().as_str(), Some("rust"));
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
