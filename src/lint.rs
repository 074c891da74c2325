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
pub const MAX_FIX_PASSES: usize = crate::fix::MAX_PASSES;

/// Lints `text` as the file `path` and applies the fixes of its findings
/// (unsafe ones too when `unsafe_fixes`), pass after pass until nothing is
/// left to fix (see [`crate::fix::fix_inputs`], which the CLI's `--fix`
/// runs too). Within a pass, fixes whose edits overlap an earlier one's
/// wait for the next pass; a fix that would leave the text with a new
/// syntax error is not applied.
pub fn fix_document(path: &str, text: &str, opts: &Options, unsafe_fixes: bool) -> Fixed {
    fix_document_run(path, text, opts, unsafe_fixes).0
}

/// [`fix_document`], with the run over the fixed text (what remains).
pub fn fix_document_run(
    path: &str,
    text: &str,
    opts: &Options,
    unsafe_fixes: bool,
) -> (Fixed, Run) {
    let inputs = [Input::Text {
        name: path.to_string(),
        bytes: text.as_bytes().to_vec(),
    }];
    let out = crate::fix::fix_inputs(&inputs, opts, unsafe_fixes, &|_, _| Ok(()));
    let fixed = match out.files.first() {
        Some(f) => Fixed {
            text: f.fixed.clone(),
            applied: f.applied,
            passes: out.passes,
        },
        None => Fixed {
            text: text.to_string(),
            applied: 0,
            passes: 0,
        },
    };
    (fixed, out.run)
}
