//! Types of the generated tables in `tables.rs`.
//!
//! Per-release facts are bitsets ([`Mask`]) over `tables::RELEASES`: bit
//! `i` set means the fact holds in `RELEASES[i]`.

/// A set of releases: bit `i` = `tables::RELEASES[i]`.
pub type Mask = u64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Str,
    Int,
    Bool,
    Float,
}

/// One option of a release's config.yml, or of a provider.
#[derive(Clone, Copy, Debug)]
pub struct OptionInfo {
    pub section: &'static str,
    pub key: &'static str,
    /// Releases whose config.yml declares the option (0 for provider-only
    /// options, which are read whatever the release).
    pub present: Mask,
    /// The type in the newest release declaring it.
    pub ty: Ty,
    /// Type per set of releases, when it changed (else empty: `ty`).
    pub tys: &'static [(Mask, Ty)],
    /// Raw default (config.yml string, `{AIRFLOW_HOME}` etc. unexpanded) per
    /// set of releases; releases without a row have no default applied.
    pub defaults: &'static [(Mask, &'static str)],
    /// Releases in which config.yml (or, where the release does not declare
    /// it, the provider) marks the option sensitive.
    pub sensitive: Mask,
    /// Releases in which config.yml marks the option deprecated.
    pub deprecated: Mask,
    /// `version_added` of the newest release declaring it.
    pub added: Option<&'static str>,
    pub provider: bool,
}

/// One entry of `deprecated_options` / `many_to_one_deprecated_options`.
#[derive(Clone, Copy, Debug)]
pub struct Rename {
    pub old_section: &'static str,
    pub old_key: &'static str,
    pub new_section: &'static str,
    pub new_key: &'static str,
    /// The since-version exactly as Airflow declares it (`3.0`, `2.0.0`).
    pub since: Option<&'static str>,
    /// From `many_to_one_deprecated_options`.
    pub many: bool,
    pub releases: Mask,
}

/// `deprecated_sections`: (old section, new section, since, releases).
pub type SectionRename = (&'static str, &'static str, Option<&'static str>, Mask);

/// A provider fallback default: (section, key, value, releases).
pub type Fallback = (&'static str, &'static str, &'static str, Mask);

/// An `enums_options` entry: (section, key, allowed values or None when
/// computed at run time, releases).
pub type EnumOption = (
    &'static str,
    &'static str,
    Option<&'static [&'static str]>,
    Mask,
);

/// One `airflow config lint` change (CONFIGS_CHANGES).
#[derive(Clone, Copy, Debug)]
pub struct LintChange {
    pub section: &'static str,
    pub key: &'static str,
    pub renamed_to: Option<(&'static str, &'static str)>,
    pub was_deprecated: bool,
    pub was_removed: bool,
    pub default_change: bool,
    pub old_default: Option<&'static str>,
    pub new_default: Option<&'static str>,
    pub breaking: bool,
    pub is_invalid_if: Option<&'static str>,
    pub remove_if_equals: Option<&'static str>,
    pub suggestion: &'static str,
    /// What that release prints (`<current value>` for the value); None
    /// when its `message` property prints nothing.
    pub message: Option<&'static str>,
    pub releases: Mask,
}

/// A deprecated value: (section, key, regex, replacement, releases).
pub type DeprecatedValue = (&'static str, &'static str, &'static str, &'static str, Mask);

/// A curated change: (section, key, invalid value (`a|b`, `contains 'x'`;
/// None = the option was removed), version, message).
pub type Curated = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
);

/// An insecure setting of the reference: (id, Airflow 2 option, Airflow 3 option).
pub type SecuritySetting = (
    &'static str,
    Option<(&'static str, &'static str)>,
    Option<(&'static str, &'static str)>,
);
