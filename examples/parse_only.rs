//! Timing helper for `scripts/bench.sh` (not part of the CLI): how long do
//! the parsers alone take on a set of files, compared with the whole engine?
//!
//! `cargo run --release --example parse_only -- PATH...`
//!
//! Discovers files the way the CLI does, reads them all into memory, then
//! times, in this process and on the same in-memory inputs:
//! - `parse`: the parser of each file's kind only (YAML layer, Dockerfile
//!   parser, airflow.cfg parser), in parallel like the engine, on the files
//!   the engine parses (Helm chart templates are skipped by both);
//! - `analyze`: parse plus the per-file models (Kubernetes objects, Airflow
//!   settings, suppressions), that is the engine without rules;
//! - `run`: the whole engine (`engine::run`: every rule, suppressions, sort);
//! - `report`: rendering the compact report of that run.
//!
//! Prints one `name seconds` line per phase (best of `AFCHECK_ITERS`, default 5).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use afcheck::classify::{self, FileKind};
use afcheck::engine::{self, Input, Options};
use rayon::prelude::*;

fn best<T>(iters: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..iters {
        let t = Instant::now();
        std::hint::black_box(f());
        best = best.min(t.elapsed());
    }
    best
}

fn main() {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        eprintln!("usage: parse_only PATH...");
        std::process::exit(2);
    }
    let iters: usize = std::env::var("AFCHECK_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let opts = Options::default();
    let found = match engine::discover(&paths, &opts) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    // Everything in memory first, so that the phases time CPU work only.
    let inputs: Vec<Input> = found
        .into_iter()
        .filter_map(|i| match i {
            Input::File { path, display, .. } => {
                let bytes = std::fs::read(&path).ok()?;
                Some(Input::Text {
                    name: display,
                    bytes,
                })
            }
            t @ Input::Text { .. } => Some(t),
            Input::Edited { display, bytes, .. } => Some(Input::Text {
                name: display,
                bytes,
            }),
            Input::Skipped { .. } => None,
        })
        .collect();
    let texts: Vec<(FileKind, String)> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::Text { name, bytes } => {
                let kind = classify::by_name(std::path::Path::new(name)).or_else(|| {
                    // Explicit files with unknown names (the corpus' `*__Dockerfile`).
                    let t = std::str::from_utf8(bytes).ok()?;
                    t.lines()
                        .map(str::trim)
                        .find(|l| !l.is_empty() && !l.starts_with('#'))
                        .filter(|l| {
                            l.to_ascii_uppercase().starts_with("FROM ")
                                || l.to_ascii_uppercase().starts_with("ARG ")
                        })
                        .map(|_| FileKind::Dockerfile)
                })?;
                let text = String::from_utf8(bytes.clone()).ok()?;
                // Helm chart templates are not parsed by the engine either.
                if kind == FileKind::Yaml
                    && classify::is_helm_template(std::path::Path::new(name), &text)
                {
                    return None;
                }
                Some((kind, text))
            }
            _ => None,
        })
        .collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    eprintln!(
        "{} files, {} bytes, {} threads, best of {iters}",
        texts.len(),
        bytes,
        rayon::current_num_threads()
    );

    let parse = best(iters, || {
        texts
            .par_iter()
            .map(|(kind, text)| match kind {
                FileKind::Yaml => afcheck::yaml::parse(text).nodes.len(),
                FileKind::Dockerfile => {
                    std::hint::black_box(afcheck::dockerfile::parse(text));
                    1
                }
                FileKind::Cfg => {
                    std::hint::black_box(afcheck::airflow::parse_cfg(text));
                    1
                }
                FileKind::DockerIgnore => 0,
            })
            .sum::<usize>()
    });
    let parse_1 = best(iters.min(3), || {
        texts
            .iter()
            .map(|(kind, text)| match kind {
                FileKind::Yaml => afcheck::yaml::parse(text).nodes.len(),
                FileKind::Dockerfile => {
                    std::hint::black_box(afcheck::dockerfile::parse(text));
                    1
                }
                FileKind::Cfg => {
                    std::hint::black_box(afcheck::airflow::parse_cfg(text));
                    1
                }
                FileKind::DockerIgnore => 0,
            })
            .sum::<usize>()
    });
    let max = opts.max_file_size;
    let analyze = best(iters, || {
        inputs
            .par_iter()
            .filter_map(|i| engine::analyze(i, max))
            .count()
    });
    let mut run = None;
    let full = best(iters, || {
        run = Some(engine::run(&inputs, &opts));
    });
    let ropts = afcheck::report::ReportOptions::default();
    let mut findings = 0;
    let report = best(iters, || {
        let mut out = Vec::new();
        if let Some(r) = &run {
            findings = r.findings.len();
            let _ = afcheck::report::write(r, afcheck::report::Format::Compact, &ropts, &mut out);
        }
        out.len()
    });
    // Where the memory of the kept YAML trees goes (heap bytes, estimated
    // from lengths and capacities; allocator overhead not counted).
    let (mut nodes, mut arena, mut strings, mut children, mut props) = (0, 0, 0, 0, 0);
    for (_, t) in texts.iter().filter(|(k, _)| *k == FileKind::Yaml) {
        let s = afcheck::yaml::parse(t);
        nodes += s.nodes.len();
        arena += s.nodes.capacity() * std::mem::size_of::<afcheck::yaml::Node>();
        for n in &s.nodes {
            match &n.kind {
                afcheck::yaml::NodeKind::Scalar { value, .. } => strings += value.len(),
                afcheck::yaml::NodeKind::Mapping(e) => children += e.len() * 8,
                afcheck::yaml::NodeKind::Sequence(e) => children += e.len() * 4,
                afcheck::yaml::NodeKind::Alias { .. } => {}
            }
            props += n.anchor().map_or(0, str::len) + n.tag().map_or(0, str::len);
        }
    }
    println!("yaml_arena_bytes {arena}");
    println!("yaml_scalar_bytes {strings}");
    println!("yaml_children_bytes {children}");
    println!("yaml_anchor_tag_bytes {props}");
    println!("files {}", texts.len());
    println!("yaml_nodes {nodes}");
    println!(
        "yaml_node_size {}",
        std::mem::size_of::<afcheck::yaml::Node>()
    );
    println!("bytes {bytes}");
    println!("findings {findings}");
    println!("parse {:.6}", parse.as_secs_f64());
    println!("parse_single_thread {:.6}", parse_1.as_secs_f64());
    println!("analyze {:.6}", analyze.as_secs_f64());
    println!("run {:.6}", full.as_secs_f64());
    println!("report_compact {:.6}", report.as_secs_f64());
}
