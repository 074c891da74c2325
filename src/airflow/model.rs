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
fn pick(cands: &[u32], from: u32, dirs: &[&str]) -> Vec<u32> {
    if cands.contains(&from) {
        return vec![from];
    }
    let here = dirs[from as usize];
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
    let best = cands.iter().map(|&c| common(dirs[c as usize])).max();
    let top: Vec<u32> = cands
        .iter()
        .copied()
        .filter(|&c| Some(common(dirs[c as usize])) == best)
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

/// Groups the settings of the run by the links written in the files: each
/// root unit (one nothing else links to) with every unit it reaches.
/// `files` are indexed as in the run.
pub fn groups<'a>(files: &[FileSettings<'a>], settings: &Settings) -> Vec<Group<'a>> {
    let mut units: BTreeMap<UnitKey<'a>, Vec<At<'a>>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        for s in f.settings {
            let a = At { file: i as u32, s };
            units
                .entry((i as u32, s.unit.as_str()))
                .or_default()
                .push(a);
        }
    }
    if units.is_empty() {
        return Vec::new();
    }
    let norm: Vec<String> = files
        .iter()
        .map(|f| super::docker::join_path("", f.path))
        .collect();
    let dirs: Vec<&str> = norm.iter().map(|p| super::docker::dir_of(p)).collect();
    let by_path: HashMap<&str, u32> = norm
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i as u32))
        .collect();
    let mut objects: HashMap<&'a str, Vec<u32>> = HashMap::new();
    for &(file, unit) in units.keys() {
        if !unit.is_empty() {
            objects.entry(unit).or_default().push(file);
        }
    }
    let mut edges: BTreeMap<UnitKey<'a>, Vec<UnitKey<'a>>> = BTreeMap::new();
    let mut consumed: HashSet<UnitKey<'a>> = HashSet::new();
    for (&key, list) in &units {
        for a in list {
            let Some(Marker::Link(l)) = &a.s.marker else {
                continue;
            };
            let targets: Vec<UnitKey<'a>> = match l {
                Link::Object(id) => objects
                    .get_key_value(id.as_str())
                    .map(|(id, cands)| {
                        pick(cands, key.0, &dirs)
                            .into_iter()
                            .map(|f| (f, *id))
                            .collect()
                    })
                    .unwrap_or_default(),
                Link::File(p) => by_path
                    .get(p.as_str())
                    .filter(|&&f| units.contains_key(&(f, "")))
                    .map(|&f| vec![(f, "")])
                    .unwrap_or_default(),
            };
            for t in targets {
                if t != key {
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
    let order: Vec<UnitKey<'a>> = units
        .keys()
        .copied()
        .filter(|k| !consumed.contains(k))
        .chain(units.keys().copied().filter(|k| consumed.contains(k)))
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
        let settings: Vec<At<'a>> = members
            .iter()
            .flat_map(|m| units.get(m).into_iter().flatten().copied())
            .collect();
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
    assumed_note_of(&groups(files, settings))
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
