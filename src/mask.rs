//! How a secret value is shown: the one masking primitive every layer uses
//! (rule messages, detectors, Airflow lookups, reporters). The run-wide
//! redaction of every output is [`crate::report::redact`], built on this.

/// The fixed mask that replaces a secret.
pub const MASK: &str = "****";

/// Masks a secret for display: at most the first 4 characters of values
/// long enough that 4 characters reveal little (a token prefix such as
/// `ghp_` or `AKIA`), then a fixed mask. Short values are fully masked.
pub fn mask(value: &str) -> String {
    let n = value.chars().count();
    if n >= 16 {
        let head: String = value.chars().take(4).collect();
        format!("{head}{MASK}")
    } else {
        MASK.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_keeps_at_most_four_characters() {
        assert_eq!(mask("ghp_0123456789abcdef0123456789abcdef0123"), "ghp_****");
        assert_eq!(mask("hunter2"), "****");
    }
}
