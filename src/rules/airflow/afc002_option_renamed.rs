use super::common::{at, groups, name_of};
use crate::airflow::knowledge;
use crate::airflow::sources::SourceKind;
use crate::airflow::tables_types::ChangeKind;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc002, "AFC002", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        for g in groups(cx) {
            for a in g.options() {
                let s = a.s;
                if !s.case_ok {
                    continue;
                }
                let Some(c) =
                    knowledge::applicable_change(&s.section, &s.key, s.value.as_deref(), g.version)
                else {
                    continue;
                };
                let (new_sec, new_key) = match c.kind {
                    ChangeKind::Moved | ChangeKind::Renamed | ChangeKind::Merged => (
                        c.new_section.unwrap_or(&s.section).to_string(),
                        c.new_key.unwrap_or(&s.key).to_string(),
                    ),
                    ChangeKind::SectionRenamed => (
                        c.new_section.unwrap_or(&s.section).to_string(),
                        s.key.clone(),
                    ),
                    _ => continue,
                };
                let still_read = if g.version.is3() {
                    c.honoured_in_3
                } else {
                    true
                };
                let effect = if still_read {
                    "still read as a deprecated fallback"
                } else {
                    "no longer read, so the new option keeps its default"
                };
                let suffix = s.via.suffix();
                let new_name = if s.source.is_env() {
                    format!(
                        "AIRFLOW__{}__{}{}",
                        new_sec.replace('.', "_").to_uppercase(),
                        new_key.to_uppercase(),
                        suffix.to_uppercase()
                    )
                } else if s.source == SourceKind::HelmConfig {
                    format!("config.{new_sec}.{new_key}{suffix}` (`[{new_sec}] {new_key}{suffix}")
                } else {
                    format!("[{new_sec}] {new_key}{suffix}")
                };
                out.push(
                    at(
                        "AFC002",
                        a,
                        s.key_span,
                        format!(
                            "{} was {} to `[{new_sec}] {new_key}` in Airflow {} and is {effect} ({})",
                            name_of(s),
                            if c.kind == ChangeKind::Moved || c.kind == ChangeKind::SectionRenamed {
                                "moved"
                            } else {
                                "renamed"
                            },
                            c.version,
                            g.version_label()
                        ),
                    )
                    .with_fix(format!("Use `{new_name}` instead.")),
                );
            }
        }
    }
});
