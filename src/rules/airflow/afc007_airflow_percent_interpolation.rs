use super::common::{at, groups, name_of};
use super::edits::{Src, double_percents};
use crate::finding::Applicability;
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afc007, "AFC007", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            for a in g.options() {
                let s = a.s;
                let Some((off, why)) = &s.interp_error else {
                    continue;
                };
                let span = s.value_sub_span(*off, off + 1);
                let f = at(
                    a,
                    span,
                    format!(
                        "`%` interpolation error in {}: {why}; Airflow fails reading this option (InterpolationSyntaxError)",
                        name_of(s)
                    ),
                );
                // Safe: a `%` followed by neither `%` nor `(` is never a
                // reference, and reading the option fails today; `%%` reads
                // back as exactly the `%` written. `%(name)s` is left alone.
                out.push(
                    match Src::of(cx, a).and_then(|src| double_percents(&src, s)) {
                        Some(edits) => f.with_edits(Applicability::Safe, edits),
                        None => f,
                    },
                );
            }
        }
    }
});
