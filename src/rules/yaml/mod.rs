//! AFY: YAML structure and engine-level diagnostics.

mod afy001_yaml_syntax_error;
mod afy002_duplicate_key;
mod afy003_helm_template_skipped;

use super::Rule;

pub use afy001_yaml_syntax_error::Afy001;
pub use afy002_duplicate_key::Afy002;
pub use afy003_helm_template_skipped::Afy003;

// AFY004 (unused suppression) and AFY005 (unreadable file) are made by the
// engine itself; these unit rules register their IDs.
crate::rule!(Afy004, "AFY004", {});
crate::rule!(Afy005, "AFY005", {});

pub static RULES: &[&dyn Rule] = &[&Afy001, &Afy002, &Afy003, &Afy004, &Afy005];
