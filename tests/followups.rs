//! Follow-ups of issues 17 (hostile input) and 11 (Airflow linking): the
//! Compose `env_file` read and the `--baseline` read go through the safe
//! reader; files skipped by policy are warnings, not errors.
//!
//! Runs through the real binary are bounded by a timeout, so a hang fails
//! the test instead of stalling the suite.

mod run_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use run_support::{Ran, mkfifo};

fn tmpdir(name: &str) -> PathBuf {
    run_support::tmpdir("followups", name)
}

/// Runs afcheck in `dir`, bounded at 60 s.
fn afcheck_in(dir: &Path, args: &[&str]) -> Ran {
    run_support::afcheck_in(dir, args, Duration::from_secs(60))
}

// ---------------------------------------------------------------------------
// 1. Compose `env_file`.

/// A Compose project whose service reads `env_file` `rel`.
fn compose_project(name: &str, rel: &str) -> PathBuf {
    let d = tmpdir(name);
    std::fs::create_dir_all(d.join("proj")).unwrap();
    std::fs::write(
        d.join("proj/docker-compose.yaml"),
        format!(
            "services:\n  web:\n    image: apache/airflow:2.9.3\n    env_file:\n      - {rel}\n"
        ),
    )
    .unwrap();
    d
}

const LOAD_EXAMPLES: &str = "AIRFLOW__CORE__LOAD_EXAMPLES=True\n";

fn afc014(ran: &Ran) -> usize {
    ran.stdout
        .lines()
        .filter(|l| l.contains("[AFC014]"))
        .count()
}

#[test]
fn compose_env_file_regular_is_read() {
    // The control: the same project with a plain `.env` gives the finding,
    // so the refusals below are refusals and not missing data.
    let d = compose_project("env-regular", ".env");
    std::fs::write(d.join("proj/.env"), LOAD_EXAMPLES).unwrap();
    let ran = afcheck_in(&d.join("proj"), &["."]);
    assert_eq!(afc014(&ran), 1, "{}{}", ran.stdout, ran.stderr);
    let _ = std::fs::remove_dir_all(&d);
}

#[cfg(unix)]
#[test]
fn compose_env_file_fifo_does_not_hang() {
    let d = compose_project("env-fifo", ".env");
    if !mkfifo(&d.join("proj/.env")) {
        eprintln!("mkfifo unavailable; skipped");
        return;
    }
    // No writer ever opens the pipe: a blocking open would wait forever.
    let start = Instant::now();
    let ran = afcheck_in(&d.join("proj"), &["."]);
    assert!(start.elapsed() < Duration::from_secs(30));
    assert_eq!(afc014(&ran), 0, "{}", ran.stdout);
    // Exit 0: the Compose file was checked (nothing checked would be 2).
    assert_eq!(ran.code, Some(0), "{}{}", ran.stdout, ran.stderr);
    let _ = std::fs::remove_dir_all(&d);
}

#[cfg(unix)]
#[test]
fn compose_env_file_symlink_outside_is_not_read() {
    let d = compose_project("env-link", ".env");
    std::fs::write(
        d.join("outside.env"),
        "AIRFLOW__CORE__LOAD_EXAMPLES=True\nAIRFLOW__CORE__FERNET_KEY=outsideSECRETvalue123\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(d.join("outside.env"), d.join("proj/.env")).unwrap();
    let ran = afcheck_in(&d.join("proj"), &["."]);
    assert_eq!(afc014(&ran), 0, "{}", ran.stdout);
    assert!(!ran.stdout.contains("outsideSECRET"), "{}", ran.stdout);
    // A relative link that climbs out is refused the same way.
    std::fs::remove_file(d.join("proj/.env")).unwrap();
    std::os::unix::fs::symlink("../outside.env", d.join("proj/.env")).unwrap();
    let ran = afcheck_in(&d.join("proj"), &["."]);
    assert_eq!(afc014(&ran), 0, "{}", ran.stdout);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn compose_env_file_in_git_dir_is_refused() {
    // `.git/config` can hold the CI's token: never read as an env file,
    // whether named directly or through a link inside the directory.
    let d = compose_project("env-git", ".git/config");
    std::fs::create_dir_all(d.join("proj/.git")).unwrap();
    std::fs::write(d.join("proj/.git/config"), LOAD_EXAMPLES).unwrap();
    let ran = afcheck_in(&d.join("proj"), &["."]);
    assert_eq!(afc014(&ran), 0, "{}", ran.stdout);
    #[cfg(unix)]
    {
        let d2 = compose_project("env-git-link", ".env");
        std::fs::create_dir_all(d2.join("proj/.git")).unwrap();
        std::fs::write(d2.join("proj/.git/config"), LOAD_EXAMPLES).unwrap();
        std::os::unix::fs::symlink(".git/config", d2.join("proj/.env")).unwrap();
        let ran = afcheck_in(&d2.join("proj"), &["."]);
        assert_eq!(afc014(&ran), 0, "{}", ran.stdout);
        let _ = std::fs::remove_dir_all(&d2);
    }
    let _ = std::fs::remove_dir_all(&d);
}

// ---------------------------------------------------------------------------
// 2. `--baseline` is read bounded, from a regular file only.

/// A directory with one finding (AFC014) to baseline.
fn baselined_project(name: &str) -> PathBuf {
    let d = compose_project(name, ".env");
    std::fs::write(d.join("proj/.env"), LOAD_EXAMPLES).unwrap();
    d
}

#[test]
fn baseline_regular_file_is_read() {
    // The control: a real baseline is read and filters the finding.
    let d = baselined_project("bl-ok");
    let b = d.join("b.json");
    let b = b.to_str().unwrap();
    let ran = afcheck_in(&d.join("proj"), &[".", "--write-baseline", b]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let ran = afcheck_in(&d.join("proj"), &[".", "--baseline", b]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(afc014(&ran), 0, "{}", ran.stdout);
    let ran = afcheck_in(&d.join("proj"), &["."]);
    assert_eq!(afc014(&ran), 1, "{}", ran.stdout);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn baseline_too_large_exits_2_without_reading() {
    let d = baselined_project("bl-large");
    // A sparse file just over the limit: refused by its size, before any
    // byte is read.
    let b = d.join("big.json");
    let f = std::fs::File::create(&b).unwrap();
    f.set_len(afcheck::baseline::MAX_BASELINE_BYTES + 1)
        .unwrap();
    drop(f);
    let ran = afcheck_in(&d.join("proj"), &[".", "--baseline", b.to_str().unwrap()]);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains("over the 67108864-byte limit for a baseline file"),
        "{}",
        ran.stderr
    );
    // The same limit in the library, with a small cap.
    let small = d.join("small.json");
    std::fs::write(&small, r#"{"version":1,"tool":"afcheck","findings":[]}"#).unwrap();
    assert!(afcheck::baseline::load_capped(&small, 1000).is_ok());
    let err = afcheck::baseline::load_capped(&small, 10).unwrap_err();
    assert!(err.to_string().contains("over the 10-byte limit"), "{err}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn baseline_not_regular_exits_2() {
    let d = baselined_project("bl-special");
    let ran = afcheck_in(&d.join("proj"), &[".", "--baseline", d.to_str().unwrap()]);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("is a directory, not a regular file"),
        "{}",
        ran.stderr
    );
    #[cfg(unix)]
    {
        // A pipe nobody writes to: refused at once, never waited on.
        let fifo = d.join("fifo.json");
        if mkfifo(&fifo) {
            let ran = afcheck_in(
                &d.join("proj"),
                &[".", "--baseline", fifo.to_str().unwrap()],
            );
            assert_eq!(ran.code, Some(2), "{}", ran.stderr);
            assert!(
                ran.stderr.contains("named pipe (FIFO), not a regular file"),
                "{}",
                ran.stderr
            );
        }
        // A device that never ends.
        let ran = afcheck_in(&d.join("proj"), &[".", "--baseline", "/dev/zero"]);
        assert_eq!(ran.code, Some(2), "{}", ran.stderr);
        assert!(
            ran.stderr.contains("a device, not a regular file"),
            "{}",
            ran.stderr
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

// ---------------------------------------------------------------------------
// 3. The Airflow groups are built once per run and shared.

#[test]
fn airflow_groups_are_built_once_and_shared() {
    use afcheck::engine::{self, Input, Options};
    let opts = Options::default();
    let inputs = vec![
        Input::Text {
            name: "airflow.cfg".into(),
            bytes: b"[core]\nload_examples = True\n[webserver]\nexpose_config = True\n".to_vec(),
        },
        Input::Text {
            name: "docker-compose.yaml".into(),
            bytes: b"services:\n  web:\n    image: apache/airflow:2.9.3\n    environment:\n      AIRFLOW__CORE__LOAD_EXAMPLES: 'true'\n".to_vec(),
        },
    ];
    let run = engine::run(&inputs, &opts);
    // The data is there: both files give Airflow findings.
    assert!(
        run.findings.iter().filter(|f| f.rule == "AFC014").count() == 2,
        "{:?}",
        run.findings
    );
    // The engine builds the groups once, as an explicit analysis, and
    // every project rule reads that one list through its context.
    let by_file = run.file_settings();
    let derived = afcheck::airflow::model::Derived::of(&by_file);
    let groups = afcheck::airflow::model::groups(&by_file, &derived, &opts.settings);
    assert_eq!(groups.len(), 2, "one group per unlinked source");
    let cx = afcheck::rules::ProjectCx::new(&run.files, &opts.settings, &groups);
    assert!(std::ptr::eq(cx.airflow_groups(), groups.as_slice()));
    let fresh = afcheck::airflow::model::groups(&by_file, &derived, &opts.settings);
    let keys = |g: &[afcheck::airflow::model::Group<'_>]| {
        g.iter().map(|g| g.key.clone()).collect::<Vec<_>>()
    };
    assert_eq!(keys(&groups), keys(&fresh));
}

// ---------------------------------------------------------------------------
// 4. A file skipped by policy is a warning; a file that cannot be read or
// parsed keeps AFY005's severity (error).

fn afy005_line<'a>(ran: &'a Ran, file: &str) -> &'a str {
    let l: Vec<&str> = ran
        .stdout
        .lines()
        .filter(|l| l.starts_with(&format!("{file}:")) && l.ends_with("[AFY005]"))
        .collect();
    assert_eq!(l.len(), 1, "{file}: {}", ran.stdout);
    l[0]
}

#[cfg(unix)]
#[test]
fn skipped_by_policy_is_a_warning() {
    use std::os::unix::fs::symlink;
    let d = tmpdir("policy");
    std::fs::create_dir_all(d.join("root/.git")).unwrap();
    std::fs::write(d.join("outside"), "FROM alpine\n").unwrap();
    std::fs::write(d.join("root/.git/config"), "[core]\n").unwrap();
    symlink(d.join("outside"), d.join("root/Dockerfile")).unwrap();
    symlink(".git/config", d.join("root/git.Dockerfile")).unwrap();
    symlink("/dev/zero", d.join("root/zero.yaml")).unwrap();
    let fifo = mkfifo(&d.join("root/airflow.cfg"));
    // One file that is checked, so that the run is not "no file checked".
    std::fs::write(d.join("root/.dockerignore"), "*.md\n").unwrap();
    let root = d.join("root");

    let ran = afcheck_in(&root, &["."]);
    let mut policy = vec![
        ("Dockerfile", "outside the scanned directory"),
        ("git.Dockerfile", "`.git`"),
        ("zero.yaml", "a device"),
    ];
    if fifo {
        policy.push(("airflow.cfg", "FIFO"));
    }
    for (f, why) in &policy {
        let l = afy005_line(&ran, f);
        assert!(l.contains(": warning: ") && l.contains(why), "{l}");
    }
    // Nothing at error: the default gate passes...
    assert_eq!(ran.code, Some(0), "{}{}", ran.stdout, ran.stderr);
    // ... a stricter one still fails on them.
    let ran = afcheck_in(&root, &["--fail-on", "warning", "."]);
    assert_eq!(ran.code, Some(1), "{}{}", ran.stdout, ran.stderr);
    // Named explicitly and skipped: a warning, and no file was checked at
    // all, so the run is a usage error (exit 2), never a silent pass.
    let ran = afcheck_in(&root, &["Dockerfile"]);
    assert!(afy005_line(&ran, "Dockerfile").contains(": warning: "));
    assert_eq!(ran.code, Some(2), "{}{}", ran.stdout, ran.stderr);
    // Followed on request: read and checked.
    let ran = afcheck_in(&root, &["--follow-symlinks", "Dockerfile"]);
    assert!(!ran.stdout.contains("[AFY005]"), "{}", ran.stdout);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn unreadable_files_stay_errors() {
    let d = tmpdir("unreadable");
    // Binary, not UTF-8, over the size limit: afcheck tried and could not.
    std::fs::write(d.join("bin.yaml"), b"apiVersion: v1\0\0\0kind: Pod\n").unwrap();
    std::fs::write(d.join("latin1.yaml"), b"name: caf\xe9\n").unwrap();
    std::fs::write(d.join("big.yaml"), "a: b\n".repeat(300)).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("missing-target", d.join("dangling.yaml")).unwrap();
    let ran = afcheck_in(&d, &["--max-file-size", "1000", "."]);
    let mut files = vec!["bin.yaml", "latin1.yaml", "big.yaml"];
    if cfg!(unix) {
        files.push("dangling.yaml");
    }
    for f in files {
        let l = afy005_line(&ran, f);
        assert!(l.contains(": error: "), "{l}");
    }
    assert_eq!(ran.code, Some(1), "{}{}", ran.stdout, ran.stderr);
    let _ = std::fs::remove_dir_all(&d);
}
