//! The expectations on the seed guide (fixtures/seed-guide):
//! config-management.yaml gets AFC008 on sql_alchemy_conn, broker_url and
//! result_backend, AFC002 on `[core] sql_alchemy_conn`, AFC001 on rbac;
//! scheduler-optimization.yaml gets AFC001/AFC002 on max_threads,
//! processor_poll_interval and store_serialized_dags; values.yaml's
//! `config:` gets AFC001 on store_serialized_dags. The guide's Dockerfile
//! pins apache/airflow:2.7.0, but no manifest or values file of the guide
//! references it, so it is not their version: the guide is checked with
//! `--airflow-version 2.7.0`, which applies to every source linked to no
//! image (a source's verdict never depends on an unrelated Dockerfile).

use std::collections::BTreeSet;
use std::path::PathBuf;

use afcheck::engine::{Options, discover, run};

#[test]
fn seed_guide_airflow_findings() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed-guide");
    if !dir.is_dir() {
        eprintln!("skipped: no seed guide fixtures");
        return;
    }
    let mut opts = Options::default();
    opts.settings.airflow_version = Some("2.7.0".into());
    let inputs = discover(std::slice::from_ref(&dir), &opts).expect("discover");
    let r = run(&inputs, &opts);
    let mut got = BTreeSet::new();
    for f in &r.findings {
        if !matches!(f.rule, "AFC001" | "AFC002" | "AFC008") {
            continue;
        }
        let file = r.file(f.file);
        let name = file.path.rsplit('/').next().unwrap_or("").to_string();
        let line_start = file
            .lines
            .line_span(&file.text, file.position(f.span.start()).line as usize - 1);
        let line = file.text[line_start.start()..line_start.end()]
            .trim()
            .to_string();
        let key = line
            .split(['=', ':'])
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        got.insert((name, f.rule, key));
        if f.rule != "AFC008" {
            assert!(f.message.contains("Airflow 2.7.0"), "{}", f.message);
        }
        if f.rule == "AFC008" {
            assert!(!f.secrets.is_empty());
            assert!(!f.message.contains(":password@"), "{}", f.message);
        }
    }
    let want: BTreeSet<(String, &str, String)> = [
        ("config-management.yaml", "AFC008", "sql_alchemy_conn"),
        ("config-management.yaml", "AFC008", "broker_url"),
        ("config-management.yaml", "AFC008", "result_backend"),
        ("config-management.yaml", "AFC002", "sql_alchemy_conn"),
        ("config-management.yaml", "AFC001", "rbac"),
        (
            "scheduler-optimization.yaml",
            "AFC002",
            "processor_poll_interval",
        ),
        ("scheduler-optimization.yaml", "AFC002", "max_threads"),
        (
            "scheduler-optimization.yaml",
            "AFC001",
            "store_serialized_dags",
        ),
        ("values.yaml", "AFC001", "store_serialized_dags"),
    ]
    .into_iter()
    .map(|(a, b, c)| (a.to_string(), b, c.to_string()))
    .collect();
    assert_eq!(got, want);
}
