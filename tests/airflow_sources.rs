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
fn version_from_linked_image_changes_verdicts() {
    // [scheduler] dag_dir_list_interval moved only in Airflow 3. The
    // Dockerfile that COPYs the airflow.cfg gives its version; an unrelated
    // Dockerfile elsewhere does not.
    let cfg = "[core]\nload_examples = False\n[scheduler]\ndag_dir_list_interval = 30\n";
    for (tag, expect) in [("2.10.5", false), ("3.0.2", true)] {
        let inputs = vec![
            Input::Text {
                name: "app/airflow.cfg".into(),
                bytes: cfg.as_bytes().to_vec(),
            },
            Input::Text {
                name: "app/Dockerfile".into(),
                bytes: format!(
                    "FROM apache/airflow:{tag}\nCOPY airflow.cfg /opt/airflow/airflow.cfg\n"
                )
                .into_bytes(),
            },
            Input::Text {
                name: "other/Dockerfile".into(),
                bytes: b"FROM apache/airflow:2.4.0\n".to_vec(),
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
        assert!(r.airflow_assumed.is_none(), "{:?}", r.airflow_assumed);
    }
    // Without the COPY, the cfg is judged on its own at the assumed version,
    // and the summary says so.
    let inputs = vec![
        Input::Text {
            name: "app/airflow.cfg".into(),
            bytes: cfg.as_bytes().to_vec(),
        },
        Input::Text {
            name: "app/Dockerfile".into(),
            bytes: b"FROM apache/airflow:2.10.5\n".to_vec(),
        },
    ];
    let r = engine::run(&inputs, &Options::default());
    assert!(r.findings.iter().any(|f| f.rule == "AFC002"));
    let note = r.airflow_assumed.expect("assumed version noted");
    assert!(
        note.contains("assumed for 1 Airflow configuration in 1 file"),
        "{note}"
    );
}

#[test]
fn precedence_env_cmd_secret_file() {
    use afcheck::airflow::model;
    use afcheck::airflow::sources::{SourceKind, Via};
    let inputs = vec![
        Input::Text {
            name: "airflow.cfg".into(),
            bytes: b"[core]\nload_examples = False\nfernet_key_secret = a/b\nfernet_key = x\nfernet_key_cmd = cat k\n".to_vec(),
        },
        Input::Text {
            name: "Dockerfile".into(),
            bytes: b"FROM apache/airflow:3.0.2\nCOPY airflow.cfg /opt/airflow/\nENV AIRFLOW__CORE__FERNET_KEY_CMD=\"cat /k\"\n".to_vec(),
        },
        Input::Text {
            name: "docker-compose.yaml".into(),
            bytes: b"services:\n  web:\n    build: .\n    environment:\n      AIRFLOW__CORE__FERNET_KEY_SECRET: airflow/fernet\n".to_vec(),
        },
    ];
    let opts = Options::default();
    let r = engine::run(&inputs, &opts);
    let by_file = r.file_settings();
    let derived = model::Derived::of(&by_file);
    let groups = model::groups(&by_file, &derived, &opts.settings);
    assert_eq!(groups.len(), 1, "{groups:#?}");
    let order: Vec<(SourceKind, Via)> = groups[0]
        .candidates("core", "fernet_key")
        .iter()
        .map(|a| (a.s.source, a.s.via))
        .collect();
    assert_eq!(
        order,
        vec![
            (SourceKind::DockerEnv, Via::Cmd),
            (SourceKind::ComposeEnv, Via::Secret),
            (SourceKind::Cfg, Via::Value),
            (SourceKind::Cfg, Via::Cmd),
            (SourceKind::Cfg, Via::Secret),
        ]
    );
    assert_eq!(groups[0].version.to_string(), "3.0.2");
    // The plaintext key in the file is still reported (AFC009), the env
    // references are not.
    let afc009: Vec<_> = r.findings.iter().filter(|f| f.rule == "AFC009").collect();
    assert_eq!(afc009.len(), 1);
    assert_eq!(r.file(afc009[0].file).path, "airflow.cfg");
}

#[test]
fn compose_merge_key_bomb_is_bounded() {
    // Each level merges the previous one ten times: 10^7 entries if walked
    // naively. The walk is bounded and the run ends quickly.
    let mut y = String::from("x-l0: &l0\n  AIRFLOW__CORE__LOAD_EXAMPLES: 'true'\n");
    for i in 1..8 {
        y.push_str(&format!(
            "x-l{i}: &l{i}\n  <<: [{}]\n  K{i}: v\n",
            vec![format!("*l{}", i - 1); 10].join(", ")
        ));
    }
    y.push_str(
        "services:\n  s:\n    image: apache/airflow:3.0.2\n    environment:\n      <<: *l7\n",
    );
    let start = std::time::Instant::now();
    let r = run("docker-compose.yaml", &y);
    assert!(start.elapsed().as_secs() < 20);
    assert!(
        r.findings.iter().any(|f| f.rule == "AFC014"),
        "{:?}",
        r.findings.iter().map(|f| f.rule).collect::<Vec<_>>()
    );
}

/// The worked example of docs/airflow-sources.md.
#[test]
fn docs_worked_example() {
    let files: &[(&str, &str)] = &[
        (
            "image/Dockerfile",
            "FROM apache/airflow:2.10.5\nCOPY airflow.cfg /opt/airflow/airflow.cfg\n",
        ),
        (
            "image/airflow.cfg",
            "[core]\nload_examples = False\n[webserver]\nexpose_config = True\n",
        ),
        ("deploy/dev/airflow.cfg", "[core]\nload_examples = True\n"),
        ("deploy/prod/airflow.cfg", "[core]\nload_examples = False\n"),
        (
            "docker-compose.yaml",
            "services:\n  scheduler:\n    build: ./image\n    environment:\n      AIRFLOW__WEBSERVER__EXPOSE_CONFIG: \"False\"\n",
        ),
    ];
    let inputs: Vec<Input> = files
        .iter()
        .map(|(n, t)| Input::Text {
            name: n.to_string(),
            bytes: t.as_bytes().to_vec(),
        })
        .collect();
    let opts = Options {
        select: vec!["AFC".into()],
        ..Options::default()
    };
    let r = engine::run(&inputs, &opts);
    let got: Vec<(String, u32, &str)> = r
        .findings
        .iter()
        .map(|f| {
            let file = r.file(f.file);
            (
                file.path.clone(),
                file.position(f.span.start()).line,
                f.rule,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("deploy/dev/airflow.cfg".to_string(), 2, "AFC014"),
            ("image/airflow.cfg".to_string(), 4, "AFC019"),
        ]
    );
    let afc019 = &r.findings[1];
    assert!(
        afc019.message.contains("docker-compose.yaml:5"),
        "{}",
        afc019.message
    );
    let note = r.airflow_assumed.expect("note");
    assert!(
        note.contains("2 Airflow configurations in 2 files"),
        "{note}"
    );
}
