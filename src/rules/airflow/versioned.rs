//! Version-exact lookups for the AFC rules: the setting Airflow really uses
//! for an option at the group's target version, across the option's old
//! and new names, the way `AirflowConfigParser.get` resolves them.

use super::common::{at, groups};
use crate::airflow::knowledge;
use crate::airflow::model::{At, Group};
use crate::airflow::sources::Via;
use crate::rules::{Findings, ProjectCx};

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

/// For each group, the effective setting of each option of `locs` the
/// group's version reads (old names resolved to their new one, each option
/// once) that holds a literal value (not `_cmd`/`_secret`), with the value.
pub fn effective_values<'c, 'a>(
    cx: &'c ProjectCx<'a>,
    locs: &'c [(&'c str, &'c str)],
) -> impl Iterator<Item = (&'c Group<'a>, At<'c>, &'c str)> + 'c {
    groups(cx).iter().flat_map(move |g| {
        effective_of(g, locs)
            .into_iter()
            .filter(|a| a.s.via == Via::Value)
            .filter_map(move |a| a.s.value.as_deref().map(|v| (g, a, v)))
    })
}

/// Runs a boolean security rule: reports the effective value of each option
/// of the spec when it parses as the insecure one.
pub fn check(cx: &ProjectCx<'_>, out: &mut Findings<'_>, spec: &BoolSpec) {
    let bad = spec.bad;
    for (_, a, v) in effective_values(cx, spec.locs) {
        if knowledge::parse_bool(v) != Some(bad) {
            continue;
        }
        out.push(at(
            a,
            a.s.value_span,
            format!(
                "[{}] {} is {} ({}): {}",
                a.s.section,
                a.s.key,
                if bad { "true" } else { "false" },
                a.s.source.describe(),
                spec.why
            ),
        ));
    }
}

/// A boolean security rule: the options it reads (old and new names), the
/// value that is insecure and why (the fix is the rule's `fix:` text).
pub struct BoolSpec {
    /// The rule this spec belongs to (other rules name it in messages).
    pub rule: &'static str,
    pub locs: &'static [(&'static str, &'static str)],
    pub bad: bool,
    pub why: &'static str,
}

/// Declares a boolean security rule: its `SPEC` (also used by AFC002 and
/// AFC005 for a hardening setting Airflow ignores) and the rule, which
/// reports the effective value of any of `locs` when it parses as `bad`.
/// The fix text is the rule's `fix:` in `rules/airflow/<ID>.yaml`.
macro_rules! bool_rule {
    ($name:ident, $id:literal, bad: $bad:literal, locs: $locs:expr, why: $why:literal) => {
        /// What the rule checks.
        pub(super) const SPEC: super::versioned::BoolSpec = super::versioned::BoolSpec {
            rule: $name::ID,
            locs: $locs,
            bad: $bad,
            why: $why,
        };
        $crate::rule!($name, $id, {
            fn check_project(
                &self,
                cx: &$crate::rules::ProjectCx<'_>,
                out: &mut $crate::rules::Findings<'_>,
            ) {
                super::versioned::check(cx, out, &SPEC);
            }
        });
    };
}
pub(super) use bool_rule;

/// Every boolean security rule.
pub static BOOL_RULES: &[&BoolSpec] = &[
    &super::afc013_airflow_xcom_pickling::SPEC,
    &super::afc014_airflow_load_examples::SPEC,
    &super::afc015_airflow_cookie_not_secure::SPEC,
    &super::afc020_airflow_experimental_api::SPEC,
    &super::afc021_airflow_load_default_connections::SPEC,
    &super::afc022_airflow_dags_unpaused_at_creation::SPEC,
    &super::afc023_airflow_exposure_warning_off::SPEC,
    &super::afc025_airflow_x_frame_enabled::SPEC,
    &super::afc026_airflow_info_leak::SPEC,
    &super::afc027_airflow_raw_html::SPEC,
    &super::afc028_airflow_masking_disabled::SPEC,
    &super::afc029_airflow_simple_auth_all_admins::SPEC,
    &super::afc031_airflow_auth_rate_limit_off::SPEC,
    &super::afc032_airflow_k8s_verify_ssl_off::SPEC,
    &super::afc033_airflow_unit_test_mode::SPEC,
    &super::afc034_airflow_proxy_fix::SPEC,
];

/// When `a`, a setting Airflow ignores (a renamed name it no longer
/// reads, a key in the wrong case), holds the secure value of a boolean
/// security rule about `[section] key` while the setting Airflow does use
/// for that option (set elsewhere, or its default) holds the insecure one:
/// the rule, the value Airflow uses and whether it is the default. The
/// hardening is silently lost.
pub fn lost_hardening(
    g: &Group<'_>,
    a: At<'_>,
    section: &str,
    key: &str,
) -> Option<(&'static BoolSpec, String, bool)> {
    let set = a.s.value.as_deref().and_then(knowledge::parse_bool)?;
    let spec = BOOL_RULES
        .iter()
        .copied()
        .find(|r| r.locs.contains(&(section, key)))?;
    if a.s.via != Via::Value || set == spec.bad {
        return None;
    }
    let (used, default) = match effective(g, section, key) {
        Some(e) if e.s.via == Via::Value => (e.s.value.clone()?, false),
        Some(_) => return None,
        None => (
            knowledge::option_in(section, key, g.version)?
                .default(g.version)?
                .to_string(),
            true,
        ),
    };
    (knowledge::parse_bool(&used) == Some(spec.bad)).then_some((spec, used, default))
}
