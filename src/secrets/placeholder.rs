//! Telling references and placeholders from literal secrets.
//!
//! Policy (documented in `rules/secrets/AFS005.yaml`): a value is *not* a
//! literal secret when it is empty or null-like, a reference that something
//! else resolves (`${VAR}`, `$VAR`, `$(cmd)`, `{{ .Values.x }}`, `%(x)s`,
//! `#{x}`, `vault:`, `ref+`, `arn:aws:secretsmanager:`, `ENC[...]`, an
//! absolute file path), an angle-bracket placeholder (`<base64_encoded_password>`),
//! a mask (`****`, `xxxx`, `...`), or carries a documentation marker
//! (`example`, `dummy`, `placeholder`, `redacted`, `your-...`, `xxxx`).
//! Weak but real-looking values (`password`, `changeme`, `admin`) are
//! literal passwords and are reported: they are what gets deployed.

/// True when the value is a reference or placeholder, not a literal secret.
/// The one policy every rule uses (AFS, AFD016, AFK030, the Airflow rules).
pub fn is_reference_or_placeholder(v: &str) -> bool {
    let t = v.trim();
    t.is_empty() || is_reference(t) || is_placeholder(t) || is_non_value(t)
}

/// The variable's (or key's) own name, written upper-case, as its value
/// (`HF_TOKEN: HF_TOKEN`, `password=<PASSWORD>`): a placeholder to fill in,
/// for every rule that judges a value by the name it is stored under. A
/// lower-case `password: password` is a weak literal password and stays one.
pub fn is_own_name(name: &str, v: &str) -> bool {
    let bare = v
        .trim()
        .trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_');
    bare.bytes().any(|c| c.is_ascii_uppercase())
        && !bare.bytes().any(|c| c.is_ascii_lowercase())
        && bare.eq_ignore_ascii_case(name.trim())
}

/// A reference that something else resolves: shell or template variables
/// (`${VAR}`, `$VAR`, `$(cmd)`, `{{ .Values.x }}`, `%(x)s`, `#{x}`), secret
/// manager references (`vault:`, `ref+`, `arn:aws:secretsmanager:`...), and
/// absolute file paths (`/run/secrets/db`).
pub fn is_reference(v: &str) -> bool {
    let t = v.trim();
    let b = t.as_bytes();
    if b.is_empty() {
        return false;
    }
    if t.contains("${")
        || t.contains("$(")
        || t.contains("{{")
        || t.contains("%(")
        || t.contains("#{")
    {
        return true;
    }
    if b[0] == b'$'
        && b.get(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c == b'{')
    {
        return true;
    }
    if b[0] == b'/' && !t.contains(char::is_whitespace) && t.len() > 1 && t[1..].contains('/') {
        return true;
    }
    const PREFIXES: &[&str] = &[
        "vault:",
        "ref+",
        "arn:aws:secretsmanager:",
        "arn:aws:ssm:",
        "enc[",
        "secret://",
        "sm://",
        "gcp:secretmanager:",
        "akv://",
        "op://",
        "file:",
        "env:",
    ];
    let lower = t.to_ascii_lowercase();
    PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// A placeholder someone must fill in: an angle-bracket placeholder
/// (`<base64_encoded_password>`), a whole-value substitution left unrendered
/// (`${DB_PASSWORD}`, `{{ .Values.pw }}`), a mask (`****`, `xxxx`, `...`), or a
/// documentation marker (`example`, `dummy`, `placeholder`, `your-...`,
/// `replace-me`). Weak but real-looking values (`changeme`, `password`,
/// `admin`) are not placeholders: they are what gets deployed.
pub fn is_placeholder(v: &str) -> bool {
    let t = v.trim();
    let b = t.as_bytes();
    if b.is_empty() {
        return false;
    }
    if b.len() >= 2 && b[0] == b'<' && b[b.len() - 1] == b'>' {
        return true;
    }
    if (t.starts_with("${") && t.ends_with('}')) || (t.starts_with("{{") && t.ends_with("}}")) {
        return true;
    }
    // Masks: three or more mask characters only (`x` alone is a value).
    if b.len() >= 3
        && b.iter()
            .all(|c| matches!(c, b'*' | b'x' | b'X' | b'#' | b'.' | b'-' | b'_' | b'?'))
    {
        return true;
    }
    is_documentation_marker(&t.to_ascii_lowercase()) || names_the_credential(t)
}

/// A value whose last word is a short upper-case name of the credential to
/// fill in (`nvapi-NVKEY`, `Bearer TOKEN`, `sk-YOUR_API_KEY`). Real keys and
/// passwords are not upper-case words that say what they are.
fn names_the_credential(v: &str) -> bool {
    let last = v
        .rsplit(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .find(|w| !w.is_empty())
        .unwrap_or("");
    last.len() <= 16
        && last.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        && ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD"]
            .iter()
            .any(|w| last.contains(w))
}

/// Not a value at all: null-like words and booleans.
pub fn is_non_value(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "none"
            | "null"
            | "nil"
            | "~"
            | "n/a"
            | "na"
            | "tbd"
            | "todo"
            | "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
    )
}

/// True when a (lower-cased) value says it is an example.
pub fn is_documentation_marker(lower: &str) -> bool {
    const MARKERS: &[&str] = &[
        "example",
        "dummy",
        "placeholder",
        "redacted",
        "xxxx",
        "****",
        "your-",
        "your_",
        "yourpassword",
        "yoursecret",
        "yourtoken",
        "insert-",
        "replace-me",
        "replace_me",
        "replaceme",
        "<",
    ];
    MARKERS.iter().any(|m| lower.contains(m))
}

/// Documentation or dummy tokens: AWS's `...EXAMPLE` keys, `xxxx`, runs of
/// one character, `0000000000`, fewer than 6 distinct characters.
pub fn is_dummy_token(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    if lower.contains("example")
        || lower.contains("dummy")
        || lower.contains("xxxx")
        || lower.contains("0000000000")
    {
        return true;
    }
    let b = token.as_bytes();
    let distinct = super::entropy::distinct(b);
    if distinct < 6 {
        return true;
    }
    // Long runs of one character (`aaaaaaaa`) are hand-written fillers.
    let mut run = 1;
    for w in b.windows(2) {
        if w[0] == w[1] {
            run += 1;
            if run >= 8 {
                return true;
            }
        } else {
            run = 1;
        }
    }
    false
}

#[cfg(test)]
mod own_name_tests {
    use super::is_own_name;

    #[test]
    fn own_name_in_upper_case_is_a_placeholder_a_weak_password_is_not() {
        assert!(is_own_name("HF_TOKEN", "HF_TOKEN"));
        assert!(is_own_name("password", "<PASSWORD>"));
        assert!(!is_own_name("password", "password"));
        assert!(!is_own_name("DB_PASSWORD", "hunter2"));
        assert!(!is_own_name("X", ""));
    }

    #[test]
    fn secret_data_placeholders() {
        use super::is_placeholder;
        assert!(is_placeholder("<base64_encoded_password>"));
        assert!(is_placeholder("REPLACE_ME") && !is_placeholder("CHANGEME"));
        assert!(!is_placeholder("s3cr3t"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_placeholders() {
        for v in [
            "",
            "  ",
            "${DB_PASSWORD}",
            "$DB_PASSWORD",
            "$(cat /run/secrets/pw)",
            "{{ .Values.postgres.password }}",
            "{{ required \"x\" .Values.pw }}",
            "%(password)s",
            "<base64_encoded_password>",
            "<your password>",
            "********",
            "xxxxxxxx",
            "...",
            "/run/secrets/db-password",
            "vault:secret/data/db#password",
            "ENC[AES256_GCM,data:abc]",
            "example-password",
            "dummy",
            "REDACTED",
            "your-password-here",
            "null",
            "true",
        ] {
            assert!(
                is_reference_or_placeholder(v),
                "{v:?} should be a placeholder"
            );
        }
    }

    #[test]
    fn literal_values() {
        for v in [
            "password",
            "changeme",
            "hunter2",
            "S3cr3t!pass",
            "admin",
            "p@ss/word",
            "$$tr4nge",
        ] {
            assert!(!is_reference_or_placeholder(v), "{v:?} should be literal");
        }
    }

    #[test]
    fn one_policy_for_placeholders() {
        // Placeholders, whatever the rule.
        for v in [
            "<password>",
            "<base64_encoded_password>",
            "${PW}",
            "{{ .Values.pw }}",
            "REPLACE_ME",
            "your-token",
        ] {
            assert!(is_placeholder(v), "{v:?}");
            assert!(is_reference_or_placeholder(v), "{v:?}");
        }
        // Weak but real: literal everywhere.
        for v in ["changeme", "CHANGEME", "change_me", "password", "admin"] {
            assert!(!is_placeholder(v), "{v:?}");
            assert!(!is_reference_or_placeholder(v), "{v:?}");
        }
        // References are not placeholders (a Secret may hold a path).
        assert!(is_reference("/run/secrets/db") && !is_placeholder("/run/secrets/db"));
        assert!(is_non_value("true") && !is_placeholder("true"));
    }

    #[test]
    fn dummy_tokens() {
        assert!(is_dummy_token("AKIAIOSFODNN7EXAMPLE"));
        assert!(is_dummy_token("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        assert!(is_dummy_token("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        assert!(is_dummy_token("ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        assert!(is_dummy_token("AKIA0000000000000000"));
        assert!(!is_dummy_token("AKIAQ3EGRZ7KVNXD4M2P"));
    }
}
