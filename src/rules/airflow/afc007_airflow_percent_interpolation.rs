use super::common::{at, groups, name_of};
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc007, "AFC007", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        for g in groups(cx) {
            for a in g.options() {
                let s = a.s;
                let Some((off, why)) = &s.interp_error else {
                    continue;
                };
                let span = s.value_sub_span(*off, off + 1);
                out.push(
                    at("AFC007", a, span, format!("`%` interpolation error in {}: {why}; Airflow fails reading this option (InterpolationSyntaxError)", name_of(s)))
                        .with_fix("Write a literal `%` as `%%` (for example `p%40ss` becomes `p%%40ss`)."),
                );
            }
        }
    }
});
