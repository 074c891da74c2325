//! Inputs that once crashed or hung afcheck (found by fuzzing or hostile
//! input tests), kept as regression cases: `fixtures/regressions/<target>/*`,
//! where `<target>` is the fuzz target that found the input (`dockerfile`,
//! `yaml`, `airflow_cfg`, `pipeline`). Each input goes through its parser,
//! then through the whole engine and every report, and must neither panic
//! nor take long. Files are named `*.input` so that a scan of `fixtures/`
//! does not pick them up; `fixtures/regressions/README.md` says what each
//! one was.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use afcheck::engine::{self, Input, Options};
use afcheck::report::{self, Format, ReportOptions};

/// The pipeline fuzz target's file names (first byte of the input picks one).
const PIPELINE_NAMES: &[&str] = &[
    "Dockerfile",
    "deploy.yaml",
    "airflow.cfg",
    "chart/values.yaml",
    ".dockerignore",
    "setup.cfg",
    "k8s/list.yml",
    "unknown-kind",
];

fn inputs(target: &str, bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    match target {
        "pipeline" => match bytes.split_first() {
            Some((&first, rest)) => vec![(
                PIPELINE_NAMES[first as usize % PIPELINE_NAMES.len()].to_string(),
                rest.to_vec(),
            )],
            None => Vec::new(),
        },
        "dockerfile" => vec![("Dockerfile".into(), bytes.to_vec())],
        "airflow_cfg" => vec![("airflow.cfg".into(), bytes.to_vec())],
        // YAML: as a manifest and as Helm values.
        _ => vec![
            ("regression.yaml".into(), bytes.to_vec()),
            ("values.yaml".into(), bytes.to_vec()),
        ],
    }
}

fn run_parser(target: &str, bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match target {
        "dockerfile" => {
            std::hint::black_box(afcheck::dockerfile::parse(text));
        }
        "airflow_cfg" => {
            std::hint::black_box(afcheck::airflow::parse_cfg(text));
        }
        "yaml" => {
            let s = afcheck::yaml::parse(text);
            std::hint::black_box(afcheck::k8s::objects(&s));
        }
        _ => {}
    }
}

#[test]
fn regression_inputs_do_not_crash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/regressions");
    let mut cases: Vec<(String, PathBuf)> = Vec::new();
    for dir in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        let target = dir.file_name().to_string_lossy().into_owned();
        if !dir.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if f.path().extension().is_some_and(|e| e == "input") {
                cases.push((target.clone(), f.path()));
            }
        }
    }
    cases.sort();
    let ropts = ReportOptions::default();
    for (target, path) in &cases {
        let bytes = std::fs::read(path).unwrap();
        let t = Instant::now();
        run_parser(target, &bytes);
        for (name, bytes) in inputs(target, &bytes) {
            let run = engine::run(&[Input::Text { name, bytes }], &Options::default());
            for format in [
                Format::Compact,
                Format::Json,
                Format::Sarif,
                Format::Github,
                Format::Terminal,
            ] {
                let mut out = Vec::new();
                let _ = report::write(&run, format, &ropts, &mut out);
            }
        }
        // Debug build: generous, catches only hangs and blow-ups.
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "{}: took {:?}",
            path.display(),
            t.elapsed()
        );
    }
}
