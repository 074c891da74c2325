//! Exact per-version knowledge, checked against Airflow's own tables for
//! every release in `../shared/reference/airflow/versions/`.
//!
//! `every_default_config_is_clean` rebuilds the default `airflow.cfg` each
//! release writes and lints it at that release: it must give no removed,
//! renamed or unknown option (AFC001-AFC003), and no secret finding on the
//! commented `# Example:` lines.
//!
//! The tests that read `../shared/reference/airflow/versions` are ignored
//! when it is absent (see tests/README.md); the others need only the
//! repository.

use std::path::{Path, PathBuf};

use afcheck::airflow::knowledge::{self, Status, Version};
use afcheck::airflow::tables::RELEASES;
use afcheck::engine::{self, Input, Options};
use serde_json::Value;

fn versions_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/airflow/versions");
    assert!(
        d.join("index.json").is_file(),
        "{} is missing: run scripts/fetch-test-data.sh",
        d.display()
    );
    d
}

fn load(dir: &Path, release: &str) -> Value {
    let text = std::fs::read_to_string(dir.join(format!("{release}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A config.yml default as the file Airflow writes holds it: Python's
/// `str.format` with the expansion variables (`{AIRFLOW_HOME}` and the
/// generated keys; `{{`/`}}` become `{`/`}`), except for template options,
/// which are written verbatim. `%%` stays `%%` (the file is read with
/// interpolation).
fn render(default: &str, is_template: bool) -> String {
    if is_template {
        return default.to_string();
    }
    let vars = [
        ("AIRFLOW_HOME", "/opt/airflow"),
        ("FERNET_KEY", ""),
        ("SECRET_KEY", "pA1s8Xc0v7m0dXk2R9yF4w=="),
        ("JWT_SECRET_KEY", "kq8Yb3nV0pR6sT2wZ5cD9g=="),
    ];
    let mut out = String::new();
    let mut rest = default;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if let Some((name, val)) = vars
            .iter()
            .find(|(n, _)| tail.starts_with(&format!("{{{n}}}")))
        {
            out.push_str(val);
            rest = &tail[name.len() + 2..];
            continue;
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// The default `airflow.cfg` of one release, built from its config.yml
/// table the way `AirflowConfigParser.write` writes it (descriptions,
/// examples and env var names included): per section a header, then per
/// option its description as `# ` lines, `# Example: key = value`, `#
/// Variable: AIRFLOW__S__K`, and `key = default`, or `# key = ` when the
/// release applies no default. Multi-line defaults become continuation
/// lines. The dataset keeps only the first sentence of each description
/// and shortened examples; the structure is the same.
fn default_cfg(data: &Value) -> String {
    let mut text = String::new();
    let mut section = "";
    for o in data["options"].as_array().unwrap() {
        let sec = o["section"].as_str().unwrap();
        let key = o["key"].as_str().unwrap();
        if sec != section {
            section = sec;
            text.push_str(&format!("\n[{sec}]\n"));
        }
        if let Some(d) = o["description"].as_str() {
            for line in d.lines() {
                text.push_str(&format!("# {line}\n").replace("# \n", "#\n"));
            }
            text.push_str("#\n");
        }
        if let Some(ex) = o["example"].as_str() {
            text.push_str(&format!("# Example: {key} = {ex}\n#\n"));
        }
        text.push_str(&format!(
            "# Variable: AIRFLOW__{}__{}\n#\n",
            sec.to_uppercase().replace('.', "_"),
            key.to_uppercase()
        ));
        let applied = o["default_applied"].as_bool() != Some(false);
        match o["default"].as_str() {
            Some(d) if applied => {
                let v = render(d, o["is_template"].as_bool() == Some(true));
                let v = v.trim_end().replace('\n', "\n    ");
                text.push_str(&format!("{key} = {v}\n\n"));
            }
            _ => text.push_str(&format!("# {key} = \n\n")),
        }
    }
    text
}

fn lint(text: &str, version: &str) -> engine::Run {
    let mut opts = Options::default();
    opts.settings.airflow_version = Some(version.to_string());
    let inputs = vec![Input::Text {
        name: "airflow.cfg".into(),
        bytes: text.as_bytes().to_vec(),
    }];
    engine::run(&inputs, &opts)
}

fn is_secret_rule(id: &str) -> bool {
    id.starts_with("AFS") || matches!(id, "AFC008" | "AFC009" | "AFC010")
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/reference/airflow/versions; run scripts/fetch-test-data.sh"
)]
fn every_default_config_is_clean() {
    let dir = versions_dir();
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for e in index["versions"].as_array().unwrap() {
        let release = e["version"].as_str().unwrap();
        let data = load(&dir, release);
        let text = default_cfg(&data);
        let lines: Vec<&str> = text.lines().collect();
        let run = lint(&text, release);
        for f in &run.findings {
            let line = run.file(f.file).position(f.span.start()).line;
            let src = lines.get(line as usize - 1).copied().unwrap_or("");
            // Also: Airflow's own defaults are valid values, well-formed
            // lines and honoured names (AFC004-AFC007, AFC018).
            let bad = matches!(
                f.rule,
                "AFC001"
                    | "AFC002"
                    | "AFC003"
                    | "AFC004"
                    | "AFC005"
                    | "AFC006"
                    | "AFC007"
                    | "AFC018"
            ) || (is_secret_rule(f.rule) && src.trim_start().starts_with("# Example:"));
            if bad {
                failures.push(format!(
                    "{release} line {line} `{src}`: {} {}",
                    f.rule, f.message
                ));
            }
        }
        checked += 1;
    }
    assert_eq!(
        checked,
        RELEASES.len(),
        "the tables and the dataset disagree on releases"
    );
    assert!(
        failures.is_empty(),
        "{} findings on Airflow's own default configs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The issue's example: Airflow 3.0.6's default airflow.cfg has nothing
/// removed or moved at 3.0.6, and 3.0.0 reads `[webserver] secret_key`
/// (`[api] secret_key` arrived in 3.0.2).
#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/reference/airflow/versions; run scripts/fetch-test-data.sh"
)]
fn issue_example_3_0_6_and_3_0_0() {
    let dir = versions_dir();
    let text = default_cfg(&load(&dir, "3.0.6"));
    let run = lint(&text, "3.0.6");
    let moved: Vec<_> = run
        .findings
        .iter()
        .filter(|f| matches!(f.rule, "AFC001" | "AFC002"))
        .map(|f| f.message.clone())
        .collect();
    assert!(moved.is_empty(), "{moved:#?}");
    // The default config of 3.0.6 declares [api] secret_key, which exists.
    assert!(text.contains("\n[api]\n"));

    let cfg = "[core]\nload_examples = False\n[webserver]\nsecret_key = from-a-vault-placeholder\n";
    let at = |v: &str| {
        let run = lint(cfg, v);
        run.findings
            .iter()
            .filter(|f| matches!(f.rule, "AFC001" | "AFC002" | "AFC003"))
            .map(|f| (f.rule, f.message.clone()))
            .collect::<Vec<_>>()
    };
    assert!(at("3.0.0").is_empty(), "{:?}", at("3.0.0"));
    assert!(at("3.0.1").is_empty(), "{:?}", at("3.0.1"));
    let f = at("3.0.2");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "AFC002");
    assert!(
        f[0].1.contains("[api] secret_key") && f[0].1.contains("3.0.2"),
        "{f:?}"
    );
    assert!(f[0].1.contains("still read"), "{f:?}");
    // `[api] secret_key` before 3.0.2 is not read.
    let run = lint("[api]\nsecret_key = x\n", "3.0.0");
    assert!(
        run.findings
            .iter()
            .any(|f| f.rule == "AFC003" && f.message.contains("3.0.2")),
        "{:?}",
        run.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
}

/// Every option of every release is read at that release, and each entry
/// of `deprecated_options` is an alias exactly in the releases declaring
/// it, with its declared since-version.
#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/reference/airflow/versions; run scripts/fetch-test-data.sh"
)]
fn status_matches_every_release() {
    let dir = versions_dir();
    let mut failures = Vec::new();
    for release in RELEASES {
        let data = load(&dir, release);
        let ver = Version::parse(release).unwrap();
        assert_eq!(
            knowledge::release_index(ver),
            RELEASES.iter().position(|r| r == release).unwrap()
        );
        for o in data["options"].as_array().unwrap() {
            let (s, k) = (o["section"].as_str().unwrap(), o["key"].as_str().unwrap());
            if knowledge::status(s, k, ver) != Status::Read {
                failures.push(format!("{release}: [{s}] {k} not read"));
            }
        }
        for d in data["deprecated_options"].as_array().unwrap() {
            let (s, k) = (
                d["old_section"].as_str().unwrap(),
                d["old_key"].as_str().unwrap(),
            );
            let declared = o_declares(&data, s, k);
            // An entry whose new name the release does not declare (renamed
            // again: `[metrics] statsd_allow_list` in 2.6+) is not an alias:
            // Airflow looks up only the old name of the option it reads.
            let (ns, nk) = (
                d["new_section"].as_str().unwrap(),
                d["new_key"].as_str().unwrap(),
            );
            let target_declared = o_declares(&data, ns, nk)
                || data["fallback_defaults"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|f| f["section"] == ns && f["key"] == nk)
                || knowledge::option(ns, nk).is_some_and(|o| o.provider);
            match knowledge::status(s, k, ver) {
                Status::Renamed { .. } | Status::Removed { .. } if !target_declared => {}
                Status::Alias(a) => {
                    if a.new_section != d["new_section"].as_str().unwrap()
                        || a.new_key != d["new_key"].as_str().unwrap()
                        || a.since != d["since_version"].as_str()
                    {
                        failures.push(format!("{release}: [{s}] {k} alias {a:?}"));
                    }
                }
                Status::Read if declared => {}
                other => failures.push(format!("{release}: [{s}] {k} {other:?}")),
            }
        }
        for f in data["fallback_defaults"].as_array().into_iter().flatten() {
            let (s, k) = (f["section"].as_str().unwrap(), f["key"].as_str().unwrap());
            if !knowledge::reads(s, k, ver) {
                failures.push(format!("{release}: fallback [{s}] {k} not read"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn o_declares(data: &Value, s: &str, k: &str) -> bool {
    data["options"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["section"] == s && o["key"] == k)
}

/// Keys that only exist in a later release are unknown to an earlier one;
/// keys a release dropped are removed from it on.
#[test]
fn later_and_removed_keys() {
    let v = |s: &str| Version::parse(s).unwrap();
    // Airflow 3 keys on a 2.x target.
    assert!(matches!(
        knowledge::status("api_auth", "jwt_secret", v("2.10.5")),
        Status::Later { .. }
    ));
    assert!(matches!(
        knowledge::status("dag_processor", "refresh_interval", v("2.11.2")),
        Status::Later { .. }
    ));
    // Provider fallback sections are known where Airflow ships them.
    assert_eq!(
        knowledge::status("celery", "broker_url", v("3.3.2")),
        Status::Read
    );
    assert_eq!(knowledge::status("atlas", "host", v("3.0.6")), Status::Read);
    // A removal is dated by the first release that no longer reads it.
    match knowledge::status("database", "load_default_connections", v("3.3.2")) {
        Status::Removed { since, .. } => assert_eq!(since, "3.0.0"),
        other => panic!("{other:?}"),
    }
    // A patch the tables do not describe: version_added within the minor.
    assert!(matches!(
        knowledge::status("core", "daemon_umask", v("2.3.0")),
        Status::Later { ref added } if added == "2.3.4"
    ));
    assert_eq!(
        knowledge::status("core", "daemon_umask", v("2.3.4")),
        Status::Read
    );
    assert!(knowledge::is_known(v("2.9.0")));
    assert!(knowledge::is_known(v("3.3.2")));
    assert!(!knowledge::is_known(v("3.3.3")));
    assert!(!knowledge::is_known(v("1.10.15")));
    assert!(!knowledge::is_known(v("3.4.0")));
}

/// Target versions afcheck does not know exit 2 with the known ones.
#[test]
fn unknown_target_versions_exit_2() {
    let bin = env!("CARGO_BIN_EXE_afcheck");
    let dir = std::env::temp_dir().join(format!("afcheck-afver-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("airflow.cfg"), "[core]\nload_examples = False\n").unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(args)
            .arg("--no-config")
            .arg(dir.join("airflow.cfg"))
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    for (flag, value, listed) in [
        ("--airflow-version", "3.4.0", "3.3.0-3.3.2"),
        ("--airflow-version", "1.10.15", "2.0.0-2.0.2"),
        ("--airflow-version", "3.3.3", "3.3.0-3.3.2"),
        ("--airflow-version", "latest", "2.11.0-2.11.2"),
        ("--k8s-version", "1.99", "1.0 to 1.37"),
        ("--k8s-version", "2.1", "1.0 to 1.37"),
    ] {
        let out = run(&[flag, value]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}: {err}");
        assert!(
            err.contains(listed) && err.contains(value),
            "{flag} {value}: {err}"
        );
    }
    for (flag, value) in [
        ("--airflow-version", "2.9.0"),
        ("--airflow-version", "3.0.6"),
        ("--k8s-version", "1.30"),
    ] {
        let out = run(&[flag, value]);
        assert_ne!(
            out.status.code(),
            Some(2),
            "{flag} {value}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The same in .afcheck.yaml.
    std::fs::write(dir.join(".afcheck.yaml"), "airflow-version: \"4.0.0\"\n").unwrap();
    let out = std::process::Command::new(bin)
        .arg(dir.join("airflow.cfg"))
        .current_dir(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("airflow-version") && err.contains("3.3.0-3.3.2"),
        "{err}"
    );
    std::fs::write(dir.join(".afcheck.yaml"), "kubernetes-version: \"1.50\"\n").unwrap();
    let out = std::process::Command::new(bin)
        .arg(dir.join("airflow.cfg"))
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1.0 to 1.37"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The `[section] key` a cfg line sets (the nearest header above it).
fn key_at(text: &str, line: usize) -> Option<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let l = lines.get(line.checked_sub(1)?)?;
    let key = l.split_once(['=', ':'])?.0.trim().to_string();
    let section = lines[..line - 1]
        .iter()
        .rev()
        .find_map(|h| h.trim().strip_prefix('[')?.strip_suffix(']'))?
        .to_string();
    Some((section, key))
}

/// No value or Airflow secret rule fires on an option the target version
/// does not read (the generic AFS rules report plaintext values there):
/// every fail fixture (airflow.cfg) of the value and security rules, linted
/// at every release, reports only lines whose option that release reads.
#[test]
fn value_rules_only_judge_options_the_version_reads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/airflow");
    let value_rules = |id: &str| {
        id.starts_with("AFC")
            && id != "AFC019"
            && id["AFC".len()..]
                .parse::<u32>()
                .is_ok_and(|n| n == 4 || (8..=36).contains(&n))
    };
    let mut files = Vec::new();
    for e in std::fs::read_dir(&root).unwrap().flatten() {
        let fail = e.path().join("fail");
        for f in std::fs::read_dir(&fail).into_iter().flatten().flatten() {
            if f.path().extension().is_some_and(|x| x == "cfg") {
                files.push(f.path());
            }
        }
    }
    assert!(files.len() > 20, "{} cfg fixtures", files.len());
    let mut failures = Vec::new();
    let mut fired = 0;
    for release in RELEASES {
        let ver = Version::parse(release).unwrap();
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            let run = lint(&text, release);
            for f in run.findings.iter().filter(|f| value_rules(f.rule)) {
                let line = run.file(f.file).position(f.span.start()).line as usize;
                let Some((s, k)) = key_at(&text, line) else {
                    continue; // a finding on a header (AFC014 unset)
                };
                let (k, _) = afcheck::airflow::sources::split_suffix(&s, &k);
                fired += 1;
                if !knowledge::reads(&s, &k, ver) {
                    failures.push(format!(
                        "{release} {}:{line}: {} on [{s}] {k}, which {release} does not read",
                        path.display(),
                        f.rule
                    ));
                }
            }
        }
    }
    assert!(fired > 500, "only {fired} findings");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn rules_at(text: &str, version: &str, rule: &str) -> Vec<u32> {
    let run = lint(text, version);
    run.findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| run.file(f.file).position(f.span.start()).line)
        .collect()
}

/// Old and new names resolve the way `AirflowConfigParser.get` does: the
/// new name wins when both are set, the old name counts where it is an
/// alias, and neither counts where the release does not read it.
#[test]
fn alias_resolution_follows_airflow() {
    // [webserver] expose_config is read for [api] expose_config from 3.0.1.
    let old_only = "[core]\nload_examples = False\n[webserver]\nexpose_config = True\n";
    assert_eq!(rules_at(old_only, "3.3.2", "AFC011"), vec![4]);
    let both = "[core]\nload_examples = False\n[webserver]\nexpose_config = True\n[api]\nexpose_config = False\n";
    assert!(
        rules_at(both, "3.3.2", "AFC011").is_empty(),
        "the new name wins"
    );
    let both_bad = "[core]\nload_examples = False\n[webserver]\nexpose_config = False\n[api]\nexpose_config = True\n";
    assert_eq!(rules_at(both_bad, "3.3.2", "AFC011"), vec![6]);
    // Before 3.0.1 [webserver] is the option and [api] expose_config does
    // not exist: the [api] line is ignored.
    assert_eq!(rules_at(both_bad, "2.10.5", "AFC011"), Vec::<u32>::new());
    assert_eq!(rules_at(both, "2.10.5", "AFC011"), vec![4]);
    // [webserver] auth_rate_limited: an alias of [fab] only in 2.9-2.11.
    let rl = "[core]\nload_examples = False\n[webserver]\nauth_rate_limited = False\n";
    assert_eq!(rules_at(rl, "2.10.5", "AFC031"), vec![4]);
    assert!(rules_at(rl, "3.3.2", "AFC031").is_empty());
    assert_eq!(rules_at(rl, "3.3.2", "AFC002"), vec![4]);
    // A hardening set on a name the release ignores, while the option it
    // reads keeps the insecure default, is an error; with the new option
    // hardened too, a warning.
    let sev = |text: &str| {
        let run = lint(text, "3.3.2");
        run.findings
            .iter()
            .filter(|f| f.rule == "AFC002")
            .map(|f| f.severity)
            .collect::<Vec<_>>()
    };
    let lost = "[core]\nload_examples = False\n[webserver]\ncookie_secure = True\n";
    assert_eq!(sev(lost), vec![afcheck::finding::Severity::Error]);
    let kept = "[core]\nload_examples = False\n[webserver]\ncookie_secure = True\n[fab]\ncookie_secure = True\n";
    assert_eq!(sev(kept), vec![afcheck::finding::Severity::Warning]);
    // The same for a hardening written in the wrong case (AFC005).
    let case = |text: &str| {
        let run = lint(text, "2.10.5");
        run.findings
            .iter()
            .filter(|f| f.rule == "AFC005")
            .map(|f| f.severity)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        case("[core]\nLOAD_EXAMPLES = False\n"),
        vec![afcheck::finding::Severity::Error]
    );
    assert_eq!(
        case("[core]\nload_examples = False\nLOAD_EXAMPLES = False\n"),
        vec![afcheck::finding::Severity::Warning]
    );
    // The value rules judge an old name as its new option (AFC004).
    let bad = "[core]\nload_examples = False\n[webserver]\nexpose_config = maybe\n";
    assert_eq!(rules_at(bad, "3.3.2", "AFC004"), vec![4]);
}
