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
        .with_fix(format!("Revoke {TOKEN} and use a Secret"))
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
