use super::common::{at, groups, name_of};
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
                out.push(
                    at(a, span, format!("`%` interpolation error in {}: {why}; Airflow fails reading this option (InterpolationSyntaxError)", name_of(s)))
                        .with_help("Write a literal `%` as `%%` (for example `p%40ss` becomes `p%%40ss`)."),
                );
            }
        }
    }
});
