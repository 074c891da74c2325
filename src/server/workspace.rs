//! The workspace: its roots (workspace folders, each with the options of
//! its `.afcheck.yaml`), the index of the files afcheck reads under them
//! (found as the CLI finds them: ignore files and `ignore-paths` respected),
//! and per-file summaries of what links a file to others for the project
//! rules ([`Key`]), from which the files a change can affect are found.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config;
use crate::engine::{self, AnalyzedFile, Input, Options, Parsed};

/// At most this many files are indexed per root (a huge monorepo opened by
/// mistake must not exhaust memory); open documents are always analysed.
pub const MAX_INDEXED_FILES: usize = 20_000;
/// And at most this much text.
pub const MAX_INDEXED_BYTES: u64 = 256 << 20;

/// What ties a file to others in the project rules. Two files with a key in
/// common are analysed together, and so, transitively, is everything
/// linked to them (see [`components`]). The keys over-approximate the
/// links the project rules follow: a namespace (default-deny, service
/// account tokens, Ingress TLS), the Airflow deployment (sources linked
/// across files), a Dockerfile's directory (its `.dockerignore`), a Helm
/// chart (one note per chart).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// Workloads and NetworkPolicies of a namespace (default-deny).
    Network(String),
    /// Pods, ServiceAccounts and role bindings of a namespace (service
    /// account tokens).
    Accounts(String),
    /// Ingresses of a namespace (TLS terminated by another Ingress).
    Ingress(String),
    /// An Airflow source unit (`ConfigMap/<ns>/<name>`, `service/<name>`,
    /// ...), as a file defines it or links to it.
    Unit(String),
    /// A file as an Airflow source links to it (its normalised path).
    File(String),
    Dir(String),
    Chart(String),
}

/// The project rules whose links [`Key`] follows (IDs or prefixes): the
/// Airflow rules and the Helm one through Airflow source units and file
/// links, AFD017 through a Dockerfile's directory, AFK026, AFK031 and AFK033
/// through namespaces, AFY003 through charts. A new project rule must be
/// added here with the key it needs (a test checks the list against the
/// rules that have `check_project`).
pub const LINKED_RULES: &[&str] = &[
    "AFC", "AFH", "AFD017", "AFK026", "AFK031", "AFK033", "AFY003",
];

/// The rule a namespace-wide key serves: when it is not enabled, the key
/// links nothing.
pub fn key_rule(k: &Key) -> Option<&'static str> {
    match k {
        Key::Network(_) => Some("AFK026"),
        Key::Accounts(_) => Some("AFK031"),
        Key::Ingress(_) => Some("AFK033"),
        _ => None,
    }
}

fn parent_of(path: &str) -> String {
    Path::new(path)
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Kinds that run pods.
fn is_workload(kind: &str) -> bool {
    matches!(
        kind,
        "Pod"
            | "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Job"
            | "CronJob"
            | "PodTemplate"
    )
}

/// The keys of one analysed file.
pub fn keys_of(af: &AnalyzedFile) -> Vec<Key> {
    use crate::airflow::sources::{Link, Marker};
    let mut keys = Vec::new();
    let norm = |p: &str| crate::airflow::docker::join_path("", p);
    // An object unit also under its namespace-less form: a reference may
    // resolve across namespaces (a namespace-less object applied into the
    // workload's, a kustomization's `namespace:`).
    let unit = |keys: &mut Vec<Key>, id: &str| {
        keys.push(Key::Unit(id.to_string()));
        if let Some((kind, rest)) = id.split_once('/')
            && let Some((ns, rest)) = rest.split_once('/')
            && !ns.is_empty()
        {
            keys.push(Key::Unit(format!("{kind}//{rest}")));
        }
    };
    if !af.airflow.is_empty() {
        // A kustomization may give this file's objects a namespace.
        keys.push(Key::File(norm(&af.file.path)));
    }
    for s in &af.airflow {
        if !s.unit.is_empty() {
            unit(&mut keys, &s.unit);
        }
        match &s.marker {
            Some(Marker::Link(Link::Object(id) | Link::Value { object: id, .. })) => {
                unit(&mut keys, id)
            }
            Some(Marker::Link(Link::File(p)) | Marker::Namespace { file: p, .. }) => {
                keys.push(Key::File(p.clone()))
            }
            _ => {}
        }
    }
    match &af.parsed {
        Parsed::Dockerfile(_) | Parsed::DockerIgnore | Parsed::Unreadable => {
            keys.push(Key::Dir(parent_of(&af.file.path)));
        }
        Parsed::HelmTemplate { chart } => {
            keys.push(Key::Chart(
                chart.clone().unwrap_or_else(|| parent_of(&af.file.path)),
            ));
        }
        Parsed::Yaml(y) => {
            for obj in &y.objects {
                let ns = obj.namespace.as_deref().unwrap_or("default").to_string();
                let kind = obj.kind.as_str();
                if is_workload(kind) || kind == "NetworkPolicy" {
                    keys.push(Key::Network(ns.clone()));
                }
                if is_workload(kind) || kind == "ServiceAccount" {
                    keys.push(Key::Accounts(ns.clone()));
                }
                if kind == "Ingress" {
                    keys.push(Key::Ingress(ns.clone()));
                }
                if kind == "Namespace"
                    && let Some(n) = &obj.name
                {
                    keys.push(Key::Network(n.clone()));
                }
                // Bindings name service accounts of any namespace.
                if let Some(subjects) = obj
                    .node(&y.stream)
                    .get("subjects")
                    .filter(|_| kind.ends_with("RoleBinding"))
                {
                    for s in subjects.items() {
                        let n = s.get("namespace").and_then(|n| n.as_str()).unwrap_or(&ns);
                        keys.push(Key::Accounts(n.to_string()));
                    }
                }
            }
        }
        Parsed::AirflowCfg(_) => keys.push(Key::File(norm(&af.file.path))),
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Parses `text` as the file `rel` and returns its keys.
pub fn keys_of_text(rel: &str, text: &str, max: u64) -> Vec<Key> {
    let input = Input::Text {
        name: rel.to_string(),
        bytes: text.as_bytes().to_vec(),
    };
    engine::analyze(&input, max)
        .map(|af| keys_of(&af))
        .unwrap_or_default()
}

/// Groups files (given by their keys) into the sets the project rules
/// connect: files sharing a key, transitively. Returns a component number
/// per file.
pub fn components(keys: &[&[Key]]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..keys.len()).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut first: HashMap<&Key, usize> = HashMap::new();
    for (i, ks) in keys.iter().enumerate() {
        for k in ks.iter() {
            match first.get(k) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    first.insert(k, i);
                }
            }
        }
    }
    (0..keys.len()).map(|i| find(&mut parent, i)).collect()
}

/// The options of a root: its `.afcheck.yaml` (the nearest from the root
/// upward), loaded and resolved by the library as the CLI does
/// ([`crate::lint::load_settings_for`]). An invalid configuration gives the
/// defaults and the error, which the server shows. Also returns the path of
/// the file in force.
pub fn options_for(dir: Option<&Path>) -> (Options, Option<PathBuf>, Option<String>) {
    let Some(dir) = dir else {
        return (Options::default(), None, None);
    };
    match crate::lint::load_settings_for(dir, &crate::config::Overrides::default()) {
        Ok(r) => {
            let path = r.options.config.path.clone();
            (r.options, path, None)
        }
        Err(e) => (Options::default(), config::discover(dir), Some(e)),
    }
}

/// One indexed file.
#[derive(Clone, Debug)]
pub struct Indexed {
    pub path: PathBuf,
    /// The path the engine sees: relative to the root, `/`-separated.
    pub rel: String,
    pub text: Arc<str>,
    pub keys: Arc<Vec<Key>>,
}

/// The root-relative engine path of `path`.
pub fn rel_path(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let s = rel.to_str()?.replace('\\', "/");
    (!s.is_empty()).then_some(s)
}

/// Finds and reads the files afcheck checks under `dir`, as `afcheck dir`
/// finds them, and summarises each. Files not UTF-8 or not afcheck's are
/// left out (an open document is always analysed).
pub fn index(dir: &Path, opts: &Options) -> (Vec<Indexed>, bool) {
    let Ok(inputs) = engine::discover(&[dir.to_path_buf()], opts) else {
        return (Vec::new(), false);
    };
    let ignore = opts.config.ignore_path_set();
    let mut paths: Vec<(PathBuf, String)> = inputs
        .into_iter()
        .filter_map(|i| match i {
            Input::File { path, .. } => {
                let rel = rel_path(dir, &path)?;
                (!ignore.is_match(&rel)).then_some((path, rel))
            }
            _ => None,
        })
        .collect();
    let mut truncated = paths.len() > MAX_INDEXED_FILES;
    paths.truncate(MAX_INDEXED_FILES);
    // And at most MAX_INDEXED_BYTES of text, by the sizes on disk.
    let mut total = 0u64;
    let keep = paths
        .iter()
        .take_while(|(p, _)| {
            total += std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
            total <= MAX_INDEXED_BYTES
        })
        .count();
    truncated |= keep < paths.len();
    paths.truncate(keep);
    let max = opts.max_file_size;
    let files = paths
        .into_par_iter()
        .filter_map(|(path, rel)| {
            let bytes = crate::safe_read::read_regular(&path, max).ok()?;
            let text = String::from_utf8(bytes).ok()?;
            let af = engine::analyze(
                &Input::Text {
                    name: rel.clone(),
                    bytes: text.as_bytes().to_vec(),
                },
                max,
            )?;
            let keys = Arc::new(keys_of(&af));
            drop(af);
            Some(Indexed {
                path,
                rel,
                text: Arc::from(text),
                keys,
            })
        })
        .collect();
    (files, truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_join_shared_keys_transitively() {
        let a = [Key::Network("x".into())];
        let b = [Key::Network("x".into()), Key::Unit("u".into())];
        let c = [Key::Unit("u".into())];
        let d = [Key::Dir("d".into())];
        let comp = components(&[&a, &b, &c, &d]);
        assert_eq!(comp[0], comp[1]);
        assert_eq!(comp[1], comp[2]);
        assert_ne!(comp[0], comp[3]);
    }

    #[test]
    fn keys_of_manifests_and_dockerfiles() {
        let k = keys_of_text(
            "k/a.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: web\n",
            1 << 20,
        );
        assert_eq!(
            k,
            vec![Key::Network("web".into()), Key::Accounts("web".into())]
        );
        // A Dockerfile copying an airflow.cfg links to that file.
        let k = keys_of_text(
            "img/Dockerfile",
            "FROM apache/airflow:2.9.0\nCOPY airflow.cfg /opt/airflow/airflow.cfg\n",
            1 << 20,
        );
        assert!(k.contains(&Key::Dir("img".into())), "{k:?}");
        assert!(k.contains(&Key::File("img/airflow.cfg".into())), "{k:?}");
        let k = keys_of_text("img/airflow.cfg", "[core]\nload_examples = True\n", 1 << 20);
        assert!(k.contains(&Key::File("img/airflow.cfg".into())), "{k:?}");
        // A namespaced workload's `valueFrom` reaches a namespace-less
        // ConfigMap; a kustomization reaches the files it gives a namespace.
        let dep = keys_of_text(
            "k/d.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: web\nspec:\n  containers:\n    - name: c\n      env:\n        - name: AIRFLOW__CORE__LOAD_EXAMPLES\n          valueFrom: {configMapKeyRef: {name: v, key: k}}\n",
            1 << 20,
        );
        let cm = keys_of_text(
            "k/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v\ndata:\n  k: \"True\"\n",
            1 << 20,
        );
        let kust = keys_of_text(
            "k/kustomization.yaml",
            "namespace: web\nresources: [cm.yaml]\n",
            1 << 20,
        );
        let comp = components(&[&dep, &cm, &kust]);
        assert_eq!(comp[0], comp[1], "{dep:?} {cm:?}");
        assert_eq!(comp[1], comp[2], "{cm:?} {kust:?}");
    }
}
