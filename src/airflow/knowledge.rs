//! Lookups over the generated tables: options, sections, sensitivity,
//! renames/removals per target version, value validation, suggestions.

use std::sync::OnceLock;

pub use super::tables::LINT_CHANGES_FROM;
use super::tables::{
    BOOL_FALSE, BOOL_TRUE, CORS_WILDCARD_ALLOWED_UNTIL, CORS_WILDCARD_REFUSED_FROM, CURATED,
    DEPRECATED_VALUES, ENUMS, EXPOSE_CONFIG_MASKED_FROM, EXPOSE_CONFIG_UNMASKED_UNTIL, FALLBACKS,
    LINT, OPTIONS, RELEASES, RENAMES, SECTION_RENAMES, SENSITIVE,
};
use super::tables_types::{LintChange, Mask, OptionInfo, Rename, Ty};

/// An Airflow version `major.minor.patch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    /// Parses `3.3.2`, `v2.9`, `2.9.0-python3.11`, `2.10.5rc1`; None for
    /// `latest`, `slim-latest` and other non-versions.
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim().trim_start_matches(['v', 'V']);
        let head = s.split(['-', '+', ' ']).next()?;
        let mut nums = head.split('.').map(|p| {
            let digits: String = p.chars().take_while(|c| c.is_ascii_digit()).collect();
            digits.parse::<u32>().ok()
        });
        let major = nums.next()??;
        let minor = nums.next().flatten().unwrap_or(0);
        let patch = nums.next().flatten().unwrap_or(0);
        if !(1..=9).contains(&major) {
            return None;
        }
        Some(Version(major, minor, patch))
    }
    pub fn newest() -> Version {
        Version::parse(super::tables::NEWEST).unwrap_or(Version(3, 0, 0))
    }
    pub fn is3(self) -> bool {
        self.0 >= 3
    }
    /// See [`is_known`].
    pub fn is_known(self) -> bool {
        is_known(self)
    }
    /// The described release whose tables judge this version.
    pub fn release(self) -> &'static str {
        RELEASES[release_index(self)]
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

fn v(s: &str) -> Version {
    Version::parse(s).unwrap_or(Version(0, 0, 0))
}

/// `tables::RELEASES`, parsed.
fn releases() -> &'static [Version] {
    static R: OnceLock<Vec<Version>> = OnceLock::new();
    R.get_or_init(|| RELEASES.iter().map(|r| v(r)).collect())
}

/// Index in `RELEASES` of the release whose tables judge `ver`: the release
/// itself; else, within its minor, the newest described patch at or below
/// it (the oldest described patch when all are above, e.g. 2.9.0 is judged
/// with 2.9.3, the only 2.9 release described); else the newest release
/// before it (the first release for anything older).
pub fn release_index(ver: Version) -> usize {
    let rs = releases();
    if let Some(i) = rs.iter().position(|r| *r == ver) {
        return i;
    }
    let same = |r: &Version| r.0 == ver.0 && r.1 == ver.1;
    if let Some(i) = rs.iter().rposition(|r| same(r) && r.2 <= ver.2) {
        return i;
    }
    if let Some(i) = rs.iter().position(same) {
        return i;
    }
    rs.iter().rposition(|r| *r < ver).unwrap_or(0)
}

/// The release bit of `ver` (see [`release_index`]).
pub fn bit(ver: Version) -> Mask {
    1 << release_index(ver)
}

/// Releases strictly before / after `ver`'s release.
fn before(ver: Version) -> Mask {
    bit(ver) - 1
}
fn after(ver: Version) -> Mask {
    !(bit(ver) | before(ver))
}

/// Does afcheck know `ver`: its minor is described and its patch is at or
/// below the newest described patch of that minor?
pub fn is_known(ver: Version) -> bool {
    releases()
        .iter()
        .any(|r| r.0 == ver.0 && r.1 == ver.1 && ver.2 <= r.2)
}

/// The known versions, for messages: `2.0.0-2.0.2, ..., 3.3.0-3.3.2`.
pub fn known_versions() -> String {
    let rs = releases();
    let mut out: Vec<String> = Vec::new();
    for (i, r) in rs.iter().enumerate() {
        let last_of_minor = rs.get(i + 1).is_none_or(|n| (n.0, n.1) != (r.0, r.1));
        if last_of_minor {
            out.push(if r.2 == 0 {
                r.to_string()
            } else {
                format!("{}.{}.0-{r}", r.0, r.1)
            });
        }
    }
    out.join(", ")
}

/// Checks a target version given by the user: it must parse and be known.
pub fn check_version(s: &str) -> Result<Version, String> {
    match Version::parse(s) {
        Some(v) if is_known(v) => Ok(v),
        _ => Err(format!(
            "`{s}` is not an Airflow version afcheck knows; known versions: {}",
            known_versions()
        )),
    }
}

/// How a release is named in messages: `2.3` for the first described
/// release of a minor whose predecessor is another minor (only the last
/// patch of older minors is described, so the change happened in 2.3.0 or
/// a later 2.3 patch), else the full version.
fn release_label(i: usize) -> String {
    let rs = releases();
    let r = rs[i];
    match i.checked_sub(1).map(|p| rs[p]) {
        Some(p) if (p.0, p.1) == (r.0, r.1) => r.to_string(),
        _ if r.2 == 0 => r.to_string(),
        _ => format!("{}.{}", r.0, r.1),
    }
}

fn lowest_bit(m: Mask) -> usize {
    m.trailing_zeros() as usize
}
fn highest_bit(m: Mask) -> usize {
    63 - m.leading_zeros() as usize
}

impl OptionInfo {
    /// Does Airflow `ver` declare (or a provider add) this option?
    pub fn in_release(&self, ver: Version) -> bool {
        self.provider || self.present & bit(ver) != 0
    }
    /// The option's type in `ver` (its newest type when `ver` lacks it).
    pub fn ty_at(&self, ver: Version) -> Ty {
        let m = bit(ver);
        self.tys
            .iter()
            .find(|(r, _)| r & m != 0)
            .map_or(self.ty, |(_, t)| *t)
    }
    /// The raw default `ver` applies, if any.
    pub fn default(&self, ver: Version) -> Option<&'static str> {
        let m = bit(ver);
        self.defaults
            .iter()
            .find(|(r, _)| r & m != 0)
            .map(|(_, d)| *d)
    }
}

/// The option named `section`/`key` in any release or provider.
pub fn option(section: &str, key: &str) -> Option<&'static OptionInfo> {
    OPTIONS
        .binary_search_by(|o| (o.section, o.key).cmp(&(section, key)))
        .ok()
        .and_then(|i| OPTIONS.get(i))
}

/// The option as Airflow `ver` declares it (provider options: always).
pub fn option_in(section: &str, key: &str, ver: Version) -> Option<&'static OptionInfo> {
    option(section, key).filter(|o| o.in_release(ver))
}

/// Sections whose keys are passed through to a client library as keyword
/// arguments: any key is valid.
pub fn is_open_section(name: &str) -> bool {
    name.ends_with("_configs") || name.ends_with("_transport_options")
}

/// Every section any release, provider, rename or lint table names.
fn all_sections() -> &'static [&'static str] {
    static S: OnceLock<Vec<&'static str>> = OnceLock::new();
    S.get_or_init(|| {
        let mut v: Vec<&'static str> = OPTIONS
            .iter()
            .map(|o| o.section)
            .chain(RENAMES.iter().map(|r| r.old_section))
            .chain(SECTION_RENAMES.iter().map(|r| r.0))
            .chain(FALLBACKS.iter().map(|f| f.0))
            .chain(LINT.iter().map(|l| l.section))
            .chain(CURATED.iter().map(|c| c.0))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}

pub fn is_known_section(name: &str) -> bool {
    all_sections().binary_search(&name).is_ok()
}

/// Sections `ver` reads (for suggestions).
pub fn sections_in(ver: Version) -> Vec<&'static str> {
    let m = bit(ver);
    let mut v: Vec<&str> = OPTIONS
        .iter()
        .filter(|o| o.in_release(ver))
        .map(|o| o.section)
        .chain(FALLBACKS.iter().filter(|f| f.3 & m != 0).map(|f| f.0))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Keys of one section in `ver` (for suggestions).
pub fn keys_in(section: &str, ver: Version) -> Vec<&'static str> {
    let start = OPTIONS.partition_point(|o| o.section < section);
    let m = bit(ver);
    let mut v: Vec<&str> = OPTIONS[start..]
        .iter()
        .take_while(|o| o.section == section)
        .filter(|o| o.in_release(ver))
        .map(|o| o.key)
        .chain(
            FALLBACKS
                .iter()
                .filter(|f| f.0 == section && f.3 & m != 0)
                .map(|f| f.1),
        )
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Releases in which Airflow ships a fallback default for `section`/`key`.
fn fallback_mask(section: &str, key: &str) -> Mask {
    let start = FALLBACKS.partition_point(|f| (f.0, f.1) < (section, key));
    FALLBACKS[start..]
        .iter()
        .take_while(|f| (f.0, f.1) == (section, key))
        .fold(0, |m, f| m | f.3)
}

/// The fallback default `ver` ships for `section`/`key`, if any.
pub fn fallback_default(section: &str, key: &str, ver: Version) -> Option<&'static str> {
    let m = bit(ver);
    FALLBACKS
        .iter()
        .find(|f| (f.0, f.1) == (section, key) && f.3 & m != 0)
        .map(|f| f.2)
}

/// `deprecated_options` entries whose old name is `section`/`key`.
pub fn renames_of(section: &str, key: &str) -> &'static [Rename] {
    let start = RENAMES.partition_point(|r| (r.old_section, r.old_key) < (section, key));
    let end = RENAMES.partition_point(|r| (r.old_section, r.old_key) <= (section, key));
    &RENAMES[start..end]
}

/// `config lint` entries about `section`/`key`.
pub fn lint_of(section: &str, key: &str) -> &'static [LintChange] {
    let start = LINT.partition_point(|l| (l.section, l.key) < (section, key));
    let end = LINT.partition_point(|l| (l.section, l.key) <= (section, key));
    &LINT[start..end]
}

/// The `config lint` entries release `ver` lists for `section`/`key`.
pub fn lint_at(
    section: &str,
    key: &str,
    ver: Version,
) -> impl Iterator<Item = &'static LintChange> {
    let m = bit(ver);
    lint_of(section, key)
        .iter()
        .filter(move |l| l.releases & m != 0)
}

/// An old name that Airflow still reads as a deprecated fallback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    pub new_section: &'static str,
    pub new_key: String,
    /// The since-version exactly as Airflow declares it.
    pub since: Option<&'static str>,
    /// From `deprecated_sections` (the whole section was renamed).
    pub section_renamed: bool,
}

/// The new name Airflow `ver` reads `section`/`key` for, when it is an old
/// name in that release's `deprecated_options` (or `deprecated_sections`,
/// for a key the new section declares in `ver`).
pub fn alias_at(section: &str, key: &str, ver: Version) -> Option<Alias> {
    let m = bit(ver);
    // Airflow looks an old name up only when it reads the new one (one
    // level: `get` consults the old name of the option asked for), so an
    // entry whose new name `ver` does not declare (itself renamed again,
    // `[scheduler] statsd_allow_list` -> `[metrics] statsd_allow_list` ->
    // `[metrics] metrics_allow_list`) makes nothing read the old name.
    if let Some(r) = renames_of(section, key)
        .iter()
        .find(|r| r.releases & m != 0 && reads_declared(r.new_section, r.new_key, ver))
    {
        return Some(Alias {
            new_section: r.new_section,
            new_key: r.new_key.to_string(),
            since: r.since,
            section_renamed: false,
        });
    }
    SECTION_RENAMES
        .iter()
        .find(|s| s.0 == section && s.3 & m != 0 && reads_declared(s.1, key, ver))
        .map(|s| Alias {
            new_section: s.1,
            new_key: key.to_string(),
            since: s.2,
            section_renamed: true,
        })
}

/// The old names Airflow `ver` reads for `section`/`key`, in the order it
/// tries them (after the name itself).
pub fn old_names(section: &str, key: &str, ver: Version) -> Vec<(&'static str, String)> {
    let m = bit(ver);
    if !reads_declared(section, key, ver) {
        return Vec::new();
    }
    let mut v: Vec<(&'static str, String)> = RENAMES
        .iter()
        .filter(|r| r.new_section == section && r.new_key == key && r.releases & m != 0)
        .map(|r| (r.old_section, r.old_key.to_string()))
        .collect();
    for s in SECTION_RENAMES
        .iter()
        .filter(|s| s.1 == section && s.3 & m != 0)
    {
        v.push((s.0, key.to_string()));
    }
    v
}

/// The name Airflow `ver` reads `section`/`key` as: the new name of an old
/// one, else itself.
pub fn canonical(section: &str, key: &str, ver: Version) -> (String, String) {
    match alias_at(section, key, ver) {
        Some(a) if !reads_declared(section, key, ver) => (a.new_section.to_string(), a.new_key),
        _ => (section.to_string(), key.to_string()),
    }
}

/// For a patch the tables do not describe (2.9.0, judged with 2.9.3): the
/// later patch of the same minor that `version_added` says the option
/// arrived in, if any.
fn added_later_in_minor(o: &OptionInfo, ver: Version) -> Option<Version> {
    if o.provider || releases().contains(&ver) {
        return None;
    }
    let added = o.added.and_then(Version::parse)?;
    ((added.0, added.1) == (ver.0, ver.1) && added > ver).then_some(added)
}

/// Declared in config.yml, by a provider, or with a fallback default.
fn reads_declared(section: &str, key: &str, ver: Version) -> bool {
    option_in(section, key, ver).is_some_and(|o| added_later_in_minor(o, ver).is_none())
        || fallback_mask(section, key) & bit(ver) != 0
}

/// Does Airflow `ver` read `section`/`key` at all (declared, provider,
/// fallback default, old name of a read option, open section)?
pub fn reads(section: &str, key: &str, ver: Version) -> bool {
    is_open_section(section)
        || reads_declared(section, key, ver)
        || alias_at(section, key, ver).is_some()
}

/// Releases in which `section`/`key` is read.
fn read_mask(section: &str, key: &str) -> Mask {
    let o = option(section, key);
    if o.is_some_and(|o| o.provider) || is_open_section(section) {
        return !0;
    }
    let mut m = o.map_or(0, |o| o.present) | fallback_mask(section, key);
    m |= renames_of(section, key).iter().fold(0, |a, r| {
        a | (r.releases & declared_mask(r.new_section, r.new_key))
    });
    m |= SECTION_RENAMES
        .iter()
        .filter(|s| s.0 == section)
        .fold(0, |a, s| a | (s.3 & declared_mask(s.1, key)));
    m
}

/// Releases that declare `section`/`key` (config.yml, a provider, or a
/// fallback default). A renamed section's old name is read for exactly
/// these keys of the new section: Airflow looks the old section up only
/// when it reads an option of the new one, so a key the new section does
/// not declare is read by nothing under either name.
fn declared_mask(section: &str, key: &str) -> Mask {
    match option(section, key) {
        Some(o) if o.provider => !0,
        o => o.map_or(0, |o| o.present) | fallback_mask(section, key),
    }
}

/// What Airflow `ver` does with `[section] key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Declared by the release (or a provider, or a fallback default).
    Read,
    /// An old name still read as a deprecated fallback for a new one.
    Alias(Alias),
    /// Renamed or moved, and no longer read under this name.
    Renamed {
        new_section: String,
        new_key: String,
        /// When the old name was renamed (as declared), if on record.
        renamed_in: Option<String>,
        /// The first release that no longer reads it.
        since: String,
    },
    /// Read by earlier releases, not by this one.
    Removed {
        since: String,
        note: Option<&'static str>,
    },
    /// Only later releases read it.
    Later { added: String },
    /// No release afcheck describes knows it.
    Unknown,
}

/// The new name an old one was renamed to in some release (deprecated
/// options, `config lint` renames, section renames), if any.
fn replacement(section: &str, key: &str, ver: Version) -> Option<(String, String, Option<String>)> {
    if let Some(l) = lint_at(section, key, ver).find(|l| l.renamed_to.is_some())
        && let Some((s, k)) = l.renamed_to
    {
        let declared = renames_of(section, key)
            .iter()
            .find(|r| (r.new_section, r.new_key) == (s, k));
        return Some((
            s.to_string(),
            k.to_string(),
            declared.and_then(|r| r.since).map(str::to_string),
        ));
    }
    // A later release's `config lint` may document a move whose target
    // this release already reads (a provider section, for instance).
    if let Some((s, k)) = lint_of(section, key)
        .iter()
        .filter_map(|l| l.renamed_to)
        .find(|(s, k)| reads_declared(s, k, ver))
    {
        return Some((s.to_string(), k.to_string(), None));
    }
    if let Some(r) = renames_of(section, key).iter().max_by_key(|r| r.releases) {
        return Some((
            r.new_section.to_string(),
            r.new_key.to_string(),
            r.since.map(str::to_string),
        ));
    }
    SECTION_RENAMES
        .iter()
        .find(|s| s.0 == section)
        .map(|s| (s.1.to_string(), key.to_string(), s.2.map(str::to_string)))
}

/// What Airflow `ver` does with `[section] key` (see [`Status`]).
pub fn status(section: &str, key: &str, ver: Version) -> Status {
    status_at_depth(section, key, ver, 4)
}

/// [`status`], following at most `depth` renames (the tables have no
/// cycle, but a bound keeps a bad table from recursing forever).
fn status_at_depth(section: &str, key: &str, ver: Version, depth: u8) -> Status {
    if let Some(added) = option_in(section, key, ver).and_then(|o| added_later_in_minor(o, ver)) {
        return Status::Later {
            added: added.to_string(),
        };
    }
    if reads_declared(section, key, ver) || is_open_section(section) {
        return Status::Read;
    }
    if let Some(a) = alias_at(section, key, ver) {
        return Status::Alias(a);
    }
    let read = read_mask(section, key);
    let earlier = read & before(ver);
    let later = read & after(ver);
    let lint_gone = lint_at(section, key, ver).find(|l| l.was_removed || l.renamed_to.is_some());
    let curated = CURATED
        .iter()
        .find(|c| (c.0, c.1) == (section, key) && c.2.is_none() && v(c.3) <= ver);
    if earlier != 0 || lint_gone.is_some() || curated.is_some() {
        let since = if earlier != 0 {
            release_label(highest_bit(earlier) + 1)
        } else if let Some(c) = curated {
            c.3.to_string()
        } else {
            "3.0".to_string()
        };
        let lint_removed = lint_gone.is_some_and(|l| l.renamed_to.is_none());
        if !lint_removed
            && let Some((mut s, mut k, mut renamed_in)) = replacement(section, key, ver)
        {
            // Follow a chain of renames to the name this release reads
            // (the date of the first rename is then not the date of the
            // name given).
            for _ in 0..depth {
                match status_at_depth(&s, &k, ver, depth - 1) {
                    Status::Alias(a) => (s, k) = (a.new_section.to_string(), a.new_key),
                    Status::Renamed {
                        new_section,
                        new_key,
                        ..
                    } => (s, k) = (new_section, new_key),
                    _ => break,
                }
                renamed_in = None;
            }
            // A replacement this release does not read either: removed.
            if reads(&s, &k, ver) {
                return Status::Renamed {
                    new_section: s,
                    new_key: k,
                    renamed_in,
                    since,
                };
            }
        }
        let note = lint_gone.map(|l| l.suggestion).filter(|s| !s.is_empty());
        return Status::Removed { since, note };
    }
    if later != 0 {
        return Status::Later {
            added: release_label(lowest_bit(later)),
        };
    }
    Status::Unknown
}

/// Does the option honour `_cmd`/`_secret` in Airflow `ver`
/// (`sensitive_config_values`, plus sensitive provider options)?
pub fn supports_cmd_secret(section: &str, key: &str, ver: Version) -> bool {
    let m = bit(ver);
    let start = SENSITIVE.partition_point(|s| (s.0, s.1) < (section, key));
    SENSITIVE[start..]
        .iter()
        .take_while(|s| (s.0, s.1) == (section, key))
        .any(|s| s.2 & m != 0)
        // Installed providers add their own sensitive options at run time.
        || option(section, key).is_some_and(|o| o.provider && o.present & m == 0 && o.sensitive & m != 0)
}

/// Is the option marked sensitive in any release (or provider)?
pub fn is_sensitive(section: &str, key: &str) -> bool {
    option(section, key).is_some_and(|o| o.sensitive != 0)
        || SENSITIVE.iter().any(|s| (s.0, s.1) == (section, key))
}

/// A value that is not valid for the option from a version on.
#[derive(Clone, Debug)]
pub struct Invalid {
    /// The version from which it is invalid.
    pub since: String,
    pub message: String,
}

/// The invalid-value change that `value` hits in Airflow `ver`, if any:
/// `config lint`'s `is_invalid_if` (that release's message) and the
/// curated invalid values.
pub fn invalid_value(section: &str, key: &str, value: &str, ver: Version) -> Option<Invalid> {
    let val = value.trim();
    for l in lint_at(section, key, ver) {
        if lint_changes_apply(ver)
            && let Some(bad) = l.is_invalid_if
            && val == bad
        {
            return Some(Invalid {
                since: "3.0".into(),
                message: l
                    .message
                    .map(|m| m.replace("<current value>", bad))
                    .unwrap_or_else(|| l.suggestion.to_string()),
            });
        }
    }
    CURATED.iter().find_map(|c| {
        if (c.0, c.1) != (section, key) || v(c.3) > ver {
            return None;
        }
        let cond = c.2?;
        let hit = if let Some(rest) = cond.strip_prefix("contains '") {
            let ch = rest.split('\'').next().unwrap_or("\u{0}");
            val.contains(ch)
        } else {
            val.split(',')
                .map(str::trim)
                .any(|x| cond.split('|').any(|alt| alt == x))
        };
        hit.then(|| Invalid {
            since: c.3.to_string(),
            message: c.4.unwrap_or("").to_string(),
        })
    })
}

/// Do `config lint`'s changes (the move to Airflow 3) apply to `ver`?
pub fn lint_changes_apply(ver: Version) -> bool {
    release_index(ver) >= release_index(v(LINT_CHANGES_FROM))
}

/// The value Airflow `ver` reads instead of `value` for `section`/`key`
/// (`deprecated_values`: old values it upgrades with a warning), if any.
pub fn upgraded_value(section: &str, key: &str, value: &str, ver: Version) -> Option<String> {
    static RES: OnceLock<Vec<Option<regex::Regex>>> = OnceLock::new();
    let res = RES.get_or_init(|| {
        DEPRECATED_VALUES
            .iter()
            .map(|d| regex::Regex::new(d.2).ok())
            .collect()
    });
    let m = bit(ver);
    DEPRECATED_VALUES
        .iter()
        .zip(res)
        .filter(|(d, _)| (d.0, d.1) == (section, key) && d.4 & m != 0)
        .find_map(|(d, re)| {
            let re = re.as_ref()?;
            re.is_match(value)
                .then(|| re.replace_all(value, regex::NoExpand(d.3)).into_owned())
        })
}

/// The `config lint` default changes of `ver` for `section`/`key`.
pub fn default_change(section: &str, key: &str, ver: Version) -> Option<&'static LintChange> {
    lint_at(section, key, ver).find(|l| l.default_change)
}

/// The values `ver` allows for an `enums_options` option (None: not an
/// enum there, or computed at run time).
pub fn enum_values(section: &str, key: &str, ver: Version) -> Option<&'static [&'static str]> {
    let m = bit(ver);
    ENUMS
        .iter()
        .find(|e| (e.0, e.1) == (section, key) && e.3 & m != 0)
        .and_then(|e| e.2)
}

/// Does `expose_config = True` mask sensitive values in Airflow `ver`?
/// Yes from the first release whose config.yml says so, no up to the last
/// release before it whose config.yml says `True` shows every value; None
/// (not known) in between.
pub fn expose_config_masked(ver: Version) -> Option<bool> {
    documented(ver, EXPOSE_CONFIG_MASKED_FROM, EXPOSE_CONFIG_UNMASKED_UNTIL)
}

/// Does Airflow `ver` refuse a wildcard CORS origin? Yes from the first
/// release whose config.yml says so, no up to the last release before it
/// whose config.yml does not; None (not known) in between.
pub fn cors_wildcard_refused(ver: Version) -> Option<bool> {
    documented(ver, CORS_WILDCARD_REFUSED_FROM, CORS_WILDCARD_ALLOWED_UNTIL)
}

/// A behaviour stated from release `from` on and known absent up to
/// release `until`.
fn documented(ver: Version, from: Option<&str>, until: Option<&str>) -> Option<bool> {
    let at = release_index(ver);
    if from.is_some_and(|r| at >= release_index(v(r))) {
        return Some(true);
    }
    if until.is_some_and(|r| at <= release_index(v(r))) {
        return Some(false);
    }
    None
}

/// The first release whose configuration reference states that `expose_config
/// = True` masks sensitive values, and the one that states a wildcard CORS
/// origin is refused (for messages).
pub fn documented_from() -> (Option<&'static str>, Option<&'static str>) {
    (EXPOSE_CONFIG_MASKED_FROM, CORS_WILDCARD_REFUSED_FROM)
}

/// Airflow's `getboolean` (`bool_values` of the tables, the same in every
/// release): lower-cased, anything after `#` dropped, then only
/// `t`/`true`/`1`/`f`/`false`/`0`.
pub fn parse_bool(value: &str) -> Option<bool> {
    let low = value.trim().to_lowercase();
    let low = low.split('#').next().unwrap_or("").trim();
    if BOOL_TRUE.contains(&low) {
        Some(true)
    } else if BOOL_FALSE.contains(&low) {
        Some(false)
    } else {
        None
    }
}

/// Python `int()` on a string.
pub fn parse_int(value: &str) -> Option<i64> {
    let s = value.trim();
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return None;
    }
    if !body.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return None;
    }
    let n: i64 = body.replace('_', "").parse().ok()?;
    Some(if neg { -n } else { n })
}

/// Python `float()` on a string.
pub fn parse_float(value: &str) -> Option<f64> {
    let s = value.trim().replace('_', "");
    let low = s.to_ascii_lowercase();
    let l = low.trim_start_matches(['+', '-']);
    if matches!(l, "inf" | "infinity" | "nan") {
        return Some(0.0);
    }
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        return None;
    }
    s.parse().ok()
}

/// Core executor names per major version.
pub fn core_executors(ver: Version) -> &'static [&'static str] {
    // Executor constants are not in the tables: the core set changed with
    // the move to Airflow 3 (the curated invalid values list the dropped ones).
    if lint_changes_apply(ver) {
        &[
            "LocalExecutor",
            "CeleryExecutor",
            "KubernetesExecutor",
            "EdgeExecutor",
            "MockExecutor",
        ]
    } else {
        &[
            "LocalExecutor",
            "SequentialExecutor",
            "CeleryExecutor",
            "KubernetesExecutor",
            "CeleryKubernetesExecutor",
            "LocalKubernetesExecutor",
            "DebugExecutor",
        ]
    }
}

/// Why `value` is not valid for the option in Airflow `ver`, or None.
/// Values holding `$` (expanded from the environment by Airflow) or
/// template markers are not judged.
pub fn value_problem(info: &OptionInfo, value: &str, ver: Version) -> Option<String> {
    if value.contains('$') || value.contains("{{") {
        return None;
    }
    // An empty value for an option without a default means "not set".
    if value.trim().is_empty() && info.default(ver).is_none_or(str::is_empty) {
        return None;
    }
    let shown = || {
        let t: String = value.chars().take(40).collect();
        if info.sensitive != 0 {
            crate::mask::mask(value)
        } else {
            t
        }
    };
    if let Some(allowed) = enum_values(info.section, info.key, ver) {
        // `_validate_enums` compares the raw string, and skips an empty one.
        return (!value.is_empty() && !allowed.contains(&value)).then(|| {
            format!(
                "`{}` is not one of the values Airflow {ver} accepts ({})",
                shown(),
                allowed
                    .iter()
                    .map(|a| if a.is_empty() { "\"\"" } else { a })
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
    }
    match info.ty_at(ver) {
        Ty::Bool if parse_bool(value).is_none() => Some(format!(
            "`{}` is not a boolean Airflow accepts (only true/false, t/f, 1/0; `yes`/`on` are refused)",
            shown()
        )),
        Ty::Int if value.trim().is_empty() || parse_int(value).is_none() => {
            Some(format!("`{}` is not an integer", shown()))
        }
        Ty::Float if value.trim().is_empty() || parse_float(value).is_none() => {
            Some(format!("`{}` is not a number", shown()))
        }
        _ if info.key == "expose_config" => {
            let ok = parse_bool(value).is_some()
                || value.trim().eq_ignore_ascii_case("non-sensitive-only");
            (!ok).then(|| format!("`{}` is not True, False or non-sensitive-only", shown()))
        }
        _ if info.section == "core" && info.key == "executor" => {
            let core = core_executors(ver);
            for item in value.split(',').map(str::trim) {
                let path = item.rsplit_once(':').map(|(_, p)| p).unwrap_or(item);
                if item.is_empty() {
                    return Some("empty executor name in the list".into());
                }
                if path.contains('.') || core.contains(&path) {
                    continue;
                }
                // Names valid in the other major version are reported by
                // the version-specific check (AFC004 via the change table).
                let other = core_executors(if lint_changes_apply(ver) {
                    Version(2, 11, 0)
                } else {
                    Version(3, 0, 0)
                });
                if other.contains(&path) && invalid_value("core", "executor", path, ver).is_some() {
                    continue;
                }
                let hint = suggest(path, core)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                return Some(format!(
                    "unknown executor `{path}` (Airflow {ver} knows {} or an import path){hint}",
                    core.join(", ")
                ));
            }
            None
        }
        _ => None,
    }
}

/// Levenshtein distance (small strings).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest candidate within a small edit distance.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let w = word.to_lowercase();
    let max = (w.chars().count() / 3).clamp(1, 3);
    candidates
        .iter()
        .filter(|c| c.len().abs_diff(w.len()) <= max)
        .map(|c| (distance(&w, c), *c))
        .filter(|(d, _)| *d <= max)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Behaviour stated only in full config.yml descriptions is known from
    /// the release that states it and up to the last one that does not;
    /// in between afcheck says it does not know (not "unmasked").
    #[test]
    fn documented_behaviour_is_known_only_where_stated() {
        let p = |s: &str| Version::parse(s).unwrap();
        for (f, from, until) in [
            (
                expose_config_masked as fn(Version) -> Option<bool>,
                EXPOSE_CONFIG_MASKED_FROM,
                EXPOSE_CONFIG_UNMASKED_UNTIL,
            ),
            (
                cors_wildcard_refused,
                CORS_WILDCARD_REFUSED_FROM,
                CORS_WILDCARD_ALLOWED_UNTIL,
            ),
        ] {
            let (from, until) = (p(from.unwrap()), p(until.unwrap()));
            assert!(until < from);
            for r in releases() {
                let want = if *r >= from {
                    Some(true)
                } else if *r <= until {
                    Some(false)
                } else {
                    None
                };
                assert_eq!(f(*r), want, "{r}");
            }
            assert_eq!(f(p("2.0.2")), Some(false));
            assert_eq!(f(p("3.0.0")), None);
        }
    }

    #[test]
    fn lookups() {
        let v3 = Version::newest();
        assert!(option_in("core", "parallelism", v3).is_some());
        assert!(option_in("webserver", "rbac", v3).is_none());
        assert!(supports_cmd_secret("core", "fernet_key", v3));
        assert!(!supports_cmd_secret("core", "dags_folder", v3));
        // Provider-owned in Airflow 3: the provider registers it as sensitive.
        assert!(supports_cmd_secret("celery", "broker_url", v3));
        assert!(supports_cmd_secret(
            "celery",
            "broker_url",
            Version(2, 0, 2)
        ));
        // [scheduler] max_threads: an alias of parsing_processes in 2.x
        // (declared since 1.10.14), then renamed through to
        // [dag_processor] parsing_processes.
        match status("scheduler", "max_threads", Version(2, 9, 0)) {
            Status::Alias(a) => {
                assert_eq!(
                    (a.new_section, a.new_key.as_str()),
                    ("scheduler", "parsing_processes")
                );
                assert_eq!(a.since, Some("1.10.14"));
            }
            other => panic!("{other:?}"),
        }
        match status("scheduler", "max_threads", v3) {
            Status::Renamed { new_section, .. } => assert_eq!(new_section, "dag_processor"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            status("scheduler", "dag_dir_list_interval", Version(2, 9, 0)),
            Status::Read
        );
        assert_eq!(
            suggest("paralelism", &keys_in("core", v3)),
            Some("parallelism")
        );
        assert_eq!(Version::parse("2.9.0-python3.11"), Some(Version(2, 9, 0)));
        assert_eq!(Version::parse("latest"), None);
        assert_eq!(Version(2, 9, 0).release(), "2.9.3");
        assert_eq!(Version(3, 0, 2).release(), "3.0.2");
        assert!(known_versions().starts_with("2.0.0-2.0.2, "));
    }

    #[test]
    fn values() {
        assert_eq!(parse_bool("False # off"), Some(false));
        assert_eq!(parse_bool("no"), None);
        assert_eq!(parse_bool("True ; x"), None);
        assert_eq!(parse_int(" 1_000 "), Some(1000));
        assert_eq!(parse_int("abc"), None);
        let ex = option("core", "executor").unwrap();
        let v3 = Version::newest();
        assert!(value_problem(ex, "CeleryExecutor,KubernetesExecutor", v3).is_none());
        assert!(value_problem(ex, "my.module.Exec", v3).is_none());
        assert!(
            value_problem(ex, "CeleryExecuter", v3)
                .unwrap()
                .contains("CeleryExecutor")
        );
        assert!(invalid_value("core", "executor", "SequentialExecutor", v3).is_some());
        assert!(
            invalid_value("core", "executor", "SequentialExecutor", Version(2, 9, 0)).is_none()
        );
    }
}
