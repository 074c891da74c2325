//! The rule engine's contract: the [`Rule`] trait, the contexts rules see,
//! and the registry of every rule. A rule lives in
//! `src/rules/<domain>/<id>_<slug>.rs`, its metadata in
//! `rules/<domain>/<ID>.yaml`, its fixtures in `fixtures/<domain>/<ID>/`.

pub use crate::meta;

pub mod airflow;
pub mod docker;
pub mod helm;
pub mod k8s;
pub mod secrets;
pub mod yaml;

use crate::airflow::model::Group;
use crate::config::Settings;
use crate::document::{AnalyzedFile, FileSummary, Parsed};
use crate::finding::{Finding, Severity};
use crate::source::{SourceFile, Span};

/// What a per-file rule sees: one parsed file.
pub struct FileCx<'a> {
    /// Index of the file in the run; findings default to it.
    pub index: u32,
    pub file: &'a SourceFile,
    pub analyzed: &'a AnalyzedFile,
    pub settings: &'a Settings,
}

impl<'a> FileCx<'a> {
    pub fn parsed(&self) -> &'a Parsed {
        &self.analyzed.parsed
    }
}

/// What a project rule sees: the summary of every file of the run (their
/// trees and models are gone: [`FileSummary`]), and the analyses the engine
/// made once per run.
pub struct ProjectCx<'a> {
    pub files: &'a [FileSummary],
    pub settings: &'a Settings,
    airflow_groups: &'a [Group<'a>],
}

impl<'a> ProjectCx<'a> {
    pub fn new(
        files: &'a [FileSummary],
        settings: &'a Settings,
        airflow_groups: &'a [Group<'a>],
    ) -> Self {
        ProjectCx {
            files,
            settings,
            airflow_groups,
        }
    }
    /// The settings of the run grouped by the links written in the files
    /// ([`crate::airflow::model::groups`]), built once per run by the engine.
    pub fn airflow_groups(&self) -> &'a [Group<'a>] {
        self.airflow_groups
    }
    /// The run's Kubernetes object index: every object of every file, with
    /// its file's index, in file order.
    pub fn objects(
        &self,
    ) -> impl Iterator<Item = (u32, &'a crate::k8s::index::ObjectSummary)> + 'a {
        self.files
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.objects.iter().map(move |o| (i as u32, o)))
    }
}

/// The most findings of one rule in one file the engine keeps. A hostile
/// file (a 10 MiB Dockerfile of one bad line repeated) otherwise makes
/// millions of findings, and memory grows with them; the reporters show
/// far fewer anyway (`report::MAX_PER_RULE_PER_FILE`, applied after the
/// baseline, so this cap is ten times higher). The findings beyond it are
/// counted in one finding, and their secret spans are still kept.
pub const MAX_KEPT_PER_RULE: usize = 1000;

/// Where a rule reports. Every finding pushed is filed under the rule that
/// is running, so a rule cannot report under another rule's ID.
pub struct Findings<'a> {
    rule: &'static str,
    out: &'a mut Vec<Finding>,
    cap: usize,
    kept: usize,
    over: Option<Overflow>,
}

/// The findings pushed beyond a [`Findings`] cap.
struct Overflow {
    first: Finding,
    count: u32,
    severity: Severity,
    all_fixed: bool,
    secrets: Vec<Span>,
}

impl<'a> Findings<'a> {
    /// Collects the findings of `rule` into `out`.
    pub fn new(rule: &'static str, out: &'a mut Vec<Finding>) -> Self {
        Findings {
            rule,
            out,
            cap: usize::MAX,
            kept: 0,
            over: None,
        }
    }
    /// Collects at most `cap` findings of `rule` into `out`; call
    /// [`Findings::finish`] when the rule is done.
    pub fn capped(rule: &'static str, out: &'a mut Vec<Finding>, cap: usize) -> Self {
        Findings {
            cap,
            ..Findings::new(rule, out)
        }
    }
    /// The ID of the rule that is running.
    pub fn rule(&self) -> &'static str {
        self.rule
    }
    pub fn push(&mut self, mut finding: Finding) {
        finding.rule = self.rule;
        if self.kept < self.cap {
            self.kept += 1;
            self.out.push(finding);
            return;
        }
        let fixed = finding.severity_fixed;
        let sev = finding.severity;
        let o = self.over.get_or_insert_with(|| Overflow {
            first: finding.clone(),
            count: 0,
            severity: sev,
            all_fixed: true,
            secrets: Vec::new(),
        });
        o.count = o.count.saturating_add(1);
        if fixed {
            o.severity = o.severity.max(sev);
        }
        o.all_fixed &= fixed;
        o.secrets.extend(finding.secrets);
    }
    /// Ends a capped collection: the findings beyond the cap become one
    /// finding of the rule, at the first of them, counting them (with the
    /// highest severity a rule fixed for them, so a `--fail-on` gate gives
    /// the same verdict). Returns the secret spans of the dropped findings,
    /// which must still be masked.
    pub fn finish(self) -> Vec<Span> {
        let Some(o) = self.over else {
            return Vec::new();
        };
        let cap = self.cap;
        let mut f = Finding::of(
            self.rule,
            o.first.span,
            format!(
                "{} more {} {} in this file not kept (afcheck keeps at most {cap} findings of one rule in one file)",
                o.count,
                self.rule,
                if o.count == 1 { "finding" } else { "findings" },
            ),
        )
        .with_help("Fix the findings shown and run afcheck again: the next ones are reported as these go.")
        .in_file(o.first.file);
        f.more = o.count;
        if o.all_fixed || o.severity == Severity::Error {
            f = f.with_severity(o.severity);
        }
        self.out.push(f);
        o.secrets
    }
}

impl Extend<Finding> for Findings<'_> {
    fn extend<I: IntoIterator<Item = Finding>>(&mut self, iter: I) {
        for f in iter {
            self.push(f);
        }
    }
}

pub trait Rule: Send + Sync {
    /// The rule ID; its metadata is `rules/<domain>/<ID>.yaml`.
    fn id(&self) -> &'static str;
    /// Checks one file. Findings default to the file being checked.
    fn check_file(&self, _cx: &FileCx<'_>, _out: &mut Findings<'_>) {}
    /// Checks that need several files (run after every file is parsed).
    /// Findings must set their file with [`Finding::in_file`].
    fn check_project(&self, _cx: &ProjectCx<'_>, _out: &mut Findings<'_>) {}
}

/// Every registered rule, in ID order.
pub fn registry() -> Vec<&'static dyn Rule> {
    let mut v: Vec<&'static dyn Rule> = Vec::new();
    for set in [
        docker::RULES,
        k8s::RULES,
        yaml::RULES,
        airflow::RULES,
        helm::RULES,
        secrets::RULES,
    ] {
        v.extend_from_slice(set);
    }
    v.sort_by_key(|r| r.id());
    v
}

/// Declares a unit struct implementing [`Rule`] with the given ID; the body
/// supplies `check_file` and/or `check_project`.
#[macro_export]
macro_rules! rule {
    ($name:ident, $id:literal, { $($body:tt)* }) => {
        pub struct $name;
        impl $name {
            /// The rule's ID.
            #[allow(dead_code)]
            pub const ID: &'static str = $id;
        }
        impl $crate::rules::Rule for $name {
            fn id(&self) -> &'static str {
                $id
            }
            $($body)*
        }
    };
}
