use super::common::{at, groups};
use super::versioned::{BoolSpec, check, effective};
use crate::airflow::knowledge;
use crate::airflow::sources::{Marker, SourceKind};
use crate::rules::{Findings, ProjectCx};

/// What the rule checks (also used by AFC001/AFC002 for an ignored
/// hardening setting).
pub(super) const SPEC: BoolSpec = BoolSpec {
    rule: Afc014::ID,
    locs: &[("core", "load_examples")],
    bad: true,
    why: "the example DAGs are loaded in this deployment (some had command-injection CVEs)",
};

crate::rule!(Afc014, "AFC014", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        check(cx, out, &SPEC);
        // Unset: the default is True. Only a deployment configured by plain
        // airflow.cfg files relies on it: the official image and the Helm
        // chart both set it to False.
        for g in groups(cx) {
            // The default of the target version (True in every release so far).
            let default_on = knowledge::option_in("core", "load_examples", g.version)
                .and_then(|o| o.default(g.version))
                .and_then(knowledge::parse_bool)
                == Some(true);
            if !default_on
                || effective(g, "core", "load_examples").is_some()
                || g.settings
                    .iter()
                    .any(|a| a.s.source != SourceKind::Cfg || a.s.marker == Some(Marker::Image))
            {
                continue;
            }
            let Some(first) = g
                .settings
                .iter()
                .find(|a| a.s.marker == Some(Marker::Section) && a.s.section == "core")
                .or_else(|| g.settings.first())
            else {
                continue;
            };
            out.push(
                at(*first, first.s.key_span, format!("`[core] load_examples` is not set and defaults to True ({}): the example DAGs are loaded", g.version_label())),
            );
        }
    }
});
