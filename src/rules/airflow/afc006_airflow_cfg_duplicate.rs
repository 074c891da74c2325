use super::common::{at, groups};
use crate::airflow::sources::Marker;
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afc006, "AFC006", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            for a in g.settings.iter().copied() {
                let s = a.s;
                let msg = s.value.clone().unwrap_or_default();
                match &s.marker {
                    Some(Marker::DuplicateOption { first }) => out.push(
                        at(a, s.key_span, format!("duplicate option: {msg}; Airflow refuses to start (DuplicateOptionError)"))
                            .with_related(a.file, *first, "first set here")
                            .with_help("Keep one of the two lines."),
                    ),
                    Some(Marker::DuplicateSection { first }) => out.push(
                        at(a, s.key_span, format!("duplicate section: {msg}; Airflow refuses to start (DuplicateSectionError)"))
                            .with_related(a.file, *first, "first header here")
                            .with_help("Merge the two sections into one."),
                    ),
                    Some(Marker::Syntax) => out.push(
                        at(a, s.key_span, format!("{msg} (ParsingError): Airflow refuses to start"))
                            .with_help("Write `key = value`, put it under a `[section]` header, or make it a whole-line `#` comment."),
                    ),
                    _ => {}
                }
            }
        }
    }
});
