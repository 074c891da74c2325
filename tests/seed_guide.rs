//! The seed guide's artifacts (fixtures/seed-guide): nine YAML files fuse
//! several Kubernetes objects into one document because a `---` is missing.
//! Each must report AFY002 once per fused object, at the repeated top-level
//! key that starts it (`apiVersion` in all nine), with the first occurrence
//! as related span; every fused object must be recovered.

use std::collections::BTreeMap;
use std::path::PathBuf;

use afcheck::engine::{Options, discover, run};

/// (file, objects recovered, [(line of the repeated key, line of the first
/// occurrence)], kinds of the objects in order)
type Case = (
    &'static str,
    usize,
    &'static [(u32, u32)],
    &'static [&'static str],
);

const FUSED: &[Case] = &[
    (
        "network-policies.yaml",
        3,
        &[(51, 5), (87, 5)],
        &["NetworkPolicy", "NetworkPolicy", "NetworkPolicy"],
    ),
    (
        "resource-management.yaml",
        3,
        &[(31, 5), (53, 5)],
        &[
            "HorizontalPodAutoscaler",
            "VerticalPodAutoscaler",
            "ResourceQuota",
        ],
    ),
    (
        "storage-configuration.yaml",
        3,
        &[(21, 5), (34, 5)],
        &["PersistentVolume", "PersistentVolumeClaim", "StorageClass"],
    ),
    (
        "config-management.yaml",
        2,
        &[(49, 5)],
        &["ConfigMap", "Secret"],
    ),
    (
        "runtime-security.yaml",
        2,
        &[(41, 5)],
        &["PodSecurityPolicy", "Namespace"],
    ),
    (
        "network-security.yaml",
        2,
        &[(36, 5)],
        &["NetworkPolicy", "AuthorizationPolicy"],
    ),
    (
        "prometheus-monitoring.yaml",
        2,
        &[(21, 5)],
        &["ServiceMonitor", "PrometheusRule"],
    ),
    (
        "backup-strategy.yaml",
        2,
        &[(46, 5)],
        &["CronJob", "CronJob"],
    ),
    (
        // Three documents; the second fuses two Deployments.
        "deployment-strategies.yaml",
        4,
        &[(47, 26)],
        &["Deployment", "Deployment", "Deployment", "Deployment"],
    ),
];

#[test]
fn seed_guide_fused_objects() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed-guide");
    let opts = Options::default();
    let inputs = discover(std::slice::from_ref(&dir), &opts).expect("discover");
    let r = run(&inputs, &opts);

    // AFY002 findings by file name: (line, related line, message).
    let mut got: BTreeMap<String, Vec<(u32, u32, String)>> = BTreeMap::new();
    for f in &r.findings {
        let file = r.file(f.file);
        let name = file
            .path
            .rsplit('/')
            .next()
            .unwrap_or(&file.path)
            .to_string();
        assert_ne!(f.rule, "AFY001", "{name}: {}", f.message);
        assert_ne!(f.rule, "AFY005", "{name}: {}", f.message);
        if f.rule != "AFY002" {
            continue;
        }
        assert_eq!(f.related.len(), 1, "{name}: {}", f.message);
        let rel = &f.related[0];
        assert_eq!(rel.file, f.file);
        let line = file.position(f.span.start()).line;
        let rel_line = file.position(rel.span.start()).line;
        // The related span is the same key, earlier.
        assert_eq!(file.slice(f.span), file.slice(rel.span));
        got.entry(name)
            .or_default()
            .push((line, rel_line, f.message.clone()));
    }

    assert_eq!(
        got.keys().collect::<Vec<_>>().len(),
        FUSED.len(),
        "files with AFY002: {:?}",
        got.keys().collect::<Vec<_>>()
    );
    for (name, objects, dups, kinds) in FUSED {
        let found = got
            .get(*name)
            .unwrap_or_else(|| panic!("{name}: no AFY002"));
        let lines: Vec<(u32, u32)> = found.iter().map(|(l, r, _)| (*l, *r)).collect();
        assert_eq!(&lines, dups, "{name}");
        // Each says that a `---` is missing.
        for (_, _, msg) in found {
            assert!(
                msg.starts_with("`apiVersion` repeats at the top level"),
                "{name}: {msg}"
            );
            assert!(msg.contains("`---`"), "{name}: {msg}");
        }
        // The document as the engine builds it (a run keeps summaries).
        let af = inputs
            .iter()
            .filter_map(|i| afcheck::engine::analyze(i, opts.max_file_size))
            .find(|f| f.file.path.ends_with(&format!("/{name}")))
            .unwrap_or_else(|| panic!("{name} not analysed"));
        let y = af.yaml().expect("parsed as YAML");
        assert_eq!(y.objects.len(), *objects, "{name}");
        let got_kinds: Vec<&str> = y.objects.iter().map(|o| o.kind.as_str()).collect();
        assert_eq!(&got_kinds, kinds, "{name}");
        assert!(y.objects.iter().any(|o| o.fused), "{name}");
        // Every object has its own name and only its own keys.
        for o in &y.objects {
            assert!(o.name.is_some(), "{name}: {}", o.display());
        }
    }
}

#[test]
fn seed_guide_other_artifacts_are_clean_yaml() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed-guide");
    let opts = Options::default();
    let inputs = discover(std::slice::from_ref(&dir), &opts).expect("discover");
    let r = run(&inputs, &opts);
    let names: Vec<&str> = r
        .files
        .iter()
        .map(|f| f.file.path.rsplit('/').next().unwrap_or(""))
        .collect();
    for want in [
        "Dockerfile.best_practices",
        "Dockerfile.hardened",
        "Dockerfile.python-deps",
        ".dockerignore",
        "values.yaml",
        "scheduler-optimization.yaml",
    ] {
        assert!(names.contains(&want), "{want} not analysed: {names:?}");
    }
    // The documents, as the engine builds them (a run keeps summaries).
    let docs: Vec<_> = inputs
        .iter()
        .filter_map(|i| afcheck::engine::analyze(i, opts.max_file_size))
        .collect();
    for af in &docs {
        if let Some(y) = af.yaml() {
            assert!(
                y.stream.errors.is_empty(),
                "{}: {:?}",
                af.file.path,
                y.stream.errors
            );
        }
    }
    // The ConfigMap's embedded airflow.cfg maps back to the file's lines.
    let af = docs
        .iter()
        .find(|f| f.file.path.ends_with("scheduler-optimization.yaml"))
        .expect("scheduler-optimization.yaml");
    let y = af.yaml().expect("yaml");
    let cfg = y.objects[0]
        .node(&y.stream)
        .path(&["data", "airflow.cfg"])
        .expect("data.airflow.cfg");
    let v = cfg.as_str().expect("text");
    let at = v.find("max_tis_per_query").expect("setting");
    let map = cfg.scalar_map(&af.file.text);
    let off = map.map(at);
    let p = af.file.position(off);
    assert_eq!(
        af.file.slice(afcheck::source::Span::new(off, off + 17)),
        "max_tis_per_query"
    );
    assert_eq!((p.line, p.column), (21, 5));
}
