use super::common::{at, groups, literal, name_of};
use crate::airflow::knowledge;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc035, "AFC035", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        for g in groups(cx) {
            for a in g.options() {
                let s = a.s;
                if !s.case_ok || !knowledge::reads(&s.section, &s.key, g.version) {
                    continue;
                }
                // `config lint` of this release: a default change, reported
                // when the value differs from the new default.
                let Some(c) = knowledge::default_change(&s.section, &s.key, g.version) else {
                    continue;
                };
                let (Some(old), Some(new)) = (c.old_default, c.new_default) else {
                    continue;
                };
                let Some(value) = literal(s) else { continue };
                // Values Airflow or Helm expand are not judged.
                if value.trim() == new || value.contains('$') || value.contains("{{") {
                    continue;
                }
                let shown: String = value.trim().chars().take(60).collect();
                let when = if g.version.0 >= 3 {
                    "changed in Airflow 3.0"
                } else {
                    "changes in Airflow 3.0"
                };
                out.push(
                    at(
                        "AFC035",
                        a,
                        s.value_span,
                        format!(
                            "the default of {} {when} from `{old}` to `{new}`; this sets `{shown}` ({})",
                            name_of(s),
                            g.version_label()
                        ),
                    )
                    .with_fix(format!(
                        "Keep `{shown}` if it is deliberate; delete the line to take the new default `{new}`."
                    )),
                );
            }
        }
    }
});
