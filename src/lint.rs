//! The library API that the CLI, the tests and the language server share.
//!
//! [`lint_document`] checks one text as if it were the file `path`;
//! [`lint_project`] checks several texts together, so the project rules
//! (default-deny per namespace, Airflow sources linked across files, unused
//! suppressions) see all of them. Both return the engine's [`Run`];
//! [`check_document`] and [`check_project`] return [`Diagnostic`]s instead,
//! positioned, cleaned of secrets and ready for an editor or a test.
//! [`load_settings`] reads and merges the configuration as the CLI does.

mod diagnostic;
mod resolve;

pub use diagnostic::{
    Diagnostic, DiagnosticFix, Location, Range, RelatedLocation, TextEdit, check_document,
    check_paths, check_project, diagnostics,
};
pub use resolve::{Resolved, load_settings, load_settings_for, resolve, rule_hint, rule_ids};

use crate::engine::{self, Input};
pub use crate::engine::{Options, Run};

/// Lints one document (for example an editor's unsaved buffer).
pub fn lint_document(path: &str, text: &str, opts: &Options) -> Run {
    lint_project(&[(path.to_string(), text.to_string())], opts)
}

/// Lints documents given as `(path, text)` together, as one project.
pub fn lint_project(documents: &[(String, String)], opts: &Options) -> Run {
    let inputs: Vec<Input> = documents
        .iter()
        .map(|(path, text)| Input::Text {
            name: path.clone(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
    engine::run(&inputs, opts)
}

/// The result of [`fix_document`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// The text with the fixes applied (a leading BOM kept).
    pub text: String,
    /// How many findings' fixes were applied, over all passes.
    pub applied: usize,
    /// How many passes changed the text.
    pub passes: usize,
}

/// Most passes [`fix_document`] makes: a fix that conflicts with another
/// one waits for the next pass.
pub const MAX_FIX_PASSES: usize = 10;

/// Lints `text` as the file `path` and applies the fixes of its findings
/// (unsafe ones too when `unsafe_fixes`), pass after pass until nothing is
/// left to fix. Within a pass, fixes whose edits overlap an earlier one's
/// wait for the next pass.
pub fn fix_document(path: &str, text: &str, opts: &Options, unsafe_fixes: bool) -> Fixed {
    let (bom, mut body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest.to_string()),
        None => ("", text.to_string()),
    };
    let (mut applied, mut passes) = (0, 0);
    while passes < MAX_FIX_PASSES {
        let run = lint_document(path, &body, opts);
        let mut fixes: Vec<&crate::finding::Fix> = run
            .findings
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .filter(|fx| unsafe_fixes || fx.applicability == crate::finding::Applicability::Safe)
            .filter(|fx| !fx.edits.is_empty())
            .collect();
        fixes.sort_by_key(|fx| (fx.edits[0].range.start, fx.edits[0].range.end));
        let mut edits: Vec<crate::finding::Edit> = Vec::new();
        let mut taken = 0;
        let mut end = 0u32;
        let mut first = true;
        for fx in fixes {
            let start = fx.edits.iter().map(|e| e.range.start).min().unwrap_or(0);
            // Touching is overlapping: two insertions at one point conflict.
            if !first && start <= end {
                continue;
            }
            first = false;
            end = fx.edits.iter().map(|e| e.range.end).max().unwrap_or(start);
            edits.extend(fx.edits.iter().cloned());
            taken += 1;
        }
        if edits.is_empty() {
            break;
        }
        edits.sort();
        let Some(next) = crate::fix::apply(&body, &edits) else {
            break;
        };
        if next == body {
            break;
        }
        body = next;
        applied += taken;
        passes += 1;
    }
    Fixed {
        text: format!("{bom}{body}"),
        applied,
        passes,
    }
}
