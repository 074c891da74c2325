//! A run keeps summaries, not documents: the text of a file survives only
//! where a finding (or a related location) shows it, and reporters get it
//! back byte for byte.

use afcheck::engine::{self, Input, Options};

fn input(name: &str, text: &str) -> Input {
    Input::Text {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

const CLEAN: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\ndata:\n  a: b\n";
const POD: &str = "\u{feff}apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: web\r\n  namespace: apps\r\nspec:\r\n  containers:\r\n    - name: web\r\n      image: nginx\r\n";

#[test]
fn text_is_kept_only_for_files_a_finding_shows() {
    let run = engine::run(
        &[input("k8s/clean.yaml", CLEAN), input("k8s/pod.yaml", POD)],
        &Options::default(),
    );
    assert_eq!(run.files.len(), 2);
    let shown: Vec<bool> = run.files.iter().map(|f| f.has_source()).collect();
    assert!(
        run.findings.iter().all(|f| f.file == 1),
        "{:?}",
        run.findings
    );
    assert!(!run.findings.is_empty());
    assert_eq!(shown, [false, true]);
    // The reporters get the text back as it was parsed (BOM stripped, CRLF
    // kept), and the library API too.
    let src = run.source(1).expect("text of the file with findings");
    assert_eq!(&*src.text, POD.trim_start_matches('\u{feff}'));
    assert_eq!(
        run.file(1).text.as_ref(),
        POD.trim_start_matches('\u{feff}')
    );
    assert!(
        run.source(0).is_none(),
        "a file no finding shows keeps no text"
    );
    // The summary still says what the file held.
    assert_eq!(run.files[0].objects.len(), 1);
    assert_eq!(run.files[0].objects[0].kind, "ConfigMap");
}

#[test]
fn a_project_finding_in_a_file_without_own_findings_is_shown() {
    // A workload-free namespace gets nothing; the Pod's namespace gets the
    // default-deny finding (a project rule) at the Pod, whose own rules are
    // switched off here.
    let opts = Options {
        select: vec!["AFK026".into()],
        ..Options::default()
    };
    let run = engine::run(
        &[input("k8s/clean.yaml", CLEAN), input("k8s/pod.yaml", POD)],
        &opts,
    );
    let f = run
        .findings
        .iter()
        .find(|f| f.rule == "AFK026")
        .expect("AFK026 on the Pod's namespace");
    let src = run.source(f.file).expect("text for the project finding");
    assert_eq!(src.slice(f.span), "web");
    let json = afcheck::report::to_string(
        &run,
        afcheck::report::Format::Json,
        &afcheck::report::ReportOptions::default(),
    );
    assert!(json.contains("\"AFK026\""), "{json}");
}

#[test]
fn a_secret_in_a_file_no_finding_shows_is_still_masked_elsewhere() {
    // A Secret's value is secret by its place; the file has no finding of
    // its own, so its text is not kept, yet the run's redaction still
    // masks the value in any text (a message of another file quoting it).
    let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: apps\nstringData:\n  token: Zq8vR2mK9xW4pL7nT3bY\n";
    let run = engine::run(
        &[input("k8s/secret.yaml", secret), input("k8s/pod.yaml", POD)],
        &Options::default(),
    );
    assert!(
        run.findings.iter().all(|f| f.file != 0),
        "{:?}",
        run.findings
    );
    assert!(!run.files[0].has_source());
    let red = afcheck::report::redact::Redactor::new(&run);
    assert_eq!(
        red.text("quoted Zq8vR2mK9xW4pL7nT3bY here"),
        "quoted Zq8v**** here"
    );
}

/// A walked file (`Input::File`, not named on the command line).
fn walked(dir: &std::path::Path, name: &str, text: &str) -> Input {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    Input::File {
        display: path.to_string_lossy().into_owned(),
        path,
        explicit: false,
    }
}

fn scratch(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("afcheck-reread-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_walked_file_keeps_no_text_and_is_read_again_for_the_reporters() {
    let dir = scratch("same");
    let run = engine::run(
        &[
            walked(&dir, "k8s/pod.yaml", POD),
            walked(&dir, "k8s/clean.yaml", CLEAN),
        ],
        &Options::default(),
    );
    let pod = run
        .files
        .iter()
        .position(|f| f.file.path.ends_with("pod.yaml"))
        .unwrap() as u32;
    // Nothing of the text is held in memory...
    assert!(run.files.iter().all(|f| !f.has_text()));
    assert!(!run.findings.is_empty());
    // ...and the reporters get it back from disk, as it was checked (BOM
    // stripped, CRLF kept).
    let src = run.source(pod).expect("text of the file with findings");
    assert_eq!(&*src.text, POD.trim_start_matches('\u{feff}'));
    assert!(!run.files[pod as usize].changed());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_walked_file_that_changed_since_it_was_checked_shows_no_text() {
    let dir = scratch("changed");
    let secret = "AKIAQWERTYUIOPASDFGH";
    let run = engine::run(&[walked(&dir, "k8s/pod.yaml", POD)], &Options::default());
    assert!(!run.findings.is_empty());
    // Someone rewrites the file between the check and the report: the new
    // text (which no rule checked) is never shown; the findings stay, at
    // the start of the file, and the file is marked.
    std::fs::write(dir.join("k8s/pod.yaml"), format!("{POD}# {secret}\n")).unwrap();
    let src = run.source(0).expect("the file is still reported");
    assert_eq!(&*src.text, "");
    assert!(run.files[0].changed());
    let out = afcheck::report::to_string(
        &run,
        afcheck::report::Format::Json,
        &afcheck::report::ReportOptions::default(),
    );
    assert!(!out.contains(secret), "{out}");
    assert!(out.contains("pod.yaml"));
    assert_eq!(
        out.matches("\"rule\":").count(),
        run.findings.len(),
        "every finding is still reported"
    );
    // A file that is gone is the same.
    std::fs::remove_file(dir.join("k8s/pod.yaml")).unwrap();
    let run = engine::run(&[walked(&dir, "k8s/pod.yaml", POD)], &Options::default());
    std::fs::remove_file(dir.join("k8s/pod.yaml")).unwrap();
    assert_eq!(&*run.source(0).unwrap().text, "");
    assert!(run.files[0].changed());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A hostile file makes at most `MAX_KEPT_PER_RULE` findings of one rule
/// (plus one that counts the rest), so memory does not follow the number
/// of findings; the secret spans of the findings not kept are still kept.
#[test]
fn findings_of_one_rule_in_one_file_are_capped_in_the_engine() {
    let cap = afcheck::rules::MAX_KEPT_PER_RULE;
    let n = cap + 200;
    let mut df = String::from("FROM python:3.12\n");
    // Distinct random-looking GitHub tokens (`ghp_` and 36 characters).
    let token = |i: usize| {
        let abc = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut x = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut t = String::from("ghp_");
        for _ in 0..36 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            t.push(abc[(x % 62) as usize] as char);
        }
        t
    };
    for i in 0..n {
        df.push_str(&format!("ENV GH_TOKEN_{i}={}\n", token(i)));
    }
    let run = engine::run(&[input("Dockerfile", &df)], &Options::default());
    let mut by_rule: std::collections::BTreeMap<&str, Vec<&afcheck::finding::Finding>> =
        Default::default();
    for f in &run.findings {
        by_rule.entry(f.rule).or_default().push(f);
    }
    let (rule, list) = by_rule
        .iter()
        .find(|(_, l)| l.len() > 100)
        .unwrap_or_else(|| {
            panic!(
                "a rule fires on every line: {:?}",
                by_rule
                    .iter()
                    .map(|(r, l)| (r, l.len()))
                    .collect::<Vec<_>>()
            )
        });
    assert_eq!(list.len(), cap + 1, "{rule}");
    let last = list
        .iter()
        .find(|f| f.more > 0)
        .expect("a counting finding");
    assert_eq!(last.more as usize, n - cap, "{}", last.message);
    assert!(
        last.message
            .starts_with(&format!("200 more {rule} findings in this file not kept"))
    );
    // Every token is still known as a secret, kept finding or not.
    let text = df.as_str();
    for i in [0, cap - 1, cap, n - 1] {
        let at = text.find(&token(i)).unwrap();
        assert!(
            run.files[0]
                .sensitive
                .iter()
                .any(|s| s.start() <= at && at < s.end()),
            "token {i} is not marked secret"
        );
    }
}
