//! Lookups over the generated tables: options, sections, sensitivity,
//! renames/removals per target version, value validation, suggestions.

use super::tables::{CHANGES, OPTIONS, SENSITIVE_2, SENSITIVE_3};
use super::tables_types::{Change, ChangeKind, OptionInfo, Ty};

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
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

fn v(s: &str) -> Version {
    Version::parse(s).unwrap_or(Version(0, 0, 0))
}

/// Every option named `section`/`key` (one row per table entry).
pub fn option(section: &str, key: &str) -> Option<&'static OptionInfo> {
    OPTIONS
        .binary_search_by(|o| (o.section, o.key).cmp(&(section, key)))
        .ok()
        .and_then(|i| OPTIONS.get(i))
}

/// The option as Airflow `ver` knows it (core options by major version and
/// `version_added`; provider options always).
pub fn option_in(section: &str, key: &str, ver: Version) -> Option<&'static OptionInfo> {
    let o = option(section, key)?;
    if o.provider {
        return Some(o);
    }
    let present = if ver.is3() { o.in3 } else { o.in2 };
    // `version_added` comes from one major's config.yml: only compare
    // within that major.
    let added_ok = o.added.is_none_or(|a| v(a).0 != ver.0 || v(a) <= ver);
    (present && added_ok).then_some(o)
}

/// Sections whose keys are passed through to a client library as keyword
/// arguments: any key is valid.
pub fn is_open_section(name: &str) -> bool {
    name.ends_with("_configs") || name.ends_with("_transport_options")
}

pub fn is_known_section(name: &str) -> bool {
    OPTIONS.iter().any(|o| o.section == name) || CHANGES.iter().any(|c| c.section == name)
}

/// Sections of the target version (for suggestions).
pub fn sections_in(ver: Version) -> Vec<&'static str> {
    let mut v: Vec<&str> = OPTIONS
        .iter()
        .filter(|o| o.provider || if ver.is3() { o.in3 } else { o.in2 })
        .map(|o| o.section)
        .collect();
    v.dedup();
    v
}

/// Keys of one section in the target version (for suggestions).
pub fn keys_in(section: &str, ver: Version) -> Vec<&'static str> {
    let start = OPTIONS.partition_point(|o| o.section < section);
    OPTIONS[start..]
        .iter()
        .take_while(|o| o.section == section)
        .filter(|o| option_in(o.section, o.key, ver).is_some())
        .map(|o| o.key)
        .collect()
}

/// Does the option honour `_cmd`/`_secret` in Airflow `ver`?
pub fn supports_cmd_secret(section: &str, key: &str, ver: Version) -> bool {
    let t = if ver.is3() { SENSITIVE_3 } else { SENSITIVE_2 };
    t.binary_search(&(section, key)).is_ok()
}

/// Is the option marked sensitive (in either major version)?
pub fn is_sensitive(section: &str, key: &str) -> bool {
    option(section, key).is_some_and(|o| o.sensitive)
        || SENSITIVE_2.binary_search(&(section, key)).is_ok()
        || SENSITIVE_3.binary_search(&(section, key)).is_ok()
}

/// All table rows about `section`/`key` (sorted by version).
pub fn changes_of(section: &str, key: &str) -> &'static [Change] {
    let start = CHANGES.partition_point(|c| (c.section, c.key) < (section, key));
    let end = CHANGES.partition_point(|c| (c.section, c.key) <= (section, key));
    CHANGES.get(start..end).unwrap_or(&[])
}

/// The rename, move or removal that applies to `section`/`key` set to
/// `value` in Airflow `ver`: the newest one at or before `ver`.
pub fn applicable_change(
    section: &str,
    key: &str,
    value: Option<&str>,
    ver: Version,
) -> Option<&'static Change> {
    let mut found = None;
    for c in changes_of(section, key)
        .iter()
        .chain(changes_of(section, "*"))
    {
        if v(c.version) > ver {
            continue;
        }
        let fits = match c.kind {
            ChangeKind::Moved | ChangeKind::Renamed | ChangeKind::Removed | ChangeKind::Merged => {
                true
            }
            ChangeKind::SectionRenamed => true,
            ChangeKind::RemovedIfValue => match (value, c.condition) {
                // Values read from a cfg carry `%%` for `%`.
                (Some(val), Some(cond)) => {
                    val.trim() == cond || val.replace("%%", "%").trim() == cond
                }
                _ => false,
            },
            _ => false,
        };
        if fits {
            found = Some(c);
        }
    }
    found
}

/// The invalid-value change that `value` hits in Airflow `ver`, if any.
pub fn invalid_value(
    section: &str,
    key: &str,
    value: &str,
    ver: Version,
) -> Option<&'static Change> {
    changes_of(section, key).iter().find(|c| {
        c.kind == ChangeKind::InvalidValue
            && v(c.version) <= ver
            && c.condition.is_some_and(|cond| {
                if let Some(rest) = cond.strip_prefix("contains '") {
                    let ch = rest.split('\'').next().unwrap_or("\u{0}");
                    return value.contains(ch);
                }
                value
                    .split(',')
                    .map(|x| x.trim())
                    .any(|x| cond.split('|').any(|alt| alt == x))
            })
    })
}

/// Airflow's `getboolean`: lower-cased, anything after `#` dropped, then
/// only `t`/`true`/`1`/`f`/`false`/`0`.
pub fn parse_bool(value: &str) -> Option<bool> {
    let low = value.trim().to_lowercase();
    let low = low.split('#').next().unwrap_or("").trim();
    match low {
        "t" | "true" | "1" => Some(true),
        "f" | "false" | "0" => Some(false),
        _ => None,
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
    if ver.is3() {
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
    if value.trim().is_empty() && info.default.is_none_or(str::is_empty) {
        return None;
    }
    let shown = || {
        let t: String = value.chars().take(40).collect();
        if info.sensitive {
            crate::report::redact::mask(value)
        } else {
            t
        }
    };
    match info.ty {
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
                let other = core_executors(if ver.is3() {
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

    #[test]
    fn lookups() {
        let v3 = Version::newest();
        assert!(option_in("core", "parallelism", v3).is_some());
        assert!(option_in("webserver", "rbac", v3).is_none());
        assert!(supports_cmd_secret("core", "fernet_key", v3));
        assert!(!supports_cmd_secret("core", "dags_folder", v3));
        let c = applicable_change("scheduler", "max_threads", None, Version(2, 9, 0)).unwrap();
        assert_eq!(c.new_key, Some("parsing_processes"));
        assert_eq!(c.new_section, Some("scheduler"));
        let c = applicable_change("scheduler", "max_threads", None, v3).unwrap();
        assert_eq!(c.new_section, Some("dag_processor"));
        assert!(
            applicable_change("scheduler", "dag_dir_list_interval", None, Version(2, 9, 0))
                .is_none()
        );
        assert_eq!(
            suggest("paralelism", &keys_in("core", v3)),
            Some("parallelism")
        );
        assert_eq!(Version::parse("2.9.0-python3.11"), Some(Version(2, 9, 0)));
        assert_eq!(Version::parse("latest"), None);
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
