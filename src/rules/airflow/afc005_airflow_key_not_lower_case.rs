use super::common::{at, groups};
use super::edits::{Index, Src, rename_in_place};
use super::versioned::{BoolSpec, lost_hardening};
use crate::airflow::knowledge;
use crate::airflow::model::{At, Group};
use crate::airflow::sources::{Marker, parse_env_name, split_suffix};
use crate::finding::{Applicability, Edit, Finding, Severity};
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

/// Attaches a re-casing fix. Unsafe: the line is ignored today, so writing
/// it in the right case makes Airflow apply a value it has never applied.
fn with_fix(f: Finding, edits: Option<Vec<Edit>>) -> Finding {
    match edits {
        Some(e) => f.with_edits(Applicability::Unsafe, e),
        None => f,
    }
}

/// Nothing else in the group sets `[section] key` (under this name or an
/// old or new one): the re-cased line adds a value, it does not compete.
fn unset(g: &Group<'_>, idx: &Index<'_>, a: At<'_>, section: &str, key: &str) -> bool {
    knowledge::reads(section, key, g.version) && !idx.is_set(g, a, section, key)
}

/// The fix that writes the name in Airflow's case: an env var in upper
/// case, a cfg or Helm `config:` key or section in lower case. Only when it
/// is then an option (section) this version reads, that option (any option
/// of the section) is set nowhere else in the group, and no other line of
/// the same source writes the same name in another case (a duplicate).
fn recase(cx: &ProjectCx<'_>, g: &Group<'_>, idx: &Index<'_>, a: At<'_>) -> Option<Vec<Edit>> {
    let s = a.s;
    let src = Src::of(cx, a)?;
    let same_source = |b: &At<'_>| b.file == a.file && b.s.unit == s.unit && b.s.source == s.source;
    if s.marker == Some(Marker::Section) {
        let lower = s.section.to_lowercase();
        let twin = g.settings.iter().any(|b| {
            same_source(b)
                && b.s.marker == Some(Marker::Section)
                && !std::ptr::eq(b.s, s)
                && b.s.section.to_lowercase() == lower
        });
        let inside_set = g
            .options()
            .filter(|o| same_source(o) && o.s.section == s.section)
            .filter(|o| o.s.name == o.s.name.to_lowercase())
            .any(|o| !unset(g, idx, o, &lower, &o.s.key));
        if !knowledge::is_known_section(&lower) || twin || inside_set {
            return None;
        }
        let at = src.name_span(s.key_span, &s.section)?;
        return Some(vec![Edit::replace(at, lower)]);
    }
    if s.source.is_env() {
        let upper = s.name.to_uppercase();
        let (sec, key, _, _) = parse_env_name(&upper)?;
        if !unset(g, idx, a, &sec, &key) || idx.named(&upper) > 0 {
            return None;
        }
        return rename_in_place(&src, s, &upper);
    }
    let lower = s.name.to_lowercase();
    if s.section != s.section.to_lowercase() {
        return None;
    }
    let (key, _) = split_suffix(&s.section, &lower);
    if !unset(g, idx, a, &s.section, &key) || idx.same_but_case(a) > 1 {
        return None;
    }
    rename_in_place(&src, s, &lower)
}

crate::rule!(Afc005, "AFC005", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            let index = std::cell::OnceCell::new();
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
                        let f = with_fix(f, recase(cx, g, index.get_or_init(|| Index::of(g)), a));
                        out.push(match inside {
                            Some((l, name)) => finish(f, Some(l), &name),
                            None => f,
                        });
                    }
                    None if s.source.is_env() => out.push(finish(
                        with_fix(at(a, s.key_span, format!("`{}` is not upper case: Airflow only reads `{}`, so this variable is ignored", s.name, s.name.to_uppercase()))
                            .with_help(format!("Rename it `{}`.", s.name.to_uppercase())), recase(cx, g, index.get_or_init(|| Index::of(g)), a)),
                        lost(g, a),
                        &option,
                    )),
                    None if !bad_sections.contains(&(s.section.as_str(), a.file)) => out.push(finish(
                        with_fix(at(a, s.key_span, format!("key `{}` in `[{}]` is not lower case: Airflow looks up `{}` and ignores this line", s.name, s.section, s.name.to_lowercase()))
                            .with_help(format!("Write it `{}`.", s.name.to_lowercase())), recase(cx, g, index.get_or_init(|| Index::of(g)), a)),
                        lost(g, a),
                        &option,
                    )),
                    _ => {}
                }
            }
        }
    }
});
