//! Settings from every source land on the right line and column, and
//! secrets are marked and never printed.

use afcheck::engine::{self, Input, Options};

fn run(name: &str, text: &str) -> engine::Run {
    let inputs = vec![Input::Text {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }];
    engine::run(&inputs, &Options::default())
}

#[test]
fn configmap_cfg_findings_point_into_the_yaml_and_mask_secrets() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  airflow.cfg: |\n    [core]\n    load_examples = False\n    [database]\n    sql_alchemy_conn = postgresql://airflow:hunter2hunter2@db/airflow\n";
    let r = run("cm.yaml", text);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "AFC008")
        .expect("AFC008");
    let file = r.file(f.file);
    let pos = file.position(f.span.start());
    assert_eq!((pos.line, pos.column), (10, 45));
    assert_eq!(&text[f.span.start()..f.span.end()], "hunter2hunter2");
    assert_eq!(f.secrets, vec![f.span]);
    for f in &r.findings {
        assert!(!f.message.contains("hunter2"), "{}", f.message);
        assert!(
            !f.fingerprint_hint
                .as_deref()
                .unwrap_or("")
                .contains("hunter2")
        );
    }
}

#[test]
fn continuation_values_keep_file_offsets() {
    let text = "[core]\nload_examples = False\nallowed_deserialization_classes = airflow.*\n    mypkg.*\n    builtins.*\n";
    let r = run("airflow.cfg", text);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "AFC024")
        .expect("AFC024");
    assert_eq!(&text[f.span.start()..f.span.end()], "builtins.*");
    assert_eq!(r.file(f.file).position(f.span.start()).line, 5);
}

#[test]
fn env_secret_values_are_masked() {
    let text = "FROM apache/airflow:2.9.3\nENV AIRFLOW__WEBSERVER__SECRET_KEY=temporary_key AIRFLOW__CORE__FERNET_KEY=81HqDtbqAywKSOumSha3BhWNOdQ26slT6K0YaZeZyPs=\n";
    let r = run("Dockerfile", text);
    let rules: Vec<&str> = r.findings.iter().map(|f| f.rule).collect();
    assert!(
        rules.contains(&"AFC009") && rules.contains(&"AFC010"),
        "{rules:?}"
    );
    for f in r
        .findings
        .iter()
        .filter(|f| f.rule == "AFC009" || f.rule == "AFC010")
    {
        assert!(!f.secrets.is_empty());
        assert!(
            !f.message.contains("81HqDtbq") && !f.message.contains("temporary_key"),
            "{}",
            f.message
        );
    }
}

#[test]
fn version_from_image_changes_verdicts() {
    // [scheduler] dag_dir_list_interval moved only in Airflow 3.
    let cfg = "[core]\nload_examples = False\n[scheduler]\ndag_dir_list_interval = 30\n";
    let dep = |tag: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: apache/airflow:{tag}\n"
        )
    };
    for (tag, expect) in [("2.10.5", false), ("3.0.2", true)] {
        let inputs = vec![
            Input::Text {
                name: "airflow.cfg".into(),
                bytes: cfg.as_bytes().to_vec(),
            },
            Input::Text {
                name: "pod.yaml".into(),
                bytes: dep(tag).into_bytes(),
            },
        ];
        let r = engine::run(&inputs, &Options::default());
        let hit = r.findings.iter().find(|f| f.rule == "AFC002");
        assert_eq!(hit.is_some(), expect, "{tag}");
        if let Some(f) = hit {
            assert!(
                f.message.contains(&format!("Airflow {tag}")),
                "{}",
                f.message
            );
        }
    }
}
