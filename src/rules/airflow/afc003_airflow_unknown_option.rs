use std::collections::HashMap;

use super::common::{at, groups, name_of};
use crate::airflow::cfg::DEFAULT_SECTION;
use crate::airflow::knowledge::{self, Status, Version};
use crate::airflow::sources::Marker;
use crate::finding::{Finding, Severity};
use crate::rules::{Findings, ProjectCx};

fn hint(s: Option<&str>) -> String {
    s.map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

/// An unknown section: a warning when it looks like a typo of a section
/// of the target version, else a note (a provider afcheck does not know
/// may own it).
fn unknown_section(
    a: crate::airflow::model::At<'_>,
    what: String,
    label: &str,
    sections: &[&'static str],
) -> Finding {
    let s = a.s;
    // Sections are few and short: only a close typo counts as one
    // (`schedular`), not any name a few edits away (`ldap_auth`).
    let name = s.section.trim().to_lowercase();
    let max = (name.chars().count() / 4).clamp(1, 2);
    let sugg = knowledge::suggest(&name, sections).filter(|x| knowledge::distance(&name, x) <= max);
    let f = at(a, s.key_span, format!("{what} ({label}){}", hint(sugg)));
    match sugg {
        Some(x) => f.with_help(format!("Rename the section to `[{x}]`.")),
        None => f
            .with_severity(Severity::Note)
            .with_help("Check the section name against the Airflow configuration reference; a section of a provider afcheck does not describe is read only when that provider is installed."),
    }
}

crate::rule!(Afc003, "AFC003", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            let v: Version = g.version;
            let label = g.version_label();
            let mut keys: HashMap<&str, Vec<&'static str>> = HashMap::new();
            // Computed once per group, not per finding.
            let mut sections: Option<Vec<&'static str>> = None;
            for a in g.settings.iter().copied().filter(|a| !a.s.implicit) {
                let s = a.s;
                let section_known =
                    knowledge::is_known_section(&s.section) || s.section == DEFAULT_SECTION;
                match &s.marker {
                    Some(Marker::Section) if s.case_ok && !section_known => {
                        out.push(unknown_section(
                            a,
                            format!("unknown section `[{}]`", s.section),
                            &label,
                            sections.get_or_insert_with(|| knowledge::sections_in(v)),
                        ));
                    }
                    None if s.case_ok => {
                        if !section_known {
                            // Env vars have no header: report the section on the variable.
                            if s.source.is_env() {
                                out.push(unknown_section(
                                    a,
                                    format!("{} names unknown section `{}`", name_of(s), s.section),
                                    &label,
                                    sections.get_or_insert_with(|| knowledge::sections_in(v)),
                                ));
                            }
                            continue;
                        }
                        if s.section == DEFAULT_SECTION || knowledge::is_open_section(&s.section) {
                            continue;
                        }
                        match knowledge::status(&s.section, &s.key, v) {
                            Status::Unknown => {
                                let sugg = knowledge::suggest(
                                    &s.key,
                                    keys.entry(s.section.as_str())
                                        .or_insert_with(|| knowledge::keys_in(&s.section, v)),
                                );
                                out.push(
                                    at(a, s.key_span, format!("unknown option {} ({label}){}", name_of(s), hint(sugg)))
                                        .with_help(sugg.map(|x| format!("Use `{x}`.")).unwrap_or_else(|| "Remove the option or fix its name.".into())),
                                );
                            }
                            Status::Later { added } => out.push(g.relate_version(
                                at(a, s.key_span, format!("{} exists only from Airflow {added} on, so Airflow {v} ignores it", name_of(s)))
                                    .with_help(format!("Remove it, or target Airflow {added} or later (`--airflow-version`).")),
                            )),
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
        }
    }
});
