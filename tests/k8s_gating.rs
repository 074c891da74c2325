//! The default gate: a Pod that breaks baseline Pod Security controls fails
//! `afcheck` (exit 1) at every `--pss` level, each control reported as
//! itself at error severity; the restricted level only adds warnings.

use std::io::Write;
use std::process::{Command, Stdio};

const POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        procMount: Unmasked
        seccompProfile:
          type: Unconfined
        capabilities:
          add: [SYS_ADMIN]
  volumes:
    - name: etc
      hostPath:
        path: /etc
";

fn run(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .args(args)
        .args([
            "--no-config",
            "--format",
            "compact",
            "--stdin-filename",
            "pod.yaml",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(POD.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

fn line_of<'a>(out: &'a str, rule: &str) -> Option<&'a str> {
    out.lines().find(|l| l.contains(rule))
}

#[test]
fn baseline_violations_fail_the_default_gate_at_every_level() {
    for args in [
        &[][..],
        &["--pss", "restricted"][..],
        &["--pss", "baseline"][..],
    ] {
        let (code, out) = run(args);
        assert_eq!(code, Some(1), "{args:?}:\n{out}");
        for rule in ["AFK003", "AFK004", "AFK008", "AFK009"] {
            let l = line_of(&out, rule).unwrap_or_else(|| panic!("{args:?}: no {rule}:\n{out}"));
            assert!(l.contains("error"), "{args:?}: {l}");
        }
        assert!(
            !line_of(&out, "AFK004").unwrap().contains("restricted"),
            "the hostPath message must not tie it to the restricted level"
        );
        // The same problems are never reported a second time as restricted
        // controls.
        for rule in ["AFK013", "AFK019"] {
            assert!(line_of(&out, rule).is_none(), "{args:?}: {rule}:\n{out}");
        }
    }
    let (_, out) = run(&[]);
    // The restricted-only remainder is still reported, as warnings.
    for rule in ["AFK014", "AFK015", "AFK018"] {
        let l = line_of(&out, rule).unwrap_or_else(|| panic!("no {rule}:\n{out}"));
        assert!(l.contains("warning"), "{l}");
    }
    let (_, out) = run(&["--pss", "baseline"]);
    assert!(line_of(&out, "AFK018").is_none(), "{out}");
}

/// A secret value that is part of its variable's name masks the value, never
/// the name, in every output format.
#[test]
fn secret_in_env_masks_the_value_not_the_name() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: x:1\n      env:\n        - name: ADMIN_PASSWORD\n          value: ADMIN\n";
    for format in ["compact", "json", "sarif", "github", "terminal"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_afcheck"))
            .args(["--no-config", "--no-color", "--format", format])
            .args(["--select", "AFK029", "--stdin-filename", "pod.yaml", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(pod.as_bytes())
            .unwrap();
        let out = String::from_utf8_lossy(&child.wait_with_output().unwrap().stdout).into_owned();
        assert!(
            out.contains("ADMIN_PASSWORD"),
            "{format}: name masked:\n{out}"
        );
        assert!(!out.contains("****_PASSWORD"), "{format}:\n{out}");
        assert!(
            !out.contains("value: ADMIN\n"),
            "{format}: value shown:\n{out}"
        );
    }
}
