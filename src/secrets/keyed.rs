//! Keyed detectors: a value judged together with the key it is assigned to.
//! Also the small line and assignment readers that find `key = value`,
//! `key: value` and `KEY=value` pairs inside embedded text (config files in
//! block scalars, `.cfg` files, RUN commands, connection strings).

use super::entropy::is_random_token;
use super::placeholder::{is_dummy_token, is_reference_or_placeholder};
use super::{Hit, Kind};
use crate::source::{Span, SpanMap};

/// What the key says about its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyClass {
    /// `password`, `passwd`, `pwd`, `*_password`, `PGPASSWORD`, ...
    Password,
    /// `aws_secret_access_key`, `AWS_SECRET_ACCESS_KEY`, `secretAccessKey`.
    AwsSecret,
    /// `secret`, `token`, `api_key`, `client_secret`, `fernet_key`, ...
    SecretLike,
}

const SECRET_WORDS: &[&str] = &[
    "secret",
    "token",
    "apikey",
    "accesskey",
    "privatekey",
    "credential",
    "fernetkey",
    "signingkey",
    "encryptionkey",
    "authkey",
    "passphrase",
    "masterkey",
];

/// Keys that name, locate or describe a secret rather than hold it.
const DESCRIPTIVE_SUFFIXES: &[&str] = &[
    "name",
    "names",
    "ref",
    "path",
    "file",
    "dir",
    "url",
    "uri",
    "endpoint",
    "type",
    "mount",
    "mountpath",
    "namespace",
    "length",
    "ttl",
    "enabled",
    "version",
    "header",
    "format",
    "expiry",
    "expiration",
    "seconds",
    "count",
    "size",
    "policy",
    "provider",
    "store",
    "source",
    "mode",
];

/// Classifies a key; None for keys that never hold a secret (most keys).
/// References by naming convention are excluded here: Airflow's `*_cmd`
/// options (a command prints the value) and `*_secret` options (the value
/// names a secrets-backend entry, for `sql_alchemy_conn_secret`,
/// `fernet_key_secret`, `smtp_password_secret`, ...).
pub fn classify_key(key: &str) -> Option<KeyClass> {
    if key.len() > 128 || !has_secret_word(key.as_bytes()) {
        return None;
    }
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    if key.is_empty() {
        return None;
    }
    let mut norm = [0u8; 128];
    let mut n = 0;
    for &c in key.as_bytes() {
        if c.is_ascii_alphanumeric() {
            norm[n] = c.to_ascii_lowercase();
            n += 1;
        }
    }
    let norm = std::str::from_utf8(&norm[..n]).ok()?;
    if norm.is_empty() {
        return None;
    }
    let lower = key.to_ascii_lowercase();
    if lower.ends_with("_cmd") || lower.ends_with("-cmd") {
        return None;
    }
    if let Some(stem) = lower.strip_suffix("_secret")
        && [
            "conn", "key", "url", "backend", "password", "auth", "secret",
        ]
        .iter()
        .any(|s| stem.ends_with(s))
    {
        return None;
    }
    // `checksum/secret: <sha256>` (Helm's restart-on-change annotation),
    // `secretDigest`, `tokenHash`: digests of a secret, not the secret.
    if norm.contains("checksum") || norm.contains("digest") || norm.contains("hash") {
        return None;
    }
    if let Some(stem) = norm
        .strip_suffix("password")
        .or_else(|| norm.strip_suffix("passwd"))
    {
        // Switches about a password, not passwords: `MYSQL_ALLOW_EMPTY_PASSWORD`,
        // `MYSQL_RANDOM_ROOT_PASSWORD`, `require_password`, `skip_password`.
        const FLAGS: &[&str] = &[
            "allow", "empty", "random", "generate", "skip", "require", "enable", "disable",
            "onetime", "reset", "expire", "forgot",
        ];
        if FLAGS.iter().any(|f| stem.contains(f)) {
            return None;
        }
        return Some(KeyClass::Password);
    }
    if norm == "pwd" || norm == "pass" {
        return Some(KeyClass::Password);
    }
    if (lower.ends_with("_pwd")
        || lower.ends_with("-pwd")
        || lower.ends_with("_pass")
        || lower.ends_with("-pass"))
        && !lower.ends_with("bypass")
    {
        return Some(KeyClass::Password);
    }
    if norm.contains("secretaccesskey") || norm.ends_with("awssecretkey") || norm == "awssecret" {
        return Some(KeyClass::AwsSecret);
    }
    if !SECRET_WORDS.iter().any(|w| norm.contains(w)) {
        return None;
    }
    // `secretKeyRef`, `existingSecret`, `tokenPath`, `secretName`, ...
    if norm.contains("keyref")
        || norm.contains("secretref")
        || norm.starts_with("existing")
        || (norm.ends_with("secret") && norm.contains("password"))
    {
        return None;
    }
    // Identifiers of a key or token (`private_key_id`, `access_key_id`,
    // `token_id`) are not the secret; `secret_id` (Vault AppRole) is.
    if norm.ends_with("keyid") || norm.ends_with("tokenid") {
        return None;
    }
    for s in DESCRIPTIVE_SUFFIXES {
        if norm.ends_with(s) {
            return None;
        }
    }
    Some(KeyClass::SecretLike)
}

/// Fast reject: every classified key contains (in any case) `pass`, `pwd`,
/// `secret`, `token`, `key` or `credential`. One pass, no allocation.
fn has_secret_word(k: &[u8]) -> bool {
    let at =
        |i: usize, w: &[u8]| k.len() >= i + w.len() && k[i..i + w.len()].eq_ignore_ascii_case(w);
    (0..k.len()).any(|i| match k[i] | 0x20 {
        b'p' => at(i, b"pass") || at(i, b"pwd"),
        b's' => at(i, b"secret"),
        b't' => at(i, b"token"),
        b'k' => at(i, b"key"),
        b'c' => at(i, b"credential"),
        _ => false,
    })
}

/// Judges `value` (a derived text whose offsets `map` turns into file
/// offsets) assigned to `key`; pushes at most one hit.
pub fn scan_keyed(key: &str, value: &str, map: &SpanMap, out: &mut Vec<Hit>) {
    let Some(class) = classify_key(key) else {
        return;
    };
    check_value(class, key, value, map, out);
}

fn trimmed_range(v: &str) -> (usize, usize) {
    let start = v.len() - v.trim_start().len();
    let end = v.trim_end().len();
    (start, end.max(start))
}

pub fn check_value(class: KeyClass, key: &str, value: &str, map: &SpanMap, out: &mut Vec<Hit>) {
    let (s, e) = trimmed_range(value);
    let Some(v) = value.get(s..e) else { return };
    if v.is_empty() || v.contains('\n') || v.len() > 4096 || is_reference_or_placeholder(v) {
        return;
    }
    let kind = match class {
        KeyClass::Password if is_nsswitch_passwd(key, v) => return,
        KeyClass::Password => Kind::Password,
        KeyClass::AwsSecret => {
            let b = v.as_bytes();
            if b.len() == 40
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'/' || *c == b'+')
                && !is_dummy_token(v)
            {
                Kind::AwsSecretKey
            } else if is_random_token(v) && !is_dummy_token(v) {
                Kind::GenericToken
            } else {
                return;
            }
        }
        KeyClass::SecretLike => {
            if is_random_token(v) && !is_dummy_token(v) {
                Kind::GenericToken
            } else {
                return;
            }
        }
    };
    let mut h = Hit::new(kind, map.map_span(Span::new(s, e)));
    h.key = Some(
        key.trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .to_string(),
    );
    out.push(h);
}

/// `passwd: compat` / `passwd: files systemd` in an embedded
/// `nsswitch.conf`: the name of the passwd database, with its sources.
fn is_nsswitch_passwd(key: &str, v: &str) -> bool {
    key.trim() == "passwd"
        && v.split_whitespace().all(|w| {
            w.starts_with('[')
                || matches!(
                    w,
                    "compat"
                        | "files"
                        | "db"
                        | "nis"
                        | "nisplus"
                        | "ldap"
                        | "sss"
                        | "systemd"
                        | "winbind"
                        | "dns"
                        | "altfiles"
                        | "cache"
                        | "extrausers"
                        | "mymachines"
                        | "resolve"
                )
        })
}

/// How embedded lines are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineStyle {
    /// YAML/env/properties-like text: ` #` starts a comment.
    Config,
    /// INI (`airflow.cfg`): `#` inside a value is part of it.
    Ini,
}

fn is_key_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

/// Reads `key = value`, `key: value`, `KEY=value`, `export KEY=value` and
/// `"key": "value",` lines of an embedded text and judges each pair.
/// [`scan_lines`] that builds the offset map only when something is found.
pub fn scan_lines_lazy(
    text: &str,
    style: LineStyle,
    out: &mut Vec<Hit>,
    map: impl FnOnce() -> SpanMap,
) {
    let before = out.len();
    scan_lines(text, &SpanMap::identity(0), style, out);
    if out.len() > before {
        let map = map();
        for h in &mut out[before..] {
            h.span = map.map_span(h.span);
        }
    }
}

pub fn scan_lines(text: &str, map: &SpanMap, style: LineStyle, out: &mut Vec<Hit>) {
    let mut off = 0usize;
    for line in text.split_inclusive('\n') {
        let base = off;
        off += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some((key, vs, ve)) = split_line(body, style) {
            let Some(value) = body.get(vs..ve) else {
                continue;
            };
            if let Some(class) = classify_key(key) {
                let mut local = SpanMapShift {
                    map,
                    base: base + vs,
                };
                local.check(class, key, value, out);
            }
        }
    }
}

struct SpanMapShift<'a> {
    map: &'a SpanMap,
    base: usize,
}

impl SpanMapShift<'_> {
    fn check(&mut self, class: KeyClass, key: &str, value: &str, out: &mut Vec<Hit>) {
        let before = out.len();
        check_value(class, key, value, &SpanMap::identity(0), out);
        for h in &mut out[before..] {
            h.span = self.map.map_span(h.span.offset(self.base));
        }
    }
}

/// Splits one line into (key, value start, value end) within the line.
fn split_line(line: &str, style: LineStyle) -> Option<(&str, usize, usize)> {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    // List dashes and `export`.
    while b.get(i) == Some(&b'-') && b.get(i + 1) == Some(&b' ') {
        i += 2;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
    }
    if line[i..].starts_with("export ") {
        i += 7;
    }
    match b.get(i)? {
        b'#' | b';' | b'[' | b'/' => return None,
        _ => {}
    }
    let (key, mut j) = if matches!(b[i], b'"' | b'\'') {
        let q = b[i];
        let close = b[i + 1..].iter().position(|&c| c == q)? + i + 1;
        (&line[i + 1..close], close + 1)
    } else {
        let s = i;
        while i < b.len() && is_key_byte(b[i]) {
            i += 1;
        }
        (&line[s..i], i)
    };
    if key.is_empty() {
        return None;
    }
    while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
        j += 1;
    }
    match b.get(j) {
        Some(b'=') => j += 1,
        Some(b':') if b.get(j + 1).is_none_or(|c| *c == b' ' || *c == b'\t') => j += 1,
        _ => return None,
    }
    while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
        j += 1;
    }
    let (vs, ve) = value_bounds(line, j, style);
    Some((key, vs, ve))
}

/// The value starting at `j`: a quoted string without its quotes, or the
/// rest of the line without a trailing comment / JSON comma.
fn value_bounds(line: &str, j: usize, style: LineStyle) -> (usize, usize) {
    let b = line.as_bytes();
    if let Some(&q) = b.get(j)
        && (q == b'"' || q == b'\'')
    {
        let mut k = j + 1;
        while k < b.len() {
            if b[k] == q && (q == b'\'' || b[k - 1] != b'\\') {
                return (j + 1, k);
            }
            k += 1;
        }
        return (j + 1, b.len());
    }
    let mut end = b.len();
    if style == LineStyle::Config
        && let Some(p) = line[j..].find(" #")
    {
        end = j + p;
    }
    let mut e = end;
    while e > j && (b[e - 1] == b' ' || b[e - 1] == b'\t' || b[e - 1] == b',') {
        e -= 1;
    }
    (j, e)
}

/// Finds `NAME=value` and `--flag=value` assignments inside a command or
/// connection string (`RUN DB_PASSWORD=x ./init`, `--db-password=x`,
/// `Server=db;Password=x;`) and judges each.
pub fn scan_assignments(text: &str, map: &SpanMap, out: &mut Vec<Hit>) {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(p) = b[i..].iter().position(|&c| c == b'=') {
        let eq = i + p;
        i = eq + 1;
        // Key: identifier-ish run before `=`.
        let mut s = eq;
        while s > 0 && is_key_byte(b[s - 1]) {
            s -= 1;
        }
        let key = text.get(s..eq).unwrap_or("").trim_start_matches('-');
        if key.is_empty()
            || (s > 0
                && !matches!(
                    b[s - 1],
                    b' ' | b'\t' | b';' | b'&' | b'|' | b'(' | b'"' | b'\'' | b'\n' | b','
                ))
        {
            continue;
        }
        let Some(class) = classify_key(key) else {
            continue;
        };
        let vs = eq + 1;
        let (vs, ve) = if matches!(b.get(vs), Some(b'"') | Some(b'\'')) {
            let q = b[vs];
            let close = b[vs + 1..]
                .iter()
                .position(|&c| c == q)
                .map(|x| x + vs + 1)
                .unwrap_or(b.len());
            (vs + 1, close)
        } else {
            let e = vs
                + b[vs..]
                    .iter()
                    .position(|&c| {
                        c.is_ascii_whitespace()
                            || matches!(c, b';' | b'&' | b'|' | b')' | b'"' | b'\'' | b',')
                    })
                    .unwrap_or(b.len() - vs);
            (vs, e)
        };
        if let Some(value) = text.get(vs..ve) {
            let before = out.len();
            check_value(class, key, value, &SpanMap::identity(0), out);
            for h in &mut out[before..] {
                h.span = map.map_span(h.span.offset(vs));
            }
        }
        i = ve.max(i);
    }
}

/// The value of a command-line flag written as a separate word:
/// `--db-password hunter2`, `--api-token "x"` (the `=` form is read by
/// [`scan_assignments`]). Only flags whose name classifies are judged.
pub fn scan_flags(text: &str, map: &SpanMap, out: &mut Vec<Hit>) {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(p) = text.get(from..).and_then(|t| t.find("--")) {
        let at = from + p;
        from = at + 2;
        if at > 0 && !matches!(b[at - 1], b' ' | b'\t' | b'\n' | b'"' | b'\'' | b'(') {
            continue;
        }
        let name_end = at + 2 + b[at + 2..].iter().take_while(|&&c| is_key_byte(c)).count();
        let name = &text[at + 2..name_end];
        if name.is_empty() || b.get(name_end) != Some(&b' ') {
            continue;
        }
        let Some(class) = classify_key(name) else {
            continue;
        };
        let mut vs = name_end;
        while vs < b.len() && b[vs] == b' ' {
            vs += 1;
        }
        if b.get(vs) == Some(&b'-') {
            continue;
        }
        let (vs, ve) = if matches!(b.get(vs), Some(b'"') | Some(b'\'')) {
            let q = b[vs];
            let close = b[vs + 1..]
                .iter()
                .position(|&c| c == q)
                .map(|x| x + vs + 1)
                .unwrap_or(b.len());
            (vs + 1, close)
        } else {
            let e = vs
                + b[vs..]
                    .iter()
                    .position(|&c| {
                        c.is_ascii_whitespace() || matches!(c, b';' | b'&' | b'|' | b')')
                    })
                    .unwrap_or(b.len() - vs);
            (vs, e)
        };
        if let Some(value) = text.get(vs..ve) {
            // A flag value that names a secret (`--aes-pwd proxy-secret`, a
            // file) rather than holding one.
            if names_a_secret(value) {
                from = from.max(ve);
                continue;
            }
            let before = out.len();
            check_value(class, name, value, &SpanMap::identity(0), out);
            for h in &mut out[before..] {
                h.span = map.map_span(h.span.offset(vs));
            }
        }
        from = from.max(ve);
    }
}

/// `proxy-secret`, `db_password.txt`: words joined by `-`, `_` or `.`, one
/// of which says what the value is for. A password does not describe itself.
fn names_a_secret(v: &str) -> bool {
    let words: Vec<&str> = v.split(['-', '_', '.']).collect();
    words.len() > 1
        && words.iter().all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && words.iter().any(|w| {
            matches!(
                *w,
                "secret" | "secrets" | "password" | "passwd" | "pwd" | "token" | "key"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_classes() {
        for k in [
            "password",
            "PASSWORD",
            "passwd",
            "pwd",
            "smtp_auth_password",
            "MYSQL_ROOT_PASSWORD",
            "PGPASSWORD",
            "dbPassword",
            "db_pass",
            "\"password\"",
        ] {
            assert_eq!(classify_key(k), Some(KeyClass::Password), "{k}");
        }
        for k in [
            "aws_secret_access_key",
            "AWS_SECRET_ACCESS_KEY",
            "secretAccessKey",
        ] {
            assert_eq!(classify_key(k), Some(KeyClass::AwsSecret), "{k}");
        }
        for k in [
            "secret_key",
            "api_key",
            "API_TOKEN",
            "client_secret",
            "fernet_key",
            "jwt_secret",
            "slackToken",
        ] {
            assert_eq!(classify_key(k), Some(KeyClass::SecretLike), "{k}");
        }
        for k in [
            "name",
            "image",
            "secretName",
            "secretKeyRef",
            "existingSecret",
            "passwordSecret",
            "password_cmd",
            "sql_alchemy_conn_secret",
            "fernet_key_secret",
            "smtp_password_secret",
            "tokenPath",
            "token_url",
            "AIRFLOW__CORE__FERNET_KEY_CMD",
            "password_file",
            "bypass",
            "automountServiceAccountToken_enabled",
            "MYSQL_ALLOW_EMPTY_PASSWORD",
            "MYSQL_RANDOM_ROOT_PASSWORD",
            "require_password",
            "checksum/secret",
            "tokenHash",
            "private_key_id",
            "AWS_ACCESS_KEY_ID",
        ] {
            assert_eq!(classify_key(k), None, "{k}");
        }
    }

    fn lines(t: &str, style: LineStyle) -> Vec<(Kind, String)> {
        let mut v = Vec::new();
        scan_lines(t, &SpanMap::identity(0), style, &mut v);
        v.into_iter()
            .map(|h| (h.kind, t[h.span.start()..h.span.end()].to_string()))
            .collect()
    }

    #[test]
    fn embedded_lines() {
        let t = "global:\n  smtp_auth_username: 'alertmanager'\n  smtp_auth_password: 'password'\n";
        assert_eq!(
            lines(t, LineStyle::Config),
            vec![(Kind::Password, "password".into())]
        );
        let t = "[smtp]\nsmtp_password = hunter2 # not a comment in INI\n";
        assert_eq!(
            lines(t, LineStyle::Ini),
            vec![(Kind::Password, "hunter2 # not a comment in INI".into())]
        );
        assert_eq!(
            lines("export DB_PASSWORD=\"s3cr3t\"\n", LineStyle::Config),
            vec![(Kind::Password, "s3cr3t".into())]
        );
        let t = "{\n  \"api_key\": \"Qm7Zp2Wk9Rt4Yv8Xn3Lb6Hc1Jd5\",\n}";
        assert_eq!(
            lines(t, LineStyle::Config),
            vec![(Kind::GenericToken, "Qm7Zp2Wk9Rt4Yv8Xn3Lb6Hc1Jd5".into())]
        );
        assert!(
            lines(
                "password: ${DB_PASSWORD}\npassword: \"\"\npassword: <base64_encoded_password>\n",
                LineStyle::Config
            )
            .is_empty()
        );
        assert!(lines("# password: hunter2\n", LineStyle::Config).is_empty());
        // nsswitch.conf in a ConfigMap
        assert!(lines("passwd:         compat\nshadow: files\n", LineStyle::Config).is_empty());
        assert_eq!(lines("passwd: hunter2\n", LineStyle::Config).len(), 1);
        assert!(lines("secret_key: airflow-webserver-key\n", LineStyle::Config).is_empty());
    }

    #[test]
    fn flags() {
        let t = "mysql --user root --password Sup3r-pw --host db && docker login --password-stdin && x --api-token \"Qm7Zp2Wk9Rt4Yv8Xn3Lb6Hc1Jd5\" --password $DB_PASSWORD --password --other && mtproto-proxy --aes-pwd proxy-secret proxy.conf";
        let mut v = Vec::new();
        scan_flags(t, &SpanMap::identity(0), &mut v);
        let got: Vec<_> = v
            .iter()
            .map(|h| (h.kind, &t[h.span.start()..h.span.end()]))
            .collect();
        assert_eq!(
            got,
            vec![
                (Kind::Password, "Sup3r-pw"),
                (Kind::GenericToken, "Qm7Zp2Wk9Rt4Yv8Xn3Lb6Hc1Jd5")
            ]
        );
    }

    #[test]
    fn assignments() {
        let mut v = Vec::new();
        let t = "MYSQL_PASSWORD=hunter2 ./init.sh --api-token=Qm7Zp2Wk9Rt4Yv8Xn3Lb6Hc1Jd5 && PASSWORD=$(cat /run/secrets/pw)";
        scan_assignments(t, &SpanMap::identity(0), &mut v);
        let got: Vec<_> = v
            .iter()
            .map(|h| (h.kind, &t[h.span.start()..h.span.end()]))
            .collect();
        assert_eq!(
            got,
            vec![
                (Kind::Password, "hunter2"),
                (Kind::GenericToken, "Qm7Zp2Wk9Rt4Yv8Xn3Lb6Hc1Jd5")
            ]
        );
        let mut v = Vec::new();
        scan_assignments(
            "Server=db;Database=x;User Id=u;Password=Pa55w0rd;",
            &SpanMap::identity(10),
            &mut v,
        );
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].span, Span::new(10 + 40, 10 + 48));
    }
}
