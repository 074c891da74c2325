use super::common::{at, name_of, read_options};
use super::edits::{Src, delete};
use crate::airflow::knowledge::{self, Status, Version};
use crate::finding::Applicability;
use crate::rules::{Findings, ProjectCx};

/// Why `[section] key` (set to `value`) is ignored by Airflow `ver`, if it
/// is removed there: the version it is gone since, and whether only this
/// value was dropped (`config lint`'s `remove_if_equals`).
pub fn removal(
    section: &str,
    key: &str,
    value: Option<&str>,
    ver: Version,
) -> Option<(String, bool)> {
    if let Status::Removed { since, .. } = knowledge::status(section, key, ver) {
        return Some((since, false));
    }
    let val = value?.replace("%%", "%");
    knowledge::lint_at(section, key, ver)
        .find(|l| {
            knowledge::lint_changes_apply(ver)
                && l.remove_if_equals.is_some_and(|r| r == val.trim())
        })
        .map(|_| ("3.0".to_string(), true))
}

crate::rule!(Afc001, "AFC001", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for (g, a) in read_options(cx) {
            let s = a.s;
            let Some((since, value_only)) =
                removal(&s.section, &s.key, s.value.as_deref(), g.version)
            else {
                continue;
            };
            let note = match knowledge::status(&s.section, &s.key, g.version) {
                Status::Removed { note: Some(n), .. } => format!(": {n}"),
                _ => String::new(),
            };
            let (what, fix) = if value_only {
                (
                    "this value of ",
                    format!(
                        "Delete {} or set the value the release notes name.",
                        name_of(s)
                    ),
                )
            } else {
                ("", format!("Delete {}; it has no effect.", name_of(s)))
            };
            let f = at(
                a,
                s.key_span,
                format!(
                    "{what}{} was removed in Airflow {since} and is ignored ({}){note}",
                    name_of(s),
                    g.version_label()
                ),
            )
            .with_help(fix);
            // Unsafe: Airflow ignores the line, but a plugin, a script
            // or an older deployment of the same file may still read it.
            let f = match Src::of(cx, a).and_then(|src| delete(&src, g, a)) {
                Some(edits) => f.with_edits(Applicability::Unsafe, edits),
                None => f,
            };
            out.push(g.relate_version(f));
        }
    }
});
