//! `--fix`, `--unsafe-fixes` and `--diff` through the binary: what is
//! written (and what never is), line endings, byte-order marks, tabs and
//! permissions kept, standard input, the reports' edits and counts, and
//! the configuration keys.

mod run_support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use run_support::tmpdir;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn afcheck(dir: &Path, args: &[&str], stdin: Option<&str>) -> Out {
    let mut child = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).unwrap();
    }
    drop(input);
    let o = child.wait_with_output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

const DOCKERFILE: &str = "FROM alpine:3.20\nMAINTAINER Jane <jane@example.com>\n";
const FIXED: &str =
    "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane <jane@example.com>\"\n";

/// `--no-config --select AFD019` and `args`.
fn only_afd019<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--no-config", "--select", "AFD019"];
    v.extend_from_slice(args);
    v
}

#[test]
fn diff_prints_the_fix_writes_nothing_and_exits_1_only_when_there_is_one() {
    let d = tmpdir("fixcli", "diff");
    std::fs::write(d.join("Dockerfile"), DOCKERFILE).unwrap();
    let o = afcheck(&d, &only_afd019(&["--diff", "."]), None);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stdout
            .starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n")
    );
    assert!(o.stdout.contains("\n-MAINTAINER Jane <jane@example.com>\n"));
    assert!(
        o.stdout
            .contains("\n+LABEL org.opencontainers.image.authors=\"Jane <jane@example.com>\"\n")
    );
    assert!(
        o.stderr.contains("1 finding would be fixed in 1 file"),
        "{}",
        o.stderr
    );
    assert_eq!(
        std::fs::read_to_string(d.join("Dockerfile")).unwrap(),
        DOCKERFILE
    );
    // Nothing to fix: no diff, exit 0 (whatever else is found).
    std::fs::write(d.join("Dockerfile"), FIXED).unwrap();
    let o = afcheck(&d, &["--no-config", "--diff", "."], None);
    assert_eq!((o.code, o.stdout.as_str()), (0, ""), "{}", o.stderr);
}

#[test]
fn fix_writes_the_file_and_reports_what_remains() {
    let d = tmpdir("fixcli", "fix");
    std::fs::write(d.join("Dockerfile"), DOCKERFILE).unwrap();
    // Before: the finding is marked fixable and the summary counts it.
    let o = afcheck(
        &d,
        &only_afd019(&["--format", "terminal", "--fail-on", "note", "."]),
        None,
    );
    assert_eq!(o.code, 1);
    assert!(
        o.stdout.contains("AFD019 maintainer-deprecated [*]"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("1 finding fixable with `--fix` ([*])"),
        "{}",
        o.stdout
    );
    let o = afcheck(
        &d,
        &only_afd019(&["--fix", "--format", "terminal", "--fail-on", "note", "."]),
        None,
    );
    assert_eq!(o.code, 0, "nothing remains: {}{}", o.stdout, o.stderr);
    assert_eq!(
        std::fs::read_to_string(d.join("Dockerfile")).unwrap(),
        FIXED
    );
    assert!(!o.stdout.contains("AFD019 maintainer"), "{}", o.stdout);
    assert!(
        o.stdout.contains("fixed 1 finding in 1 file"),
        "{}",
        o.stdout
    );
    // Compact output has no summary: it goes to standard error.
    std::fs::write(d.join("Dockerfile"), DOCKERFILE).unwrap();
    let o = afcheck(
        &d,
        &only_afd019(&["--fix", "--format", "compact", "."]),
        None,
    );
    assert_eq!(o.stdout, "");
    assert!(
        o.stderr.contains("afcheck: fixed 1 finding in 1 file"),
        "{}",
        o.stderr
    );
    // A second run changes nothing.
    let o = afcheck(&d, &only_afd019(&["--diff", "."]), None);
    assert_eq!((o.code, o.stdout.as_str()), (0, ""));
}

#[test]
fn line_endings_byte_order_mark_tabs_and_permissions_are_kept() {
    let d = tmpdir("fixcli", "keep");
    let crlf = "FROM alpine:3.20\r\n# a comment\r\nMAINTAINER Jane\r\nUSER 1000\r\n";
    let bom = "\u{feff}FROM alpine:3.20\nMAINTAINER Jane\n";
    let tabs = "FROM alpine:3.20\n\tMAINTAINER\tJane\t<j@x>\n";
    std::fs::write(d.join("crlf.Dockerfile"), crlf).unwrap();
    std::fs::write(d.join("bom.Dockerfile"), bom).unwrap();
    std::fs::write(d.join("tabs.Dockerfile"), tabs).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = std::fs::Permissions::from_mode(0o750);
        std::fs::set_permissions(d.join("tabs.Dockerfile"), p).unwrap();
    }
    let o = afcheck(&d, &only_afd019(&["--fix", "."]), None);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let label = "LABEL org.opencontainers.image.authors=\"Jane\"";
    assert_eq!(
        std::fs::read_to_string(d.join("crlf.Dockerfile")).unwrap(),
        format!("FROM alpine:3.20\r\n# a comment\r\n{label}\r\nUSER 1000\r\n")
    );
    assert_eq!(
        std::fs::read(d.join("bom.Dockerfile")).unwrap(),
        format!("\u{feff}FROM alpine:3.20\n{label}\n").into_bytes()
    );
    assert_eq!(
        std::fs::read_to_string(d.join("tabs.Dockerfile")).unwrap(),
        "FROM alpine:3.20\n\tLABEL\torg.opencontainers.image.authors=\"Jane\t<j@x>\"\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let m = std::fs::metadata(d.join("tabs.Dockerfile")).unwrap();
        assert_eq!(m.permissions().mode() & 0o777, 0o750);
    }
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn standard_input_fixed_text_on_stdout_report_on_stderr() {
    let d = tmpdir("fixcli", "stdin");
    let args = only_afd019(&[
        "--fix",
        "--format",
        "compact",
        "--stdin-filename",
        "Dockerfile",
        "-",
    ]);
    let o = afcheck(&d, &args, Some(DOCKERFILE));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, FIXED);
    assert!(o.stderr.contains("fixed 1 finding"), "{}", o.stderr);
    // Nothing to fix: the text unchanged, the findings on standard error.
    let args = [
        "--no-config",
        "--fix",
        "--format",
        "compact",
        "--stdin-filename",
        "Dockerfile",
        "-",
    ];
    let o = afcheck(&d, &args, Some("FROM alpine:latest\n"));
    assert_eq!(o.stdout, "FROM alpine:latest\n");
    assert!(o.stderr.contains("[AFD001]"), "{}", o.stderr);
}

#[cfg(unix)]
#[test]
fn never_written_through_a_link_out_of_the_root_nor_into_a_fifo() {
    let base = tmpdir("fixcli", "links");
    let outside = base.join("outside");
    let root = base.join("root");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(outside.join("Dockerfile"), DOCKERFILE).unwrap();
    std::os::unix::fs::symlink(outside.join("Dockerfile"), root.join("Dockerfile")).unwrap();
    // A link inside the root: its target is fixed, the link stays a link.
    std::fs::write(root.join("real.Dockerfile"), DOCKERFILE).unwrap();
    std::os::unix::fs::symlink("real.Dockerfile", root.join("alias.Dockerfile")).unwrap();
    let o = afcheck(
        &root,
        &only_afd019(&["--fix", "--follow-symlinks", "."]),
        None,
    );
    assert!(
        o.stderr.contains(
            "not fixed: Dockerfile: symbolic link to a target outside the scanned directory"
        ),
        "{}",
        o.stderr
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("Dockerfile")).unwrap(),
        DOCKERFILE,
        "the file outside the root is untouched"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("real.Dockerfile")).unwrap(),
        FIXED
    );
    assert!(
        std::fs::symlink_metadata(root.join("alias.Dockerfile"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // Two names of one file: fixed once, under the first name.
    assert!(
        o.stderr
            .contains("not fixed: real.Dockerfile: the same file as alias.Dockerfile"),
        "{}",
        o.stderr
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    // The finding that was not fixed is still reported; the other name of
    // the fixed file is read again: nothing remains there.
    assert!(
        o.stdout.contains("Dockerfile:2:1: note: MAINTAINER"),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains("real.Dockerfile"), "{}", o.stdout);

    // A FIFO with a Dockerfile's name: not read, not written, no hang.
    let fifo_dir = tmpdir("fixcli", "fifo");
    let fifo = fifo_dir.join("Dockerfile");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    std::fs::write(fifo_dir.join("b.Dockerfile"), DOCKERFILE).unwrap();
    let r = run_support::afcheck_in(
        &fifo_dir,
        &["--select", "AFD019,AFY005", "--fix", "."],
        Duration::from_secs(60),
    );
    assert!(r.stdout.contains("named pipe"), "{}", r.stdout);
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo_like()
    );
    assert_eq!(
        std::fs::read_to_string(fifo_dir.join("b.Dockerfile")).unwrap(),
        FIXED
    );
}

#[cfg(unix)]
trait FifoLike {
    fn is_fifo_like(&self) -> bool;
}

#[cfg(unix)]
impl FifoLike for std::fs::FileType {
    fn is_fifo_like(&self) -> bool {
        std::os::unix::fs::FileTypeExt::is_fifo(self)
    }
}

#[test]
fn configuration_keys_and_no_fix() {
    let d = tmpdir("fixcli", "config");
    std::fs::write(d.join("Dockerfile"), DOCKERFILE).unwrap();
    std::fs::write(d.join(".afcheck.yaml"), "fix: true\nselect: [AFD019]\n").unwrap();
    let o = afcheck(&d, &["--no-fix", "."], None);
    assert_eq!(
        std::fs::read_to_string(d.join("Dockerfile")).unwrap(),
        DOCKERFILE
    );
    assert_eq!(o.code, 0);
    let o = afcheck(&d, &["."], None);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(d.join("Dockerfile")).unwrap(),
        FIXED
    );
    std::fs::write(d.join(".afcheck.yaml"), "fix: yes please\n").unwrap();
    let o = afcheck(&d, &["."], None);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("`fix` must be true or false"),
        "{}",
        o.stderr
    );
    std::fs::write(d.join(".afcheck.yaml"), "unsafe-fixes: 1\n").unwrap();
    let o = afcheck(&d, &["."], None);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("`unsafe-fixes` must be true or false"),
        "{}",
        o.stderr
    );
}

#[test]
fn json_and_sarif_carry_the_edits() {
    let d = tmpdir("fixcli", "json");
    std::fs::write(d.join("Dockerfile"), DOCKERFILE).unwrap();
    let o = afcheck(&d, &["--no-config", "--format", "json", "."], None);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["summary"]["fixable"], 1);
    assert!(v["summary"].get("fixableUnsafe").is_none());
    assert!(v["summary"].get("fixed").is_none(), "only in a --fix run");
    let findings = v["findings"].as_array().unwrap();
    let f = findings.iter().find(|f| f["rule"] == "AFD019").unwrap();
    let fix = &f["autofix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["edits"][0]["start"]["line"], 2);
    assert_eq!(fix["edits"][0]["start"]["column"], 1);
    assert_eq!(fix["edits"][0]["start"]["offset"], 17);
    assert_eq!(fix["edits"][0]["end"]["offset"], 27);
    assert_eq!(fix["edits"][0]["content"], "LABEL");
    assert_eq!(
        fix["edits"][1]["content"],
        "org.opencontainers.image.authors=\"Jane <jane@example.com>\""
    );
    // Findings without a fix keep their keys as before.
    let other = findings.iter().find(|f| f["rule"] == "AFD002").unwrap();
    assert!(other.get("autofix").is_none());
    let mut keys: Vec<&str> = other
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "category",
            "docs",
            "end",
            "fingerprint",
            "fix",
            "message",
            "name",
            "path",
            "related",
            "rule",
            "severity",
            "start"
        ]
    );

    let o = afcheck(&d, &["--no-config", "--format", "sarif", "."], None);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let r = results.iter().find(|r| r["ruleId"] == "AFD019").unwrap();
    let change = &r["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "Dockerfile");
    let rep = &change["replacements"][0];
    assert_eq!(rep["deletedRegion"]["startLine"], 2);
    assert_eq!(rep["deletedRegion"]["startColumn"], 1);
    assert_eq!(rep["deletedRegion"]["endColumn"], 11);
    assert_eq!(rep["insertedContent"]["text"], "LABEL");
    let other = results.iter().find(|r| r["ruleId"] == "AFD002").unwrap();
    assert!(other.get("fixes").is_none());
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let afd019 = rules.iter().find(|r| r["id"] == "AFD019").unwrap();
    assert_eq!(afd019["properties"]["fixable"], "safe");

    // After --fix, the JSON summary says how many were fixed.
    let o = afcheck(&d, &["--no-config", "--fix", "--format", "json", "."], None);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["summary"]["fixed"], 1);
    assert!(v["summary"].get("fixable").is_none());
}

#[test]
fn edits_never_show_a_secret() {
    let d = tmpdir("fixcli", "secret");
    let secret = "s3cr3tP4ssw0rdXyz";
    let text = format!("FROM alpine:3.20\nMAINTAINER https://jane:{secret}@git.example.com/jane\n");
    std::fs::write(d.join("Dockerfile"), &text).unwrap();
    let o = afcheck(&d, &["--no-config", "--format", "json", "."], None);
    assert!(!o.stdout.contains(secret), "{}", o.stdout);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "AFD019")
        .unwrap();
    assert_eq!(f["autofix"]["withheld"], true);
    assert_eq!(f["autofix"]["edits"], serde_json::json!([]));
    for format in ["sarif", "terminal"] {
        let o = afcheck(&d, &["--no-config", "--format", format, "."], None);
        assert!(!o.stdout.contains(secret), "{format}: {}", o.stdout);
    }
    let o = afcheck(
        &d,
        &["--no-config", "--select", "AFD019", "--diff", "."],
        None,
    );
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("+LABEL"), "{}", o.stdout);
    assert!(!o.stdout.contains(secret), "{}", o.stdout);
    // The file itself is fixed with the real value.
    afcheck(
        &d,
        &["--no-config", "--select", "AFD019", "--fix", "."],
        None,
    );
    assert!(
        std::fs::read_to_string(d.join("Dockerfile"))
            .unwrap()
            .contains(&format!("authors=\"https://jane:{secret}@git"))
    );
}

#[test]
fn diff_and_fix_conflict_with_write_baseline() {
    let d = tmpdir("fixcli", "usage");
    std::fs::write(d.join("Dockerfile"), DOCKERFILE).unwrap();
    let o = afcheck(
        &d,
        &["--no-config", "--fix", "--write-baseline", "b.json", "."],
        None,
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(d.join("Dockerfile")).unwrap(),
        DOCKERFILE
    );
}

fn have_jsonschema() -> bool {
    Command::new("python3")
        .args(["-c", "import jsonschema"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Validates `text` with python3's jsonschema: against the schema file, or
/// SARIF with scripts/validate_sarif.py.
fn validate(dir: &Path, schema: Option<&str>, text: &str) {
    let root = env!("CARGO_MANIFEST_DIR");
    let path = dir.join("report.json");
    std::fs::write(&path, text).unwrap();
    let o = match schema {
        Some(s) => Command::new("python3")
            .args([
                "-c",
                "import json,sys,jsonschema\ns=json.load(open(sys.argv[1]))\nd=json.load(open(sys.argv[2]))\njsonschema.validators.validator_for(s)(s).validate(d)\n",
            ])
            .arg(format!("{root}/docs/schemas/{s}"))
            .arg(&path)
            .output()
            .unwrap(),
        None => Command::new("python3")
            .arg(format!("{root}/scripts/validate_sarif.py"))
            .arg(&path)
            .output()
            .unwrap(),
    };
    assert!(
        o.status.success(),
        "{schema:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/reference/sarif; run scripts/fetch-test-data.sh"
)]
fn reports_with_edits_validate_against_their_schemas() {
    assert!(have_jsonschema(), "python3 with jsonschema is needed");
    let d = tmpdir("fixcli", "schemas");
    std::fs::write(d.join("Dockerfile"), DOCKERFILE).unwrap();
    std::fs::write(
        d.join("b.Dockerfile"),
        "FROM alpine:3.20\nMAINTAINER https://jane:s3cr3tP4ssw0rdXyz@git.example.com\n",
    )
    .unwrap();
    let json = afcheck(&d, &["--no-config", "--format", "json", "."], None);
    assert!(json.stdout.contains("\"withheld\": true"));
    assert!(json.stdout.contains("\"autofix\""));
    validate(&d, Some("report-v1.schema.json"), &json.stdout);
    let sarif = afcheck(&d, &["--no-config", "--format", "sarif", "."], None);
    assert!(sarif.stdout.contains("\"artifactChanges\""));
    validate(&d, None, &sarif.stdout);
    let fixed = afcheck(&d, &["--no-config", "--fix", "--format", "json", "."], None);
    assert!(fixed.stdout.contains("\"fixed\": 2"), "{}", fixed.stdout);
    validate(&d, Some("report-v1.schema.json"), &fixed.stdout);
}

#[test]
fn diff_of_nothing_checked_is_an_error_and_stdin_is_echoed_byte_for_byte() {
    let d = tmpdir("fixcli", "nothing");
    std::fs::create_dir_all(d.join("empty")).unwrap();
    let o = afcheck(&d, &["--no-config", "--diff", "empty"], None);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("no file checked"), "{}", o.stderr);
    // Standard input that is not UTF-8 is not fixed, and comes back as is.
    let mut child = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .current_dir(&d)
        .args([
            "--no-config",
            "--fix",
            "--stdin-filename",
            "Dockerfile",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let bytes = b"FROM alpine:3.20\nMAINTAINER J\xe9r\xf4me\n".to_vec();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.stdout, bytes);
    assert!(String::from_utf8_lossy(&o.stderr).contains("AFY005"));
}

#[test]
fn a_utf16_file_is_checked_but_never_rewritten() {
    let d = tmpdir("fixcli", "utf16");
    let mut bytes = vec![0xFF, 0xFE];
    for u in DOCKERFILE.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(d.join("Dockerfile"), &bytes).unwrap();
    let o = afcheck(&d, &only_afd019(&["--fix", "."]), None);
    assert!(
        o.stdout.contains("Dockerfile:2:1: note: MAINTAINER"),
        "{}",
        o.stdout
    );
    assert!(
        o.stderr
            .contains("not fixed: Dockerfile: its bytes are not the UTF-8 text"),
        "{}",
        o.stderr
    );
    assert_eq!(std::fs::read(d.join("Dockerfile")).unwrap(), bytes);
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let d = tmpdir("fixcli", "readonly");
    let p = d.join("Dockerfile");
    std::fs::write(&p, DOCKERFILE).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = afcheck(&d, &only_afd019(&["--fix", "."]), None);
    assert!(
        o.stderr
            .contains("not fixed: Dockerfile: the file is read-only"),
        "{}",
        o.stderr
    );
    assert_eq!(std::fs::read_to_string(&p).unwrap(), DOCKERFILE);
    assert!(
        o.stdout.contains("Dockerfile:2:1: note: MAINTAINER"),
        "{}",
        o.stdout
    );
}
