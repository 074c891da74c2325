use super::common::{at, groups};
use super::versioned::{BoolSpec, lost_hardening};
use crate::airflow::model::{At, Group};
use crate::airflow::sources::Marker;
use crate::finding::{Finding, Severity};
use crate::rules::{Findings, ProjectCx};

/// The hardening an ignored (wrong-case) option carried, if Airflow ends
/// up with the insecure value of the option it meant.
fn lost(g: &Group<'_>, a: At<'_>) -> Option<(&'static BoolSpec, String, bool)> {
    lost_hardening(g, a, &a.s.section.to_lowercase(), &a.s.key.to_lowercase())
}

/// An ignored line is a warning; an ignored security hardening is an error
/// (severity policy: Airflow silently ignores a security setting).
fn finish(f: Finding, lost: Option<(&'static BoolSpec, String, bool)>, name: &str) -> Finding {
    match lost {
        Some((spec, used, default)) => {
            let how = if default {
                "keeps its default"
            } else {
                "is set to"
            };
            let msg = format!(
                "{}; `{name}` {how} `{used}`: {} ({})",
                f.message, spec.why, spec.rule
            );
            Finding { message: msg, ..f }.with_severity(Severity::Error)
        }
        None => f,
    }
}

crate::rule!(Afc005, "AFC005", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
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
                let option = format!("[{}] {}", s.section.to_lowercase(), s.key.to_lowercase());
                match &s.marker {
                    Some(Marker::Section) => {
                        let inside = g
                            .options()
                            .filter(|o| o.file == a.file && o.s.section == s.section)
                            .find_map(|o| {
                                lost(g, o).map(|l| {
                                    let name = format!("[{}] {}", o.s.section.to_lowercase(), o.s.key.to_lowercase());
                                    (l, name)
                                })
                            });
                        let f = at(a, s.key_span, format!("section `[{}]` is not lower case: Airflow looks up `[{}]` and ignores this whole section", s.section, s.section.to_lowercase()))
                            .with_help(format!("Rename it `[{}]`.", s.section.to_lowercase()));
                        out.push(match inside {
                            Some((l, name)) => finish(f, Some(l), &name),
                            None => f,
                        });
                    }
                    None if s.source.is_env() => out.push(finish(
                        at(a, s.key_span, format!("`{}` is not upper case: Airflow only reads `{}`, so this variable is ignored", s.name, s.name.to_uppercase()))
                            .with_help(format!("Rename it `{}`.", s.name.to_uppercase())),
                        lost(g, a),
                        &option,
                    )),
                    None if !bad_sections.contains(&(s.section.as_str(), a.file)) => out.push(finish(
                        at(a, s.key_span, format!("key `{}` in `[{}]` is not lower case: Airflow looks up `{}` and ignores this line", s.name, s.section, s.name.to_lowercase()))
                            .with_help(format!("Write it `{}`.", s.name.to_lowercase())),
                        lost(g, a),
                        &option,
                    )),
                    _ => {}
                }
            }
        }
    }
});
