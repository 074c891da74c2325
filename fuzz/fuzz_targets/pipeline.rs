//! The whole pipeline on arbitrary bytes: the first byte chooses the file
//! name (and so the classification), the rest is the file. Runs the engine
//! (every rule, suppressions, sort) and renders every report format.
#![no_main]
use afcheck::engine::{self, Input, Options};
use afcheck::report::{self, Format, ReportOptions};
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "Dockerfile",
    "deploy.yaml",
    "airflow.cfg",
    "chart/values.yaml",
    ".dockerignore",
    "setup.cfg",
    "k8s/list.yml",
    "unknown-kind",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[first as usize % NAMES.len()];
    let inputs = vec![Input::Text {
        name: name.to_string(),
        bytes: rest.to_vec(),
    }];
    let run = engine::run(&inputs, &Options::default());
    let ropts = ReportOptions::default();
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
});
