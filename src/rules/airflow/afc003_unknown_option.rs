use std::collections::HashMap;

use super::common::{at, groups, name_of};
use crate::airflow::cfg::DEFAULT_SECTION;
use crate::airflow::knowledge::{self, Version};
use crate::airflow::sources::Marker;
use crate::finding::Finding;
use crate::rules::ProjectCx;

/// Is `[section] key` unknown to every version (no option, no change entry)?
fn unknown_key(section: &str, key: &str) -> bool {
    knowledge::option(section, key).is_none()
        && knowledge::changes_of(section, key).is_empty()
        && knowledge::changes_of(section, "*").is_empty()
}

fn hint(s: Option<&str>) -> String {
    s.map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

crate::rule!(Afc003, "AFC003", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        for g in groups(cx) {
            let v: Version = g.version;
            let mut keys: HashMap<&str, Vec<&'static str>> = HashMap::new();
            // Computed once per group, not per finding.
            let mut sections: Option<Vec<&'static str>> = None;
            for a in g.settings.iter().copied().filter(|a| !a.s.implicit) {
                let s = a.s;
                let section_known =
                    knowledge::is_known_section(&s.section) || s.section == DEFAULT_SECTION;
                match &s.marker {
                    Some(Marker::Section) if s.case_ok && !section_known => {
                        let sugg = knowledge::suggest(
                            s.section.trim(),
                            sections.get_or_insert_with(|| knowledge::sections_in(v)),
                        );
                        out.push(
                            at("AFC003", a, s.key_span, format!("unknown section `[{}]` ({}){}", s.section, g.version_label(), hint(sugg)))
                                .with_fix(sugg.map(|x| format!("Rename the section to `[{x}]`.")).unwrap_or_else(|| "Check the section name against the Airflow configuration reference.".into())),
                        );
                    }
                    None if s.case_ok => {
                        if !section_known {
                            // Env vars have no header: report the section on the variable.
                            if s.source.is_env() {
                                let sugg = knowledge::suggest(
                                    &s.section,
                                    sections.get_or_insert_with(|| knowledge::sections_in(v)),
                                );
                                out.push(at(
                                    "AFC003",
                                    a,
                                    s.key_span,
                                    format!(
                                        "{} names unknown section `{}` ({}){}",
                                        name_of(s),
                                        s.section,
                                        g.version_label(),
                                        hint(sugg)
                                    ),
                                ));
                            }
                            continue;
                        }
                        if s.section == DEFAULT_SECTION || knowledge::is_open_section(&s.section) {
                            continue;
                        }
                        if unknown_key(&s.section, &s.key) {
                            let sugg = knowledge::suggest(
                                &s.key,
                                keys.entry(s.section.as_str())
                                    .or_insert_with(|| knowledge::keys_in(&s.section, v)),
                            );
                            out.push(
                                at(
                                    "AFC003",
                                    a,
                                    s.key_span,
                                    format!(
                                        "unknown option {} ({}){}",
                                        name_of(s),
                                        g.version_label(),
                                        hint(sugg)
                                    ),
                                )
                                .with_fix(
                                    sugg.map(|x| format!("Use `{x}`.")).unwrap_or_else(|| {
                                        "Remove the option or fix its name.".into()
                                    }),
                                ),
                            );
                        } else if let Some(o) = knowledge::option(&s.section, &s.key)
                            && knowledge::option_in(&s.section, &s.key, v).is_none()
                            && knowledge::changes_of(&s.section, &s.key).is_empty()
                            && let Some(added) = o.added
                            && Version::parse(added).is_some_and(|x| x > v && x.0 == v.0)
                            && (if v.is3() { o.in3 } else { o.in2 })
                        {
                            out.push(at(
                                "AFC003",
                                a,
                                s.key_span,
                                format!(
                                    "{} was added in Airflow {added}; {} does not know it",
                                    name_of(s),
                                    g.version_label()
                                ),
                            ));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
});
