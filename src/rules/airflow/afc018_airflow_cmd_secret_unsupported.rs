use super::common::{at, groups, name_of};
use crate::airflow::knowledge;
use crate::airflow::sources::Via;
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afc018, "AFC018", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            for a in g.options() {
                let s = a.s;
                if s.via == Via::Value || !s.case_ok {
                    continue;
                }
                if !knowledge::reads(&s.section, &s.key, g.version) {
                    continue; // unknown or removed at this version: AFC001-AFC003
                }
                if knowledge::supports_cmd_secret(&s.section, &s.key, g.version) {
                    continue;
                }
                out.push(
                    at(a, s.key_span, format!("{} is silently ignored: only sensitive options honour `{}` ({}), so `[{}] {}` keeps its default", name_of(s), s.via.suffix(), g.version_label(), s.section, s.key))
                        .with_help(format!("Set `[{}] {}` directly.", s.section, s.key)),
                );
            }
        }
    }
});
