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

/// Values shorter than this are not searched for in free text by [`scrub`]:
/// replacing every `ab` in a message would mangle it and protect nothing.
pub const MIN_SCRUB_LEN: usize = 4;

/// Replaces every literal occurrence of one of `secrets` in `text` with its
/// [`mask`]. Messages are secret-free by contract; this is the second line
/// of defence applied by every reporter to messages, fix hints and related
/// messages. Borrows when there is nothing to replace.
pub fn scrub<'t>(text: &'t str, secrets: &[&str]) -> std::borrow::Cow<'t, str> {
    let mut out = std::borrow::Cow::Borrowed(text);
    // Longest first, so a secret that contains another is masked whole.
    let mut sorted: Vec<&str> = secrets.to_vec();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in sorted {
        if s.len() >= MIN_SCRUB_LEN && out.contains(s) {
            out = std::borrow::Cow::Owned(replace_unglued(&out, s));
        }
    }
    out
}

/// Replaces the occurrences of `s` in `text` with its mask, except those
/// glued by `_` to a longer name: the value `ADMIN` of `ADMIN_PASSWORD`
/// must not turn the variable's name into `****_PASSWORD`.
fn replace_unglued(text: &str, s: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, _) in text.match_indices(s) {
        if i < last {
            continue;
        }
        let glued = text[..i].ends_with('_') || text[i + s.len()..].starts_with('_');
        out.push_str(&text[last..i]);
        if glued && !s.starts_with('_') && !s.ends_with('_') {
            out.push_str(s);
        } else {
            out.push_str(&mask(s));
        }
        last = i + s.len();
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_keeps_at_most_four_characters() {
        assert_eq!(mask("ghp_0123456789abcdef0123456789abcdef0123"), "ghp_****");
        assert_eq!(mask("hunter2"), "****");
    }

    #[test]
    fn scrub_replaces_literal_secrets_only() {
        let secret = "AKIAZZZZZZZZZZZZZZZZ";
        let text = format!("key {secret} found; again {secret}");
        let out = scrub(&text, &[secret, "ab"]);
        assert!(!out.contains(secret));
        assert_eq!(out, "key AKIA**** found; again AKIA****");
        // A value that is part of a variable's name leaves the name alone.
        assert_eq!(
            scrub("sets `ADMIN_PASSWORD` to ADMIN", &["ADMIN"]),
            "sets `ADMIN_PASSWORD` to ****"
        );
        assert!(matches!(
            scrub("nothing", &[secret]),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
