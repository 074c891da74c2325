//! Parses and lints the Dockerfile corpus (`../shared/corpus/dockerfiles`).
//! `cargo bench --bench dockerfile`; does nothing when the corpus is absent.

use std::path::{Path, PathBuf};

use afcheck::engine::{self, Input, Options};

fn corpus() -> Vec<PathBuf> {
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let Some(shared) = Some(local).filter(|p| p.is_dir()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack = vec![shared.join("corpus/dockerfiles")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10)]
fn parse_corpus(bencher: divan::Bencher) {
    let texts: Vec<String> = corpus()
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    bencher.bench(|| {
        let mut n = 0;
        for t in &texts {
            n += afcheck::dockerfile::parse(divan::black_box(t))
                .instructions
                .len();
        }
        n
    });
}

#[divan::bench(sample_count = 10)]
fn lint_corpus(bencher: divan::Bencher) {
    let inputs: Vec<Input> = corpus()
        .into_iter()
        .map(|p| Input::File {
            display: p.display().to_string(),
            path: p,
            explicit: true,
        })
        .collect();
    let opts = Options {
        select: vec!["AFD".into()],
        ..Options::default()
    };
    bencher.bench(|| engine::run(divan::black_box(&inputs), &opts).findings.len());
}
