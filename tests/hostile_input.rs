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
