//! Masking of secret values. Every reporter goes through here.

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
