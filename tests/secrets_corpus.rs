//! The secret rules over the shared corpus (`../shared/corpus`, when
//! present): a bound on findings (each one was reviewed as a literal
//! credential), no secret in any message, and the cost of the scan.

use std::path::PathBuf;
use std::time::Instant;

use afcheck::document::secret_hits;
use afcheck::engine::{self, Options};
use afcheck::report::redact::mask;

fn corpus(sub: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(sub);
    assert!(
        p.is_dir(),
        "{} is missing: run scripts/fetch-test-data.sh",
        p.display()
    );
    Some(p)
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/corpus; run scripts/fetch-test-data.sh"
)]
fn corpus_findings_are_bounded_and_masked() {
    // The review covered the Dockerfile and manifest corpora; the Airflow
    // deployment corpus (Compose, chart values) is reviewed by the Airflow
    // tests.
    let (Some(k8s), Some(docker)) = (corpus("k8s"), corpus("dockerfiles")) else {
        eprintln!("corpus not present; skipped");
        return;
    };
    let opts = Options {
        select: vec!["AFS".into()],
        ..Options::default()
    };
    let inputs = engine::discover(&[k8s, docker], &opts).unwrap();
    let run = engine::run(&inputs, &opts);
    // Reviewed: 22 literal passwords (AFS005) for password keys in workload
    // env vars and ConfigMap properties of the k8s corpus, and 7 in the
    // Dockerfile corpus (found since the walk discovers `<name>__Dockerfile`;
    // with only AFS selected, the AFD016 ones are not deduplicated):
    // AFS005 `ENV PASSWORD password` (vimagick hans__Dockerfile,
    // hans__arm__Dockerfile), `VPN_PASSWORD=password` (ocserv__Dockerfile),
    // `MG_PASS admin` (mediagoblin__Dockerfile), `MAIL_PASS admin`
    // (tmail__Dockerfile); AFS007 `GOOGLE_API_KEY` and
    // `GOOGLE_DEFAULT_CLIENT_SECRET` (jessfraz chromium__Dockerfile). Not
    // reported any more: `--aes-pwd proxy-secret` (mtproxy__Dockerfile and
    // mtproxy__Dockerfile.alpine), a file name, not a password.
    let afs: Vec<_> = run
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("AFS"))
        .collect();
    assert!(
        afs.len() <= 29,
        "{} AFS findings on the corpus (reviewed: 29)",
        afs.len()
    );
    for f in afs {
        let file = run.file(f.file);
        assert_eq!(
            f.secrets,
            vec![f.span],
            "{}: the finding's span is the secret",
            file.path
        );
        let secret = file.slice(f.span);
        assert!(!secret.is_empty());
        // The message shows the masked value only (a short value such as
        // `password` may still occur as a word of the message itself).
        assert!(
            f.message.contains(&format!("`{}`", mask(secret))),
            "{}: {}",
            file.path,
            f.message
        );
        if secret.len() >= 12 {
            assert!(
                !f.message.contains(secret),
                "{}: message shows the secret",
                file.path
            );
        }
    }
}

/// Run with `cargo test --release --test secrets_corpus -- --ignored --nocapture`.
/// Full engine runs with and without the AFS rules, alternated (the minimum
/// of each is robust to other load on the machine), and the secret scan
/// alone on one thread.
#[test]
#[ignore = "perf: run alone with --release --ignored"]
fn scan_cost_on_k8s_corpus() {
    let Some(root) = corpus("k8s") else { return };
    let without = Options {
        ignore: vec!["AFS".into()],
        ..Options::default()
    };
    let with = Options::default();
    let inputs = engine::discover(&[root], &with).unwrap();
    let (mut best_without, mut best_with) = (std::time::Duration::MAX, std::time::Duration::MAX);
    for _ in 0..7 {
        let t = Instant::now();
        let r = engine::run(&inputs, &without);
        best_without = best_without.min(t.elapsed());
        drop(r);
        let t = Instant::now();
        let r = engine::run(&inputs, &with);
        best_with = best_with.min(t.elapsed());
        drop(r);
    }
    // The documents, as the engine builds them (a run keeps only summaries).
    let docs: Vec<_> = inputs
        .iter()
        .filter_map(|i| engine::analyze(i, without.max_file_size))
        .collect();
    let mut best = std::time::Duration::MAX;
    let mut hits = 0;
    for _ in 0..7 {
        let t = Instant::now();
        hits = 0;
        for f in &docs {
            hits += secret_hits(&f.file, &f.parsed).len();
        }
        best = best.min(t.elapsed());
    }
    let bytes: usize = docs.iter().map(|f| f.file.text.len()).sum();
    eprintln!(
        "{} files, {} bytes: full run without AFS {:?}, with AFS {:?} ({:+.1}%); secret scan alone (one thread) {:?}; {} hits",
        docs.len(),
        bytes,
        best_without,
        best_with,
        (best_with.as_secs_f64() / best_without.as_secs_f64() - 1.0) * 100.0,
        best,
        hits
    );
}

#[test]
#[ignore = "perf: run alone with --release --ignored"]
fn scan_cost_parts() {
    let Some(root) = corpus("k8s") else { return };
    let opts = Options {
        ignore: vec!["AFS".into()],
        ..Options::default()
    };
    let inputs = engine::discover(&[root], &opts).unwrap();
    let docs: Vec<_> = inputs
        .iter()
        .filter_map(|i| engine::analyze(i, opts.max_file_size))
        .collect();
    let t = Instant::now();
    let mut n = 0;
    for f in &docs {
        let mut v = Vec::new();
        afcheck::secrets::detect::scan_tokens(&f.file.text, 0, &mut v);
        n += v.len();
    }
    eprintln!("tokens: {:?} ({n} raw hits)", t.elapsed());
}
