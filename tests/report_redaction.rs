//! No output format, and no baseline, ever shows a secret value.

mod report_support;

use afcheck::finding::Severity;
use afcheck::report::{self, Format, ReportOptions};
use report_support::*;

const TOKEN: &str = "ghp_Zq8XwV3nT6yB1mK4pL7sD9fH2jR5cA0eG3uI";
const PASSWORD: &str = "S3cr3t-P@ssw0rd-do-not-print";

fn planted() -> afcheck::engine::Run {
    let yaml = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  token: {TOKEN}\n  smtp_auth_password: \"{PASSWORD}\"\n  other: x\n"
    );
    let cfg =
        format!("[database]\nsql_alchemy_conn = postgresql://airflow:{PASSWORD}@db/airflow\n");
    let tok = span_of(&yaml, TOKEN, 0);
    let pw = span_of(&yaml, PASSWORD, 0);
    let cfg_pw = span_of(&cfg, PASSWORD, 0);
    let files = vec![file("k8s/cm.yaml", &yaml), file("airflow.cfg", &cfg)];
    let findings = vec![
        // A detector that (wrongly) puts the value in its texts: scrubbed.
        finding(
            "AFS003",
            Severity::Error,
            0,
            tok,
            &format!("GitHub token {TOKEN} in a ConfigMap"),
        )
        .with_secret(tok)
        .with_help(format!("Revoke {TOKEN} and use a Secret"))
        .with_related(0, pw, format!("also here: {TOKEN}")),
        finding(
            "AFS005",
            Severity::Error,
            0,
            span_of(&yaml, "smtp_auth_password", 0).cover(pw),
            "literal password for `smtp_auth_password`",
        )
        .with_secret(pw),
        // Another rule whose snippet shows the secret lines: masked there too.
        finding(
            "AFK031",
            Severity::Warning,
            0,
            span_of(&yaml, "\ndata:", 0),
            "ConfigMap data reviewed",
        )
        .with_related(0, span_of(&yaml, "other: x", 0), "near the secrets"),
        finding("AFS006", Severity::Error, 1, cfg_pw, "credentials in a URI").with_secret(cfg_pw),
    ];
    run(files, findings)
}

fn assert_clean(what: &str, text: &str) {
    for secret in [TOKEN, PASSWORD] {
        // Nothing beyond what the mask keeps (the first 4 characters).
        for w in secret.as_bytes().windows(6).skip(1) {
            let piece = std::str::from_utf8(w).unwrap();
            assert!(
                !text.contains(piece),
                "{what} leaks {piece:?} of a secret:\n{text}"
            );
        }
    }
}

#[test]
fn no_format_prints_a_secret() {
    let run = planted();
    for color in [false, true] {
        for f in Format::ALL {
            let opts = ReportOptions {
                color,
                ..ReportOptions::default()
            };
            let text = report::to_string(&run, f, &opts);
            assert!(!text.is_empty());
            assert_clean(f.as_str(), &text);
        }
    }
    // The terminal snippet still shows the line, with the value masked.
    let term = report::to_string(&run, Format::Terminal, &ReportOptions::default());
    assert!(term.contains("token: ghp_****"), "{term}");
    assert!(term.contains("smtp_auth_password: \"S3cr****\""), "{term}");
    assert!(
        term.contains("postgresql://airflow:S3cr****@db/airflow"),
        "{term}"
    );
    // Messages were scrubbed, not dropped.
    let compact = report::to_string(&run, Format::Compact, &ReportOptions::default());
    assert!(
        compact.contains("GitHub token ghp_**** in a ConfigMap"),
        "{compact}"
    );
}

#[test]
fn baseline_holds_no_secret() {
    let run = planted();
    let text = afcheck::baseline::to_string(&run);
    assert_clean("baseline", &text);
    assert!(text.contains("\"rule\": \"AFS003\""));
}

#[test]
fn rules_listing_and_catalogue_do_not_need_a_run() {
    // Sanity: the catalogue renders with whatever metadata this build has.
    let all = afcheck::rules::meta::all();
    let table = report::catalogue::rules_table(all);
    assert_eq!(table.lines().count(), all.len() + 1);
}

// ---------------------------------------------------------------------------
// Through the engine: one test per class of leak (issue 17, section 1).

use afcheck::engine::{self, Input, Options};

const GHP: &str = "ghp_Zq8XwV3nT6yB1mK4pL7sD9fH2jR5cA0eG3uI";
const PASS: &str = "Zq8XwV3nT6yB1mK4pL7sD9fH2jR5cA0eG3uQ";
const URLPASS: &str = "Sup3rSecretPassw0rd";

fn engine_run(files: &[(&str, String)], opts: &Options) -> afcheck::engine::Run {
    let inputs: Vec<Input> = files
        .iter()
        .map(|(name, text)| Input::Text {
            name: name.to_string(),
            bytes: text.clone().into_bytes(),
        })
        .collect();
    engine::run(&inputs, opts)
}

/// Every format and the baseline of `run`.
fn all_outputs(run: &afcheck::engine::Run) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Format::ALL
        .iter()
        .map(|f| {
            (
                f.as_str().to_string(),
                report::to_string(run, *f, &ReportOptions::default()),
            )
        })
        .collect();
    v.push(("baseline".into(), afcheck::baseline::to_string(run)));
    v
}

fn assert_none_shows(run: &afcheck::engine::Run, secrets: &[&str]) {
    for (what, out) in all_outputs(run) {
        let lower = out.to_ascii_lowercase();
        for s in secrets {
            for w in s.as_bytes().windows(8) {
                let piece = std::str::from_utf8(w).unwrap().to_ascii_lowercase();
                assert!(!lower.contains(&piece), "{what} shows `{piece}`:\n{out}");
            }
        }
    }
}

fn leaky_dockerfile() -> String {
    format!(
        "ARG TAG={GHP}\nFROM python:${{TAG}}\nARG PASS={PASS}\nUSER ${{PASS}}\n\
         ADD https://user:{URLPASS}@files.internal.corp/a.tgz /tmp/\n\
         RUN pip install git+https://{GHP}@github.com/org/lib.git\n{GHP}\n"
    )
}

#[test]
fn other_rules_quoting_source_never_show_a_secret() {
    // ARG values expanded into FROM and USER, a URL password quoted by the
    // ADD rule, a token in a pip URL, a syntax error echoing (upper-cased)
    // a token: every rule's text is masked, not only the detector's.
    let run = engine_run(&[("Dockerfile", leaky_dockerfile())], &Options::default());
    let rules: Vec<&str> = run.findings.iter().map(|f| f.rule).collect();
    for r in ["AFD002", "AFD004", "AFD012", "AFD027"] {
        assert!(rules.contains(&r), "{r} must fire: {rules:?}");
    }
    assert_none_shows(&run, &[GHP, PASS, URLPASS]);
    let compact = report::to_string(&run, Format::Compact, &ReportOptions::default());
    assert!(
        compact.contains("unknown instruction: GHP_****"),
        "{compact}"
    );
    assert!(compact.contains("https://user:Sup3****@files"), "{compact}");
}

#[test]
fn secrets_are_masked_when_their_rule_is_not_selected_or_suppressed() {
    let mut text = leaky_dockerfile();
    text.insert_str(0, "# afcheck ignore-file=AFS003,AFS005,AFS006,AFD016\n");
    let opts = Options {
        select: vec!["AFD0".into()],
        ..Options::default()
    };
    let run = engine_run(&[("Dockerfile", text)], &opts);
    assert!(run.findings.iter().all(|f| f.rule.starts_with("AFD0")));
    assert!(run.findings.iter().any(|f| f.rule == "AFD027"));
    assert_none_shows(&run, &[GHP, PASS, URLPASS]);
}

#[test]
fn values_in_sensitive_positions_are_masked_whatever_they_look_like() {
    // A Secret's stringData, an Airflow sensitive option, a password-like
    // key in a Helm template, URL userinfo: no detector needs to judge the
    // value for it to be masked in every snippet.
    let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  mykey: Qm9v9xLmKwPz\n  other: x\n";
    let cfg = "[webserver]\nsecret_key = k3yK3yk3yK3y\n[core]\nlaod_examples = False\n";
    let tpl = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  api_token: \"Tk9x2Lq7Zp\"\n";
    let run = engine_run(
        &[
            ("secret.yaml", secret.into()),
            ("airflow.cfg", cfg.into()),
            ("templates/cm.yaml", tpl.into()),
        ],
        &Options::default(),
    );
    assert!(!run.findings.is_empty());
    let red = afcheck::report::redact::Redactor::new(&run);
    // A run keeps the text (and a snippet's secret spans) of the files a
    // finding shows; every value is masked in free text all the same.
    let mut shown = 0;
    for (i, (path, text, v)) in [
        ("secret.yaml", secret, "Qm9v9xLmKwPz"),
        ("airflow.cfg", cfg, "k3yK3yk3yK3y"),
        ("templates/cm.yaml", tpl, "Tk9x2Lq7Zp"),
    ]
    .iter()
    .enumerate()
    {
        let idx = run.files.iter().position(|f| f.file.path == *path).unwrap();
        let at = text.find(v).unwrap();
        if run.files[idx].has_source() {
            shown += 1;
            assert_eq!(&run.source(idx as u32).unwrap().text[at..at + v.len()], *v);
            assert!(
                red.spans(idx as u32)
                    .iter()
                    .any(|s| s.start() <= at && at + v.len() <= s.end()),
                "value {i} is not a secret span"
            );
        }
        assert_eq!(
            red.text_in(Some(idx as u32), &format!("x {v} y")),
            "x **** y"
        );
    }
    assert!(
        shown >= 2,
        "the snippets' spans were checked in {shown} file(s)"
    );
    assert_none_shows(&run, &["Qm9v9xLmKwPz", "k3yK3yk3yK3y", "Tk9x2Lq7Zp"]);
}

#[test]
fn a_multi_line_secret_starting_before_the_snippet_is_masked() {
    let key_body: Vec<String> = (0..12)
        .map(|i| format!("MIIEv{i:02}QIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7{i:02}"))
        .collect();
    let yaml = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: k\ndata:\n  key.pem: |\n    -----BEGIN PRIVATE KEY-----\n{}\n    -----END PRIVATE KEY-----\n  mode: x\n",
        key_body
            .iter()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let last = span_of(&yaml, &key_body[11], 0);
    let pem = span_of(&yaml, "-----BEGIN", 0).cover(span_of(&yaml, "KEY-----\n  mode", 0));
    // A finding on the last lines of the key: its snippet starts inside it.
    let files = vec![file("k.yaml", &yaml)];
    let findings = vec![
        finding("AFS001", Severity::Error, 0, pem, "private key block").with_secret(pem),
        finding(
            "AFK031",
            Severity::Warning,
            0,
            last,
            "something on that line",
        ),
    ];
    let run = run(files, findings);
    let term = report::to_string(&run, Format::Terminal, &ReportOptions::default());
    for l in &key_body {
        assert!(!term.contains(&l[..12]), "{term}");
    }
    // Lines are kept (masked one by one), and so is the text around.
    assert!(term.contains("key.pem: |"), "{term}");
    assert!(term.contains(" 19 │ ****"), "{term}");
}

#[test]
fn baseline_fingerprints_do_not_depend_on_the_secret() {
    // Same file, two different secrets: same fingerprints, so a published
    // fingerprint cannot be used to test guesses of the secret.
    let a = engine_run(&[("Dockerfile", leaky_dockerfile())], &Options::default());
    let other = leaky_dockerfile()
        .replace(GHP, "ghp_Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk1Ll2")
        .replace(PASS, "Mm3Nn4Oo5Pp6Qq7Rr8Ss9Tt0Uu1Vv2Ww3Xx4")
        .replace(URLPASS, "0therSecretPassw0rd");
    let b = engine_run(&[("Dockerfile", other)], &Options::default());
    assert_eq!(a.findings.len(), b.findings.len());
    assert_eq!(
        afcheck::baseline::fingerprints(&a),
        afcheck::baseline::fingerprints(&b)
    );
    // A non-secret change still changes them.
    let c = engine_run(
        &[("Dockerfile", leaky_dockerfile().replace("python:", "pypy:"))],
        &Options::default(),
    );
    assert_ne!(
        afcheck::baseline::fingerprints(&a),
        afcheck::baseline::fingerprints(&c)
    );
}
