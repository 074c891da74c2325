use super::common::{at, groups, literal, name_of};
use super::versioned::effective;
use crate::airflow::knowledge;
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afc036, "AFC036", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            for a in g.options() {
                let s = a.s;
                if !s.case_ok || !knowledge::reads(&s.section, &s.key, g.version) {
                    continue;
                }
                let Some(value) = literal(s) else { continue };
                // Values Airflow or Helm expand are not judged.
                if value.contains('$') {
                    continue;
                }
                let shown: String = value.trim().chars().take(60).collect();
                // The option as this release reads it (an old name as its new
                // one), judged on the value Airflow really uses.
                let (sec, key) = knowledge::canonical(&s.section, &s.key, g.version);
                if !effective(g, &sec, &key).is_some_and(|e| std::ptr::eq(e.s, s)) {
                    continue;
                }
                // An old value this release replaces when reading it.
                if let Some(new) = knowledge::upgraded_value(&sec, &key, value, g.version) {
                    let new: String = new.chars().take(80).collect();
                    out.push(
                        at(a,
                            s.value_span,
                            format!(
                                "Airflow replaces `{shown}` with `{new}` when it reads {} (deprecated value; {})",
                                name_of(s),
                                g.version_label()
                            ),
                        )
                        .with_help(format!("Write `{new}`.")),
                    );
                    continue;
                }
                // A Helm template is not a value.
                if value.contains("{{") {
                    continue;
                }
                // `config lint` of this release: a default change, reported
                // when the value differs from the new default.
                let Some(c) = knowledge::default_change(&sec, &key, g.version) else {
                    continue;
                };
                let (Some(old), Some(new)) = (c.old_default, c.new_default) else {
                    continue;
                };
                // `config lint` prints the notice for any value other than
                // the new default; afcheck only for the old default (a value
                // carried over from an older configuration), since any other
                // value (`executor = CeleryExecutor`) is evidently a choice.
                if value.trim() == new || !value.trim().eq_ignore_ascii_case(old) {
                    continue;
                }
                let when = format!(
                    "{} in Airflow {}",
                    if knowledge::lint_changes_apply(g.version) {
                        "changed"
                    } else {
                        "changes"
                    },
                    knowledge::LINT_CHANGES_FROM
                );
                out.push(
                    at(a,
                        s.value_span,
                        format!(
                            "the default of {} {when} from `{old}` to `{new}`; this still sets the old default ({})",
                            name_of(s),
                            g.version_label()
                        ),
                    )
                    .with_help(format!(
                        "Keep `{shown}` if it is deliberate; delete the line to take the new default `{new}`."
                    )),
                );
            }
        }
    }
});
