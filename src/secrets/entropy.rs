//! Shannon entropy and character-class measures for token-like values.

/// Shannon entropy in bits per byte.
pub fn shannon(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Number of distinct bytes.
pub fn distinct(s: &[u8]) -> usize {
    let mut seen = [false; 256];
    let mut n = 0;
    for &b in s {
        if !seen[b as usize] {
            seen[b as usize] = true;
            n += 1;
        }
    }
    n
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Classes {
    pub lower: bool,
    pub upper: bool,
    pub digit: bool,
    /// Any byte outside `[A-Za-z0-9+/=_.~-]`.
    pub other: bool,
}

pub fn classes(s: &[u8]) -> Classes {
    let mut c = Classes::default();
    for &b in s {
        match b {
            b'a'..=b'z' => c.lower = true,
            b'A'..=b'Z' => c.upper = true,
            b'0'..=b'9' => c.digit = true,
            b'+' | b'/' | b'=' | b'_' | b'.' | b'~' | b'-' => {}
            _ => c.other = true,
        }
    }
    c
}

/// Minimum length of a generic token (AFS007).
pub const MIN_TOKEN_LEN: usize = 20;
/// Minimum entropy (bits per character) of a mixed-case token.
pub const MIN_TOKEN_ENTROPY: f64 = 3.5;
/// Hex tokens carry at most 4 bits per character: they need 32 characters
/// and this entropy.
pub const MIN_HEX_LEN: usize = 32;
pub const MIN_HEX_ENTROPY: f64 = 3.0;

/// True for a value that looks like a random token: token alphabet only,
/// long enough, mixed classes, and above the entropy threshold.
pub fn is_random_token(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() < MIN_TOKEN_LEN || b.len() > 4096 {
        return false;
    }
    let c = classes(b);
    if c.other {
        return false;
    }
    let hex = b.iter().all(|x| x.is_ascii_hexdigit()) && !(c.lower && c.upper);
    if hex {
        return b.len() >= MIN_HEX_LEN
            && c.digit
            && (c.lower || c.upper)
            && shannon(b) >= MIN_HEX_ENTROPY;
    }
    c.lower && c.upper && c.digit && shannon(b) >= MIN_TOKEN_ENTROPY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_values() {
        assert_eq!(shannon(b""), 0.0);
        assert_eq!(shannon(b"aaaa"), 0.0);
        assert!((shannon(b"ab") - 1.0).abs() < 1e-9);
        assert!((shannon(b"abcd") - 2.0).abs() < 1e-9);
        assert_eq!(distinct(b"aabbc"), 3);
    }

    #[test]
    fn random_tokens() {
        assert!(is_random_token("q7Xv2LmN9pRt4KsW8bZy3HcJ"));
        assert!(is_random_token("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"));
        // names and words are not tokens
        assert!(!is_random_token("airflow-webserver-secret-key"));
        assert!(!is_random_token("my-application-token-name"));
        assert!(!is_random_token("short1A"));
        // hex too short
        assert!(!is_random_token("9f86d081884c7d659a2f"));
        // spaces are not token characters
        assert!(!is_random_token("Hello World 12345 This Is A Sentence"));
        // low entropy despite classes
        assert!(!is_random_token("Aa1Aa1Aa1Aa1Aa1Aa1Aa1Aa1"));
    }
}
