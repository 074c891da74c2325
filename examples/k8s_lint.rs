//! Lints files or directories with the Kubernetes rules and prints each
//! finding, then the wall time and a per-rule count. Used to benchmark the
//! corpus until the CLI lands:
//! `cargo run --release --example k8s_lint -- [--pss baseline] [--k8s-version 1.N] [--quiet] PATH...`

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use afcheck::config::{PssLevel, parse_k8s_version};
use afcheck::engine::{self, Options};

fn main() {
    let mut opts = Options::default();
    let mut paths = Vec::new();
    let mut quiet = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--pss" => {
                opts.settings.pss = args
                    .next()
                    .and_then(|v| PssLevel::parse(&v))
                    .unwrap_or(PssLevel::Restricted)
            }
            "--k8s-version" => {
                if let Some(m) = args.next().and_then(|v| parse_k8s_version(&v)) {
                    opts.settings.k8s_minor = m;
                }
            }
            "--select" => opts.select.extend(args.next()),
            "--quiet" => quiet = true,
            _ => paths.push(PathBuf::from(a)),
        }
    }
    let t = Instant::now();
    let inputs = match engine::discover(&paths, &opts) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let run = engine::run(&inputs, &opts);
    let elapsed = t.elapsed();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &run.findings {
        *counts.entry(f.rule).or_default() += 1;
        if !quiet {
            let file = run.file(f.file);
            let p = file.position(f.span.start());
            println!(
                "{}:{}:{}: {} [{}] {}",
                file.path,
                p.line,
                p.column,
                f.severity.as_str(),
                f.rule,
                f.message
            );
        }
    }
    eprintln!(
        "{} files, {} findings in {:.3}s",
        run.files.len(),
        run.findings.len(),
        elapsed.as_secs_f64()
    );
    for (r, n) in counts {
        eprintln!("  {r}: {n}");
    }
}
