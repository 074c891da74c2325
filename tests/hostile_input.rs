//! Hostile input, through the real binary: each case puts one hostile file
//! next to a control file with a known finding, runs `afcheck` on the
//! directory, and checks that the process exits normally (0 or 1, never a
//! signal or a panic), within a time bound, with a clear diagnostic for the
//! hostile file where one is due, and that the control file was still
//! checked.
//!
//! Why memory stays bounded is said per case. In general: files over the
//! size limit (10 MiB by default) are never read; the YAML tree holds one
//! node per event, so its size is linear in the input; aliases are nodes
//! that point at their anchor, never copies; nesting stops at
//! `yaml::MAX_DEPTH`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A YAML file with a duplicate key: always an AFY002 finding at line 2.
const CONTROL: &str =
    "apiVersion: v1\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: control\n";

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("afcheck-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("control.yaml"), CONTROL).unwrap();
    d
}

struct Ran {
    out: Output,
    elapsed: Duration,
}

impl Ran {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    /// Compact lines about one file.
    fn lines_for(&self, file: &str) -> Vec<String> {
        self.stdout()
            .lines()
            .filter(|l| l.starts_with(&format!("{file}:")))
            .map(String::from)
            .collect()
    }
}

fn afcheck(dir: &Path, args: &[&str]) -> Ran {
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .current_dir(dir)
        .args(["--no-config", "--format", "compact", "--fail-on", "never"])
        .args(args)
        .output()
        .unwrap();
    let ran = Ran {
        out,
        elapsed: t.elapsed(),
    };
    assert_eq!(
        ran.out.status.code(),
        Some(0),
        "afcheck did not exit normally\nstdout:\n{}\nstderr:\n{}",
        ran.stdout().chars().take(4000).collect::<String>(),
        ran.stderr().chars().take(4000).collect::<String>()
    );
    assert!(
        !ran.stderr().contains("panicked"),
        "panic: {}",
        ran.stderr()
    );
    ran
}

/// Runs on the directory and checks the control file was still checked.
fn check_dir(dir: &Path, limit: Duration) -> Ran {
    let ran = afcheck(dir, &["."]);
    let control = ran.lines_for("control.yaml");
    assert!(
        control
            .iter()
            .any(|l| l.starts_with("control.yaml:2:") && l.ends_with("[AFY002]")),
        "the control file was not checked: {control:?}\nstdout:\n{}",
        ran.stdout().chars().take(4000).collect::<String>()
    );
    // Debug builds are several times slower than release; the bounds are
    // loose on purpose and catch only runaway (quadratic, exponential) cases.
    assert!(
        ran.elapsed < limit,
        "took {:?} (limit {limit:?})",
        ran.elapsed
    );
    ran
}

#[test]
fn yaml_alias_bomb() {
    // Billion laughs: 9 levels of 9 aliases each; expanded it would be 9^9
    // nodes. Bounded: aliases are nodes pointing at their anchor, the tree
    // holds one node per event (about 90 here) and rules never expand them.
    let d = tmpdir("alias-bomb");
    let mut s = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a0: &a0 \"lol\"\n",
    );
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        s.push_str(&format!(
            "  a{i}: &a{i} [{}]\n",
            [prev.as_str(); 9].join(", ")
        ));
    }
    // Also through a merge key and as a whole pod spec.
    s.push_str("  m: &m {x: *a9, y: *a9}\n  n:\n    <<: *m\n");
    std::fs::write(d.join("bomb.yaml"), &s).unwrap();
    check_dir(&d, Duration::from_secs(20));
}

#[test]
fn deep_nesting_block_and_flow() {
    // 1,000,000 levels: block sequences (`- - - ... x` on one line), flow
    // sequences and flow mappings. Bounded: the loader stops descending at
    // MAX_DEPTH and reports one AFY001; the files are 1-2 MB, under the limit.
    let d = tmpdir("deep");
    let n = 1_000_000;
    std::fs::write(d.join("block.yaml"), format!("{}x\n", "- ".repeat(n))).unwrap();
    std::fs::write(
        d.join("flow-seq.yaml"),
        format!("{}{}\n", "[".repeat(n), "]".repeat(n)),
    )
    .unwrap();
    std::fs::write(
        d.join("flow-map.yaml"),
        format!("{}x{}\n", "{a: ".repeat(n), "}".repeat(n)),
    )
    .unwrap();
    // Unclosed: the parser also has to give up cleanly.
    std::fs::write(d.join("flow-open.yaml"), "[".repeat(n)).unwrap();
    let ran = check_dir(&d, Duration::from_secs(60));
    for f in [
        "block.yaml",
        "flow-seq.yaml",
        "flow-map.yaml",
        "flow-open.yaml",
    ] {
        let lines = ran.lines_for(f);
        assert!(
            lines.iter().any(|l| l.ends_with("[AFY001]")),
            "{f}: no AFY001: {lines:?}"
        );
        // One finding, not one per level.
        assert!(lines.len() <= 3, "{f}: {} findings", lines.len());
    }
}

#[test]
fn file_over_the_size_limit_is_not_read() {
    // 200 MB, sparse: creating it costs nothing, and reading it would take
    // far longer than the bound below. Bounded: the size is checked from the
    // metadata before reading; reads are capped at the limit + 1 byte anyway.
    let d = tmpdir("huge");
    let f = std::fs::File::create(d.join("huge.yaml")).unwrap();
    f.set_len(200 << 20).unwrap();
    drop(f);
    let ran = check_dir(&d, Duration::from_secs(10));
    let lines = ran.lines_for("huge.yaml");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("over the") && lines[0].ends_with("[AFY005]"),
        "{lines:?}"
    );
    // A lower limit from the command line applies too.
    std::fs::write(d.join("small.yaml"), "a: 1\n".repeat(1000)).unwrap();
    let ran = afcheck(&d, &["--max-file-size", "1KiB", "small.yaml"]);
    assert!(ran.stdout().contains("[AFY005]"), "{}", ran.stdout());
}

#[test]
fn hundred_thousand_documents() {
    // 100,000 small documents (about 3 MB): every one is a ConfigMap, and a
    // duplicate key in the last one must still be found. Bounded: linear in
    // the input (a few nodes per document).
    let d = tmpdir("docs");
    let mut s = String::with_capacity(100_000 * 40);
    for i in 0..100_000 {
        s.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\n"
        ));
    }
    s.push_str("---\nkey: 1\nkey: 2\n");
    std::fs::write(d.join("many.yaml"), &s).unwrap();
    let ran = check_dir(&d, Duration::from_secs(60));
    let lines = ran.lines_for("many.yaml");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("many.yaml:400003:") && l.ends_with("[AFY002]")),
        "the last document was not checked: {:?}",
        lines.iter().rev().take(5).collect::<Vec<_>>()
    );
}

#[test]
fn nul_bytes() {
    // 1 MiB of NUL bytes, in files afcheck would otherwise parse. Bounded:
    // detected in the first 8 KiB; the file is under the size limit.
    let d = tmpdir("nul");
    let zeros = vec![0u8; 1 << 20];
    std::fs::write(d.join("zeros.yaml"), &zeros).unwrap();
    std::fs::write(d.join("Dockerfile"), &zeros).unwrap();
    std::fs::write(d.join("airflow.cfg"), &zeros).unwrap();
    let ran = check_dir(&d, Duration::from_secs(10));
    for f in ["zeros.yaml", "Dockerfile", "airflow.cfg"] {
        let lines = ran.lines_for(f);
        assert_eq!(lines.len(), 1, "{f}: {lines:?}");
        assert!(
            lines[0].contains("binary") && lines[0].ends_with("[AFY005]"),
            "{lines:?}"
        );
    }
}

#[test]
fn invalid_utf8_in_the_middle() {
    // Valid text, one invalid byte on line 3, valid text after. The
    // diagnostic points at the bad byte's line.
    let d = tmpdir("utf8");
    let mut bytes = b"apiVersion: v1\nkind: ConfigMap\ndata: {a: \"".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, b'x']);
    bytes.extend_from_slice(b"\"}\nmetadata:\n  name: x\n");
    std::fs::write(d.join("bad.yaml"), &bytes).unwrap();
    let mut df = b"FROM alpine:3.20\nRUN echo \xc3\x28\nUSER app\n".to_vec();
    df.extend_from_slice(&[b'#'; 10]);
    std::fs::write(d.join("Dockerfile"), &df).unwrap();
    let ran = check_dir(&d, Duration::from_secs(10));
    let lines = ran.lines_for("bad.yaml");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("bad.yaml:3:")
            && lines[0].contains("invalid UTF-8")
            && lines[0].ends_with("[AFY005]"),
        "{lines:?}"
    );
    let lines = ran.lines_for("Dockerfile");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Dockerfile:2:") && l.contains("invalid UTF-8")),
        "{lines:?}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    // A directory that links to itself and two files that link to each
    // other. Bounded: the walk does not follow directory links, and a file
    // link that cannot be resolved is not read.
    use std::os::unix::fs::symlink;
    let d = tmpdir("symlink");
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/inner.yaml"), CONTROL).unwrap();
    symlink("..", d.join("sub/up")).unwrap();
    symlink(".", d.join("sub/self")).unwrap();
    symlink("b.yaml", d.join("a.yaml")).unwrap();
    symlink("a.yaml", d.join("b.yaml")).unwrap();
    let ran = check_dir(&d, Duration::from_secs(10));
    // The real file is checked exactly once (no path through the loops).
    let inner: Vec<String> = ran
        .stdout()
        .lines()
        .filter(|l| l.contains("inner.yaml:"))
        .map(String::from)
        .collect();
    assert_eq!(inner.len(), 1, "{inner:?}");
    assert!(inner[0].starts_with("sub/inner.yaml:2:"), "{inner:?}");
    // The looping file links are reported, not skipped silently.
    for f in ["a.yaml", "b.yaml"] {
        let lines = ran.lines_for(f);
        assert_eq!(lines.len(), 1, "{f}: {lines:?}");
        assert!(
            lines[0].contains("cannot read") && lines[0].ends_with("[AFY005]"),
            "{lines:?}"
        );
    }
    // Named explicitly, a looping link is a clear diagnostic, not an abort.
    let ran = afcheck(&d, &["a.yaml", "control.yaml"]);
    let lines = ran.lines_for("a.yaml");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("cannot read") && lines[0].ends_with("[AFY005]"),
        "{lines:?}"
    );
    assert!(!ran.lines_for("control.yaml").is_empty());
}

#[test]
fn fifty_thousand_files() {
    // 50,000 files: 49,000 with names afcheck ignores, 1,000 tiny manifests
    // in 100 directories. Bounded: memory is one small record per checked
    // file; ignored names are never opened.
    let d = tmpdir("many-files");
    let t = Instant::now();
    for dir in 0..100 {
        let sub = d.join(format!("d{dir:03}"));
        std::fs::create_dir_all(&sub).unwrap();
        for i in 0..490 {
            std::fs::write(sub.join(format!("f{i}.txt")), "").unwrap();
        }
        for i in 0..10 {
            std::fs::write(
                sub.join(format!("m{i}.yaml")),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n",
            )
            .unwrap();
        }
    }
    let setup = t.elapsed();
    let ran = check_dir(&d, Duration::from_secs(60));
    eprintln!("50,000 files: setup {setup:?}, afcheck {:?}", ran.elapsed);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn dockerfile_with_a_one_megabyte_line() {
    // One 1 MiB RUN line, one 1 MiB comment and a 1 MiB line continued
    // many times. Bounded: linear in the file; the file is under the limit.
    let d = tmpdir("long-line");
    let long = "x".repeat(1 << 20);
    let many = "a \\\n".repeat(250_000);
    std::fs::write(
        d.join("Dockerfile"),
        format!("FROM alpine:3.20\nRUN echo {long}\n# {long}\nRUN {many}true\nUSER app\n"),
    )
    .unwrap();
    std::fs::write(
        d.join("long.yaml"),
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: {long}\n"),
    )
    .unwrap();
    check_dir(&d, Duration::from_secs(30));
}

#[test]
fn unterminated_heredoc() {
    // The heredoc never ends: the parser must stop at the end of the file.
    let d = tmpdir("heredoc");
    std::fs::write(
        d.join("Dockerfile"),
        "FROM alpine:3.20\nRUN <<EOF\necho one\necho two\n",
    )
    .unwrap();
    std::fs::write(
        d.join("two.Dockerfile"),
        "FROM alpine:3.20\nCOPY <<A <<B /dst/\nfirst\nA\nsecond\n",
    )
    .unwrap();
    std::fs::write(d.join("three.Dockerfile"), "FROM alpine:3.20\nRUN <<").unwrap();
    let ran = check_dir(&d, Duration::from_secs(10));
    for f in ["Dockerfile", "two.Dockerfile"] {
        let lines = ran.lines_for(f);
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{f}:2:"))
                && l.contains("unterminated heredoc")
                && l.ends_with("[AFD027]")),
            "{f}: {lines:?}"
        );
    }
}

#[test]
fn hostile_files_on_standard_input() {
    // The same protections apply to stdin (read fully, then size-checked).
    use std::io::Write;
    use std::process::Stdio;
    for (name, bytes) in [
        ("x.yaml", "[".repeat(100_000).into_bytes()),
        ("Dockerfile", vec![0u8; 4096]),
        ("airflow.cfg", b"[core]\nexecutor = \xff\n".to_vec()),
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_afcheck"))
            .args([
                "--no-config",
                "--format",
                "compact",
                "--fail-on",
                "never",
                "--stdin-filename",
                name,
                "-",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&bytes).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}: {out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.lines().any(|l| l.starts_with(&format!("{name}:"))),
            "{name}: no diagnostic: {stdout}"
        );
    }
}

#[test]
fn oversize_standard_input_is_cut_at_the_limit() {
    // 64 MiB streamed into stdin with a 1 MiB limit: afcheck reads at most
    // limit + 1 bytes, reports the input as too large and exits; the writer
    // then sees a closed pipe. Bounded: the read is capped.
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .args([
            "--no-config",
            "--format",
            "compact",
            "--fail-on",
            "never",
            "--max-file-size",
            "1MiB",
            "--stdin-filename",
            "big.yaml",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = "a: 1\n".repeat(1 << 16).into_bytes();
        let mut written = 0usize;
        while written < 64 << 20 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
            written += chunk.len();
        }
        written
    });
    let out = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("big.yaml:")
            && stdout.contains("over the")
            && stdout.contains("[AFY005]"),
        "{stdout}"
    );
    assert!(written < 64 << 20, "afcheck read the whole stream");
}

// ---------------------------------------------------------------------------
// Output: terminal and annotation injection, bounded reports (issue 17,
// sections 3 and 5).

/// Runs afcheck with `format` on `dir` (exit 0 or 1, no panic); stdout.
fn afcheck_as(dir: &Path, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .current_dir(dir)
        .args([
            "--no-config",
            "--fail-on",
            "never",
            "--no-color",
            "--format",
            format,
            ".",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The problem matcher of `.github/afcheck-matcher.json`.
const MATCHER: &str =
    r"^((?:[A-Za-z]:)?[^:]+):(\d+):(\d+):\s+(error|warning|note):\s+(.*?)\s+\[([A-Za-z0-9_.-]+)\]$";

fn hidden(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    })
}

#[test]
fn escape_sequences_and_bidi_controls_are_shown_visibly() {
    let dir = tmpdir("escapes");
    // Content: an escape sequence (window title, hyperlink, clear screen)
    // echoed by a syntax error, and a bidi override in a quoted value.
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM python:3.12\n\x1b]0;owned\x07\x1b[2J\x1b]8;;https://evil.example/\x07x\nRUN echo \"\u{202E}gnp.exe\"\nUSER root\n",
    )
    .unwrap();
    // File name: an escape sequence and a bidi override.
    std::fs::write(dir.join("evil\x1b[31m\u{202E}lmay.yaml"), CONTROL).unwrap();
    for format in ["compact", "terminal", "github", "json", "sarif"] {
        let out = afcheck_as(&dir, format);
        assert!(out.len() > 100, "{format}: {out}");
        let raw_json = format == "json" || format == "sarif";
        if raw_json {
            // Machine formats keep file paths exact (JSON escapes control
            // characters, SARIF percent-encodes URIs); messages are
            // cleaned like everywhere else.
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            let mut messages = Vec::new();
            for r in v["findings"]
                .as_array()
                .into_iter()
                .chain(v["runs"][0]["results"].as_array())
                .flatten()
            {
                let m = r["message"]["text"].as_str().or(r["message"].as_str());
                messages.push(m.unwrap().to_string());
            }
            assert!(messages.len() >= 3, "{format}: {messages:?}");
            for m in &messages {
                assert_eq!(hidden(m), None, "{format}: {m}");
            }
            assert!(
                messages.iter().any(|m| m.contains("\\x1b]0;")),
                "{format}: {messages:?}"
            );
            continue;
        }
        assert_eq!(
            hidden(&out),
            None,
            "{format} output has a hidden character:\n{out}"
        );
        assert!(
            out.to_ascii_lowercase().contains("\\x1b]0;owned"),
            "{format}:\n{out}"
        );
        assert!(out.contains("<U+202E>"), "{format}:\n{out}");
    }
}

#[test]
fn file_names_cannot_forge_a_location_or_a_command() {
    let dir = tmpdir("names");
    let forged = "x.yaml:99:7: error: forged finding [AFK001] z.yaml";
    std::fs::write(dir.join(forged), CONTROL).unwrap();
    let newline = "a\n::error file=forged.yaml,line=1::pwned\nb.yaml";
    std::fs::write(dir.join(newline), CONTROL).unwrap();
    let re = regex::Regex::new(MATCHER).unwrap();
    let out = afcheck_as(&dir, "compact");
    let mut seen = 0;
    for l in out.lines() {
        let c = re.captures(l).unwrap_or_else(|| panic!("not matched: {l}"));
        assert_ne!(&c[2], "99", "forged location: {l}");
        assert!(!c[1].ends_with("x.yaml"), "forged path: {l}");
        if c[1].contains("forged finding") || c[1].contains("pwned") {
            // The real finding of that file: AFY002 at line 2.
            assert_eq!((&c[2], &c[6]), ("2", "AFY002"), "{l}");
            seen += 1;
        }
    }
    assert_eq!(seen, 2, "{out}");
    for format in ["github", "terminal", "compact"] {
        let out = afcheck_as(&dir, format);
        for l in out.lines() {
            assert!(
                !l.starts_with("::error file=forged"),
                "{format}: a file name forged a workflow command:\n{out}"
            );
        }
    }
}

#[test]
fn findings_per_rule_and_file_are_capped_with_a_summary() {
    let dir = tmpdir("cap");
    let mut df = String::from("FROM python:3.12\n");
    for i in 0..3000 {
        df.push_str(&format!("RUN curl -s https://x/{i} | sh\n"));
    }
    std::fs::write(dir.join("Dockerfile"), &df).unwrap();
    let sarif = afcheck_as(&dir, "sarif");
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let in_df: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Dockerfile"
        })
        .collect();
    assert!(
        in_df.len() <= 1000 + 20,
        "{} results for one file",
        in_df.len()
    );
    let summaries: Vec<&str> = in_df
        .iter()
        .filter_map(|r| r["message"]["text"].as_str())
        .filter(|m| m.contains("more") && m.contains("not shown"))
        .collect();
    assert!(!summaries.is_empty());
    assert!(
        summaries
            .iter()
            .any(|m| m.starts_with("2900 more AFD013 findings")),
        "{summaries:?}"
    );
    assert!(sarif.len() < 4 << 20, "{} bytes", sarif.len());
    // The verdict is the same: the summary carries the dropped severity.
    let out = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .current_dir(&dir)
        .args([
            "--no-config",
            "--format",
            "compact",
            "--select",
            "AFD013",
            // AFD013 over HTTPS is a warning (issue 12's severity policy).
            "--fail-on",
            "warning",
            ".",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 101);
}

#[test]
fn terminal_report_of_a_huge_line_is_bounded() {
    // One RUN line of 20,000 piped commands (about 600 KB): every finding
    // on it used to show the whole line (miette then rendered megabytes per
    // finding, and panicked on a 6 MB line); snippets now show the parts of
    // long lines around the underlined span.
    let dir = tmpdir("huge-line-terminal");
    let cmds: Vec<String> = (0..20_000)
        .map(|i| format!("curl -s https://x/{i} | sh"))
        .collect();
    std::fs::write(
        dir.join("Dockerfile"),
        format!("FROM python:3.12\nRUN {}\n", cmds.join(" && ")),
    )
    .unwrap();
    let out = afcheck_as(&dir, "terminal");
    assert!(out.contains("AFD013"), "{}", &out[..out.len().min(2000)]);
    assert!(
        out.len() < 256 << 10,
        "{} bytes of terminal output",
        out.len()
    );
    assert!(
        out.lines().all(|l| l.len() < 4096),
        "a snippet line is not cut"
    );
}
