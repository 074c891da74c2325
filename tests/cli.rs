//! End-to-end tests of the `afcheck` binary: exit codes, inputs, outputs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_afcheck"));
    c.env_remove("NO_COLOR");
    c
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("afcheck-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const FUSED: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: y\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n";

#[test]
fn usage_errors_exit_2_with_one_line_message() {
    let d = tmpdir("usage");
    let o = run_in(&d, &["does-not-exist"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does-not-exist"), "{}", stderr(&o));

    let o = run_in(&d, &["--bogus-flag"]);
    assert_eq!(o.status.code(), Some(2));

    let o = run_in(&d, &["--fail-on", "sometimes", "."]);
    assert_eq!(o.status.code(), Some(2));

    let o = run_in(&d, &["--select", "XYZ999", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("XYZ999"));

    let o = run_in(&d, &["--config", "missing.yaml", "."]);
    assert_eq!(o.status.code(), Some(2));

    std::fs::write(d.join(".afcheck.yaml"), "select: [AFY]\nbogus-key: 1\n").unwrap();
    let o = run_in(&d, &["."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bogus-key"), "{}", stderr(&o));
    assert_eq!(stderr(&o).trim().lines().count(), 1, "{}", stderr(&o));
}

#[test]
fn findings_exit_1_clean_exit_0_and_fail_on() {
    let d = tmpdir("exit");
    std::fs::write(d.join("fused.yaml"), FUSED).unwrap();
    let o = run_in(&d, &["--no-config", "--format", "compact", "."]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("fused.yaml:7:1: error:"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("[AFY002]"));

    let o = run_in(&d, &["--no-config", "--fail-on", "never", "."]);
    assert_eq!(o.status.code(), Some(0));

    let o = run_in(&d, &["--no-config", "--ignore", "AFY002", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    let clean = tmpdir("clean");
    std::fs::write(clean.join("notes.yaml"), "a: 1\n").unwrap();
    let o = run_in(&clean, &["--no-config", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn stdin_with_filename() {
    let mut child = bin()
        .args([
            "--no-config",
            "--format",
            "compact",
            "--stdin-filename",
            "rendered.yaml",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(FUSED.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).starts_with("rendered.yaml:7:1: error:"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn several_outputs_in_one_run() {
    let d = tmpdir("outputs");
    std::fs::write(d.join("fused.yaml"), FUSED).unwrap();
    let o = run_in(
        &d,
        &[
            "--no-config",
            "--format",
            "compact",
            "--sarif-file",
            "out.sarif",
            "--report",
            "json=out.json",
            ".",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("[AFY002]"));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out.json")).unwrap()).unwrap();
    assert!(json.is_object());
}

#[test]
fn bad_inputs_do_not_stop_the_run() {
    let d = tmpdir("bad");
    std::fs::write(d.join("binary.yaml"), b"\x00\x01\x02\x03").unwrap();
    std::fs::write(d.join("latin1.yaml"), b"name: caf\xe9\n").unwrap();
    std::fs::write(d.join("empty.yaml"), b"").unwrap();
    std::fs::write(d.join("fused.yaml"), FUSED).unwrap();
    let deep = "[".repeat(1_000_000);
    std::fs::write(d.join("deep.yaml"), deep).unwrap();
    let mut block = String::new();
    for i in 0..100_000 {
        block.push_str(&" ".repeat(i % 200));
        block.push_str("a:\n");
    }
    std::fs::write(d.join("bomb.yaml"), "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n").unwrap();
    let o = run_in(&d, &["--no-config", "--format", "compact", "."]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(out.contains("binary.yaml:1:1: error: binary file"), "{out}");
    assert!(
        out.contains("latin1.yaml:1:10: error: invalid UTF-8"),
        "{out}"
    );
    assert!(out.contains("deep.yaml:1:"), "{out}");
    assert!(out.contains("fused.yaml:7:1: error:"), "{out}");
    assert!(!out.contains("empty.yaml"), "{out}");
    assert!(!out.contains("bomb.yaml"), "{out}");
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_a_finding_not_a_crash() {
    use std::os::unix::fs::PermissionsExt;
    let d = tmpdir("perm");
    let p = d.join("secret.yaml");
    std::fs::write(&p, "a: 1\n").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::write(d.join("fused.yaml"), FUSED).unwrap();
    let o = run_in(&d, &["--no-config", "--format", "compact", "."]);
    let out = stdout(&o);
    // root can read anything; only check the message when the file really is unreadable.
    if std::fs::read(&p).is_err() {
        assert!(
            out.contains("secret.yaml:1:1: error: cannot read file"),
            "{out}"
        );
    }
    assert!(out.contains("fused.yaml:7:1"), "{out}");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn output_is_deterministic() {
    let root = env!("CARGO_MANIFEST_DIR");
    let a = bin()
        .current_dir(root)
        .args(["--no-config", "--format", "json", "fixtures"])
        .output()
        .unwrap();
    let b = bin()
        .current_dir(root)
        .args(["--no-config", "--format", "json", "fixtures"])
        .output()
        .unwrap();
    assert!(!a.stdout.is_empty());
    assert_eq!(a.stdout, b.stdout);
    let a = bin()
        .current_dir(root)
        .args(["--no-config", "--format", "sarif", "fixtures"])
        .output()
        .unwrap();
    let b = bin()
        .current_dir(root)
        .args(["--no-config", "--format", "sarif", "fixtures"])
        .output()
        .unwrap();
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn rules_and_explain() {
    let o = bin().args(["rules"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("AFY002"));
    let o = bin().args(["rules", "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = v
        .as_array()
        .or_else(|| v["rules"].as_array())
        .expect("rule list");
    assert!(list.iter().any(|r| r["id"] == "AFY002"));
    let o = bin().args(["explain", "afy002"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("duplicate"), "{}", stdout(&o));
    let o = bin().args(["explain", "duplicate-key"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let o = bin().args(["explain", "AFX999"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn config_file_is_discovered_upward_and_applied() {
    let d = tmpdir("cfg");
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::fs::write(d.join(".afcheck.yaml"), "ignore: [AFY002]\n").unwrap();
    std::fs::write(d.join("sub/fused.yaml"), FUSED).unwrap();
    let o = run_in(&d.join("sub"), &["."]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    std::fs::write(d.join(".afcheck.yaml"), "severity:\n  AFY002: warning\n").unwrap();
    let o = run_in(&d.join("sub"), &["--format", "compact", "."]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("warning:"), "{}", stdout(&o));
    let o = run_in(
        &d.join("sub"),
        &["--format", "compact", "--fail-on", "warning", "."],
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn ignore_files_are_respected() {
    let d = tmpdir("ignores");
    std::fs::create_dir_all(d.join("vendor")).unwrap();
    std::fs::create_dir_all(d.join(".git")).unwrap();
    std::fs::write(d.join("vendor/fused.yaml"), FUSED).unwrap();
    std::fs::write(d.join(".git/fused.yaml"), FUSED).unwrap();
    std::fs::write(d.join(".afcheckignore"), "vendor/\n").unwrap();
    // One clean file, so the run checks something (a run that checks
    // nothing among paths named explicitly exits 2).
    std::fs::write(d.join("clean.yaml"), "a: 1\n").unwrap();
    let o = run_in(&d, &["--no-config", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}
