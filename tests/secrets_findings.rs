//! Properties of every AFS finding over the secret fixtures: the span is
//! the secret and is marked with `with_secret`, messages and fix hints show
//! only the masked value, and one credential gives one finding.

use std::path::PathBuf;

use afcheck::engine::{self, Input, Options};
use afcheck::report::redact::mask;
use afcheck::source::Span;

fn run_paths(paths: &[PathBuf]) -> engine::Run {
    let opts = Options {
        select: vec!["AFS".into()],
        ..Options::default()
    };
    let inputs = engine::discover(paths, &opts).unwrap();
    engine::run(&inputs, &opts)
}

fn fail_dirs() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/secrets");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path().join("fail"))
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

#[test]
fn findings_mark_and_mask_the_secret() {
    let run = run_paths(&fail_dirs());
    let afs: Vec<_> = run
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("AFS"))
        .collect();
    assert!(
        afs.len() >= 30,
        "only {} AFS findings on the fail fixtures",
        afs.len()
    );
    for f in &afs {
        let file = run.file(f.file);
        assert_eq!(f.secrets, vec![f.span], "{}: {}", file.path, f.message);
        let secret = file.slice(f.span);
        assert!(
            !secret.trim().is_empty(),
            "{}: empty secret span",
            file.path
        );
        assert_eq!(
            secret,
            secret.trim(),
            "{}: the span has no surrounding blanks",
            file.path
        );
        for q in ['"', '\''] {
            assert!(
                !secret.starts_with(q) || secret.len() < 2,
                "{}: quotes are not part of the secret",
                file.path
            );
        }
        assert!(
            f.message.contains(&format!("`{}`", mask(secret))),
            "{}",
            f.message
        );
        let fix = f.help.as_deref().unwrap_or("");
        // (A lower-case word such as the seed's `password` may occur in the
        // message's own wording or key name; anything else must not.)
        if secret.len() >= 6 && !secret.bytes().all(|b| b.is_ascii_lowercase()) {
            assert!(
                !f.message.contains(secret),
                "{}: message shows the secret",
                file.path
            );
            assert!(!fix.contains(secret), "{}: fix shows the secret", file.path);
        }
    }
    // One credential, one finding: no two AFS findings overlap.
    for (i, a) in afs.iter().enumerate() {
        for b in &afs[i + 1..] {
            let overlap =
                a.file == b.file && a.span.start < b.span.end && b.span.start < a.span.end;
            assert!(
                !overlap,
                "{} and {} overlap in {}",
                a.rule,
                b.rule,
                run.file(a.file).path
            );
        }
    }
}

#[test]
fn pass_fixtures_have_no_findings_of_their_rule() {
    // (tests/fixtures.rs checks each folder's rule; here: none of the
    // key-based rules fires on the near-miss files of AFS005 and AFS007.)
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/secrets");
    let paths: Vec<PathBuf> = ["AFS005", "AFS007"]
        .iter()
        .map(|r| root.join(r).join("pass"))
        .collect();
    let run = run_paths(&paths);
    let found: Vec<String> = run
        .findings
        .iter()
        .filter(|f| matches!(f.rule, "AFS005" | "AFS006" | "AFS007"))
        .map(|f| {
            format!(
                "{} {}:{}",
                f.rule,
                run.file(f.file).path,
                run.file(f.file).position(f.span.start()).line
            )
        })
        .collect();
    assert!(found.is_empty(), "{found:?}");
}

fn run_text_with(name: &str, text: &str, opts: &Options) -> engine::Run {
    let inputs = vec![Input::Text {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }];
    engine::run(&inputs, opts)
}

fn run_text(name: &str, text: &str) -> engine::Run {
    run_text_with(name, text, &Options::default())
}

/// The domain rule for env values (AFK029) reports the value node's span;
/// the AFS span lies inside it, whatever the quoting, so the engine keeps
/// one finding per credential: AFK029's. Without AFK029, AFS005 reports it.
#[test]
fn env_value_is_one_finding() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      env:\n        - name: DB_PASSWORD\n          value: \"hunter2-q\"\n        - name: API_PASSWORD\n          value: 'k9-pass-x'\n";
    let all = run_text("pod.yaml", text);
    let domain: Vec<Span> = all
        .findings
        .iter()
        .filter(|f| f.rule == "AFK029")
        .map(|f| f.span)
        .collect();
    assert!(
        all.findings.iter().all(|f| f.rule != "AFS005"),
        "{:?}",
        all.findings
    );
    let opts = Options {
        ignore: vec!["AFK029".into()],
        ..Options::default()
    };
    let run = run_text_with("pod.yaml", text, &opts);
    let afs: Vec<_> = run.findings.iter().filter(|f| f.rule == "AFS005").collect();
    assert_eq!(afs.len(), 2, "{:?}", run.findings);
    // The document's tree (a run keeps only the summary).
    let doc = afcheck::document::build(
        "pod.yaml".into(),
        text,
        std::path::Path::new("pod.yaml"),
        afcheck::classify::by_name(std::path::Path::new("pod.yaml")),
        None,
    )
    .unwrap();
    let stream = &doc.yaml().unwrap().stream;
    let env = stream
        .node(stream.docs[0].root.unwrap())
        .path(&["spec", "containers"])
        .unwrap();
    let c = env.items().next().unwrap();
    let values: Vec<Span> = c
        .get("env")
        .unwrap()
        .items()
        .map(|e| e.get("value").unwrap().span())
        .collect();
    for (finding, node) in afs.iter().zip(&values) {
        assert!(
            node.contains(finding.span),
            "{:?} not inside {:?}",
            finding.span,
            node
        );
        assert_eq!(run.file(finding.file).slice(finding.span).len(), 9);
    }
    if !domain.is_empty() {
        assert_eq!(domain, values, "AFK029 reports the value nodes");
    }
}

#[test]
fn block_scalar_offsets_map_to_the_file() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  app.ini: |\n    [db]\n    user = app\n    password = Tr1cky-pw\n";
    let run = run_text("cm.yaml", text);
    let f: Vec<_> = run.findings.iter().filter(|f| f.rule == "AFS005").collect();
    assert_eq!(f.len(), 1);
    assert_eq!(run.file(f[0].file).slice(f[0].span), "Tr1cky-pw");
    assert_eq!(run.file(f[0].file).position(f[0].span.start()).line, 9);
}

/// A value with escapes cannot be mapped character by character: the
/// secret span is then where the value is written verbatim (once) in the
/// scalar, else the whole scalar, never a single byte.
#[test]
fn escaped_values_mask_the_whole_scalar() {
    let text = "app.yaml:\n  db:\n    password: \"p\\u0061ss-w0rd-\\t-x\"\n    note: \"line1\\npassword: S3cond-pw\\n\"\n";
    let text = &text["app.yaml:\n".len()..];
    let run = run_text("app.yaml", text);
    let f: Vec<_> = run.findings.iter().filter(|f| f.rule == "AFS005").collect();
    assert_eq!(f.len(), 2, "{:?}", run.findings);
    let src = run.file(f[0].file);
    assert_eq!(src.slice(f[0].secrets[0]), "\"p\\u0061ss-w0rd-\\t-x\"");
    // The second value is written as it is inside its escaped string: only
    // it is masked, not the other keys of the string.
    assert_eq!(src.slice(f[1].secrets[0]), "S3cond-pw");
}

#[test]
fn secret_data_is_skipped_but_configmaps_are_not() {
    let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2-real\n  url: postgres://u:pw-x1@db/x\n";
    let run = run_text("s.yaml", secret);
    assert!(
        run.findings.iter().all(|f| !f.rule.starts_with("AFS")),
        "{:?}",
        run.findings
    );
    let cm = secret
        .replace("kind: Secret", "kind: ConfigMap")
        .replace("stringData", "data");
    let run = run_text("c.yaml", &cm);
    let rules: Vec<&str> = run
        .findings
        .iter()
        .map(|f| f.rule)
        .filter(|r| r.starts_with("AFS"))
        .collect();
    assert_eq!(rules, vec!["AFS005", "AFS006"]);
}

#[test]
fn bad_input_never_panics() {
    for text in [
        "password: \u{0}\u{1}",
        "-----BEGIN RSA PRIVATE KEY-----",
        "-----BEGIN ",
        "x: \"AKIA",
        "u: ://@",
        "u: a://:@",
        "k: \"service_account\"",
        "\"type\": \"service_account\", \"private_key\": \"",
        "AccountKey=",
        "hooks.slack.com/services/",
        "discord.com/api/webhooks/12345678901234567/",
        "é: ghp_é\npässword: ü\n",
        "password: |\n  a\n  b\n",
        "- - - password: [x]\n",
    ] {
        for name in ["a.yaml", "Dockerfile", "airflow.cfg", "templates/x.yaml"] {
            let _ = run_text(name, text);
        }
    }
}

/// One placeholder policy for every rule: a value is a placeholder or a
/// credential to all of them (the Airflow rules, AFD016, AFK030 and AFS).
#[test]
fn one_placeholder_policy_across_rules() {
    let run = |name: &str, text: &str| {
        let inputs = vec![Input::Text {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        }];
        let r = engine::run(&inputs, &Options::default());
        let mut ids: Vec<&str> = r
            .findings
            .iter()
            .map(|f| f.rule)
            .filter(|id| {
                matches!(*id, "AFC008" | "AFD016" | "AFK029" | "AFK030") || id.starts_with("AFS")
            })
            .collect();
        ids.sort();
        ids
    };
    for placeholder in [
        "<password>",
        "your-password-here",
        "********",
        "${SMTP_PASSWORD}",
    ] {
        // Dockerfile: neither the Airflow rule, nor AFD016, nor AFS.
        let df = format!(
            "FROM apache/airflow:3.1.0\nENV AIRFLOW__SMTP__SMTP_PASSWORD={placeholder}\nENV DB_PASSWORD={placeholder}\n"
        );
        assert!(run("Dockerfile", &df).is_empty(), "{placeholder}");
        // A Secret's stringData: AFK030 says it is a placeholder.
        let secret = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: \"{placeholder}\"\n"
        );
        assert_eq!(run("secret.yaml", &secret), ["AFK030"], "{placeholder}");
    }
    // A weak but real value is a credential to every rule: exactly one
    // finding per credential (the most specific rule keeps it), and AFK030
    // does not call it a placeholder.
    // (Airflow 2.11 reads [smtp] smtp_password; Airflow 3 does not, and
    // there the generic Dockerfile rule keeps it.)
    let df = "FROM apache/airflow:2.11.2\nENV AIRFLOW__SMTP__SMTP_PASSWORD=changeme\nENV DB_PASSWORD=changeme\n";
    assert_eq!(run("Dockerfile", df), ["AFC008", "AFD016"]);
    let df3 = df.replace("2.11.2", "3.1.0");
    assert_eq!(run("Dockerfile", &df3), ["AFD016", "AFD016"]);
    let secret =
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: changeme\n";
    assert!(!run("secret.yaml", secret).contains(&"AFK030"));
}
