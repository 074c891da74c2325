//! The per-deployment view of Airflow configuration: settings grouped by
//! the deployment they configure, the target Airflow version of each group,
//! and effective values with Airflow's precedence.

use std::collections::BTreeMap;

use super::knowledge::Version;
use super::sources::{Marker, Setting, SourceKind, Via};
use crate::config::Settings;
use crate::engine::AnalyzedFile;

/// A setting with the index of its file in the run.
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    pub file: u32,
    pub s: &'a Setting,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionFrom {
    /// `--airflow-version` / `airflow-version:`.
    Explicit,
    /// An `apache/airflow` image or chart version key in the group.
    Image,
    /// An `apache/airflow` image elsewhere in the scanned set.
    ImageElsewhere,
    /// Nothing found: the newest release afcheck knows.
    Newest,
}

#[derive(Debug)]
pub struct Group<'a> {
    /// "" (the scan root), `ns:<namespace>` or `helm:<values file>`.
    pub key: String,
    pub version: Version,
    pub version_from: VersionFrom,
    pub settings: Vec<At<'a>>,
}

impl Group<'_> {
    /// "Airflow 2.9.3, from the apache/airflow image" etc., for messages.
    pub fn version_label(&self) -> String {
        let why = match self.version_from {
            VersionFrom::Explicit => "from --airflow-version",
            VersionFrom::Image | VersionFrom::ImageElsewhere => "from the apache/airflow image",
            VersionFrom::Newest => "assumed: the newest known, set --airflow-version",
        };
        format!("Airflow {}, {why}", self.version)
    }
    pub fn is_helm(&self) -> bool {
        self.key.starts_with("helm:")
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
            .options()
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
    let src = match s.source {
        SourceKind::EnvVar | SourceKind::HelmEnv => 0,
        // The image's ENV is overridden by the container env.
        SourceKind::DockerEnv => 1,
        _ => 6,
    };
    let default = u8::from(s.section != section);
    if s.source.is_env() {
        via * 2 + src
    } else {
        src + via * 2 + default
    }
}

/// Groups every setting of the run.
pub fn groups<'a>(files: &'a [AnalyzedFile], settings: &Settings) -> Vec<Group<'a>> {
    let mut map: BTreeMap<&'a str, Vec<At<'a>>> = BTreeMap::new();
    let mut first_image: Option<Version> = None;
    for (i, f) in files.iter().enumerate() {
        for s in &f.airflow {
            if s.marker == Some(Marker::Image) && first_image.is_none() {
                first_image = s.value.as_deref().and_then(Version::parse);
            }
            map.entry(s.group.as_str())
                .or_default()
                .push(At { file: i as u32, s });
        }
    }
    let explicit = settings.airflow_version.as_deref().and_then(Version::parse);
    map.into_iter()
        .map(|(key, settings)| {
            let own = settings
                .iter()
                .filter(|a| a.s.marker == Some(Marker::Image))
                .find_map(|a| a.s.value.as_deref().and_then(Version::parse));
            let (version, version_from) = match (explicit, own, first_image) {
                (Some(v), _, _) => (v, VersionFrom::Explicit),
                (None, Some(v), _) => (v, VersionFrom::Image),
                (None, None, Some(v)) => (v, VersionFrom::ImageElsewhere),
                _ => (Version::newest(), VersionFrom::Newest),
            };
            Group {
                key: key.to_string(),
                version,
                version_from,
                settings,
            }
        })
        .collect()
}
