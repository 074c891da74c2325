//! The library API that the CLI, the tests and the language server share.
//!
//! [`lint_document`] checks one text as if it were the file `path`;
//! [`lint_project`] checks several texts together, so the project rules
//! (default-deny per namespace, Airflow sources linked across files, unused
//! suppressions) see all of them.

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
