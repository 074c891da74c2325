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
    let opts = Options {
        select: vec!["AFC".into()],
        ..Options::default()
    };
    let r = run_files_with(files, &opts);
    assert_eq!(
        afc(&r),
        vec![
            ("deploy/dev/airflow.cfg".to_string(), 2, "AFC014"),
            ("image/airflow.cfg".to_string(), 4, "AFC019"),
        ]
    );
    assert_eq!(r.findings.len(), 2);
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

fn run_files(files: &[(&str, &str)]) -> engine::Run {
    run_files_with(files, &Options::default())
}

/// Runs the engine on `files` (name, text) given as standard input texts.
fn run_files_with(files: &[(&str, &str)], opts: &Options) -> engine::Run {
    let inputs: Vec<Input> = files
        .iter()
        .map(|(n, t)| Input::Text {
            name: (*n).into(),
            bytes: t.as_bytes().to_vec(),
        })
        .collect();
    engine::run(&inputs, opts)
}

/// `(file, line, rule)` of every AFC finding.
fn afc(r: &engine::Run) -> Vec<(String, u32, &'static str)> {
    let mut v: Vec<(String, u32, &'static str)> = r
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("AFC"))
        .map(|f| {
            let file = r.file(f.file);
            (
                file.path.clone(),
                file.position(f.span.start()).line,
                f.rule,
            )
        })
        .collect();
    v.sort();
    v
}

/// A Deployment (namespace `ns`, or none) whose container mounts
/// ConfigMap `cfg-cm` as its airflow.cfg and has `env` (YAML list items at
/// the env's indentation).
fn deployment(ns: Option<&str>, env: &str) -> String {
    let ns = ns
        .map(|n| format!("  namespace: {n}\n"))
        .unwrap_or_default();
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n{ns}spec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: apache/airflow:3.0.2\n          env:\n{env}          volumeMounts:\n            - {{name: cfg, mountPath: /opt/airflow/airflow.cfg, subPath: airflow.cfg}}\n      volumes:\n        - {{name: cfg, configMap: {{name: cfg-cm}}}}\n"
    )
}

fn cfg_cm(ns: Option<&str>, body: &str) -> String {
    let ns = ns
        .map(|n| format!("  namespace: {n}\n"))
        .unwrap_or_default();
    let body: String = body.lines().map(|l| format!("    {l}\n")).collect();
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-cm\n{ns}data:\n  airflow.cfg: |\n{body}"
    )
}

const LOAD_FROM_CM: &str = "            - name: AIRFLOW__CORE__LOAD_EXAMPLES\n              valueFrom:\n                configMapKeyRef: {name: vals, key: load-examples}\n";

#[test]
fn value_from_config_map_key() {
    let vals = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vals\n  namespace: af\ndata:\n  other: x\n  load-examples: \"True\"\n";
    let dep = deployment(Some("af"), LOAD_FROM_CM);
    let cfg = cfg_cm(Some("af"), "[core]\nload_examples = False\n");
    // The variable's value is the key's, reported at the key; the mounted
    // airflow.cfg it overrides gets AFC019.
    let r = run_files(&[("d.yaml", &dep), ("vals.yaml", vals), ("cfg.yaml", &cfg)]);
    assert_eq!(
        afc(&r),
        vec![
            ("cfg.yaml".into(), 9, "AFC019"),
            ("vals.yaml".into(), 8, "AFC014"),
        ]
    );
    let f = r.findings.iter().find(|f| f.rule == "AFC019").unwrap();
    assert!(f.message.contains("vals.yaml:8"), "{}", f.message);
    // The key is missing: the variable is set with an unknown value. It
    // still overrides the file (no AFC014 on `True` there), and nothing is
    // judged about it.
    let cfg_true = cfg_cm(Some("af"), "[core]\nload_examples = True\n");
    let other = vals.replace("load-examples", "renamed");
    let r = run_files(&[
        ("d.yaml", &dep),
        ("vals.yaml", &other),
        ("cfg.yaml", &cfg_true),
    ]);
    assert_eq!(afc(&r), vec![]);
    // The ConfigMap is not there at all: the same.
    let r = run_files(&[("d.yaml", &dep), ("cfg.yaml", &cfg_true)]);
    assert_eq!(afc(&r), vec![]);
    // In another namespace: not followed.
    let elsewhere = vals.replace("namespace: af", "namespace: other");
    let r = run_files(&[
        ("d.yaml", &dep),
        ("vals.yaml", &elsewhere),
        ("cfg.yaml", &cfg_true),
    ]);
    assert_eq!(afc(&r), vec![]);
}

#[test]
fn value_from_secret_key_is_never_plaintext() {
    let env = "            - name: AIRFLOW__DATABASE__SQL_ALCHEMY_CONN\n              valueFrom:\n                secretKeyRef: {name: db, key: uri}\n";
    let dep = deployment(Some("af"), env);
    let cfg = cfg_cm(Some("af"), "[core]\nload_examples = False\n");
    let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: af\nstringData:\n  uri: postgresql://airflow:hunter2hunter2@db/airflow\n";
    let r = run_files(&[("d.yaml", &dep), ("s.yaml", secret), ("cfg.yaml", &cfg)]);
    assert_eq!(afc(&r), vec![]);
    // The same URI in a ConfigMap is plaintext: reported at the key's value,
    // masked.
    let cm = secret
        .replace("kind: Secret", "kind: ConfigMap")
        .replace("stringData", "data")
        .replace("name: db", "name: db-cm");
    let dep = dep.replace("secretKeyRef: {name: db,", "configMapKeyRef: {name: db-cm,");
    let r = run_files(&[("d.yaml", &dep), ("cm.yaml", &cm), ("cfg.yaml", &cfg)]);
    assert_eq!(afc(&r), vec![("cm.yaml".into(), 7, "AFC008")]);
    let f = r.findings.iter().find(|f| f.rule == "AFC008").unwrap();
    assert!(!f.message.contains("hunter2"), "{}", f.message);
    assert_eq!(&cm[f.span.start()..f.span.end()], "hunter2hunter2");
    assert_eq!(f.secrets, vec![f.span]);
    // A connection variable (`AIRFLOW_CONN_*`) the same way.
    let conn = dep.replace(
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
        "AIRFLOW_CONN_METADATA",
    );
    let r = run_files(&[("d.yaml", &conn), ("cm.yaml", &cm), ("cfg.yaml", &cfg)]);
    assert_eq!(afc(&r), vec![("cm.yaml".into(), 7, "AFC008")]);
    let conn = conn.replace("configMapKeyRef: {name: db-cm,", "secretKeyRef: {name: db,");
    let r = run_files(&[("d.yaml", &conn), ("s.yaml", secret), ("cfg.yaml", &cfg)]);
    assert_eq!(afc(&r), vec![]);
}

#[test]
fn namespaces_of_references() {
    let env = "            - {name: AIRFLOW__CORE__PARALLELISM, value: \"64\"}\n";
    let body = "[core]\nload_examples = False\nparallelism = 32\n";
    let conflict = |files: &[(&str, &str)]| -> Vec<String> {
        afc(&run_files(files))
            .into_iter()
            .filter(|f| f.2 == "AFC019")
            .map(|f| f.0)
            .collect()
    };
    let dep_af = deployment(Some("af"), env);
    let dep_none = deployment(None, env);
    let cm_none = cfg_cm(None, body);
    let cm_af = cfg_cm(Some("af"), body);
    let cm_other = cfg_cm(Some("other"), body);
    // A namespaced workload: the object in its namespace, else the one
    // namespace-less object of that name.
    assert_eq!(
        conflict(&[("a/d.yaml", &dep_af), ("a/cm.yaml", &cm_af)]),
        vec!["a/cm.yaml"]
    );
    assert_eq!(
        conflict(&[("a/d.yaml", &dep_af), ("a/cm.yaml", &cm_none)]),
        vec!["a/cm.yaml"]
    );
    assert_eq!(
        conflict(&[("a/d.yaml", &dep_af), ("b/cm.yaml", &cm_none)]),
        vec!["b/cm.yaml"]
    );
    // ... the namespaced one first, wherever the other is.
    assert_eq!(
        conflict(&[
            ("a/d.yaml", &dep_af),
            ("a/cm.yaml", &cm_none),
            ("z/cm.yaml", &cm_af)
        ]),
        vec!["z/cm.yaml"]
    );
    // Two namespace-less candidates the file rules cannot tell apart: none.
    assert_eq!(
        conflict(&[
            ("a/d.yaml", &dep_af),
            ("a/x.yaml", &cm_none),
            ("a/y.yaml", &cm_none)
        ]),
        Vec::<String>::new()
    );
    assert_eq!(
        conflict(&[
            ("a/d.yaml", &dep_af),
            ("b/x.yaml", &cm_none),
            ("c/y.yaml", &cm_none)
        ]),
        Vec::<String>::new()
    );
    // Another namespace: never.
    assert_eq!(
        conflict(&[("a/d.yaml", &dep_af), ("a/cm.yaml", &cm_other)]),
        Vec::<String>::new()
    );
    // A namespace-less workload: only a namespace-less object (strict).
    assert_eq!(
        conflict(&[("a/d.yaml", &dep_none), ("a/cm.yaml", &cm_none)]),
        vec!["a/cm.yaml"]
    );
    assert_eq!(
        conflict(&[("a/d.yaml", &dep_none), ("a/cm.yaml", &cm_af)]),
        Vec::<String>::new()
    );
    // A kustomization's `namespace:` applies its resources into it, over
    // the namespace they are written with.
    let k = "namespace: af\nresources: [d.yaml, cm.yaml]\n";
    assert_eq!(
        conflict(&[
            ("a/kustomization.yaml", k),
            ("a/d.yaml", &dep_none),
            ("a/cm.yaml", &cm_other)
        ]),
        vec!["a/cm.yaml"]
    );
    // Only the files it lists.
    let k1 = "namespace: af\nresources: [d.yaml]\n";
    assert_eq!(
        conflict(&[
            ("a/kustomization.yaml", k1),
            ("a/d.yaml", &dep_none),
            ("a/cm.yaml", &cm_other)
        ]),
        Vec::<String>::new()
    );
    // ... and the namespace-less ConfigMap it does not list may still be
    // applied into `af`.
    assert_eq!(
        conflict(&[
            ("a/kustomization.yaml", k1),
            ("a/d.yaml", &dep_none),
            ("a/cm.yaml", &cm_none)
        ]),
        vec!["a/cm.yaml"]
    );
    // Two kustomizations giving one file different namespaces: its own
    // (`other`, not the Deployment's `af`).
    let kb = "namespace: elsewhere\nresources: [cm.yaml]\n";
    assert_eq!(
        conflict(&[
            ("a/kustomization.yaml", k),
            ("a/Kustomization", kb),
            ("a/d.yaml", &dep_none),
            ("a/cm.yaml", &cm_other),
        ]),
        Vec::<String>::new()
    );
    assert_eq!(
        conflict(&[
            ("a/kustomization.yaml", k),
            ("a/Kustomization", kb),
            ("a/d.yaml", &dep_none),
            ("a/cm.yaml", &cfg_cm(Some("af"), body)),
        ]),
        vec!["a/cm.yaml"]
    );
    let k2 = "namespace: other\nresources: [../a/cm.yaml]\n";
    assert_eq!(
        conflict(&[
            ("a/kustomization.yaml", k),
            ("a/sub/kustomization.yaml", k2),
            ("a/d.yaml", &dep_none),
            ("a/cm.yaml", &cm_other),
        ]),
        vec!["a/cm.yaml"],
        "`..` entries are not followed"
    );
}

#[test]
fn kustomization_namespace_joins_the_group() {
    use afcheck::airflow::model;
    let env = "            - {name: AIRFLOW__CORE__PARALLELISM, value: \"64\"}\n";
    let body = "[core]\nload_examples = False\nparallelism = 32\n";
    let k = "namespace: af\nresources: [d.yaml, cm.yaml]\n";
    let r = run_files(&[
        ("a/kustomization.yaml", k),
        ("a/d.yaml", &deployment(None, env)),
        ("a/cm.yaml", &cfg_cm(Some("other"), body)),
    ]);
    let by_file = r.file_settings();
    let derived = model::Derived::of(&by_file);
    let groups = model::groups(&by_file, &derived, &Options::default().settings);
    assert_eq!(groups.len(), 1, "{groups:#?}");
    let files: std::collections::BTreeSet<&str> = groups[0]
        .settings
        .iter()
        .map(|a| r.file(a.file).path.as_str())
        .collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        vec!["a/cm.yaml", "a/d.yaml", "a/kustomization.yaml"]
    );
}

#[test]
fn helm_env_value_from_and_extra_env_from() {
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tuning\ndata:\n  p: \"64\"\n  AIRFLOW__CORE__LOAD_EXAMPLES: \"False\"\n";
    let values = "airflowVersion: 3.0.2\nenv:\n  - name: AIRFLOW__CORE__PARALLELISM\n    valueFrom:\n      configMapKeyRef: {name: tuning, key: p}\nextraEnvFrom: |\n  - configMapRef:\n      name: tuning\nconfig:\n  core:\n    load_examples: \"True\"\n    parallelism: 32\n";
    let r = run_files(&[("values.yaml", values), ("cm.yaml", cm)]);
    // Both `config:` values are overridden (AFC019 on each), and the
    // ignored `load_examples: "True"` is not reported as effective.
    assert_eq!(
        afc(&r),
        vec![
            ("values.yaml".into(), 11, "AFC019"),
            ("values.yaml".into(), 12, "AFC019"),
        ]
    );
    // Without the ConfigMap: `load_examples` is effective; the variable
    // from the missing key still overrides `parallelism` (unknown value).
    let r = run_files(&[("values.yaml", values)]);
    assert_eq!(afc(&r), vec![("values.yaml".into(), 11, "AFC014")]);
}

#[test]
fn value_from_a_generated_config_map() {
    // A configMapGenerator literal is a key of the generated ConfigMap; the
    // kustomization's namespace is the generated object's.
    let k = "namespace: af\nresources: [d.yaml]\nconfigMapGenerator:\n  - name: vals\n    literals:\n      - load-examples=True\n";
    let dep = deployment(None, LOAD_FROM_CM);
    let r = run_files(&[("a/kustomization.yaml", k), ("a/d.yaml", &dep)]);
    assert_eq!(afc(&r), vec![("a/kustomization.yaml".into(), 6, "AFC014")]);
    let f = r.findings.iter().find(|f| f.rule == "AFC014").unwrap();
    assert_eq!(&k[f.span.start()..f.span.end()], "True");
}
