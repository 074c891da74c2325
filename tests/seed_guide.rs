//! The seed guide's artifacts (fixtures/seed-guide): nine YAML files fuse
//! several Kubernetes objects into one document because a `---` is missing.
//! Each must report AFY002 at every repeated top-level key, with the first
//! occurrence as related span, and every fused object must be recovered.

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
        &[
            (51, 5),
            (52, 6),
            (53, 7),
            (55, 9),
            (87, 5),
            (88, 6),
            (89, 7),
            (91, 9),
        ],
        &["NetworkPolicy", "NetworkPolicy", "NetworkPolicy"],
    ),
    (
        "resource-management.yaml",
        3,
        &[
            (31, 5),
            (32, 6),
            (33, 7),
            (35, 9),
            (53, 5),
            (54, 6),
            (55, 7),
            (57, 9),
        ],
        &[
            "HorizontalPodAutoscaler",
            "VerticalPodAutoscaler",
            "ResourceQuota",
        ],
    ),
    (
        "storage-configuration.yaml",
        3,
        &[
            (21, 5),
            (22, 6),
            (23, 7),
            (25, 9),
            (34, 5),
            (35, 6),
            (36, 7),
        ],
        &["PersistentVolume", "PersistentVolumeClaim", "StorageClass"],
    ),
    (
        "config-management.yaml",
        2,
        &[(49, 5), (50, 6), (51, 7), (54, 9)],
        &["ConfigMap", "Secret"],
    ),
    (
        "runtime-security.yaml",
        2,
        &[(41, 5), (42, 6), (43, 7)],
        &["PodSecurityPolicy", "Namespace"],
    ),
    (
        "network-security.yaml",
        2,
        &[(36, 5), (37, 6), (38, 7), (41, 9)],
        &["NetworkPolicy", "AuthorizationPolicy"],
    ),
    (
        "prometheus-monitoring.yaml",
        2,
        &[(21, 5), (22, 6), (23, 7), (25, 11)],
        &["ServiceMonitor", "PrometheusRule"],
    ),
    (
        "backup-strategy.yaml",
        2,
        &[(46, 5), (47, 6), (48, 7), (50, 9)],
        &["CronJob", "CronJob"],
    ),
    (
        // Three documents; the second fuses two Deployments.
        "deployment-strategies.yaml",
        4,
        &[(47, 26), (48, 27), (49, 28), (51, 30)],
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
        // apiVersion/kind repeats say that a `---` is missing.
        for (_, _, msg) in found {
            if msg.contains("`apiVersion`") || msg.contains("`kind`") {
                assert!(msg.contains("`---`"), "{name}: {msg}");
            }
        }
        let af = r
            .files
            .iter()
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
    for af in &r.files {
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
    let af = r
        .files
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
