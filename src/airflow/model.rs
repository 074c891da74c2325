//! The per-process view of Airflow configuration: settings grouped by the
//! links written in the files (a container's env, envFrom and mounted
//! airflow.cfg; a Dockerfile's COPY of an airflow.cfg; a Compose service's
//! environment and build; one Helm values file), the target Airflow version
//! of each group, and effective values with Airflow's precedence. See
//! docs/airflow-sources.md.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::knowledge::Version;
use super::sources::{Link, Marker, Setting, SourceKind, Via};
use crate::config::Settings;
use crate::source::Span;

/// A setting with the index of its file in the run.
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    pub file: u32,
    pub s: &'a Setting,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionFrom {
    /// What the group is linked to: an `apache/airflow` (or Astronomer
    /// Runtime) image, a `pip install apache-airflow==X` pin, a chart
    /// version key.
    Image,
    /// `--airflow-version` / `airflow-version:` (nothing in the group says).
    Explicit,
    /// Nothing found and no flag: the documented default (the newest
    /// release afcheck knows).
    Newest,
}

/// The sources that configure one Airflow process: a root unit (a
/// container, a Compose service, a Dockerfile, a Helm values file, or a
/// source nothing links to) and every unit it links to.
#[derive(Debug)]
pub struct Group<'a> {
    /// `<path>#<unit>` of the root unit.
    pub key: String,
    /// The file of the root unit.
    pub root_file: u32,
    pub version: Version,
    pub version_from: VersionFrom,
    /// The image (or pin, or chart version key) the version was taken from.
    pub version_at: Option<At<'a>>,
    pub settings: Vec<At<'a>>,
}

impl Group<'_> {
    /// "Airflow 2.9.3", for messages (where the version comes from is in
    /// the related location, or once in the run's summary).
    pub fn version_label(&self) -> String {
        format!("Airflow {}", self.version)
    }
    /// Adds the location the target version comes from as a related span.
    pub fn relate_version(&self, f: crate::finding::Finding) -> crate::finding::Finding {
        match self.version_at {
            Some(a) => f.with_related(
                a.file,
                a.s.key_span,
                format!("target Airflow {} taken from here", self.version),
            ),
            None => f,
        }
    }
    pub fn is_helm(&self) -> bool {
        self.settings
            .iter()
            .any(|a| matches!(a.s.source, SourceKind::HelmConfig | SourceKind::HelmEnv))
    }
    /// Options (not markers) of the group.
    pub fn options(&self) -> impl Iterator<Item = At<'_>> + '_ {
        self.settings.iter().copied().filter(|a| a.s.is_option())
    }
    /// Every read (case-correct) setting of `section`/`key`, best first by
    /// Airflow's precedence: env, env `_CMD`, env `_SECRET`, file, file
    /// `_cmd`, file `_secret` (`[DEFAULT]` after the section in a file).
    pub fn candidates(&self, section: &str, key: &str) -> Vec<At<'_>> {
        let mut v: Vec<(u8, At<'_>)> = self
            .settings
            .iter()
            .copied()
            .filter(|a| a.s.marker.is_none())
            .filter(|a| {
                a.s.case_ok
                    && a.s.key == key
                    && (a.s.section == section
                        || (a.s.section == super::cfg::DEFAULT_SECTION
                            && a.s.source.is_file()
                            && self.has_section(a.file, section)))
            })
            .map(|a| (rank(a.s, section), a))
            .collect();
        v.sort_by_key(|(r, _)| *r);
        v.into_iter().map(|(_, a)| a).collect()
    }
    /// Does file `file` have a `[section]` header (for `[DEFAULT]` fallbacks)?
    fn has_section(&self, file: u32, section: &str) -> bool {
        self.settings.iter().any(|b| {
            b.file == file && b.s.marker == Some(Marker::Section) && b.s.section == section
        })
    }
    /// Every read option of the group by (section, key), each list best
    /// first by precedence (no `[DEFAULT]` fallbacks).
    pub fn by_option(&self) -> BTreeMap<(&str, &str), Vec<At<'_>>> {
        let mut m: BTreeMap<(&str, &str), Vec<At<'_>>> = BTreeMap::new();
        for a in self.options().filter(|a| a.s.case_ok) {
            m.entry((a.s.section.as_str(), a.s.key.as_str()))
                .or_default()
                .push(a);
        }
        for (k, v) in m.iter_mut() {
            v.sort_by_key(|a| rank(a.s, k.0));
        }
        m
    }
    /// The setting whose value Airflow uses for `section`/`key`, if any.
    pub fn effective(&self, section: &str, key: &str) -> Option<At<'_>> {
        self.candidates(section, key).into_iter().next()
    }
    /// True when the group holds any option from a source of `kind`.
    pub fn has_source(&self, pred: impl Fn(SourceKind) -> bool) -> bool {
        self.options().any(|a| pred(a.s.source))
    }
}

fn rank(s: &Setting, section: &str) -> u8 {
    let via = match s.via {
        Via::Value => 0,
        Via::Cmd => 1,
        Via::Secret => 2,
    };
    // For one variable name, the container's (or service's) own env wins
    // over a Compose `env_file`, which wins over the image's ENV.
    let src = match s.source {
        SourceKind::EnvVar | SourceKind::HelmEnv | SourceKind::ComposeEnv => 0,
        SourceKind::ComposeEnvFile => 1,
        SourceKind::DockerEnv => 2,
        _ => 9,
    };
    let default = u8::from(s.section != section);
    if s.source.is_env() {
        via * 3 + src
    } else {
        src + via * 2 + default
    }
}

/// Where a Kubernetes reference by name resolves when several files define
/// an object of that kind, namespace and name: the referencing file itself,
/// else the files in its directory, else the one file whose directory shares
/// the longest prefix with it; when that is a tie, none (each is judged on
/// its own rather than guessing).
fn pick(cands: &[u32], from: u32, dirs: &[String]) -> Vec<u32> {
    if cands.contains(&from) {
        return vec![from];
    }
    let here = dirs[from as usize].as_str();
    let same: Vec<u32> = cands
        .iter()
        .copied()
        .filter(|&c| dirs[c as usize] == here)
        .collect();
    if !same.is_empty() {
        return same;
    }
    let common = |d: &str| {
        d.split('/')
            .zip(here.split('/'))
            .take_while(|(a, b)| a == b && !a.is_empty())
            .count()
    };
    let best = cands.iter().map(|&c| common(&dirs[c as usize])).max();
    let top: Vec<u32> = cands
        .iter()
        .copied()
        .filter(|&c| Some(common(&dirs[c as usize])) == best)
        .collect();
    if top.len() == 1 { top } else { Vec::new() }
}

type UnitKey<'a> = (u32, &'a str);

/// What the grouping reads of one file of the run: its reported path and
/// the Airflow settings it contributes.
#[derive(Clone, Copy, Debug)]
pub struct FileSettings<'a> {
    pub path: &'a str,
    pub settings: &'a [Setting],
}

/// `Kind/<ns>/<rest>` split into (kind, namespace, rest); None for units
/// that are not namespaced objects (`""`, Compose's `service/<name>`).
fn split_object(id: &str) -> Option<(&str, &str, &str)> {
    let (kind, rest) = id.split_once('/')?;
    let (ns, rest) = rest.split_once('/')?;
    Some((kind, ns, rest))
}

/// `id` with its namespace replaced by `ns` (when it names an object).
fn in_namespace(id: &str, ns: Option<&str>) -> String {
    match (ns, split_object(id)) {
        (Some(ns), Some((kind, _, rest))) => format!("{kind}/{ns}/{rest}"),
        _ => id.to_string(),
    }
}

/// The links of a run, read once: the source units, the objects they
/// define (by the namespace they are applied into), the ConfigMap and
/// Secret keys `valueFrom` references read, and the namespace a
/// kustomization gives a file.
struct Index<'a> {
    units: BTreeMap<UnitKey<'a>, Vec<At<'a>>>,
    /// Object id (`Kind/<ns>/<name>[#key]`, namespace as applied) -> the
    /// units defining it.
    objects: HashMap<String, Vec<UnitKey<'a>>>,
    /// (file, unit, key) -> the `Marker::Key` setting.
    keys: HashMap<(u32, &'a str, &'a str), &'a Setting>,
    /// Per file: the namespace a kustomization applies its objects into,
    /// with the `resources:` entry that says so.
    namespace: Vec<Option<(&'a str, At<'a>)>>,
    dirs: Vec<String>,
    by_path: HashMap<String, u32>,
}

impl<'a> Index<'a> {
    fn new(files: &[FileSettings<'a>]) -> Index<'a> {
        let norm: Vec<String> = files
            .iter()
            .map(|f| super::docker::join_path("", f.path))
            .collect();
        let dirs: Vec<String> = norm
            .iter()
            .map(|p| super::docker::dir_of(p).to_string())
            .collect();
        let by_path: HashMap<String, u32> = norm
            .into_iter()
            .enumerate()
            .map(|(i, p)| (p, i as u32))
            .collect();
        // Namespaces given by kustomizations; two different ones for one
        // file: none (the file's own).
        let mut namespace: Vec<Option<(&'a str, At<'a>)>> = vec![None; files.len()];
        let mut conflict: HashSet<u32> = HashSet::new();
        for (i, f) in files.iter().enumerate() {
            for s in f.settings {
                let Some(Marker::Namespace {
                    file,
                    namespace: ns,
                }) = &s.marker
                else {
                    continue;
                };
                let Some(&t) = by_path.get(file.as_str()) else {
                    continue;
                };
                let at = At { file: i as u32, s };
                match &namespace[t as usize] {
                    None => namespace[t as usize] = Some((ns.as_str(), at)),
                    Some((other, _)) if *other != ns.as_str() => {
                        conflict.insert(t);
                    }
                    Some(_) => {}
                }
            }
        }
        for t in conflict {
            namespace[t as usize] = None;
        }
        let mut units: BTreeMap<UnitKey<'a>, Vec<At<'a>>> = BTreeMap::new();
        let mut objects: HashMap<String, Vec<UnitKey<'a>>> = HashMap::new();
        let mut keys: HashMap<(u32, &'a str, &'a str), &'a Setting> = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            let i = i as u32;
            let ns = namespace[i as usize].map(|(n, _)| n);
            let mut last: Option<&str> = None;
            for s in f.settings {
                let unit = s.unit.as_str();
                if !unit.is_empty() && last != Some(unit) {
                    let list = objects.entry(in_namespace(unit, ns)).or_default();
                    // This file's entries are the last ones of the list.
                    if !list
                        .iter()
                        .rev()
                        .take_while(|e| e.0 == i)
                        .any(|e| e.1 == unit)
                    {
                        list.push((i, unit));
                    }
                }
                last = Some(unit);
                match &s.marker {
                    Some(Marker::Namespace { .. }) => {}
                    Some(Marker::Key) => {
                        keys.entry((i, unit, s.name.as_str())).or_insert(s);
                    }
                    _ => units.entry((i, unit)).or_default().push(At { file: i, s }),
                }
            }
        }
        Index {
            units,
            objects,
            keys,
            namespace,
            dirs,
            by_path,
        }
    }

    /// The units a reference `id` (`Kind/<ns>/<name>[#key]`, as written in
    /// file `from`) resolves to: an object of that kind, name and
    /// namespace (the workload's namespace as applied); else, from a
    /// namespaced workload, the one namespace-less object of that kind and
    /// name (it may be applied into that namespace), when exactly one file
    /// holds it under the file-resolution rules ([`pick`]).
    fn resolve(&self, id: &str, from: u32) -> Vec<UnitKey<'a>> {
        let ns = self.namespace[from as usize].map(|(n, _)| n);
        let id = in_namespace(id, ns);
        let dirs = &self.dirs;
        let within = |cands: &[UnitKey<'a>]| -> (Vec<u32>, Vec<UnitKey<'a>>) {
            let mut files: Vec<u32> = cands.iter().map(|c| c.0).collect();
            files.dedup();
            let picked = pick(&files, from, dirs);
            let units = cands
                .iter()
                .copied()
                .filter(|c| picked.contains(&c.0))
                .collect();
            (picked, units)
        };
        if let Some(c) = self.objects.get(&id) {
            return within(c).1;
        }
        match split_object(&id) {
            Some((kind, ns, rest)) if !ns.is_empty() => {
                let Some(c) = self.objects.get(&format!("{kind}//{rest}")) else {
                    return Vec::new();
                };
                let (files, units) = within(c);
                if files.len() == 1 { units } else { Vec::new() }
            }
            _ => Vec::new(),
        }
    }

    /// The `Marker::Key` setting a `valueFrom` reference from file `from`
    /// reads, with its file: only when the object resolves to one unit.
    fn value_of(&self, object: &str, key: &str, from: u32) -> Option<At<'a>> {
        let targets = self.resolve(object, from);
        let [(file, unit)] = targets.as_slice() else {
            return None;
        };
        self.keys
            .get(&(*file, *unit, key))
            .map(|s| At { file: *file, s })
    }
}

/// Settings the model derives from references between files: an env var
/// filled by `valueFrom.configMapKeyRef`/`secretKeyRef` takes the value,
/// and the location, of the key it references. Built once per run
/// ([`Derived::of`]) and borrowed by the [`groups`].
#[derive(Debug, Default)]
pub struct Derived {
    /// (the variable's file, its unit, its name's span) -> the key's file
    /// and the variable with the key's value and spans.
    values: Vec<((u32, String, Span), u32, Setting)>,
}

impl Derived {
    pub fn of(files: &[FileSettings<'_>]) -> Derived {
        let ix = Index::new(files);
        let mut values = Vec::new();
        for (&(file, unit), list) in &ix.units {
            // The unit's variables by their name's span (built only for a
            // unit with `valueFrom` links).
            let mut vars: Option<HashMap<Span, &At<'_>>> = None;
            for a in list {
                let Some(Marker::Link(Link::Value { object, key })) = &a.s.marker else {
                    continue;
                };
                let vars = vars.get_or_insert_with(|| {
                    list.iter()
                        .filter(|b| !matches!(b.s.marker, Some(Marker::Link(_))))
                        .map(|b| (b.s.key_span, b))
                        .collect()
                });
                let Some(var) = vars.get(&a.s.key_span) else {
                    continue;
                };
                let Some(m) = ix.value_of(object, key, file) else {
                    continue;
                };
                let mut d = var.s.clone();
                d.value = m.s.value.clone();
                d.key_span = m.s.key_span;
                d.value_span = m.s.value_span;
                d.value_map = m.s.value_map.clone();
                d.from_secret = var.s.from_secret || m.s.from_secret;
                d.origin = format!(
                    "{} key `{key}` (`valueFrom` of {})",
                    m.s.origin, var.s.origin
                );
                values.push(((file, unit.to_string(), var.s.key_span), m.file, d));
            }
        }
        Derived { values }
    }
}

/// Groups the settings of the run by the links written in the files: each
/// root unit (one nothing else links to) with every unit it reaches.
/// `files` are indexed as in the run; `derived` is [`Derived::of`] them.
pub fn groups<'a>(
    files: &[FileSettings<'a>],
    derived: &'a Derived,
    settings: &Settings,
) -> Vec<Group<'a>> {
    let mut ix = Index::new(files);
    // Variables filled from a ConfigMap or Secret key: the derived setting
    // (at the key) in place of the variable.
    let mut by_unit: HashMap<(u32, &str), HashMap<Span, At<'a>>> = HashMap::new();
    for ((file, unit, span), at_file, d) in &derived.values {
        by_unit.entry((*file, unit.as_str())).or_default().insert(
            *span,
            At {
                file: *at_file,
                s: d,
            },
        );
    }
    for ((file, unit), list) in ix.units.iter_mut() {
        let Some(vals) = by_unit.get(&(*file, *unit)) else {
            continue;
        };
        for a in list.iter_mut() {
            if !matches!(a.s.marker, Some(Marker::Link(_)))
                && let Some(d) = vals.get(&a.s.key_span)
            {
                *a = *d;
            }
        }
    }
    let ix = ix;
    if ix.units.is_empty() {
        return Vec::new();
    }
    let mut edges: BTreeMap<UnitKey<'a>, Vec<UnitKey<'a>>> = BTreeMap::new();
    let mut consumed: HashSet<UnitKey<'a>> = HashSet::new();
    for (&key, list) in &ix.units {
        for a in list {
            let Some(Marker::Link(l)) = &a.s.marker else {
                continue;
            };
            let targets: Vec<UnitKey<'a>> = match l {
                Link::Object(id) => ix.resolve(id, key.0),
                Link::File(p) => ix
                    .by_path
                    .get(p.as_str())
                    .filter(|&&f| ix.units.contains_key(&(f, "")))
                    .map(|&f| vec![(f, "")])
                    .unwrap_or_default(),
                // Followed through `Derived`.
                Link::Value { .. } => Vec::new(),
            };
            for t in targets {
                if t != key && ix.units.contains_key(&t) {
                    consumed.insert(t);
                    edges.entry(key).or_default().push(t);
                }
            }
        }
    }
    let explicit = settings.airflow_version.as_deref().and_then(Version::parse);
    let mut out = Vec::new();
    let mut seen: HashSet<UnitKey<'a>> = HashSet::new();
    // Roots first, then anything only reachable in a cycle.
    let order: Vec<UnitKey<'a>> = ix
        .units
        .keys()
        .copied()
        .filter(|k| !consumed.contains(k))
        .chain(ix.units.keys().copied().filter(|k| consumed.contains(k)))
        .collect();
    for root in order {
        if consumed.contains(&root) && seen.contains(&root) {
            continue;
        }
        let mut members: Vec<UnitKey<'a>> = Vec::new();
        let mut in_group: HashSet<UnitKey<'a>> = HashSet::new();
        let mut stack = vec![root];
        while let Some(u) = stack.pop() {
            if !in_group.insert(u) {
                continue;
            }
            members.push(u);
            if let Some(es) = edges.get(&u) {
                stack.extend(es.iter().rev().copied());
            }
        }
        seen.extend(members.iter().copied());
        let mut settings: Vec<At<'a>> = members
            .iter()
            .flat_map(|m| ix.units.get(m).into_iter().flatten().copied())
            .collect();
        // The kustomizations that gave a member's file its namespace take
        // part in the group (a fact it depends on), after every source.
        let mut files_in: Vec<u32> = settings.iter().map(|a| a.file).collect();
        files_in.sort_unstable();
        files_in.dedup();
        for f in files_in {
            if let Some((_, k)) = ix.namespace[f as usize] {
                settings.push(k);
            }
        }
        let image = settings.iter().find_map(|a| {
            (a.s.marker == Some(Marker::Image))
                .then(|| a.s.value.as_deref().and_then(Version::parse))
                .flatten()
                .map(|v| (v, *a))
        });
        let (version, version_from, version_at) = match (image, explicit) {
            (Some((v, a)), _) => (v, VersionFrom::Image, Some(a)),
            (None, Some(v)) => (v, VersionFrom::Explicit, None),
            (None, None) => (Version::newest(), VersionFrom::Newest, None),
        };
        out.push(Group {
            key: format!("{}#{}", files[root.0 as usize].path, root.1),
            root_file: root.0,
            version,
            version_from,
            version_at,
            settings,
        });
    }
    out
}

/// The version afcheck assumed for the groups linked to no version (the
/// flag's, or the default), and how many such groups set any option.
pub fn assumed(groups: &[Group<'_>]) -> Option<(Version, VersionFrom, usize)> {
    let mut n = 0;
    let mut which = None;
    for g in groups {
        if g.version_from != VersionFrom::Image && g.options().next().is_some() {
            n += 1;
            which = Some((g.version, g.version_from));
        }
    }
    which.map(|(v, f)| (v, f, n))
}

/// One line for the run's summary: the Airflow version assumed where no
/// source says which version runs; None when every group has its own.
pub fn assumed_note(files: &[FileSettings<'_>], settings: &Settings) -> Option<String> {
    let derived = Derived::of(files);
    assumed_note_of(&groups(files, &derived, settings))
}

/// [`assumed_note`] from groups already built.
pub fn assumed_note_of(gs: &[Group<'_>]) -> Option<String> {
    let (v, from, n) = assumed(gs)?;
    let nfiles = gs
        .iter()
        .filter(|g| g.version_from != VersionFrom::Image && g.options().next().is_some())
        .map(|g| g.root_file)
        .collect::<HashSet<u32>>()
        .len();
    let sources = format!(
        "{n} Airflow configuration{} in {nfiles} file{}",
        if n == 1 { "" } else { "s" },
        if nfiles == 1 { "" } else { "s" }
    );
    Some(match from {
        VersionFrom::Explicit => {
            format!(
                "Airflow {v} (--airflow-version) applied to {sources} linked to no image or version pin"
            )
        }
        _ => format!(
            "Airflow {v} assumed for {sources} linked to no image or version pin (the newest known; set --airflow-version)"
        ),
    })
}
