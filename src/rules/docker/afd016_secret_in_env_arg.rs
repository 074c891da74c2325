use super::common::dockerfile;
use crate::finding::Finding;
use crate::report::redact::mask;
use crate::rules::FileCx;

/// Splits a variable name into upper-case words (`_`, `-`, `.`, camelCase).
fn name_words(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Is this a secret-like variable name (matched on word boundaries)?
pub fn secret_name(key: &str) -> bool {
    let w = name_words(key);
    let Some(last) = w.last().map(String::as_str) else {
        return false;
    };
    let prev = w
        .len()
        .checked_sub(2)
        .and_then(|i| w.get(i))
        .map(String::as_str)
        .unwrap_or("");
    match last {
        "PASSWORD" | "PASSWD" | "PASSPHRASE" | "SECRET" | "TOKEN" | "APIKEY" | "PRIVATEKEY"
        | "SECRETKEY" => true,
        "KEY" => matches!(
            prev,
            "API"
                | "ACCESS"
                | "PRIVATE"
                | "SECRET"
                | "FERNET"
                | "ENCRYPTION"
                | "SIGNING"
                | "MASTER"
                | "CLIENT"
        ),
        _ => false,
    }
}

/// The password of a URL with inline credentials (`scheme://user:pass@host`).
fn url_password(v: &str) -> Option<&str> {
    let rest = &v[v.find("://")? + 3..];
    let at = rest.find('@')?;
    let userinfo = &rest[..at];
    if userinfo.contains('/') {
        return None;
    }
    let (_, pass) = userinfo.split_once(':')?;
    if pass.is_empty() || pass.starts_with('$') {
        return None;
    }
    Some(pass)
}

/// A literal value (not empty, not only a variable reference).
fn literal(v: &str) -> bool {
    let t = v.trim();
    if t.is_empty() || t.starts_with("/run/secrets") {
        return false;
    }
    let only_var = (t.starts_with("${") && t.ends_with('}') && t.matches('$').count() == 1)
        || (t.starts_with('$')
            && t[1..]
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'_'));
    !only_var
}

crate::rule!(Afd016, "AFD016", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let Some(df) = dockerfile(cx) else { return };
        for (kind, pairs) in [
            ("ENV", df.env_pairs().collect::<Vec<_>>()),
            ("ARG", df.arg_pairs().collect()),
        ] {
            for p in pairs {
                let (Some(v), Some(vspan)) = (p.pair.value.as_deref(), p.pair.value_span) else {
                    continue;
                };
                let key = &p.pair.key;
                let by_name = secret_name(key) && literal(v);
                let in_url = url_password(v);
                if !by_name && in_url.is_none() {
                    continue;
                }
                let what = if by_name {
                    format!("{kind} `{key}` holds a literal secret (`{}`)", mask(v))
                } else {
                    format!(
                        "{kind} `{key}` holds a URL with an inline password (`{}`)",
                        mask(in_url.unwrap_or(v))
                    )
                };
                let fix = if kind == "ARG" {
                    "Build arguments are recorded in the image history: pass the secret with `RUN --mount=type=secret,id=...` (`docker build --secret`)."
                } else {
                    "ENV values are baked into every layer and `docker inspect`: inject the secret at runtime (Kubernetes Secret, `*_CMD`/`*_SECRET` settings) or use `RUN --mount=type=secret` at build time."
                };
                out.push(
                    Finding::new(
                        "AFD016",
                        p.pair.key_span.cover(vspan),
                        format!("{what}; it is stored in the image"),
                    )
                    .with_fix(fix)
                    .with_secret(vspan),
                );
            }
        }
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_on_word_boundaries() {
        for k in [
            "DB_PASSWORD",
            "GITHUB_TOKEN",
            "API_KEY",
            "AIRFLOW__CORE__FERNET_KEY",
            "dbPassword",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET_KEY",
        ] {
            assert!(secret_name(k), "{k}");
        }
        for k in [
            "TOKEN_FILE",
            "USERNAME",
            "GOPRIVATE",
            "PASSWORD_FILE",
            "GPG_KEY",
            "AWS_ACCESS_KEY_ID",
            "SECRET_NAME",
            "TOKENIZERS_PARALLELISM",
        ] {
            assert!(!secret_name(k), "{k}");
        }
        assert_eq!(
            url_password("postgresql+psycopg2://airflow:s3cr3t@db/airflow"),
            Some("s3cr3t")
        );
        assert_eq!(url_password("postgresql://airflow:$PW@db/airflow"), None);
        assert_eq!(url_password("https://example.com/a@b"), None);
    }
}
