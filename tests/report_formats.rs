//! Every output format, on hand-built runs.

mod report_support;

use std::process::Command;

use afcheck::engine::Run;
use afcheck::finding::Severity;
use afcheck::report::{self, Format, ReportOptions};
use afcheck::source::Span;
use regex::Regex;
use report_support::*;

fn out(run: &Run, format: Format) -> String {
    report::to_string(run, format, &ReportOptions::default())
}

const MATCHER: &str =
    r"^(.+?):(\d+):(\d+):\s+(error|warning|note):\s+(.*?)\s+\[([A-Za-z0-9_.-]+)\]$";

#[test]
fn compact_lines_match_the_problem_matcher() {
    let run = sample();
    let text = out(&run, Format::Compact);
    let re = Regex::new(MATCHER).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        run.findings.len(),
        "one line per finding, no summary:\n{text}"
    );
    let caps: Vec<_> = lines
        .iter()
        .map(|l| re.captures(l).unwrap_or_else(|| panic!("no match: {l}")))
        .collect();
    let got: Vec<(String, String, String, String, String, String)> = caps
        .iter()
        .map(|c| {
            (
                c[1].to_string(),
                c[2].to_string(),
                c[3].to_string(),
                c[4].to_string(),
                c[5].to_string(),
                c[6].to_string(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        got[0],
        (
            s("Dockerfile"),
            s("1"),
            s("6"),
            s("warning"),
            s("image `python:latest` uses the `latest` tag so builds are not reproducible"),
            s("AFD001")
        )
    );
    assert_eq!(got[1].0, "Dockerfile");
    assert_eq!(
        (got[1].1.as_str(), got[1].2.as_str(), got[1].3.as_str()),
        ("3", "1", "error")
    );
    // Columns count code points: the path has an é, the line is ASCII.
    assert_eq!(
        got[3],
        (
            s("k8s/pod é.yaml"),
            s("10"),
            s("9"),
            s("error"),
            s("container `app` is privileged"),
            s("AFK001")
        )
    );
    assert_eq!(got[2].3, "note");
}

#[test]
fn compact_column_counts_code_points() {
    let text = "a: \"çé\" # x\nb: 1\n";
    let run = run(
        vec![file("x.yaml", text)],
        vec![finding(
            "AFY002",
            Severity::Warning,
            0,
            span_of(text, "# x", 0),
            "m",
        )],
    );
    // "a: "çé" " is 8 code points, so `#` is column 9 (byte 11).
    assert_eq!(
        out(&run, Format::Compact),
        "x.yaml:1:9: warning: m [AFY002]\n"
    );
}

#[test]
fn compact_handles_empty_and_multiline_messages() {
    let run = run(
        vec![file("Dockerfile", DOCKERFILE)],
        vec![
            finding("AFD001", Severity::Note, 0, Span::empty(0), ""),
            finding("AFD002", Severity::Note, 0, Span::empty(1), "a\r\n\n b  "),
        ],
    );
    let text = out(&run, Format::Compact);
    let re = Regex::new(MATCHER).unwrap();
    for l in text.lines() {
        assert!(re.is_match(l), "{l}");
    }
    assert!(
        text.contains("Dockerfile:1:2: note: a b [AFD002]"),
        "{text}"
    );
}

#[test]
fn github_commands_are_escaped() {
    let run = sample();
    let text = out(&run, Format::Github);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    // The title is `ID name` when the rule has metadata on this build.
    let title = |id: &str| match afcheck::rules::meta::get(id) {
        Some(m) => format!("{id} {}", m.name),
        None => id.to_string(),
    };
    assert_eq!(
        lines[0],
        format!(
            "::warning file=Dockerfile,line=1,col=6,endLine=1,endColumn=18,title={}::image `python:latest` uses the `latest` tag%0Aso builds are not reproducible",
            title("AFD001")
        )
    );
    assert_eq!(
        lines[1],
        format!(
            "::error file=Dockerfile,line=3,col=1,endLine=3,endColumn=9,title={}::last USER is root, 100%25 bad, a:b",
            title("AFD002")
        )
    );
    assert!(
        lines[2].starts_with("::notice file=k8s/pod é.yaml,line=1,col=1,endLine=1,endColumn=1,")
    );
    // Property values escape `:` and `,`.
    let odd = run_with_path("dir,a:b/Dockerfile");
    let t = out(&odd, Format::Github);
    assert!(
        t.starts_with("::error file=dir%2Ca%3Ab/Dockerfile,line=1,"),
        "{t}"
    );
}

fn run_with_path(path: &str) -> Run {
    run(
        vec![file(path, DOCKERFILE)],
        vec![finding(
            "AFD001",
            Severity::Error,
            0,
            span_of(DOCKERFILE, "FROM", 0),
            "m",
        )],
    )
}

#[test]
fn json_schema_version_1() {
    let run = sample();
    let v: serde_json::Value = serde_json::from_str(&out(&run, Format::Json)).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "afcheck");
    assert_eq!(v["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["summary"]["findings"], 4);
    assert_eq!(v["summary"]["error"], 2);
    assert_eq!(v["summary"]["warning"], 1);
    assert_eq!(v["summary"]["note"], 1);
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "AFD001");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["path"], "Dockerfile");
    assert_eq!(f["start"]["line"], 1);
    assert_eq!(f["start"]["column"], 6);
    assert_eq!(f["end"]["line"], 1);
    assert_eq!(f["end"]["column"], 19);
    assert_eq!(f["fix"], "Pin the image to a version tag or digest.");
    assert!(
        f["docs"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules/AFD001.md")
    );
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 32);
    let k = &v["findings"][3];
    assert_eq!(k["rule"], "AFK001");
    assert_eq!(k["related"][0]["message"], "container defined here");
    assert_eq!(k["related"][0]["path"], "k8s/pod é.yaml");
    assert_eq!(k["related"][0]["start"]["line"], 7);
    assert_eq!(k["related"][0]["start"]["column"], 7);
}

#[test]
fn sarif_structure() {
    let run = sample();
    let v: serde_json::Value = serde_json::from_str(&out(&run, Format::Sarif)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let r = &v["runs"][0];
    assert_eq!(r["tool"]["driver"]["name"], "afcheck");
    assert_eq!(r["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(r["tool"]["driver"]["informationUri"].is_string());
    assert_eq!(r["columnKind"], "unicodeCodePoints");
    assert_eq!(r["automationDetails"]["id"], "afcheck/");
    assert!(r["originalUriBaseIds"]["%SRCROOT%"].is_object());
    let rules = r["tool"]["driver"]["rules"].as_array().unwrap();
    let results = r["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[idx]["id"], res["ruleId"],
            "ruleIndex points at the rule"
        );
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(loc["region"][k].as_u64().unwrap() >= 1, "{k}");
        }
        assert_eq!(
            res["partialFingerprints"]["afcheck/v1"]
                .as_str()
                .unwrap()
                .len(),
            32
        );
    }
    let k = results.iter().find(|r| r["ruleId"] == "AFK001").unwrap();
    assert_eq!(k["level"], "error");
    assert_eq!(
        k["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "k8s/pod%20%C3%A9.yaml"
    );
    assert_eq!(
        k["relatedLocations"][0]["message"]["text"],
        "container defined here"
    );
    assert_eq!(
        k["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        7
    );
    let n = results.iter().find(|r| r["ruleId"] == "AFY004").unwrap();
    assert_eq!(n["level"], "note");
    // A custom automation id and source root.
    let opts = ReportOptions {
        automation_id: "afcheck/k8s/",
        src_root_uri: Some("file:///srv/repo/"),
        ..ReportOptions::default()
    };
    let v: serde_json::Value =
        serde_json::from_str(&report::to_string(&run, Format::Sarif, &opts)).unwrap();
    assert_eq!(v["runs"][0]["automationDetails"]["id"], "afcheck/k8s/");
    assert_eq!(
        v["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file:///srv/repo/"
    );
}

/// Runs scripts/validate_sarif.py when python3 and jsonschema are present.
fn validate_sarif(text: &str, name: &str) {
    let have = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !have {
        eprintln!("skipping SARIF schema validation: python3 with jsonschema not available");
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::env::temp_dir().join(format!("afcheck-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let o = Command::new("python3")
        .arg(format!("{root}/scripts/validate_sarif.py"))
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "SARIF invalid:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/reference/sarif; run scripts/fetch-test-data.sh"
)]
fn sarif_validates_against_the_official_schema() {
    validate_sarif(&out(&sample(), Format::Sarif), "sample.sarif");
    let empty = run(vec![], vec![]);
    validate_sarif(&out(&empty, Format::Sarif), "empty.sarif");
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/reference/sarif; run scripts/fetch-test-data.sh"
)]
fn sarif_of_the_fixtures_validates() {
    // Whatever rules exist on this build, on every fixture of the repository.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    if !root.exists() {
        return;
    }
    let opts = afcheck::engine::Options::default();
    let inputs = afcheck::engine::discover(&[root], &opts).unwrap();
    let run = afcheck::engine::run(&inputs, &opts);
    let text = out(&run, Format::Sarif);
    validate_sarif(&text, "fixtures.sarif");
}

#[test]
fn terminal_report() {
    let run = sample();
    let text = out(&run, Format::Terminal);
    assert!(!text.contains('\x1b'), "no colour when color=false");
    for needle in [
        "AFD001",
        "docs/rules/AFD001.md",
        "[Dockerfile:1:6]",
        " 1 │ FROM python:latest",
        "help: Pin the image to a version tag or digest.",
        "[k8s/pod é.yaml:10:9]",
        "10 │         privileged: true",
        "container defined here",
        "container `app` is privileged",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    assert!(
        text.trim_end()
            .ends_with("2 errors, 1 warning, 1 note in 2 files scanned"),
        "{text}"
    );
    let coloured = report::to_string(
        &run,
        Format::Terminal,
        &ReportOptions {
            color: true,
            ..Default::default()
        },
    );
    assert!(coloured.contains('\x1b'));
    let quiet = report::to_string(
        &run,
        Format::Terminal,
        &ReportOptions {
            quiet: true,
            ..Default::default()
        },
    );
    assert!(!quiet.contains("scanned"));
    let empty = run_empty();
    assert_eq!(
        out(&empty, Format::Terminal),
        "no problems found in 1 file scanned\n"
    );
}

fn run_empty() -> Run {
    run(vec![file("Dockerfile", DOCKERFILE)], vec![])
}

#[test]
fn terminal_shows_only_lines_near_the_spans_of_big_files() {
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&format!("key{i}: value{i}\n"));
    }
    let first = span_of(&text, "key10:", 0);
    let repeat = span_of(&text, "key4000:", 0);
    let run = run(
        vec![file("big.yaml", &text)],
        vec![
            finding("AFY002", Severity::Error, 0, repeat, "duplicate key").with_related(
                0,
                first,
                "first defined here",
            ),
        ],
    );
    let out = out(&run, Format::Terminal);
    assert!(out.contains("4001 │ key4000: value4000"), "{out}");
    assert!(
        out.contains("  11 │ key10: value10") || out.contains("11 │ key10: value10"),
        "{out}"
    );
    assert!(out.contains("first defined here"));
    assert!(!out.contains("key2000"), "far lines are not shown");
    assert!(out.lines().count() < 40, "{out}");
}

#[test]
fn terminal_caps_huge_spans_and_survives_odd_spans() {
    let text =
        "a:\n  b: 1\n  c: 2\n  d: 3\n  e: 4\n  f: 5\n  g: 6\n  h: 7\n  i: 8\n  j: 9\n  k: 10\n";
    let run = run(
        vec![file("x.yaml", text), file("empty.yaml", "")],
        vec![
            finding(
                "AFK020",
                Severity::Warning,
                0,
                Span::new(0, text.len()),
                "whole document",
            ),
            // Past the end of the file, and an inverted range: no panic.
            finding(
                "AFK021",
                Severity::Warning,
                0,
                Span::new(text.len() + 50, text.len() + 90),
                "past the end",
            ),
            finding("AFY005", Severity::Error, 1, Span::empty(0), "cannot read"),
        ],
    );
    let out = out(&run, Format::Terminal);
    assert!(out.contains("whole document"));
    let afk020 = out.split("AFK021").next().unwrap();
    assert!(afk020.contains("whole document"));
    assert!(
        !afk020.contains("k: 10"),
        "a long span is underlined on its first line only:\n{out}"
    );
    assert!(out.contains("empty.yaml:1:1: cannot read"), "{out}");
    for f in Format::ALL {
        let _ = report::to_string(&run, f, &ReportOptions::default());
    }
}

#[test]
fn output_is_deterministic() {
    for f in Format::ALL {
        assert_eq!(out(&sample(), f), out(&sample(), f), "{}", f.as_str());
    }
}

#[test]
fn many_findings_are_fast() {
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!("k{i}: v\n"));
    }
    let findings = (0..20_000)
        .map(|i| {
            finding(
                "AFY002",
                Severity::Warning,
                0,
                span_of(&text, &format!("k{i}:"), 0),
                "dup",
            )
        })
        .take(10_000)
        .collect();
    let run = run(vec![file("big.yaml", &text)], findings);
    let t = std::time::Instant::now();
    for f in [Format::Compact, Format::Json, Format::Sarif, Format::Github] {
        let _ = out(&run, f);
    }
    let elapsed = t.elapsed();
    eprintln!("4 formats x 10k findings: {elapsed:?}");
    assert!(elapsed.as_secs() < 20, "{elapsed:?}");
    let t = std::time::Instant::now();
    let term = out(&run, Format::Terminal);
    eprintln!("terminal x 10k findings: {:?}", t.elapsed());
    assert!(term.contains("10000 warnings"));
}

/// Validates `text` against a JSON Schema in docs/schemas with python3 +
/// jsonschema, when available.
fn validate_json_schema(schema: &str, text: &str) {
    let root = env!("CARGO_MANIFEST_DIR");
    let script = "import json,sys,jsonschema\n\
s=json.load(open(sys.argv[1]))\n\
d=json.load(open(sys.argv[2]))\n\
jsonschema.validators.validator_for(s)(s).validate(d)\n";
    let have = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !have {
        eprintln!("skipping JSON Schema validation: python3 with jsonschema not available");
        return;
    }
    let dir = std::env::temp_dir().join(format!("afcheck-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(schema);
    std::fs::write(&path, text).unwrap();
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(format!("{root}/docs/schemas/{schema}"))
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{schema}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn json_report_and_baseline_match_their_documented_schemas() {
    let run = sample();
    validate_json_schema("report-v1.schema.json", &out(&run, Format::Json));
    validate_json_schema(
        "baseline-v1.schema.json",
        &afcheck::baseline::to_string(&run),
    );
}

#[test]
fn terminal_columns_are_code_points_and_crlf_works() {
    let text = "a: 1\r\nnamé: \"çç\" # x\r\nb: 2\r\n";
    let run = run(
        vec![file("x.yaml", text)],
        vec![finding(
            "AFY002",
            Severity::Warning,
            0,
            span_of(text, "# x", 0),
            "comment here",
        )],
    );
    let out = out(&run, Format::Terminal);
    // `namé: "çç" ` is 11 code points: the `#` is column 12.
    assert!(out.contains("[x.yaml:2:12]"), "{out}");
    assert!(out.contains("2 │ namé: \"çç\" # x"), "{out}");
    assert!(!out.contains('\r'), "{out:?}");
}

#[test]
fn spans_inside_a_character_do_not_panic() {
    let text = "é: ü\n";
    let run = run(
        vec![file("x.yaml", text)],
        vec![
            finding("AFY002", Severity::Warning, 0, Span::new(1, 5), "odd span")
                .with_secret(Span::new(1, 6)),
            finding("AFY001", Severity::Error, 0, Span::new(5, 1), "inverted"),
        ],
    );
    for f in Format::ALL {
        let _ = report::to_string(&run, f, &ReportOptions::default());
    }
    let _ = afcheck::baseline::to_string(&run);
}

#[test]
fn random_spans_never_panic_and_never_leak() {
    let texts = [
        "a: 1\r\nnamé: \"çç\"\t# x\r\n\r\nb: [1, 2]\n  - 日本語: ok\n",
        "",
        "FROM x\nRUN echo 'secret-value-123456' \\\n  && true\n",
        "no newline at end",
    ];
    let files: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| file(&format!("f{i}.yaml"), t))
        .collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % (n as u64 + 1)) as usize
    };
    let mut findings = Vec::new();
    for i in 0..600 {
        let fi = next(texts.len() - 1);
        let len = texts[fi].len();
        let (a, b) = (next(len + 3), next(len + 3));
        let mut f = finding(
            ["AFY001", "AFY002", "AFK001"][i % 3],
            [Severity::Error, Severity::Warning, Severity::Note][i % 3],
            fi as u32,
            Span::new(a.min(b), a.max(b)),
            "random\nfinding",
        );
        if i % 4 == 0 {
            let rf = next(texts.len() - 1);
            let rl = texts[rf].len();
            let (c, d) = (next(rl + 2), next(rl + 2));
            f = f.with_related(rf as u32, Span::new(c.min(d), c.max(d)), "related");
        }
        if i % 5 == 0 && fi == 2 {
            f = f.with_secret(span_of(texts[2], "secret-value-123456", 0));
        }
        findings.push(f);
    }
    let mut run = run(files, findings);
    // One finding that points at a file index that does not exist.
    run.findings.push(finding(
        "AFY001",
        Severity::Error,
        99,
        Span::empty(0),
        "bad file index",
    ));
    for f in Format::ALL {
        let text = report::to_string(&run, f, &ReportOptions::default());
        assert!(
            !text.contains("value-1234"),
            "{} leaks the secret",
            f.as_str()
        );
    }
    let b = afcheck::baseline::to_string(&run);
    assert!(!b.contains("value-1234"));
}

#[test]
fn cli_terminal_report_of_a_real_run() {
    let dir = std::env::temp_dir().join(format!("afcheck-term-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: \"1\"\n  a: \"2\"\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .current_dir(&dir)
        .args(["--no-config", "--format", "terminal", "--no-color", "."])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "AFY002",
        "[cm.yaml:7:3]",
        "6 │   a: \"1\"",
        "7 │   a: \"2\"",
        "first defined here",
        "in 1 file scanned",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    assert!(!out.contains('\x1b'));
    std::fs::remove_dir_all(&dir).ok();
}

/// The Airflow version afcheck assumed reaches the JSON summary and the
/// SARIF run as a notification, not only the terminal.
#[test]
fn assumed_airflow_version_is_in_json_and_sarif() {
    let dir = std::env::temp_dir().join(format!("afcheck-assumed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("airflow.cfg"), "[core]\nload_examples = True\n").unwrap();
    let run = |format: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_afcheck"))
            .current_dir(&dir)
            .args(["airflow.cfg", "--no-config", "--format", format])
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let json = run("json");
    let assumed = json["summary"]["assumed"][0].as_str().unwrap_or("");
    assert!(assumed.contains("assumed"), "{json}");
    let sarif = run("sarif");
    let note = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "note", "{sarif}");
    assert_eq!(note["message"]["text"].as_str(), Some(assumed));
    // Pinned: the summary says which version was applied, and why.
    let pinned = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .current_dir(&dir)
        .args([
            "airflow.cfg",
            "--no-config",
            "--format",
            "json",
            "--airflow-version",
            "2.10.5",
        ])
        .output()
        .unwrap();
    let pinned: serde_json::Value = serde_json::from_slice(&pinned.stdout).unwrap();
    let applied = pinned["summary"]["assumed"][0].as_str().unwrap_or("");
    assert!(applied.contains("2.10.5 (--airflow-version)"), "{pinned}");
    std::fs::remove_dir_all(&dir).ok();
}
