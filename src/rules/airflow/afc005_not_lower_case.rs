use super::common::{at, groups};
use crate::airflow::sources::Marker;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc005, "AFC005", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        for g in groups(cx) {
            // Sections reported as a whole: their options are not repeated.
            let bad_sections: Vec<(&str, u32)> = g
                .settings
                .iter()
                .filter(|a| a.s.marker == Some(Marker::Section) && !a.s.case_ok)
                .map(|a| (a.s.section.as_str(), a.file))
                .collect();
            for a in g.settings.iter().copied() {
                let s = a.s;
                if s.case_ok {
                    continue;
                }
                match &s.marker {
                    Some(Marker::Section) => out.push(
                        at("AFC005", a, s.key_span, format!("section `[{}]` is not lower case: Airflow looks up `[{}]` and ignores this whole section", s.section, s.section.to_lowercase()))
                            .with_fix(format!("Rename it `[{}]`.", s.section.to_lowercase())),
                    ),
                    None if s.source.is_env() => out.push(
                        at("AFC005", a, s.key_span, format!("`{}` is not upper case: Airflow only reads `{}`, so this variable is ignored", s.name, s.name.to_uppercase()))
                            .with_fix(format!("Rename it `{}`.", s.name.to_uppercase())),
                    ),
                    None if !bad_sections.contains(&(s.section.as_str(), a.file)) => out.push(
                        at("AFC005", a, s.key_span, format!("key `{}` in `[{}]` is not lower case: Airflow looks up `{}` and ignores this line", s.name, s.section, s.name.to_lowercase()))
                            .with_fix(format!("Write it `{}`.", s.name.to_lowercase())),
                    ),
                    _ => {}
                }
            }
        }
    }
});
