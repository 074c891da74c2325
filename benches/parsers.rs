//! Benchmarks for the parsers and the whole engine (divan).
//!
//! `cargo bench --bench parsers` measures; `cargo test --all-targets` runs
//! each benchmark once as a smoke test. The representative inputs live in
//! `benches/data/`; the corpus benchmarks use a sample of
//! `../shared/corpus/k8s` (or `$AFCHECK_CORPUS/k8s`) and do nothing when
//! the corpus is absent.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use afcheck::engine::{self, Input, Options};
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

const DEPLOYMENT: &str = include_str!("data/deployment.yaml");
const VALUES: &str = include_str!("data/values.yaml");
const DOCKERFILE: &str = include_str!("data/Dockerfile");
const AIRFLOW_CFG: &str = include_str!("data/airflow.cfg");

/// How many corpus files the corpus benchmarks use (kept small so the test
/// run of the benchmarks stays quick in debug builds).
const CORPUS_SAMPLE: usize = 64;

fn corpus_dir(sub: &str) -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut candidates = Vec::new();
    if let Some(c) = std::env::var_os("AFCHECK_CORPUS") {
        candidates.push(PathBuf::from(c));
    }
    candidates.push(manifest.join("../shared/corpus"));
    candidates.push(manifest.join("../../shared/corpus"));
    candidates
        .into_iter()
        .map(|c| c.join(sub))
        .find(|c| c.is_dir())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// A deterministic sample of corpus YAML files: (name, text).
fn k8s_sample() -> &'static [(String, String)] {
    static SAMPLE: OnceLock<Vec<(String, String)>> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let Some(dir) = corpus_dir("k8s") else {
            return Vec::new();
        };
        let mut files = Vec::new();
        walk(&dir, &mut files);
        files.retain(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"));
        let step = (files.len() / CORPUS_SAMPLE).max(1);
        files
            .iter()
            .step_by(step)
            .take(CORPUS_SAMPLE)
            .filter_map(|p| {
                let text = std::fs::read_to_string(p).ok()?;
                Some((p.to_string_lossy().into_owned(), text))
            })
            .collect()
    })
}

fn text_input(name: &str, text: &str) -> Input {
    Input::Text {
        name: name.to_string(),
        bytes: text.as_bytes().to_vec(),
    }
}

#[divan::bench_group]
mod parse {
    use super::*;

    #[divan::bench]
    fn yaml_deployment(b: Bencher) {
        b.counter(divan::counter::BytesCount::of_str(DEPLOYMENT))
            .bench(|| afcheck::yaml::parse(black_box(DEPLOYMENT)));
    }

    #[divan::bench]
    fn yaml_helm_values(b: Bencher) {
        b.counter(divan::counter::BytesCount::of_str(VALUES))
            .bench(|| afcheck::yaml::parse(black_box(VALUES)));
    }

    /// The YAML layer plus the Kubernetes object split, over a corpus sample.
    #[divan::bench]
    fn yaml_corpus_sample(b: Bencher) {
        let sample = k8s_sample();
        let bytes: usize = sample.iter().map(|(_, t)| t.len()).sum();
        b.counter(divan::counter::BytesCount::new(bytes)).bench(|| {
            for (_, text) in sample {
                let stream = afcheck::yaml::parse(black_box(text));
                black_box(afcheck::k8s::objects(&stream));
            }
        });
    }

    #[divan::bench]
    fn dockerfile(b: Bencher) {
        b.counter(divan::counter::BytesCount::of_str(DOCKERFILE))
            .bench(|| afcheck::dockerfile::parse(black_box(DOCKERFILE)));
    }

    #[divan::bench]
    fn airflow_cfg(b: Bencher) {
        b.counter(divan::counter::BytesCount::of_str(AIRFLOW_CFG))
            .bench(|| afcheck::airflow::parse_cfg(black_box(AIRFLOW_CFG)));
    }

    #[divan::bench]
    fn line_index(b: Bencher) {
        b.counter(divan::counter::BytesCount::of_str(DEPLOYMENT))
            .bench(|| afcheck::source::SourceFile::new("deployment.yaml", black_box(DEPLOYMENT)));
    }
}

/// The whole pipeline (read, classify, parse, model, every rule, suppressions,
/// sort) on one in-memory file; no report.
#[divan::bench_group]
mod engine_run {
    use super::*;

    fn run_one(b: Bencher, name: &str, text: &str) {
        let inputs = vec![text_input(name, text)];
        let opts = Options::default();
        b.counter(divan::counter::BytesCount::of_str(text))
            .bench(|| engine::run(black_box(&inputs), &opts).findings.len());
    }

    #[divan::bench]
    fn deployment(b: Bencher) {
        run_one(b, "deployment.yaml", DEPLOYMENT);
    }

    #[divan::bench]
    fn helm_values(b: Bencher) {
        run_one(b, "values.yaml", VALUES);
    }

    #[divan::bench]
    fn dockerfile(b: Bencher) {
        run_one(b, "Dockerfile", DOCKERFILE);
    }

    #[divan::bench]
    fn airflow_cfg(b: Bencher) {
        run_one(b, "airflow.cfg", AIRFLOW_CFG);
    }

    /// All four files as one project (project rules included).
    #[divan::bench]
    fn project(b: Bencher) {
        let inputs = vec![
            text_input("k8s/deployment.yaml", DEPLOYMENT),
            text_input("chart/values.yaml", VALUES),
            text_input("Dockerfile", DOCKERFILE),
            text_input("airflow.cfg", AIRFLOW_CFG),
        ];
        let opts = Options::default();
        b.bench(|| engine::run(black_box(&inputs), &opts).findings.len());
    }

    /// The corpus sample through the whole engine, for comparison with
    /// `parse::yaml_corpus_sample`.
    #[divan::bench]
    fn corpus_sample(b: Bencher) {
        let inputs: Vec<Input> = k8s_sample().iter().map(|(n, t)| text_input(n, t)).collect();
        let bytes: usize = k8s_sample().iter().map(|(_, t)| t.len()).sum();
        let opts = Options::default();
        b.counter(divan::counter::BytesCount::new(bytes))
            .bench(|| engine::run(black_box(&inputs), &opts).findings.len());
    }
}

/// Report rendering of the corpus sample's findings.
#[divan::bench_group]
mod report {
    use super::*;
    use afcheck::report::{Format, ReportOptions};

    fn render(b: Bencher, format: Format) {
        let inputs: Vec<Input> = k8s_sample()
            .iter()
            .map(|(n, t)| text_input(n, t))
            .chain([
                text_input("deployment.yaml", DEPLOYMENT),
                text_input("Dockerfile", DOCKERFILE),
            ])
            .collect();
        let run = engine::run(&inputs, &Options::default());
        let ropts = ReportOptions::default();
        b.bench(|| {
            let mut out = Vec::new();
            let _ = afcheck::report::write(&run, format, &ropts, &mut out);
            out.len()
        });
    }

    #[divan::bench]
    fn compact(b: Bencher) {
        render(b, Format::Compact);
    }

    #[divan::bench]
    fn json(b: Bencher) {
        render(b, Format::Json);
    }

    #[divan::bench]
    fn sarif(b: Bencher) {
        render(b, Format::Sarif);
    }
}
