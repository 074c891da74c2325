//! What a new user adopting afcheck relies on: the JUnit, GitLab Code Quality
//! and statistics reports, the command line's strictness and polish, the
//! repository's own Dockerfile and CI files, and the Action's installer.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_afcheck"));
    c.env_remove("NO_COLOR").current_dir(root());
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("afcheck-adopt-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const SEED: &str = "fixtures/seed-guide";

fn compact_lines(path: &str) -> Vec<String> {
    let o = run(&[
        "--no-config",
        "--format",
        "compact",
        "--fail-on",
        "never",
        path,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o).lines().map(String::from).collect()
}

#[test]
fn junit_report_parses_as_xml_and_counts_every_finding() {
    let expected = compact_lines(SEED);
    assert!(expected.len() > 20, "the seed guide trips many rules");
    let o = run(&[
        "--no-config",
        "--format",
        "junit",
        "--fail-on",
        "never",
        SEED,
    ]);
    let text = stdout(&o);
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let suites = doc.root_element();
    assert_eq!(suites.tag_name().name(), "testsuites");
    let attr = |n: roxmltree::Node<'_, '_>, k: &str| -> usize {
        n.attribute(k)
            .unwrap_or_else(|| panic!("no {k}"))
            .parse()
            .unwrap()
    };
    let mut failures = Vec::new();
    let mut tests = 0;
    let mut suite_count = 0;
    for suite in suites.children().filter(|n| n.has_tag_name("testsuite")) {
        suite_count += 1;
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(attr(suite, "tests"), cases.len());
        let fails: Vec<_> = cases
            .iter()
            .flat_map(|c| c.children().filter(|n| n.has_tag_name("failure")))
            .collect();
        assert_eq!(attr(suite, "failures"), fails.len());
        tests += cases.len();
        for c in &cases {
            assert_eq!(c.attribute("classname"), suite.attribute("name"));
            assert!(root().join(c.attribute("file").unwrap()).is_file());
        }
        for f in fails {
            let ty = f.attribute("type").unwrap();
            assert!(matches!(ty, "error" | "warning" | "note"), "{ty}");
            assert!(!f.attribute("message").unwrap().is_empty());
            let body = f.text().unwrap();
            // The first line of the body is the compact line of the finding.
            failures.push(body.lines().next().unwrap().to_string());
        }
    }
    assert!(suite_count >= 5, "one suite per file");
    assert_eq!(attr(suites, "tests"), tests);
    assert_eq!(attr(suites, "failures"), failures.len());
    let mut want = expected.clone();
    want.sort();
    failures.sort();
    assert_eq!(failures, want);
}

#[test]
fn junit_of_a_clean_file_has_one_passing_case() {
    let o = run(&["--no-config", "--format", "junit", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 1);
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        0
    );
}

/// The fields GitLab documents for a Code Quality issue ("Code Quality report
/// format"): description, check_name, fingerprint, severity (info, minor,
/// major, critical, blocker), location.path and location.lines.begin (or
/// location.positions.begin.line). Checked here field by field; `.ci/run`
/// also validates with check-jsonschema against
/// docs/schemas/gitlab-codequality.schema.json, written from those docs.
#[test]
fn gitlab_report_has_every_documented_field() {
    let expected = compact_lines(SEED);
    let o = run(&[
        "--no-config",
        "--format",
        "gitlab",
        "--fail-on",
        "never",
        SEED,
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let issues = v.as_array().expect("a JSON array");
    assert_eq!(issues.len(), expected.len());
    let mut fps = std::collections::BTreeSet::new();
    for (i, line) in issues.iter().zip(&expected) {
        for k in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[k].as_str().is_some_and(|s| !s.is_empty()), "{k} in {i}");
        }
        assert!(matches!(
            i["severity"].as_str().unwrap(),
            "info" | "minor" | "major" | "critical" | "blocker"
        ));
        let path = i["location"]["path"].as_str().unwrap();
        assert!(root().join(path).is_file(), "{path}");
        let begin = i["location"]["lines"]["begin"].as_u64().unwrap();
        assert!(begin >= 1);
        assert_eq!(
            i["location"]["positions"]["begin"]["line"].as_u64(),
            Some(begin)
        );
        assert!(
            fps.insert(i["fingerprint"].as_str().unwrap().to_string()),
            "unique fingerprints"
        );
        // Same finding as the compact line, in the same order.
        let want = format!("{path}:{begin}:");
        assert!(line.starts_with(&want), "{line} vs {want}");
        assert!(line.ends_with(&format!("[{}]", i["check_name"].as_str().unwrap())));
    }
    // And against the schema written from GitLab's docs, when jsonschema is
    // installed (it is in .ci/run).
    let have = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .status()
        .is_ok_and(|s| s.success());
    if have {
        let dir = tmpdir("gitlab");
        let report = dir.join("cq.json");
        std::fs::write(&report, stdout(&o)).unwrap();
        let o = Command::new("python3")
            .args([
                "-c",
                "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))",
            ])
            .arg(root().join("docs/schemas/gitlab-codequality.schema.json"))
            .arg(&report)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
}

#[test]
fn statistics_count_findings_per_rule() {
    let expected = compact_lines(SEED);
    let o = run(&["--no-config", "--statistics", "--fail-on", "never", SEED]);
    let text = stdout(&o);
    let mut total = 0;
    let mut prev = usize::MAX;
    for l in text.lines() {
        let cols: Vec<&str> = l.split_whitespace().collect();
        assert_eq!(cols.len(), 4, "{l}");
        let n: usize = cols[0].parse().unwrap();
        assert!(n <= prev, "most frequent first");
        prev = n;
        let rule = cols[1];
        let count = expected
            .iter()
            .filter(|e| {
                e.ends_with(&format!("[{rule}]")) && e.contains(&format!(": {}: ", cols[2]))
            })
            .count();
        assert_eq!(n, count, "{l}");
        total += n;
    }
    assert_eq!(total, expected.len());
    let o = run(&[
        "--no-config",
        "--statistics",
        "--format",
        "json",
        "--fail-on",
        "never",
        SEED,
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let sum: u64 = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(sum as usize, expected.len());
    // The exit code still follows --fail-on.
    assert_eq!(
        run(&["--no-config", "--statistics", SEED]).status.code(),
        Some(1)
    );
}

#[test]
fn severity_override_on_the_command_line() {
    let o = run(&[
        "--no-config",
        "--format",
        "compact",
        "--fail-on",
        "never",
        "--select",
        "AFD001",
        "fixtures/docker/AFD001/fail",
    ]);
    assert!(stdout(&o).contains(": warning: "), "{}", stdout(&o));
    let o = run(&[
        "--no-config",
        "--format",
        "compact",
        "--fail-on",
        "never",
        "--select",
        "AFD001",
        "--severity",
        "afd001=error",
        "fixtures/docker/AFD001/fail",
    ]);
    let text = stdout(&o);
    assert!(
        !text.is_empty() && text.lines().all(|l| l.contains(": error: ")),
        "{text}"
    );
    for bad in ["AFD001", "AFD001=fatal", "AFQ=note"] {
        let o = run(&["--no-config", "--severity", bad, SEED]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    }
}

#[test]
fn unknown_rules_in_the_config_exit_2_with_a_suggestion() {
    let d = tmpdir("config");
    std::fs::write(d.join("Dockerfile"), "FROM python:3.12\n").unwrap();
    for (cfg, hint) in [
        ("select: [AFK, AFD001x]\n", "select"),
        ("ignore: [AFK9]\n", "ignore"),
        ("severity:\n  AFK0233: note\n", "did you mean `AFK023`"),
        ("per-path-ignores:\n  \"x/**\": [AFZ]\n", "per-path-ignores"),
    ] {
        std::fs::write(d.join(".afcheck.yaml"), cfg).unwrap();
        let o = bin().current_dir(&d).arg(".").output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{cfg}: {}", stderr(&o));
        assert!(stderr(&o).contains(hint), "{cfg}: {}", stderr(&o));
        assert!(stderr(&o).contains("did you mean"), "{cfg}: {}", stderr(&o));
    }
    // Prefixes and any case work in `severity`.
    std::fs::write(d.join(".afcheck.yaml"), "severity:\n  afd: error\n").unwrap();
    let o = bin()
        .current_dir(&d)
        .args(["--format", "compact", "."])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).lines().all(|l| l.contains(": error: ")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn typos_get_the_nearest_suggestion() {
    let o = run(&["rulse"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `afcheck rules`"),
        "{}",
        stderr(&o)
    );
    let o = run(&["explain", "AFK0155"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `AFK015`"),
        "{}",
        stderr(&o)
    );
    let o = run(&["--select", "AFX", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean"), "{}", stderr(&o));
}

#[test]
fn color_flag() {
    let args = [
        "--no-config",
        "--format",
        "terminal",
        "--fail-on",
        "never",
        "fixtures/docker/AFD001/fail",
    ];
    let with = |c: &str| {
        let mut a = args.to_vec();
        a.extend(["--color", c]);
        stdout(&run(&a))
    };
    assert!(with("always").contains("\x1b["));
    assert!(!with("never").contains("\x1b["));
    // Not a terminal: auto means no colour.
    assert!(!with("auto").contains("\x1b["));
    let o = run(&["--color", "sometimes", "."]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn terminal_prints_each_message_once_with_the_severity_word() {
    let o = run(&[
        "--no-config",
        "--format",
        "terminal",
        "--color",
        "never",
        "--fail-on",
        "never",
        "fixtures/docker/AFD001/fail/latest.Dockerfile",
    ]);
    let text = stdout(&o);
    let msg = "base image `python:latest` uses the `latest` tag";
    assert_eq!(text.matches(msg).count(), 1, "{text}");
    assert!(text.contains(&format!("warning: {msg}")), "{text}");
    // Wrapped to the width (COLUMNS when not a terminal).
    let o = bin()
        .env("COLUMNS", "60")
        .args([
            "--no-config",
            "--format",
            "terminal",
            "--color",
            "never",
            "--fail-on",
            "never",
            SEED,
        ])
        .output()
        .unwrap();
    for l in stdout(&o).lines() {
        // Source lines are shown as they are; prose is wrapped.
        if !l.contains('│') && !l.contains('·') && !l.contains('╭') && !l.starts_with("AF") {
            assert!(l.chars().count() <= 60, "{l}");
        }
    }
}

#[test]
fn empty_run_says_no_file_was_recognised() {
    let d = tmpdir("empty");
    std::fs::write(d.join("notes.txt"), "hello\n").unwrap();
    let o = bin()
        .current_dir(&d)
        .args(["--no-config", "--format", "terminal", "."])
        .output()
        .unwrap();
    assert!(
        stdout(&o).contains("no file was recognised"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn version_names_the_commit_when_known() {
    let o = run(&["--version"]);
    let v = stdout(&o);
    assert!(
        v.starts_with(&format!("afcheck {}", env!("CARGO_PKG_VERSION"))),
        "{v}"
    );
    if root().join(".git").exists() && Command::new("git").arg("--version").output().is_ok() {
        assert!(v.contains('(') && v.trim_end().ends_with(')'), "{v}");
    }
}

#[test]
fn completions_and_man_page() {
    for sh in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = run(&["completions", sh]);
        assert_eq!(o.status.code(), Some(0), "{sh}");
        let t = stdout(&o);
        assert!(t.contains("afcheck") && t.contains("fail-on"), "{sh}");
    }
    let o = run(&["man"]);
    let t = stdout(&o);
    assert!(t.starts_with(".ie") || t.contains(".TH afcheck"), "{t}");
    assert!(t.contains("fail\\-on"));
}

#[test]
fn rules_json_has_equivalents_fixability_and_security_severity() {
    let o = run(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules = v.as_array().unwrap();
    assert!(rules.len() > 50);
    for r in rules {
        // `fixable` says whether, `fix_applicability` how.
        let fixable = r["fixable"].as_bool().expect("fixable is a boolean");
        assert_eq!(fixable, r["fix_applicability"].is_string(), "{r}");
        if r["id"] == "AFD019" {
            assert_eq!(r["fix_applicability"], "safe", "{r}");
        }
        assert!(r.get("security_severity").is_some(), "{r}");
        for tool in [
            "hadolint",
            "kube-linter",
            "checkov",
            "polaris",
            "kube-score",
            "airflow-config-lint",
            "gitleaks",
        ] {
            assert!(r["equivalents"][tool].is_array(), "{tool} in {r}");
        }
    }
    let afk001 = rules.iter().find(|r| r["id"] == "AFK001").unwrap();
    assert!(
        afk001["security_severity"]
            .as_f64()
            .is_some_and(|x| x > 0.0)
    );
    assert!(
        !afk001["equivalents"]["kube-linter"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn explain_shows_clean_examples() {
    let ids: Vec<String> = afcheck::rules::meta::all()
        .iter()
        .map(|m| m.id.clone())
        .collect();
    let mut with_examples = 0;
    for id in ids {
        let page = afcheck::report::catalogue::explain(afcheck::rules::meta::get(&id).unwrap());
        assert!(!page.contains("# expect"), "{id}: test marker in\n{page}");
        assert!(!page.contains("fixture-args"), "{id}");
        assert!(!page.contains("fixtures/"), "{id}: fixture path in\n{page}");
        with_examples += usize::from(page.contains("## Examples"));
    }
    assert!(with_examples > 50);
}

#[test]
fn own_dockerfile_workflows_and_examples_have_no_findings() {
    let targets = [
        "Dockerfile",
        ".dockerignore",
        ".github",
        "action.yml",
        ".pre-commit-hooks.yaml",
        "docs/examples",
    ];
    let mut args = vec!["--no-config", "--format", "json", "--fail-on", "note"];
    args.extend(targets);
    let o = run(&args);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["findings"], serde_json::json!([]), "{v}");
    assert_eq!(o.status.code(), Some(0));
    // Every one of those files was read (a Dockerfile, YAML files), so the
    // zero above means something.
    assert!(v["summary"]["files"].as_u64().unwrap() >= 6, "{v}");
    let o = run(&["--no-config", "--format", "json", "Dockerfile"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["summary"]["files"], 1);
    // The image: multi-stage, static binary on an empty base, non-root.
    let df = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    let froms: Vec<&str> = df.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert!(froms.len() >= 2, "multi-stage");
    assert!(froms[0].contains("@sha256:"), "the build stage is pinned");
    assert_eq!(*froms.last().unwrap(), "FROM scratch");
    assert!(df.lines().any(|l| l == "USER 65532:65532"));
    assert!(
        df.contains("ENTRYPOINT [\"/afcheck\"]"),
        "exec form: no shell needed"
    );
}

#[test]
fn cargo_metadata_is_complete() {
    let text = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    for key in [
        "license = ",
        "description = ",
        "repository = ",
        "homepage = ",
        "documentation = ",
        "readme = ",
        "keywords = ",
        "categories = ",
        "rust-version = ",
        "exclude = ",
    ] {
        assert!(text.contains(key), "Cargo.toml lacks {key}");
    }
    for f in [
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "CHANGELOG.md",
        "docs/versioning.md",
    ] {
        assert!(root().join(f).is_file(), "{f}");
    }
}

#[test]
fn no_test_or_script_uses_an_absolute_machine_path() {
    let needle = ["/work", "/shared"].concat();
    let mut bad = Vec::new();
    for dir in ["tests", "scripts", "benches", ".ci", "examples"] {
        let mut stack = vec![root().join(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if std::fs::read_to_string(&p).is_ok_and(|t| t.contains(&needle)) {
                    bad.push(p.display().to_string());
                }
            }
        }
    }
    assert!(bad.is_empty(), "{bad:?}");
}

/// The Action's installer against a local "release": the binary of this
/// build in the archive the release workflow makes, with SHA256SUMS.
#[cfg(unix)]
#[test]
fn action_installs_the_release_binary_and_checks_its_checksum() {
    let d = tmpdir("action");
    let version = env!("CARGO_PKG_VERSION");
    let rel = d.join(format!("v{version}"));
    let stage = d.join("stage/afcheck-x86_64-unknown-linux-musl");
    std::fs::create_dir_all(&rel).unwrap();
    std::fs::create_dir_all(&stage).unwrap();
    // A stand-in binary that answers --version as afcheck does (the real
    // debug binary is ~100 MB).
    let stub = stage.join("afcheck");
    std::fs::write(
        &stub,
        format!("#!/bin/sh\necho 'afcheck {version} (0123456789ab)'\n"),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let asset = "afcheck-x86_64-unknown-linux-musl.tar.gz";
    let ok = Command::new("tar")
        .arg("-C")
        .arg(d.join("stage"))
        .args(["-czf"])
        .arg(rel.join(asset))
        .arg("afcheck-x86_64-unknown-linux-musl")
        .status()
        .unwrap();
    assert!(ok.success());
    let sum = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "cd '{}' && (sha256sum {asset} || shasum -a 256 {asset})",
            rel.display()
        ))
        .output()
        .unwrap();
    std::fs::write(rel.join("SHA256SUMS"), &sum.stdout).unwrap();
    let out = d.join("github_output");
    let action = |step: &str, env: &[(&str, String)]| {
        let mut c = Command::new("bash");
        c.arg(root().join("scripts/action.sh"))
            .arg(step)
            .env("HOME", &d)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("GITHUB_OUTPUT", &out)
            .env("GITHUB_PATH", d.join("github_path"))
            .env("AFCHECK_ACTION_PATH", root())
            .env("AFCHECK_DOWNLOAD_URL", format!("file://{}", d.display()))
            .env_remove("AFCHECK_BIN");
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    // resolve: the version of the action's own Cargo.toml; the cache key
    // names it (not github.action_ref).
    std::fs::write(&out, "").unwrap();
    let o = action("resolve", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let outputs = std::fs::read_to_string(&out).unwrap();
    assert!(
        outputs.contains(&format!("version={version}\n")),
        "{outputs}"
    );
    assert!(
        outputs.contains(&format!(
            "cache-key=afcheck-x86_64-unknown-linux-musl-{version}\n"
        )),
        "{outputs}"
    );
    // `version: vX.Y.Z` is exactly that version; nonsense is refused.
    std::fs::write(&out, "").unwrap();
    let o = action("resolve", &[("AFCHECK_VERSION", "v9.8.7".into())]);
    assert!(o.status.success());
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("version=9.8.7\n")
    );
    let o = action("resolve", &[("AFCHECK_VERSION", "latest; rm -rf /".into())]);
    assert!(!o.status.success());

    let dir = d.join("install");
    let env = [
        ("AFCHECK_VERSION", version.to_string()),
        ("AFCHECK_INSTALL_DIR", dir.display().to_string()),
    ];
    let o = action("install", &env);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(dir.join("afcheck").is_file());
    let path = std::fs::read_to_string(d.join("github_path")).unwrap();
    assert!(path.contains(&dir.display().to_string()));
    // A second run is served from the (cached) folder.
    let o = action("install", &env);
    assert!(
        stderr(&o).contains("restored from the cache"),
        "{}",
        stderr(&o)
    );

    // A tampered archive is refused.
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::write(
        rel.join("SHA256SUMS"),
        format!("{}  {asset}\n", "0".repeat(64)),
    )
    .unwrap();
    let o = action("install", &env);
    assert!(!o.status.success());
    assert!(stdout(&o).contains("checksum mismatch"), "{}", stdout(&o));
    assert!(!dir.join("afcheck").exists());

    // A version without a release is a clear error, not a silent source build.
    let o = action(
        "install",
        &[
            ("AFCHECK_VERSION", "9.9.9".into()),
            ("AFCHECK_INSTALL_DIR", d.join("none").display().to_string()),
        ],
    );
    assert!(!o.status.success());
    assert!(stdout(&o).contains("build-from-source"), "{}", stdout(&o));

    // Building from source is opt-in and says so when cargo is missing.
    let o = Command::new("bash")
        .arg(root().join("scripts/action.sh"))
        .arg("install")
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", &d)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("AFCHECK_ACTION_PATH", root())
        .env("AFCHECK_FROM_SOURCE", "true")
        .env("AFCHECK_VERSION", "0.0.0+source")
        .env("AFCHECK_INSTALL_DIR", d.join("src").display().to_string())
        .env_remove("AFCHECK_BIN")
        .output()
        .unwrap();
    if Command::new("sh")
        .args(["-c", "PATH=/usr/bin:/bin command -v cargo"])
        .output()
        .is_ok_and(|o| !o.status.success())
    {
        assert!(!o.status.success());
        assert!(stdout(&o).contains("needs cargo"), "{}", stdout(&o));
    }
    let _ = std::fs::remove_dir_all(&d);
}
