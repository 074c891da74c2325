//! Version-exact lookups for the AFC rules: the setting Airflow really uses
//! for an option at the group's target version, across the option's old
//! and new names, the way `AirflowConfigParser.get` resolves them.

use super::common::{at, groups};
use crate::airflow::knowledge;
use crate::airflow::model::{At, Group};
use crate::airflow::sources::Via;
use crate::finding::Finding;
use crate::rules::ProjectCx;

/// Airflow's lookup tier of a setting: every environment variable (value,
/// `_CMD`, `_SECRET`) first, then the file's value, `_cmd`, `_secret`.
fn tier(a: &At<'_>) -> u8 {
    if a.s.source.is_env() {
        return 0;
    }
    match a.s.via {
        Via::Value => 1,
        Via::Cmd => 2,
        Via::Secret => 3,
    }
}

/// The setting whose value Airflow (the group's version) uses for
/// `section`/`key`, or None when nothing sets it or that version does not
/// read the option. An old name is resolved to the name it stands for;
/// within a tier the new name wins over old names (env new, env old, file
/// new, file old, file `_cmd` new, ...).
pub fn effective<'a>(g: &'a Group<'a>, section: &str, key: &str) -> Option<At<'a>> {
    let ver = g.version;
    let (cs, ck) = knowledge::canonical(section, key, ver);
    if !knowledge::reads(&cs, &ck, ver) {
        return None;
    }
    let mut names: Vec<(String, String)> = vec![(cs.clone(), ck.clone())];
    names.extend(
        knowledge::old_names(&cs, &ck, ver)
            .into_iter()
            .map(|(s, k)| (s.to_string(), k)),
    );
    let mut best: Option<((u8, usize, usize), At<'a>)> = None;
    for (i, (s, k)) in names.iter().enumerate() {
        for (pos, a) in g.candidates(s, k).into_iter().enumerate() {
            let rank = (tier(&a), i, pos);
            if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                best = Some((rank, a));
            }
        }
    }
    best.map(|(_, a)| a)
}

/// The effective setting of each option of `locs` the group's version
/// reads, each option once (an old name counts as its new one).
pub fn effective_of<'a>(g: &'a Group<'a>, locs: &[(&str, &str)]) -> Vec<At<'a>> {
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut out = Vec::new();
    for (sec, key) in locs {
        let c = knowledge::canonical(sec, key, g.version);
        if seen.contains(&c) {
            continue;
        }
        if let Some(a) = effective(g, &c.0, &c.1) {
            out.push(a);
        }
        seen.push(c);
    }
    out
}

/// The boolean security rules: for each option of `locs` the group's
/// version reads (old names resolved to their new one, each option once),
/// report the effective value when it parses as `bad`.
pub fn bool_rule(
    cx: &ProjectCx<'_>,
    out: &mut Vec<Finding>,
    rule: &'static str,
    locs: &[(&str, &str)],
    bad: bool,
    why: &str,
    fix: &str,
) {
    for g in groups(cx) {
        for a in effective_of(&g, locs) {
            if a.s.via != Via::Value
                || a.s.value.as_deref().and_then(knowledge::parse_bool) != Some(bad)
            {
                continue;
            }
            out.push(
                at(
                    rule,
                    a,
                    a.s.value_span,
                    format!(
                        "[{}] {} is {} ({}): {why}",
                        a.s.section,
                        a.s.key,
                        if bad { "true" } else { "false" },
                        a.s.source.describe(),
                    ),
                )
                .with_fix(fix.to_string()),
            );
        }
    }
}
