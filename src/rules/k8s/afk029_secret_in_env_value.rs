use crate::mask::mask;
use crate::rules::{FileCx, Findings};
use crate::secrets::placeholder::{is_own_name, is_reference_or_placeholder};

use super::sc::{Scope, containers_with};

/// Suffixes of names that hold a reference to a secret, not the secret.
const REFERENCE_SUFFIXES: &[&str] = &[
    "_FILE",
    "_PATH",
    "_DIR",
    "_NAME",
    "_REF",
    "_ID",
    "_URL_PATH",
    "_KEY_NAME",
    "_SECRET_NAME",
    "_ENABLED",
    "_VERSION",
    "_TTL",
    "_EXPIRY",
    "_EXPIRATION",
    "_TIMEOUT",
    "_LENGTH",
    "_HEADER",
    "_TYPE",
    "_URL",
    "_URI",
    "_ENDPOINT",
    "_AUDIENCE",
    "_ISSUER",
    "_SCOPE",
    "_SCOPES",
    "_HOST",
    "_PORT",
    "_USER",
    "_USERNAME",
    "_ALGORITHM",
    "_MODE",
    "_PREFIX",
    "_PROVIDER",
];

/// Names whose "token" or "secret" is an identifier, not a credential:
/// etcd's `--initial-cluster-token` only keeps two clusters bootstrapping
/// side by side apart (etcd documents it as not secret).
const IDENTIFIER_NAMES: &[&str] = &["INITIAL_CLUSTER_TOKEN"];

/// Does the name hold a credential word? `PASSWORD`-like words match inside
/// a word (`PGPASSWORD`); the others match whole `_`-separated words, so
/// `TOKENIZER_NAME` or `SECRETARY` are not credentials.
fn credential_name(name: &str) -> bool {
    if name.contains("PASSWORD") || name.contains("PASSWD") {
        return true;
    }
    if IDENTIFIER_NAMES.iter().any(|n| name.ends_with(n)) {
        return false;
    }
    let words: Vec<&str> = name.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    let word = |w: &str| {
        words
            .iter()
            .any(|x| *x == w || (x.ends_with(w) && x.len() > w.len() && w.len() >= 5))
    };
    let pair = |a: &str, b: &str| words.windows(2).any(|p| p[0] == a && p[1] == b);
    word("SECRET")
        || word("TOKEN")
        || word("APIKEY")
        || word("CREDENTIAL")
        || word("CREDENTIALS")
        || pair("API", "KEY")
        || pair("PRIVATE", "KEY")
        || pair("ACCESS", "KEY")
        || pair("FERNET", "KEY")
        || pair("AUTH", "KEY")
        || pair("SECRET", "KEY")
}

/// Names holding a connection URI, which is a secret only when it embeds a
/// password (`scheme://user:password@host`).
fn is_connection_name(name: &str) -> bool {
    name.starts_with("AIRFLOW_CONN_")
        || name.ends_with("SQL_ALCHEMY_CONN")
        || name.ends_with("RESULT_BACKEND")
        || name.ends_with("BROKER_URL")
        || name.ends_with("DATABASE_URL")
}

fn uri_has_password(v: &str) -> bool {
    let Some((_, rest)) = v.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, _)) = authority.rsplit_once('@') else {
        return false;
    };
    matches!(userinfo.split_once(':'), Some((_, pw)) if !pw.is_empty())
}

/// Does this env var (upper-cased name, literal value) hold a credential?
pub fn secret_like(name: &str, value: &str) -> bool {
    let v = value.trim();
    // Empty, references to other variables, numbers and file paths.
    if v.is_empty()
        || v.starts_with('/')
        || v.parse::<f64>().is_ok()
        || is_reference_or_placeholder(v)
    {
        return false;
    }
    if is_own_name(name, v) {
        return false;
    }
    if matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no"
    ) {
        return false;
    }
    if is_connection_name(name) {
        return uri_has_password(v);
    }
    if REFERENCE_SUFFIXES.iter().any(|s| name.ends_with(s)) {
        return false;
    }
    credential_name(name)
}

crate::rule!(Afk029, "AFK029", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (c, env) in containers_with(cx, out.rule(), Scope::PODS, "env") {
            {
                for e in env.items() {
                    let e = e.deref();
                    let Some(name) = e.get("name").and_then(|n| n.as_str()) else {
                        continue;
                    };
                    let Some(val) = e.get("value") else { continue };
                    let Some(value) = val.as_str() else { continue };
                    if !secret_like(&name.to_ascii_uppercase(), value) {
                        continue;
                    }
                    out.push(
                        c.finding(val.span(), format_args!("sets `{name}` to a literal value ({}); credentials belong in a Secret",
                                mask(value)))
                        .with_secret(val.span())
                        .with_help(format!(
                            "Store the value in a Secret and use `valueFrom.secretKeyRef` for `{name}`."
                        ))
                        .with_fingerprint(format!("{}/{name}", c.pod.obj.display())),
                    );
                }
            }
        }
    }
});

#[cfg(test)]
mod tests {
    use super::secret_like;

    #[test]
    fn names_and_values() {
        assert!(secret_like("DB_PASSWORD", "hunter2"));
        assert!(secret_like("AIRFLOW__CORE__FERNET_KEY", "abc"));
        assert!(!secret_like("DB_PASSWORD_FILE", "/run/secrets/db"));
        assert!(!secret_like("AWS_ACCESS_KEY_ID", "AKIAXXXX"));
        assert!(!secret_like("TOKEN_TTL", "3600"));
        assert!(!secret_like("DB_PASSWORD", ""));
        assert!(secret_like(
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
            "postgresql://u:p@db/airflow"
        ));
        assert!(!secret_like(
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
            "postgresql://db/airflow"
        ));
        assert!(!secret_like("HOSTNAME", "x"));
        assert!(!secret_like(
            "GOOGLE_APPLICATION_CREDENTIALS",
            "/var/secrets/key.json"
        ));
        assert!(!secret_like("SECRET_VERSION", "latest"));
        // Identifiers and placeholders are not credentials.
        assert!(!secret_like("ETCD_INITIAL_CLUSTER_TOKEN", "etcd-cluster-1"));
        assert!(!secret_like("TOKENIZER_NAME", "gpt2"));
        assert!(!secret_like("HF_TOKEN", "HF_TOKEN"));
        assert!(!secret_like("HF_TOKEN", "<your-hf-token>"));
        assert!(!secret_like("NGC_API_KEY", "nvapi-NVKEY"));
        assert!(!secret_like("AUTH_TOKEN", "Bearer TOKEN"));
        assert!(secret_like("NGC_API_KEY", "nvapi-3fXq9LmZ0aBcDeFgHiJk"));
        assert!(secret_like("MYSQL_ROOT_PASSWORD", "migration"));
        assert!(!secret_like("OIDC_TOKEN_URL", "https://idp/token"));
        assert!(secret_like("HF_TOKEN", "hf_abcdefghijklmnop"));
        assert!(secret_like("PGPASSWORD", "s3cret"));
        assert!(secret_like("GITHUB_ACCESS_TOKEN", "abc"));
        assert!(secret_like("AWS_SECRET_ACCESS_KEY", "abc"));
        assert!(secret_like("K3S_TOKEN", "abc"));
    }
}
