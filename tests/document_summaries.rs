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
