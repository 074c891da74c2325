//! AFC002 names only targets the release reads: for every release in
//! `../shared/reference/airflow/versions/`, every option name any release,
//! rename table, section rename or `config lint` table knows, written in an
//! airflow.cfg and judged at that release, gives no "moved to `[s] k`"
//! advice whose `[s] k` that release does not declare (its `config.yml`
//! options, its provider fallback defaults, or a provider's options).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use afcheck::airflow::knowledge::{self, Status, Version};
use serde_json::Value;

fn reference() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/airflow")
}

fn read(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn s(v: &Value) -> String {
    v.as_str().unwrap().to_string()
}

type Key = (String, String);

/// Every release's data, in release order.
fn releases() -> Vec<(String, Value)> {
    let dir = reference().join("versions");
    let index = read(&dir.join("index.json"));
    let mut v: Vec<&Value> = index["versions"].as_array().unwrap().iter().collect();
    v.sort_by_key(|r| r["order"].as_u64().unwrap());
    v.iter()
        .map(|r| {
            let r = s(&r["version"]);
            let data = read(&dir.join(format!("{r}.json")));
            (r, data)
        })
        .collect()
}

/// What one release declares: config.yml options and fallback defaults.
fn declared(data: &Value) -> BTreeSet<Key> {
    let mut out = BTreeSet::new();
    for o in data["options"].as_array().unwrap() {
        out.insert((s(&o["section"]), s(&o["key"])));
    }
    for f in data["fallback_defaults"].as_array().into_iter().flatten() {
        out.insert((s(&f["section"]), s(&f["key"])));
    }
    out
}

/// The provider packages' options (read whatever the release, when the
/// provider is installed).
fn provider_options() -> BTreeSet<Key> {
    let d = read(&reference().join("airflow-options.json"));
    let mut out = BTreeSet::new();
    for (sec, v) in d["sections"].as_object().unwrap() {
        if v["origin"].as_str().is_some_and(|o| o.contains("(core)")) {
            continue;
        }
        for k in v["options"].as_object().into_iter().flatten().map(|o| o.0) {
            out.insert((sec.clone(), k.clone()));
        }
    }
    out
}

/// Every name worth writing: options of every release and provider, old
/// names of every rename, old sections of every section rename with every
/// key any section has (and a few keys no release has), `config lint`
/// entries, curated changes.
fn candidates(rel: &[(String, Value)], providers: &BTreeSet<Key>) -> BTreeSet<Key> {
    let mut out: BTreeSet<Key> = providers.clone();
    let mut old_sections = BTreeSet::new();
    for (_, d) in rel {
        out.extend(declared(d));
        for r in d["deprecated_options"].as_array().unwrap() {
            out.insert((s(&r["old_section"]), s(&r["old_key"])));
            out.insert((s(&r["new_section"]), s(&r["new_key"])));
        }
        for m in d["many_to_one_deprecated_options"]
            .as_array()
            .into_iter()
            .flatten()
        {
            for o in m["old"].as_array().unwrap() {
                out.insert((s(&o["old_section"]), s(&o["old_key"])));
            }
        }
        for r in d["deprecated_sections"].as_array().into_iter().flatten() {
            old_sections.insert(s(&r["old_section"]));
        }
    }
    let changes = read(&reference().join("airflow-config-changes.json"));
    for c in changes["all_changes_flat"].as_array().unwrap() {
        if let (Some(sec), Some(key)) = (c["old_section"].as_str(), c["old_key"].as_str()) {
            out.insert((sec.to_string(), key.to_string()));
        }
    }
    let keys: BTreeSet<String> = out
        .iter()
        .map(|k| k.1.clone())
        .chain(
            [
                "airflow_configmap",
                "airflow_local_settings_configmap",
                "no_such_key",
            ]
            .map(String::from),
        )
        .collect();
    for sec in &old_sections {
        for k in &keys {
            out.insert((sec.clone(), k.clone()));
        }
    }
    out
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/reference/airflow; run scripts/fetch-test-data.sh"
)]
fn afc002_targets_are_declared_at_every_release() {
    let rel = releases();
    assert!(rel.len() >= 36, "{} releases", rel.len());
    let providers = provider_options();
    assert!(providers.contains(&("fab".into(), "enable_proxy_fix".into())));
    let cands = candidates(&rel, &providers);
    let re = regex::Regex::new(r"(?:moved|renamed) to `\[([^\]]+)\] ([^`]+)`").unwrap();
    let mut failures = Vec::new();
    let mut advices = 0usize;
    // One airflow.cfg per release with every candidate name.
    let mut by_section: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (sec, key) in &cands {
        by_section.entry(sec).or_default().push(key);
    }
    let mut cfg = String::new();
    for (sec, keys) in &by_section {
        cfg.push_str(&format!("[{sec}]\n"));
        for k in keys {
            cfg.push_str(&format!("{k} = x\n"));
        }
    }
    for (release, data) in &rel {
        let ver = Version::parse(release).unwrap();
        let mut reads = declared(data);
        reads.extend(providers.iter().cloned());
        // The knowledge layer: every alias or rename target is declared.
        for (sec, key) in &cands {
            let target = match knowledge::status(sec, key, ver) {
                Status::Alias(a) => (a.new_section.to_string(), a.new_key),
                Status::Renamed {
                    new_section,
                    new_key,
                    ..
                } => (new_section, new_key),
                _ => continue,
            };
            advices += 1;
            if !reads.contains(&target) {
                failures.push(format!(
                    "{release}: [{sec}] {key} -> [{}] {} (not declared)",
                    target.0, target.1
                ));
            }
        }
        // The rule: what AFC002 prints names a declared option.
        let mut opts = afcheck::lint::Options::default();
        opts.settings.airflow_version = Some(release.clone());
        let run = afcheck::lint::lint_document("airflow.cfg", &cfg, &opts);
        for f in run.findings.iter().filter(|f| f.rule == "AFC002") {
            let Some(c) = re.captures(&f.message) else {
                failures.push(format!("{release}: AFC002 without a target: {}", f.message));
                continue;
            };
            let t = (c[1].to_string(), c[2].to_string());
            if !reads.contains(&t) {
                failures.push(format!("{release}: {}", f.message));
            }
        }
    }
    assert!(advices > 1000, "only {advices} advices checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The official chart's `config.kubernetes.airflow_configmap` (an Airflow
/// 1.10 option the chart still writes) is not advised to move to
/// `[kubernetes_executor]`, which no release declares it in: it is unknown
/// at every release, and a key the new section declares still moves.
#[test]
fn section_rename_only_for_declared_keys() {
    let v = |s: &str| Version::parse(s).unwrap();
    for r in ["2.4.3", "2.5.3", "2.9.3", "2.11.2", "3.0.2", "3.3.2"] {
        assert_eq!(
            knowledge::status("kubernetes", "airflow_configmap", v(r)),
            Status::Unknown,
            "{r}"
        );
    }
    assert!(matches!(
        knowledge::status("kubernetes", "namespace", v("2.9.3")),
        Status::Alias(ref a) if a.new_section == "kubernetes_executor" && a.new_key == "namespace"
    ));
    assert!(matches!(
        knowledge::status("kubernetes", "pod_template_file", v("3.0.2")),
        Status::Renamed { ref new_section, .. } if new_section == "kubernetes_executor"
    ));
}
