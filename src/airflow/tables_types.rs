//! Types of the generated tables in `tables.rs`.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Str,
    Int,
    Bool,
    Float,
}

/// One option of Airflow 2.x/3.x core or a provider.
#[derive(Clone, Copy, Debug)]
pub struct OptionInfo {
    pub section: &'static str,
    pub key: &'static str,
    pub ty: Ty,
    /// Raw default from config.yml (`{AIRFLOW_HOME}` etc. unexpanded).
    pub default: Option<&'static str>,
    pub added: Option<&'static str>,
    /// Present in Airflow 2.x / 3.x (provider options: both).
    pub in2: bool,
    pub in3: bool,
    pub sensitive: bool,
    pub provider: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Moved,
    Renamed,
    Removed,
    /// Removed when the value matches `condition`.
    RemovedIfValue,
    /// The value `condition` is invalid from `version`.
    InvalidValue,
    DefaultChanged,
    /// Several old options merged into one new one.
    Merged,
    SectionRenamed,
}

/// A rename, move or removal of an option.
#[derive(Clone, Copy, Debug)]
pub struct Change {
    pub section: &'static str,
    pub key: &'static str,
    pub new_section: Option<&'static str>,
    pub new_key: Option<&'static str>,
    pub kind: ChangeKind,
    /// First version with the change (`3.0`, `2.3.0`, ...).
    pub version: &'static str,
    pub condition: Option<&'static str>,
    /// Airflow 3 still reads the old name as a deprecated fallback.
    pub honoured_in_3: bool,
    /// Listed by `airflow config lint` (Airflow 3).
    pub in_lint: bool,
}

/// An insecure setting of the reference: (id, Airflow 2 option, Airflow 3 option).
pub type SecuritySetting = (
    &'static str,
    Option<(&'static str, &'static str)>,
    Option<(&'static str, &'static str)>,
);
