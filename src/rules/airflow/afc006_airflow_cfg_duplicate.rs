use super::common::{at, groups};
use crate::airflow::sources::Marker;
use crate::finding::Finding;
use crate::rules::ProjectCx;

crate::rule!(Afc006, "AFC006", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        for g in groups(cx) {
            for a in g.settings.iter().copied() {
                let s = a.s;
                let msg = s.value.clone().unwrap_or_default();
                match &s.marker {
                    Some(Marker::DuplicateOption { first }) => out.push(
                        at("AFC006", a, s.key_span, format!("duplicate option: {msg}; Airflow refuses to start (DuplicateOptionError)"))
                            .with_related(a.file, *first, "first set here")
                            .with_fix("Keep one of the two lines."),
                    ),
                    Some(Marker::DuplicateSection { first }) => out.push(
                        at("AFC006", a, s.key_span, format!("duplicate section: {msg}; Airflow refuses to start (DuplicateSectionError)"))
                            .with_related(a.file, *first, "first header here")
                            .with_fix("Merge the two sections into one."),
                    ),
                    Some(Marker::Syntax) => out.push(
                        at("AFC006", a, s.key_span, format!("{msg} (ParsingError): Airflow refuses to start"))
                            .with_fix("Write `key = value`, put it under a `[section]` header, or make it a whole-line `#` comment."),
                    ),
                    _ => {}
                }
            }
        }
    }
});
