//! Hostile shapes (issue 17): inputs built to hit super-linear spots, each
//! at two sizes, four times apart, through the whole engine (every rule).
//! Linear code takes about 4x longer on the larger one; the numbers before
//! and after the fixes are in docs/performance.md.
//!
//! `cargo bench --bench hostile` measures; `cargo test --all-targets` runs
//! each benchmark once (the sizes are kept small enough for debug builds).

use afcheck::engine::{self, Input, Options};
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

/// Scale factors: n and 4n.
const SIZES: &[usize] = &[1, 4];

fn run(b: Bencher, name: &str, text: String) {
    let inputs = vec![Input::Text {
        name: name.into(),
        bytes: text.into_bytes(),
    }];
    let opts = Options::default();
    b.counter(divan::counter::BytesCount::new(match &inputs[0] {
        Input::Text { bytes, .. } => bytes.len(),
        _ => 0,
    }))
    .bench(|| engine::run(black_box(&inputs), &opts).findings.len());
}

/// Piped RUN lines (AFD014 looked back through the stage for each RUN).
#[divan::bench(args = SIZES)]
fn dockerfile_piped_runs(b: Bencher, k: usize) {
    let mut s = String::from("FROM debian:12\n");
    for i in 0..2_500 * k {
        s.push_str(&format!(
            "RUN echo {i} | grep x | sort | uniq | tee /tmp/o{i}\n"
        ));
    }
    run(b, "Dockerfile", s);
}

/// YAML documents that each need a quoted scalar re-indented, then fail
/// (the loader copied the whole text for every document after the first).
#[divan::bench(args = SIZES)]
fn yaml_reindent_documents(b: Bencher, k: usize) {
    let mut s = String::new();
    for i in 0..2_000 * k {
        s.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  k: \"abc\n def\"\n  bad: [\n"
        ));
    }
    run(b, "reindent.yaml", s);
}

/// An airflow.cfg with many sections (each header searched every section).
#[divan::bench(args = SIZES)]
fn cfg_many_sections(b: Bencher, k: usize) {
    let mut s = String::from("[core]\nexecutor = LocalExecutor\n");
    for i in 0..5_000 * k {
        s.push_str(&format!("[section_{i:07}_of_a_hostile_file]\n"));
    }
    run(b, "airflow.cfg", s);
}

/// One container with many env entries (AFK035 searched a list per entry).
#[divan::bench(args = SIZES)]
fn k8s_many_env_entries(b: Bencher, k: usize) {
    let mut s = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: apache/airflow:2.10.5\n    env:\n",
    );
    for i in 0..2_500 * k {
        s.push_str(&format!(
            "    - name: AIRFLOW__CORE__X{i}\n      value: \"v{i}\"\n"
        ));
    }
    run(b, "env.yaml", s);
}

/// YAML merge keys: a bomb where each level merges the previous one twice
/// (2^30 paths) and a mapping merged into itself, read by every rule.
#[divan::bench]
fn yaml_merge_bomb(b: Bencher) {
    let mut s = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata: &m {<<: *m, name: p}\nx:\n  b0: &b0 {image: y}\n",
    );
    for i in 1..=30 {
        s.push_str(&format!("  b{i}: &b{i} {{<<: [*b{0}, *b{0}]}}\n", i - 1));
    }
    s.push_str("spec:\n  <<: *b30\n  containers:\n  - <<: *b30\n    name: c\n");
    run(b, "bomb.yaml", s);
}

/// airflow.cfg `%(name)s` references ten levels deep, 64 per level.
#[divan::bench]
fn cfg_interpolation_bomb(b: Bencher) {
    let mut s = String::from("[core]\na0 = x%%\n");
    for i in 1..=9 {
        s.push_str(&format!(
            "a{i} = {}\n",
            format!("%(a{})s", i - 1).repeat(64)
        ));
    }
    run(b, "airflow.cfg", s);
}
