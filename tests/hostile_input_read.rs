//! Hostile input, reading side (issue 17, sections 2-4): what afcheck reads,
//! how long it takes, and that it never succeeds silently. Each test is one
//! class; each failed on the code before the fix (a hang, a stack overflow,
//! a leak of a file outside the root, a silent "nothing checked").
//!
//! Runs through the real binary are bounded by a timeout (a hang fails the
//! test instead of stalling the suite); the time-complexity checks run the
//! engine in-process on one rayon thread and compare the CPU time of that
//! thread at size n and 4n: linear work grows about 4x, quadratic work 16x.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use afcheck::engine::{self, Input, Options};

mod run_support;
use run_support::{Ran, afcheck_in, mkfifo};

fn tmpdir(name: &str) -> PathBuf {
    run_support::tmpdir("read", name)
}

fn lines_for<'a>(ran: &'a Ran, file: &str) -> Vec<&'a str> {
    ran.stdout
        .lines()
        .filter(|l| l.starts_with(&format!("{file}:")))
        .collect()
}

// ---------------------------------------------------------------------------
// Section 3: hangs.

#[test]
fn yaml_merge_key_cycles_and_bombs_finish() {
    // `&m {<<: *m}`: a mapping merged into itself (it recursed until the
    // stack overflowed); a merge bomb where each level merges the previous
    // one twice (2^40 paths, read once each now).
    let d = tmpdir("merge");
    std::fs::write(
        d.join("cycle.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: &m {<<: *m}\nspec: &s\n  <<: *s\n  containers:\n  - name: a\n    image: x:1\n    securityContext: &c {<<: [*c, *c]}\n",
    )
    .unwrap();
    let mut bomb = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: bomb}\nx:\n  b0: &b0 {image: y}\n",
    );
    for i in 1..=40 {
        bomb.push_str(&format!("  b{i}: &b{i} {{<<: [*b{0}, *b{0}]}}\n", i - 1));
    }
    bomb.push_str("spec:\n  <<: *b40\n  containers:\n  - <<: *b40\n    name: c\n");
    std::fs::write(d.join("bomb.yaml"), bomb).unwrap();
    let ran = afcheck_in(&d, &["--fail-on", "never", "."], Duration::from_secs(30));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(!lines_for(&ran, "cycle.yaml").is_empty(), "{}", ran.stdout);
    assert!(!lines_for(&ran, "bomb.yaml").is_empty(), "{}", ran.stdout);
}

#[test]
fn fifo_dockerignore_beside_a_dockerfile_does_not_hang() {
    // AFD017 read the `.dockerignore` beside a Dockerfile with a plain
    // read: a FIFO there blocked forever.
    let d = tmpdir("fifo-ignore");
    std::fs::write(d.join("Dockerfile"), "FROM alpine:3.20\nCOPY . /app\n").unwrap();
    if !mkfifo(&d.join(".dockerignore")) {
        return;
    }
    // Named explicitly, so the walk does not see the FIFO first.
    let ran = afcheck_in(
        &d,
        &["--fail-on", "never", "Dockerfile"],
        Duration::from_secs(20),
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    // What the ignore file says is unknown: no AFD017 claim either way.
    assert!(!ran.stdout.contains("[AFD017]"), "{}", ran.stdout);
}

// ---------------------------------------------------------------------------
// Section 3: super-linear time. Each shape at n and 4n, only the rules it
// exercises enabled; the CPU time of the one thread doing the work must
// grow less than 7x (linear: about 4x; the old code: 8.6-11x at these sizes).

#[cfg(target_os = "linux")]
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "no per-thread CPU clock");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// CPU time of one engine run over `text` named `name`, on a one-thread pool.
#[cfg(target_os = "linux")]
fn cpu_of(pool: &rayon::ThreadPool, name: &str, text: &str, select: &str) -> Duration {
    let opts = Options {
        select: vec![select.into()],
        ..Options::default()
    };
    let input = [Input::Text {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }];
    pool.install(|| {
        let t0 = thread_cpu();
        let run = engine::run(&input, &opts);
        assert!(!run.findings.is_empty(), "{name}: the shape found nothing");
        let t = thread_cpu() - t0;
        assert!(t > Duration::ZERO, "{name}: no CPU time measured");
        t
    })
}

#[cfg(target_os = "linux")]
fn assert_linear(name: &str, select: &str, make: impl Fn(usize) -> String, n: usize) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let small = make(n);
    let big = make(4 * n);
    let t1 = (0..3)
        .map(|_| cpu_of(&pool, name, &small, select))
        .min()
        .unwrap();
    // The big run fails fast instead of running a quadratic case to the end.
    let t4 = cpu_of(&pool, name, &big, select);
    let ratio = t4.as_secs_f64() / t1.as_secs_f64().max(1e-3);
    eprintln!("{name}: {t1:?} -> {t4:?} ({ratio:.1}x)");
    assert!(
        ratio < 7.0,
        "{name}: {} bytes took {t1:?}, {} bytes took {t4:?} ({ratio:.1}x for 4x the input)",
        small.len(),
        big.len()
    );
}

#[cfg(target_os = "linux")]
#[test]
fn every_shape_scales_linearly() {
    // Piped RUN lines (AFD014 looked back through the stage per RUN).
    assert_linear(
        "Dockerfile",
        "AFD014",
        |n| {
            let mut s = String::from("FROM debian:12\n");
            for i in 0..n {
                s.push_str(&format!("RUN grep {i} /x | sort | uniq | tee /tmp/o{i}\n"));
            }
            s
        },
        4_000,
    );
    // Variables defined and used all along one stage (each lookup scanned
    // the stage back to its FROM).
    assert_linear(
        "vars.Dockerfile",
        "AFD",
        |n| {
            let mut s = String::from("FROM debian:12\n");
            for i in 0..n {
                s.push_str(&format!(
                    "ENV V{i}=x{i}\nRUN curl -fsSL https://e.example/$V{i} | sh && pip install lib$V{i}\n"
                ));
            }
            s
        },
        2_000,
    );
    // YAML documents each with a quoted scalar to re-indent (the loader
    // copied the whole text once per document after the first patch).
    assert_linear(
        "reindent.yaml",
        "AFY001",
        |n| {
            let mut s = String::new();
            for i in 0..n {
                s.push_str(&format!(
                    "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  k: \"abc\n def\"\n  bad: [\n"
                ));
            }
            s
        },
        8_000,
    );
    // A cfg with many sections (section lookup was a list search).
    assert_linear(
        "airflow.cfg",
        "AFC003",
        |n| {
            let mut s = String::from("[core]\nexecutor = LocalExecutor\n");
            for i in 0..n {
                s.push_str(&format!("[section_{i:07}_of_a_hostile_file]\n"));
            }
            s
        },
        10_000,
    );
    // Env entries (AFK035 searched a list per entry).
    assert_linear(
        "env.yaml",
        "AFK035",
        |n| {
            let mut s = String::from(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1\n    env:\n    - {name: DUP, value: a}\n    - {name: DUP, value: b}\n",
            );
            for i in 0..n {
                s.push_str(&format!("    - name: VAR_{i}\n      value: \"v{i}\"\n"));
            }
            s
        },
        5_000,
    );
}

// ---------------------------------------------------------------------------
// Section 2: reading outside the scanned root.

#[cfg(unix)]
#[test]
fn links_out_of_the_root_devices_and_fifos_are_not_read() {
    use std::os::unix::fs::symlink;
    let base = tmpdir("links");
    let marker = "token_afcheck_marker_7f3a";
    std::fs::write(base.join("outside"), format!("{marker}=1\n")).unwrap();
    let d = base.join("repo");
    std::fs::create_dir_all(&d).unwrap();
    symlink(base.join("outside"), d.join("Dockerfile")).unwrap();
    symlink(base.join("outside"), d.join("x.yaml")).unwrap();
    symlink(base.join("outside"), d.join(".dockerignore")).unwrap();
    symlink("/proc/self/environ", d.join("airflow.cfg")).unwrap();
    symlink("/dev/zero", d.join("zero.yaml")).unwrap();
    let fifo = mkfifo(&d.join("pipe.yaml"));
    // A link into `.git` (where CI checkouts keep their token) is not read.
    std::fs::create_dir_all(d.join(".git")).unwrap();
    std::fs::write(
        d.join(".git/config"),
        format!("[http]\n\textraheader = AUTHORIZATION: basic {marker}\n"),
    )
    .unwrap();
    symlink(".git/config", d.join("git.Dockerfile")).unwrap();
    // A link that stays inside the root is read.
    std::fs::write(d.join("real.Dockerfile"), "FROM alpine\n").unwrap();
    symlink("real.Dockerfile", d.join("link.Dockerfile")).unwrap();

    let ran = afcheck_in(&d, &["--fail-on", "never", "."], Duration::from_secs(30));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let lower = ran.stdout.to_lowercase();
    assert!(
        !lower.contains(marker),
        "content outside the root printed:\n{}",
        ran.stdout
    );
    for f in ["Dockerfile", "x.yaml", ".dockerignore", "airflow.cfg"] {
        let l = lines_for(&ran, f);
        assert!(
            l.len() == 1
                && l[0].contains("outside the scanned directory")
                && l[0].ends_with("[AFY005]"),
            "{f}: {l:?}"
        );
    }
    let l = lines_for(&ran, "git.Dockerfile");
    assert!(l.len() == 1 && l[0].contains("`.git`"), "{l:?}");
    let l = lines_for(&ran, "zero.yaml");
    assert!(l.len() == 1 && l[0].contains("a device"), "{l:?}");
    if fifo {
        let l = lines_for(&ran, "pipe.yaml");
        assert!(l.len() == 1 && l[0].contains("FIFO"), "{l:?}");
    }
    assert!(
        lines_for(&ran, "link.Dockerfile")
            .iter()
            .any(|l| l.contains("[AFD001]"))
    );

    // Named explicitly: the same rule, unless --follow-symlinks.
    let ran = afcheck_in(
        &d,
        &["--fail-on", "never", "Dockerfile"],
        Duration::from_secs(20),
    );
    assert!(
        !ran.stdout.to_lowercase().contains(marker),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("outside the scanned directory"),
        "{}",
        ran.stdout
    );
    let ran = afcheck_in(
        &d,
        &["--fail-on", "never", "--follow-symlinks", "Dockerfile"],
        Duration::from_secs(20),
    );
    assert!(
        !ran.stdout.contains("outside the scanned directory"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("[AFD027]"), "{}", ran.stdout);
}

// ---------------------------------------------------------------------------
// Section 4: silent success and lost output.

#[cfg(unix)]
#[test]
fn pipes_named_explicitly_are_read() {
    // `afcheck <(cmd)` names /dev/fd/N: it was walked as a directory and
    // "checked" nothing, exit 0. Here the pipe is the child's stdin.
    let d = tmpdir("pipes");
    let mut child = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .current_dir(&d)
        .args([
            "--no-config",
            "--format",
            "compact",
            "--fail-on",
            "never",
            "/dev/stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut w = child.stdin.take().unwrap();
        w.write_all(b"FROM ubuntu\nRUN curl -sSL http://x | sh\n")
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        stdout.contains("/dev/stdin:2:") && stdout.contains("[AFD013]"),
        "{stdout}"
    );
}

#[test]
fn a_run_that_checks_nothing_says_so() {
    let d = tmpdir("nothing");
    std::fs::create_dir_all(d.join("empty")).unwrap();
    std::fs::write(d.join("notes.txt"), "hello\n").unwrap();
    // Named explicitly: exit 2 with a message.
    let ran = afcheck_in(&d, &["empty"], Duration::from_secs(20));
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(ran.stderr.contains("no file checked"), "{}", ran.stderr);
    let ran = afcheck_in(&d, &["notes.txt"], Duration::from_secs(20));
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    // The default path: said, exit 0.
    let ran = afcheck_in(&d.join("empty"), &[], Duration::from_secs(20));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(ran.stderr.contains("no file checked"), "{}", ran.stderr);
    // A file named explicitly that is skipped (a link out of the root) was
    // not checked either: its diagnostic is shown and the run exits 2, not 0.
    #[cfg(unix)]
    {
        let repo = d.join("repo");
        std::fs::create_dir_all(&repo).unwrap();
        std::fs::write(d.join("outside.Dockerfile"), "FROM alpine\n").unwrap();
        std::os::unix::fs::symlink("../outside.Dockerfile", repo.join("Dockerfile")).unwrap();
        let ran = afcheck_in(&repo, &["Dockerfile"], Duration::from_secs(20));
        assert_eq!(ran.code, Some(2), "{}", ran.stderr);
        assert!(ran.stdout.contains("AFY005"), "{}", ran.stdout);
        assert!(ran.stderr.contains("no file checked"), "{}", ran.stderr);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_names_and_unreadable_directories_are_reported() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;
    let d = tmpdir("names");
    let name = std::ffi::OsStr::from_bytes(b"bad\xff.yaml");
    std::fs::write(d.join(name), "a: 1\n").unwrap();
    std::fs::create_dir_all(d.join("locked")).unwrap();
    std::fs::write(d.join("locked/x.yaml"), "a: 1\n").unwrap();
    std::fs::set_permissions(d.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    // root reads anything: the directory case then cannot be made.
    let locked = std::fs::read_dir(d.join("locked")).is_err();
    let ran = afcheck_in(&d, &["--fail-on", "never", "."], Duration::from_secs(20));
    let _ = std::fs::set_permissions(d.join("locked"), std::fs::Permissions::from_mode(0o755));
    assert!(
        ran.stdout.lines().any(|l| l.starts_with("bad")
            && l.contains("not valid UTF-8")
            && l.ends_with("[AFY005]")),
        "{}",
        ran.stdout
    );
    if locked {
        assert!(
            ran.stdout
                .lines()
                .any(|l| l.starts_with("locked") && l.contains("cannot read directory")),
            "{}",
            ran.stdout
        );
    }
}

#[test]
fn max_file_size_does_not_overflow() {
    let d = tmpdir("size");
    std::fs::write(
        d.join("a.yaml"),
        "apiVersion: v1\napiVersion: v1\nkind: ConfigMap\n",
    )
    .unwrap();
    for size in ["99999999999999999999T", "18446744073709551615"] {
        let ran = afcheck_in(
            &d,
            &["--fail-on", "never", "--max-file-size", size, "a.yaml"],
            Duration::from_secs(20),
        );
        assert_eq!(ran.code, Some(0), "{size}: {}", ran.stderr);
        assert!(
            ran.stdout.contains("a.yaml:2:1:") && ran.stdout.contains("[AFY002]"),
            "{size}: {}",
            ran.stdout
        );
    }
}

#[test]
fn utf16_files_are_decoded() {
    let d = tmpdir("utf16");
    let text = "apiVersion: v1\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
    std::fs::write(d.join("le.yaml"), le).unwrap();
    std::fs::write(d.join("be.yaml"), be).unwrap();
    // No byte-order mark: named as UTF-16, not "binary".
    let bare: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    std::fs::write(d.join("bare.yaml"), bare).unwrap();
    let ran = afcheck_in(&d, &["--fail-on", "never", "."], Duration::from_secs(20));
    for f in ["le.yaml", "be.yaml"] {
        assert!(
            lines_for(&ran, f)
                .iter()
                .any(|l| l.starts_with(&format!("{f}:2:1:")) && l.ends_with("[AFY002]")),
            "{f}: {}",
            ran.stdout
        );
    }
    let l = lines_for(&ran, "bare.yaml");
    assert!(
        l.len() == 1 && l[0].contains("UTF-16") && !l[0].contains("binary"),
        "{l:?}"
    );
}

#[test]
fn lone_cr_line_endings_count_lines() {
    // YAML and configparser both end a line at a lone CR.
    let d = tmpdir("cr");
    std::fs::write(
        d.join("a.yaml"),
        "apiVersion: v1\rkind: ConfigMap\rkind: ConfigMap\r",
    )
    .unwrap();
    std::fs::write(
        d.join("airflow.cfg"),
        "[core]\rexecutor = LocalExecutor\rexecutor = CeleryExecutor\r",
    )
    .unwrap();
    let ran = afcheck_in(&d, &["--fail-on", "never", "."], Duration::from_secs(20));
    assert!(
        lines_for(&ran, "a.yaml")
            .iter()
            .any(|l| l.starts_with("a.yaml:3:1:") && l.ends_with("[AFY002]")),
        "{}",
        ran.stdout
    );
    assert!(
        lines_for(&ran, "airflow.cfg")
            .iter()
            .any(|l| l.starts_with("airflow.cfg:3:1:")),
        "{}",
        ran.stdout
    );
}

#[cfg(target_os = "linux")]
#[test]
fn write_errors_exit_2() {
    let d = tmpdir("full");
    std::fs::write(d.join("Dockerfile"), "FROM alpine\n").unwrap();
    let full = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_afcheck"))
            .current_dir(&d)
            .args(["--no-config", "--fail-on", "never"])
            .args(args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    };
    let out = full(&["Dockerfile"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot write"),
        "{out:?}"
    );
    let out = full(&["--output", "/dev/full", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // A closed standard output.
    let out = Command::new("sh")
        .current_dir(&d)
        .arg("-c")
        .arg(format!(
            "'{}' --no-config --fail-on never Dockerfile >&-",
            env!("CARGO_BIN_EXE_afcheck")
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard output is closed"));
}

#[test]
fn reports_never_overwrite_a_checked_file() {
    let d = tmpdir("overwrite");
    let text = "FROM alpine\n";
    std::fs::write(d.join("Dockerfile"), text).unwrap();
    for flag in [
        vec!["--output", "Dockerfile"],
        vec!["--sarif-file", "Dockerfile"],
        vec!["--report", "json=./Dockerfile"],
        vec!["--write-baseline", "Dockerfile"],
    ] {
        let mut args = flag.clone();
        args.push(".");
        let ran = afcheck_in(&d, &args, Duration::from_secs(20));
        assert_eq!(ran.code, Some(2), "{flag:?}: {}", ran.stderr);
        assert!(
            ran.stderr.contains("refusing to overwrite"),
            "{}",
            ran.stderr
        );
        assert_eq!(std::fs::read_to_string(d.join("Dockerfile")).unwrap(), text);
    }
}

#[test]
fn yaml_with_braces_in_a_block_scalar_is_not_a_helm_template() {
    let d = tmpdir("helm");
    std::fs::write(
        d.join("alerts.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts\ndata:\n  rule.tpl: |\n    {{ if .Values.x }}\n    {{ end }}\n---\napiVersion: v1\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\n",
    )
    .unwrap();
    // A real template stays one.
    std::fs::write(
        d.join("tpl.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n{{- if .Values.x }}\ndata: {}\n{{- end }}\n",
    )
    .unwrap();
    let ran = afcheck_in(&d, &["--fail-on", "never", "."], Duration::from_secs(20));
    let l = lines_for(&ran, "alerts.yaml");
    assert!(l.iter().any(|l| l.contains("[AFY002]")), "{}", ran.stdout);
    assert!(!l.iter().any(|l| l.contains("[AFY003]")), "{l:?}");
    assert!(
        lines_for(&ran, "tpl.yaml")
            .iter()
            .any(|l| l.contains("[AFY003]")),
        "{}",
        ran.stdout
    );
}

#[cfg(unix)]
#[test]
fn hostile_ignore_files_are_not_read() {
    // The directory walker reads every `.gitignore` whole: one linked to
    // /dev/zero exhausted memory. Such a directory is now not entered, and
    // said so; the rest of the tree is checked.
    use std::os::unix::fs::symlink;
    let d = tmpdir("gitignore");
    std::fs::create_dir_all(d.join("sub")).unwrap();
    symlink("/dev/zero", d.join("sub/.gitignore")).unwrap();
    std::fs::write(d.join("sub/a.yaml"), "a: 1\n").unwrap();
    std::fs::write(
        d.join("b.yaml"),
        "apiVersion: v1\napiVersion: v1\nkind: ConfigMap\n",
    )
    .unwrap();
    let ran = afcheck_in(&d, &["--fail-on", "never", "."], Duration::from_secs(30));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let l = lines_for(&ran, "sub/.gitignore");
    assert!(
        l.len() == 1 && l[0].contains("not checked") && l[0].ends_with("[AFY005]"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("b.yaml:2:1:"), "{}", ran.stdout);
    // The same at the root of the walk.
    let ran = afcheck_in(
        &d.join("sub"),
        &["--fail-on", "never", "."],
        Duration::from_secs(30),
    );
    assert!(
        ran.stdout.contains(".gitignore:1:1:") && ran.stdout.contains("[AFY005]"),
        "{}",
        ran.stdout
    );
}
