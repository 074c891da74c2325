use super::common::{at, groups, name_of};
use crate::airflow::knowledge::{self, Version};
use crate::airflow::tables_types::ChangeKind;
use crate::finding::Finding;
use crate::rules::ProjectCx;

/// Why `[section] key` is gone in `ver`, if it is: the removal's version
/// and an optional note.
pub fn removal(section: &str, key: &str, value: Option<&str>, ver: Version) -> Option<String> {
    if let Some(c) = knowledge::applicable_change(section, key, value, ver) {
        return match c.kind {
            ChangeKind::Removed | ChangeKind::RemovedIfValue => Some(c.version.to_string()),
            _ => None,
        };
    }
    // Known to the other major version only, with no rename on record.
    let o = knowledge::option(section, key)?;
    if o.provider || knowledge::option_in(section, key, ver).is_some() {
        return None;
    }
    let gone_in_3 = ver.is3() && o.in2 && !o.in3;
    gone_in_3.then(|| "3.0".to_string())
}

crate::rule!(Afc001, "AFC001", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        for g in groups(cx) {
            for a in g.options() {
                let s = a.s;
                if !s.case_ok {
                    continue;
                }
                let Some(since) = removal(&s.section, &s.key, s.value.as_deref(), g.version) else {
                    continue;
                };
                let cond =
                    knowledge::applicable_change(&s.section, &s.key, s.value.as_deref(), g.version)
                        .is_some_and(|c| c.kind == ChangeKind::RemovedIfValue);
                let what = if cond { "this value of " } else { "" };
                out.push(
                    at(
                        "AFC001",
                        a,
                        s.key_span,
                        format!(
                            "{what}{} was removed in Airflow {since} and is ignored ({})",
                            name_of(s),
                            g.version_label()
                        ),
                    )
                    .with_fix(format!("Delete {}; it has no effect.", name_of(s))),
                );
            }
        }
    }
});
