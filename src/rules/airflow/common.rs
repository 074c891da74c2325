//! Helpers shared by the AFC rules: the grouped model, finding builders and
//! the "insecure boolean" check most security rules reduce to.

use crate::airflow::model::{At, Group};
use crate::airflow::sources::{Setting, SourceKind, Via};
use crate::finding::Finding;
use crate::rules::ProjectCx;
use crate::source::Span;

/// The Airflow groups of the run (computed once, shared by every rule).
pub fn groups<'c, 'a>(cx: &'c ProjectCx<'a>) -> &'c [Group<'a>] {
    cx.airflow_groups()
}

/// Every option of every group written in the case Airflow reads it, with
/// its group.
pub fn read_options<'c, 'a>(
    cx: &'c ProjectCx<'a>,
) -> impl Iterator<Item = (&'c Group<'a>, At<'c>)> + 'c {
    groups(cx)
        .iter()
        .flat_map(|g| g.options().filter(|a| a.s.case_ok).map(move |a| (g, a)))
}

/// A finding at `span` in the setting's file.
pub fn at(a: At<'_>, span: Span, message: impl Into<String>) -> Finding {
    Finding::new(span, message).in_file(a.file)
}

/// Where a setting is, for messages: `env AIRFLOW__CORE__X` or `[core] x`.
pub fn name_of(s: &Setting) -> String {
    if s.source.is_env() {
        format!("`{}` ({})", s.name, s.display())
    } else {
        format!("`[{}] {}`", s.section, s.name)
    }
}

/// A known literal value (not from a Secret, not via `_cmd`/`_secret`).
pub fn literal(s: &Setting) -> Option<&str> {
    if s.via != Via::Value || s.from_secret {
        return None;
    }
    s.value.as_deref()
}

/// Sources where a literal value is plaintext in a committed file or image.
pub fn is_plaintext_source(s: &Setting) -> bool {
    matches!(
        s.source,
        SourceKind::Cfg
            | SourceKind::ConfigMapCfg
            | SourceKind::HelmConfig
            | SourceKind::EnvVar
            | SourceKind::HelmEnv
            | SourceKind::DockerEnv
            | SourceKind::ComposeEnv
    )
}
