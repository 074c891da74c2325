use std::collections::HashMap;

use super::common::{at, groups, name_of};
use super::edits::{Index, rename, written_name};
use super::versioned::lost_hardening;
use crate::airflow::knowledge::{self, Status};
use crate::airflow::model::{At, Group};
use crate::airflow::sources::{Setting, SourceKind, Via};
use crate::finding::{Applicability, Edit, Severity};
use crate::rules::{Findings, ProjectCx};

/// Where each renamed option of the group goes: (new section, new key,
/// still read) per option, and how many options go to each new name.
type Moves<'g> = (Vec<(At<'g>, Status)>, HashMap<(String, String), usize>);

fn moves<'g>(g: &'g Group<'_>) -> Moves<'g> {
    let mut v = Vec::new();
    let mut to: HashMap<(String, String), usize> = HashMap::new();
    for a in g.options().filter(|a| a.s.case_ok) {
        let st = knowledge::status(&a.s.section, &a.s.key, g.version);
        let target = match &st {
            Status::Alias(al) => (al.new_section.to_string(), al.new_key.clone()),
            Status::Renamed {
                new_section,
                new_key,
                ..
            } => (new_section.clone(), new_key.clone()),
            _ => continue,
        };
        *to.entry(target).or_default() += 1;
        v.push((a, st));
    }
    (v, to)
}

/// The fix that writes the setting under its new name. Safe for a cfg line
/// or Helm `config:` entry while the old name is still read as a deprecated
/// fallback (Airflow already reads this value as the new option, so nothing
/// changes); unsafe once the target version ignores the old name (the value
/// starts to apply), and for environment variables. None when
/// another old name of the same option is set too (the two would collide)
/// or the new option does not take `_cmd`/`_secret`.
fn fix(
    cx: &ProjectCx<'_>,
    g: &Group<'_>,
    a: At<'_>,
    (new_sec, new_key): (&str, &str),
    still_read: bool,
    sharing: usize,
) -> Option<(Applicability, Vec<Edit>)> {
    // The new name must be an option this version declares (a renamed
    // section's fallback covers keys the new section does not have).
    if knowledge::status(new_sec, new_key, g.version) != Status::Read {
        return None;
    }
    if a.s.via != Via::Value && !knowledge::supports_cmd_secret(new_sec, new_key, g.version) {
        return None;
    }
    if sharing > 1 {
        return None;
    }
    // An environment variable may also be read by its old name by
    // something other than Airflow (an entrypoint script, `$(VAR)` in a
    // container's args, a `configMapKeyRef` to a ConfigMap key): renaming
    // one is never safe. A cfg line or Helm `config:` entry is Airflow's.
    // Several old options folded into one (`many_to_one_deprecated_options`)
    // are combined when read: moving one of them is not a plain rename.
    let folded = knowledge::renames_of(&a.s.section, &a.s.key)
        .iter()
        .any(|r| r.many);
    let how = if still_read && a.s.source.is_file() && !folded {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    Some((how, rename(cx, g, a, (new_sec, new_key))?))
}

/// How to write the new name in the setting's own kind of source.
fn new_name(s: &Setting, new_sec: &str, new_key: &str) -> String {
    let suffix = s.via.suffix();
    if s.source.is_env() {
        format!("`{}`", written_name(s, new_sec, new_key))
    } else if s.source == SourceKind::HelmConfig {
        format!("`config.{new_sec}.{new_key}{suffix}` (`[{new_sec}] {new_key}{suffix}`)")
    } else {
        format!("`[{new_sec}] {new_key}{suffix}`")
    }
}

crate::rule!(Afc002, "AFC002", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            let (renamed, to) = moves(g);
            if renamed.is_empty() {
                continue;
            }
            let index = Index::of(g);
            for (a, status) in renamed {
                let s = a.s;
                // Still read: hygiene (note); no longer read: the setting is
                // lost (warning, the rule's level).
                let still_read = matches!(status, Status::Alias(_));
                let (new_sec, new_key, what) = match status {
                    Status::Alias(al) => {
                        let since = al
                            .since
                            .map(|v| format!(" in Airflow {v}"))
                            .unwrap_or_default();
                        (
                            al.new_section.to_string(),
                            al.new_key,
                            format!("{since} and is still read as a deprecated fallback"),
                        )
                    }
                    Status::Renamed {
                        new_section,
                        new_key,
                        renamed_in,
                        since,
                    } => {
                        let when = renamed_in
                            .map(|v| format!(" in Airflow {v}"))
                            .unwrap_or_default();
                        (
                            new_section,
                            new_key,
                            format!("{when}; Airflow {since} and later no longer read it"),
                        )
                    }
                    _ => continue,
                };
                // A hardening value on a name this version ignores while
                // the option it does read holds the insecure value: the
                // protection is silently lost (an error, as the rule that
                // checks the option would report).
                let lost = (!still_read)
                    .then(|| lost_hardening(g, a, &new_sec, &new_key))
                    .flatten();
                let (what, severity) = match &lost {
                    Some((spec, used, default)) => (
                        format!(
                            "{what}, and `[{new_sec}] {new_key}` {} `{used}`: {} ({})",
                            if *default {
                                "keeps its default"
                            } else {
                                "is set to"
                            },
                            spec.why,
                            spec.rule
                        ),
                        Severity::Error,
                    ),
                    None if still_read => (what, Severity::Note),
                    None => (what, Severity::Warning),
                };
                let verb = if new_sec != s.section {
                    "moved"
                } else {
                    "renamed"
                };
                let f = at(
                    a,
                    s.key_span,
                    format!(
                        "{} was {verb} to `[{new_sec}] {new_key}`{what} ({})",
                        name_of(s),
                        g.version_label()
                    ),
                )
                .with_severity(severity);
                // The new name set too: moving this one would make a
                // duplicate (or silently drop a value), so no fix.
                let f = match index.set_elsewhere(a, &new_sec, &new_key) {
                    Some(b) => f.with_help(format!(
                        "`[{new_sec}] {new_key}` is already set ({}): keep one value there and delete this one.",
                        if b.s.implicit {
                            b.s.origin.clone()
                        } else {
                            format!("{} in {}", name_of(b.s), b.s.origin)
                        }
                    )),
                    None => {
                        let f = f.with_help(format!(
                            "Use {} instead.",
                            new_name(s, &new_sec, &new_key)
                        ));
                        let sharing = to.get(&(new_sec.clone(), new_key.clone())).copied().unwrap_or(0);
                        match fix(cx, g, a, (&new_sec, &new_key), still_read, sharing) {
                            Some((how, edits)) => f.with_edits(how, edits),
                            None => f,
                        }
                    }
                };
                out.push(g.relate_version(f));
            }
        }
    }
});
