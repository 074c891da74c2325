use super::common::dockerfile;
use crate::finding::{Finding, Severity};
use crate::mask::mask;
use crate::rules::{FileCx, Findings};

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
    if !literal(pass) {
        return None;
    }
    Some(pass)
}

/// A literal value: not a reference or placeholder (the one policy of
/// `crate::secrets::placeholder`).
fn literal(v: &str) -> bool {
    !crate::secrets::placeholder::is_reference_or_placeholder(v)
}

/// A literal secret for this name: tokens and keys also exclude dummy
/// fillers (`00000000-0000-...`), as the AFS token detectors do; a weak
/// password is still a password.
fn literal_for(key: &str, v: &str) -> bool {
    let password = name_words(key)
        .last()
        .is_some_and(|w| matches!(w.as_str(), "PASSWORD" | "PASSWD" | "PASSPHRASE"));
    literal(v) && (password || !crate::secrets::placeholder::is_dummy_token(v))
}

/// Names of the variables a value references (`$X`, `${X}`, `${X:-d}`).
fn referenced_vars(v: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = v.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let start = if b.get(i + 1) == Some(&b'{') {
                i + 2
            } else {
                i + 1
            };
            let len = v[start..]
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                .count();
            if len > 0 {
                out.push(&v[start..start + len]);
            }
            i = start + len;
        } else {
            i += 1;
        }
    }
    out
}

crate::rule!(Afd016, "AFD016", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        // A build argument copied into ENV is baked into the image config:
        // `ARG TOKEN` + `ENV GITHUB_TOKEN=$TOKEN` stores what `--build-arg`
        // passed, readable by anyone who can pull the image.
        // The first declaration of each ARG per stage, in one pass.
        let mut args: std::collections::HashMap<(&str, Option<usize>), u32> =
            std::collections::HashMap::new();
        for a in df.arg_pairs() {
            args.entry((a.pair.key.as_str(), a.stage))
                .or_insert(a.instruction.span.start);
        }
        for p in df.env_pairs() {
            let (Some(v), Some(vspan)) = (p.pair.raw_value.as_deref(), p.pair.value_span) else {
                continue;
            };
            if v.starts_with('\'') {
                continue;
            }
            let key = &p.pair.key;
            // The ARG must be declared in the same stage before the ENV (a
            // global ARG is visible in a stage only when re-declared there).
            let arg = referenced_vars(v).into_iter().find(|n| {
                (secret_name(key) || secret_name(n))
                    && args
                        .get(&(*n, p.stage))
                        .is_some_and(|at| *at < p.instruction.span.start)
            });
            if let Some(n) = arg {
                out.push(
                    Finding::new(p.pair.key_span.cover(vspan),
                        format!("ENV `{key}` is set from build argument `{n}`: the value passed at build time is stored in the image config"),
                    )
                    .with_help("Do not copy secrets from build arguments into ENV: use `RUN --mount=type=secret,id=...` at build time, or inject the value at runtime.")
                    // Whether a secret is really passed is not known here.
                    .with_severity(Severity::Warning),
                );
            }
        }
        for (kind, pairs) in [
            ("ENV", df.env_pairs().collect::<Vec<_>>()),
            ("ARG", df.arg_pairs().collect()),
        ] {
            for p in pairs {
                let (Some(v), Some(vspan)) = (p.pair.value.as_deref(), p.pair.value_span) else {
                    continue;
                };
                let key = &p.pair.key;
                let by_name = secret_name(key) && literal_for(key, v);
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
                        p.pair.key_span.cover(vspan),
                        format!("{what}; it is stored in the image"),
                    )
                    .with_help(fix)
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
