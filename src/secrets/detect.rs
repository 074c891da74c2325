//! Context-free token detectors. Each one recognises a publicly documented
//! credential format (see the rule metadata under `rules/secrets/` for the
//! source of each format). They run over raw text behind one Aho-Corasick
//! automaton of literal anchors; each anchor hit is then checked by a small
//! hand-written scanner (no regex engine to compile).

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::placeholder::{is_dummy_token, is_reference_or_placeholder};
use super::{Hit, Kind};
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Anchor {
    Pem,
    AwsId,
    GcpServiceAccount,
    AzureAccountKey,
    GitHubClassic,
    GitHubFineGrained,
    GitLab,
    Slack,
    SlackWebhook,
    Teams,
    Discord,
    Uri,
}

const ANCHORS: &[(&str, Anchor)] = &[
    ("-----BEGIN ", Anchor::Pem),
    ("AKIA", Anchor::AwsId),
    ("ASIA", Anchor::AwsId),
    ("ABIA", Anchor::AwsId),
    ("ACCA", Anchor::AwsId),
    ("service_account", Anchor::GcpServiceAccount),
    ("AccountKey=", Anchor::AzureAccountKey),
    ("ghp_", Anchor::GitHubClassic),
    ("gho_", Anchor::GitHubClassic),
    ("ghu_", Anchor::GitHubClassic),
    ("ghs_", Anchor::GitHubClassic),
    ("ghr_", Anchor::GitHubClassic),
    ("github_pat_", Anchor::GitHubFineGrained),
    ("glpat-", Anchor::GitLab),
    ("gldt-", Anchor::GitLab),
    ("glrt-", Anchor::GitLab),
    ("glptt-", Anchor::GitLab),
    ("glcbt-", Anchor::GitLab),
    ("glimt-", Anchor::GitLab),
    ("gloas-", Anchor::GitLab),
    ("glft-", Anchor::GitLab),
    ("xoxb-", Anchor::Slack),
    ("xoxp-", Anchor::Slack),
    ("xoxa-", Anchor::Slack),
    ("xoxr-", Anchor::Slack),
    ("xoxs-", Anchor::Slack),
    ("xoxo-", Anchor::Slack),
    ("xoxe-", Anchor::Slack),
    ("xoxe.xoxp-", Anchor::Slack),
    ("xapp-", Anchor::Slack),
    ("hooks.slack.com/", Anchor::SlackWebhook),
    (".webhook.office.com/webhookb2/", Anchor::Teams),
    ("outlook.office.com/webhook/", Anchor::Teams),
    ("outlook.office365.com/webhook/", Anchor::Teams),
    ("discord.com/api/webhooks/", Anchor::Discord),
    ("discordapp.com/api/webhooks/", Anchor::Discord),
    ("://", Anchor::Uri),
];

fn automaton() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::DFA))
            .build(ANCHORS.iter().map(|a| a.0))
            .ok()
    })
    .as_ref()
}

/// True when the text holds at least one anchor (the prefilter alone).
pub fn has_candidate(text: &str) -> bool {
    automaton().is_some_and(|ac| ac.is_match(text))
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn run_end(b: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> usize {
    let mut i = from.min(b.len());
    while i < b.len() && pred(b[i]) {
        i += 1;
    }
    i
}

fn boundary_before(b: &[u8], at: usize) -> bool {
    at == 0 || !(is_word(b[at - 1]) || b[at - 1] == b'_')
}

fn boundary_after(b: &[u8], at: usize) -> bool {
    at >= b.len() || !(is_word(b[at]) || b[at] == b'_')
}

fn find(hay: &[u8], needle: &[u8], from: usize, to: usize) -> Option<usize> {
    let to = to.min(hay.len());
    if from >= to || needle.is_empty() || to - from < needle.len() {
        return None;
    }
    hay[from..to]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Runs every context-free detector over `text`; spans are offsets in
/// `text` shifted by `base`.
pub fn scan_tokens(text: &str, base: usize, out: &mut Vec<Hit>) {
    let Some(ac) = automaton() else { return };
    let b = text.as_bytes();
    // No anchor starts inside another one, so leftmost-first,
    // non-overlapping matching sees every anchor.
    for m in ac.find_iter(text) {
        let at = m.start();
        let anchor = ANCHORS[m.pattern().as_usize()].1;
        let hit = match anchor {
            Anchor::Pem => pem(b, at),
            Anchor::AwsId => aws_id(b, at),
            Anchor::GcpServiceAccount => gcp(b, at),
            Anchor::AzureAccountKey => azure(b, at),
            Anchor::GitHubClassic => github_classic(b, at),
            Anchor::GitHubFineGrained => github_fine(b, at),
            Anchor::GitLab => gitlab(b, at, m.len()),
            Anchor::Slack => slack(b, at, m.len()),
            Anchor::SlackWebhook => slack_webhook(b, at, m.len()),
            Anchor::Teams => teams(b, at, m.len()),
            Anchor::Discord => discord(b, at, m.len()),
            Anchor::Uri => uri(text, at),
        };
        if let Some(mut h) = hit {
            h.span = h.span.offset(base);
            out.push(h);
        }
    }
}

fn is_b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'='
}

/// `-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----`
/// with a body of at least 64 base64 characters.
fn pem(b: &[u8], at: usize) -> Option<Hit> {
    let label_start = at + "-----BEGIN ".len();
    let label_end = find(b, b"-----", label_start, label_start + 48)?;
    let label = &b[label_start..label_end];
    if !(label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK")) {
        return None;
    }
    let body_start = label_end + 5;
    let limit = body_start + (64 << 10);
    let (body_end, end) = match find(b, b"-----END ", body_start, limit) {
        Some(e) => {
            let close = find(b, b"-----", e + 9, e + 9 + 48)
                .map(|c| c + 5)
                .unwrap_or(e + 9);
            (e, close)
        }
        None => {
            // No END marker: the body runs while it looks like base64.
            let mut i = body_start;
            while i < b.len()
                && i < limit
                && (is_b64(b[i]) || b[i].is_ascii_whitespace() || b[i] == b'\\')
            {
                i += 1;
            }
            (i, i)
        }
    };
    let body = &b[body_start..body_end];
    let b64 = body.iter().filter(|&&c| is_b64(c)).count();
    if b64 < 64 || super::entropy::distinct(body) < 16 {
        return None;
    }
    let lower = String::from_utf8_lossy(body).to_ascii_lowercase();
    if lower.contains("example") || lower.contains("...") || lower.contains("xxxx") {
        return None;
    }
    let mut h = Hit::new(Kind::PrivateKey, Span::new(at, end));
    h.note = Some(match label {
        l if l.starts_with(b"OPENSSH") => "OpenSSH",
        l if l.starts_with(b"RSA") => "RSA",
        l if l.starts_with(b"EC") => "EC",
        l if l.starts_with(b"DSA") => "DSA",
        l if l.starts_with(b"ENCRYPTED") => "encrypted PKCS#8",
        l if l.starts_with(b"PGP") => "PGP",
        _ => "PKCS#8",
    });
    Some(h)
}

/// AWS access key IDs: `AKIA` (long-term) / `ASIA` (temporary) / `ABIA`,
/// `ACCA` followed by 16 upper-case letters or digits.
fn aws_id(b: &[u8], at: usize) -> Option<Hit> {
    if !boundary_before(b, at) {
        return None;
    }
    let end = at + 20;
    if end > b.len()
        || !b[at + 4..end]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return None;
    }
    if !boundary_after(b, end) {
        return None;
    }
    let tok = std::str::from_utf8(&b[at..end]).ok()?;
    if is_dummy_token(tok) {
        return None;
    }
    Some(Hit::new(Kind::AwsAccessKeyId, Span::new(at, end)))
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t' || b[i] == b'\r' || b[i] == b'\n') {
        i += 1;
    }
    i
}

/// GCP service-account key files: a JSON object with
/// `"type": "service_account"` and a `"private_key"` holding a PEM key. The
/// span is the `private_key` value.
fn gcp(b: &[u8], at: usize) -> Option<Hit> {
    // Before the anchor: `"type"` `:` `"`, whitespace and backslashes allowed.
    let lo = at.saturating_sub(48);
    let before: Vec<u8> = b[lo..at]
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'\\' && *c != b'"' && *c != b'\'')
        .collect();
    if !before.ends_with(b"type:") {
        return None;
    }
    let lo = at.saturating_sub(16 << 10);
    let hi = (at + (16 << 10)).min(b.len());
    let mut from = lo;
    while let Some(k) = find(b, b"private_key", from, hi) {
        from = k + 1;
        let mut i = k + "private_key".len();
        // `"private_key"` not `"private_key_id"`.
        if b.get(i) == Some(&b'\\') {
            i += 1;
        }
        if b.get(i) != Some(&b'"') {
            continue;
        }
        i = skip_ws(b, i + 1);
        if b.get(i) != Some(&b':') {
            continue;
        }
        i = skip_ws(b, i + 1);
        if b.get(i) == Some(&b'\\') {
            i += 1;
        }
        if b.get(i) != Some(&b'"') {
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < b.len() && j < start + (16 << 10) {
            if b[j] == b'"' && b[j - 1] != b'\\' {
                break;
            }
            if b[j] == b'\\' && b.get(j + 1) == Some(&b'"') {
                break;
            }
            j += 1;
        }
        let value = &b[start..j.min(b.len())];
        if find(value, b"PRIVATE KEY", 0, value.len()).is_none()
            || value.iter().filter(|&&c| is_b64(c)).count() < 64
        {
            return None;
        }
        return Some(Hit::new(Kind::GcpServiceAccount, Span::new(start, j)));
    }
    None
}

/// Azure storage connection strings: `AccountKey=` + base64 (88 characters
/// for a real key). Azurite's published development key is skipped.
fn azure(b: &[u8], at: usize) -> Option<Hit> {
    let start = at + "AccountKey=".len();
    let mut end = run_end(b, start, |c| {
        c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
    });
    let mut pad = 0;
    while pad < 2 && b.get(end) == Some(&b'=') {
        end += 1;
        pad += 1;
    }
    if end - start < 40 {
        return None;
    }
    let tok = std::str::from_utf8(&b[start..end]).ok()?;
    if tok.starts_with("Eby8vdM02xNOcqFlqUwJPLlmEt") || is_dummy_token(tok) {
        return None;
    }
    Some(Hit::new(Kind::AzureStorageKey, Span::new(start, end)))
}

/// GitHub `ghp_` (personal), `gho_` (OAuth), `ghu_` (app user-to-server),
/// `ghs_` (app installation), `ghr_` (refresh): prefix + 36 base62 characters.
fn github_classic(b: &[u8], at: usize) -> Option<Hit> {
    if !boundary_before(b, at) {
        return None;
    }
    let start = at + 4;
    let end = run_end(b, start, is_word);
    if end - start < 36 || end - start > 251 || !boundary_after(b, end) {
        return None;
    }
    let tok = std::str::from_utf8(&b[start..end]).ok()?;
    if is_dummy_token(tok) {
        return None;
    }
    let mut h = Hit::new(Kind::GitHubClassic, Span::new(at, end));
    h.note = Some(match b.get(at + 2) {
        Some(b'p') => "classic personal access token",
        Some(b'o') => "OAuth access token",
        Some(b'u') => "GitHub App user-to-server token",
        Some(b's') => "GitHub App installation token",
        _ => "refresh token",
    });
    Some(h)
}

/// Fine-grained personal access tokens: `github_pat_` + 82 characters
/// (22 + `_` + 59).
fn github_fine(b: &[u8], at: usize) -> Option<Hit> {
    if !boundary_before(b, at) {
        return None;
    }
    let start = at + "github_pat_".len();
    let end = run_end(b, start, |c| is_word(c) || c == b'_');
    if end - start < 82 || end - start > 255 {
        return None;
    }
    let tok = std::str::from_utf8(&b[start..end]).ok()?;
    if is_dummy_token(tok) {
        return None;
    }
    Some(Hit::new(Kind::GitHubFineGrained, Span::new(at, end)))
}

/// GitLab tokens: `glpat-` (personal/project/group access), `gldt-` (deploy),
/// `glrt-` (runner), `glptt-` (pipeline trigger), `glcbt-` (CI build),
/// `glimt-` (incoming mail), `gloas-` (OAuth app secret), `glft-` (feed) +
/// at least 20 characters of `[A-Za-z0-9_.-]`.
fn gitlab(b: &[u8], at: usize, plen: usize) -> Option<Hit> {
    if !boundary_before(b, at) {
        return None;
    }
    let start = at + plen;
    let mut end = run_end(b, start, |c| {
        is_word(c) || c == b'_' || c == b'-' || c == b'.'
    });
    while end > start && b[end - 1] == b'.' {
        end -= 1;
    }
    if end - start < 20 {
        return None;
    }
    let tok = std::str::from_utf8(&b[start..end]).ok()?;
    if is_dummy_token(tok) {
        return None;
    }
    Some(Hit::new(Kind::GitLabToken, Span::new(at, end)))
}

/// Slack tokens: `xoxb-` (bot), `xoxp-` (user), `xoxa-`/`xoxr-` (app
/// access/refresh), `xoxs-`/`xoxo-`, `xoxe-` (rotating), `xapp-` (app-level):
/// prefix + dash-separated parts, at least 20 characters with digits.
fn slack(b: &[u8], at: usize, plen: usize) -> Option<Hit> {
    if !boundary_before(b, at) {
        return None;
    }
    let start = at + plen;
    let end = run_end(b, start, |c| is_word(c) || c == b'-');
    let body = &b[start..end];
    if body.len() < 20 || !body.iter().any(u8::is_ascii_digit) || !body.contains(&b'-') {
        return None;
    }
    let tok = std::str::from_utf8(body).ok()?;
    if is_dummy_token(tok) {
        return None;
    }
    Some(Hit::new(Kind::SlackToken, Span::new(at, end)))
}

/// Start of a URL whose host part ends at `host_end`-ish: scans back over
/// host characters and an `http(s)://` scheme.
fn url_start(b: &[u8], at: usize) -> usize {
    let mut s = at;
    while s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'.' || b[s - 1] == b'-') {
        s -= 1;
    }
    for scheme in [&b"https://"[..], b"http://"] {
        if s >= scheme.len() && b[s - scheme.len()..s].eq_ignore_ascii_case(scheme) {
            return s - scheme.len();
        }
    }
    s
}

fn webhook_tail(b: &[u8], from: usize) -> usize {
    run_end(b, from, |c| {
        c.is_ascii_alphanumeric() || matches!(c, b'/' | b'_' | b'-' | b'+' | b'@' | b'.')
    })
}

/// Marks placeholder-shaped webhooks: they are still reported (a webhook
/// literal in a config is where the real one gets pasted), with a note.
fn webhook_note(path: &[u8]) -> Result<Option<&'static str>, ()> {
    let lower = String::from_utf8_lossy(path).to_ascii_lowercase();
    if lower.contains("example") || lower.contains("dummy") {
        return Err(());
    }
    if lower.contains("xxxx") || lower.contains("00000000") {
        return Ok(Some(
            "placeholder-shaped; the real webhook would be pasted into this literal",
        ));
    }
    Ok(None)
}

/// `https://hooks.slack.com/services/T.../B.../...` (and `/workflows/`,
/// `/triggers/`).
fn slack_webhook(b: &[u8], at: usize, plen: usize) -> Option<Hit> {
    let path = at + plen;
    let rest = &b[path..];
    let kind_len = [&b"services/"[..], b"workflows/", b"triggers/"]
        .iter()
        .find(|p| rest.starts_with(p))
        .map(|p| p.len())?;
    let end = webhook_tail(b, path + kind_len);
    let tail = &b[path + kind_len..end];
    if tail.len() < 20 || tail.iter().filter(|&&c| c == b'/').count() < 1 {
        return None;
    }
    let note = webhook_note(tail).ok()?;
    let mut h = Hit::new(Kind::SlackWebhook, Span::new(url_start(b, at), end));
    h.note = note;
    Some(h)
}

/// Teams incoming webhooks: `https://<tenant>.webhook.office.com/webhookb2/...`
/// and the older `outlook.office.com/webhook/...`.
fn teams(b: &[u8], at: usize, plen: usize) -> Option<Hit> {
    let from = at + plen;
    let end = webhook_tail(b, from);
    if end - from < 20 {
        return None;
    }
    let note = webhook_note(&b[from..end]).ok()?;
    let mut h = Hit::new(Kind::TeamsWebhook, Span::new(url_start(b, at), end));
    h.note = note;
    Some(h)
}

/// Discord webhooks: `https://discord.com/api/webhooks/<id>/<token>` with a
/// numeric snowflake ID and a token of at least 60 characters.
fn discord(b: &[u8], at: usize, plen: usize) -> Option<Hit> {
    let id_start = at + plen;
    let id_end = run_end(b, id_start, |c| c.is_ascii_digit());
    if !(17..=20).contains(&(id_end - id_start)) || b.get(id_end) != Some(&b'/') {
        return None;
    }
    let tok_start = id_end + 1;
    let end = run_end(b, tok_start, |c| {
        c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
    });
    if end - tok_start < 60 {
        return None;
    }
    let note = webhook_note(&b[tok_start..end]).ok()?;
    let mut h = Hit::new(Kind::DiscordWebhook, Span::new(url_start(b, at), end));
    h.note = note;
    Some(h)
}

fn uri_stop(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'`' | b'<' | b'>' | b'\\' | b'|' | b'^')
}

/// `scheme://user:password@host`: the span is the password. Not reported:
/// no password (`user@host`), references (`user:${PASS}@`, `{password}`,
/// `%s`), documentation hosts (`example.com`).
fn uri(text: &str, at: usize) -> Option<Hit> {
    let b = text.as_bytes();
    // Scheme: a letter then letters, digits, `+.-`, just before `://`.
    let mut s = at;
    while s > 0 && (b[s - 1].is_ascii_alphanumeric() || matches!(b[s - 1], b'+' | b'.' | b'-')) {
        s -= 1;
    }
    if at - s < 2 || at - s > 32 || !b[s].is_ascii_alphabetic() {
        return None;
    }
    let auth_start = at + 3;
    // Userinfo ends at the last `@` before the path (passwords are sometimes
    // written with an unencoded `@` or `/`), within the same token.
    let tok_end = run_end(b, auth_start, |c| !uri_stop(c));
    let tok = &b[auth_start..tok_end];
    let at_sign = tok.iter().rposition(|&c| c == b'@')?;
    let userinfo = &tok[..at_sign];
    let host = &tok[at_sign + 1..];
    let colon = userinfo.iter().position(|&c| c == b':')?;
    let user = &userinfo[..colon];
    let pass = &userinfo[colon + 1..];
    // A `/` in the user part means the `@` belongs to the path.
    if pass.is_empty() || user.contains(&b'/') || user.contains(&b'{') {
        return None;
    }
    if !host
        .first()
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'[')
    {
        return None;
    }
    let host_name: Vec<u8> = host
        .iter()
        .take_while(|c| !matches!(c, b'/' | b'?' | b'#' | b':'))
        .map(u8::to_ascii_lowercase)
        .collect();
    if find(&host_name, b"example", 0, host_name.len()).is_some() {
        return None;
    }
    let p_start = auth_start + colon + 1;
    let p_end = auth_start + at_sign;
    let pw = text.get(p_start..p_end)?;
    if is_reference_or_placeholder(pw)
        || pw.contains("%s")
        || (pw.starts_with('{') && pw.ends_with('}'))
    {
        return None;
    }
    Some(Hit::new(Kind::UriPassword, Span::new(p_start, p_end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(t: &str) -> Vec<(Kind, String)> {
        let mut v = Vec::new();
        scan_tokens(t, 0, &mut v);
        super::super::resolve(&mut v);
        v.into_iter()
            .map(|h| (h.kind, t[h.span.start()..h.span.end()].to_string()))
            .collect()
    }

    // Fake tokens of the right shape (random characters, never real).
    const GHP: &str = "ghp_R4nd0mFakeT0kenZq8Wm2Lx7Pv9Ks3Jd5Hc1Nb6";
    const AKIA: &str = "AKIAQ3EGRZ7KVNXD4M2P";

    #[test]
    fn aws_ids() {
        assert_eq!(
            scan(&format!("key: {AKIA}\n")),
            vec![(Kind::AwsAccessKeyId, AKIA.into())]
        );
        assert!(scan("key: AKIAIOSFODNN7EXAMPLE\n").is_empty());
        assert!(scan("xAKIAQ3EGRZ7KVNXD4M2P").is_empty());
        assert!(scan("AKIAQ3EGRZ7KVNXD4M2PQ").is_empty());
        assert!(scan("AKIAQ3EGRZ7").is_empty());
    }

    #[test]
    fn github_tokens() {
        assert_eq!(
            scan(&format!("token={GHP}")),
            vec![(Kind::GitHubClassic, GHP.into())]
        );
        assert!(scan("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").is_empty());
        assert!(scan("ghp_short123").is_empty());
        let fine = format!(
            "github_pat_{}_{}",
            "A1b2C3d4E5f6G7h8I9j0K1",
            "l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6A7b8C9d0E1f2G3h4I5j6K7l8M9n0P1q"
        );
        assert_eq!(scan(&fine), vec![(Kind::GitHubFineGrained, fine.clone())]);
        // A token used as a URI password is one finding, the token.
        let url = format!("https://x-access-token:{GHP}@github.com/org/repo.git");
        assert_eq!(scan(&url), vec![(Kind::GitHubClassic, GHP.into())]);
    }

    #[test]
    fn gitlab_and_slack() {
        assert_eq!(scan("glpat-Zk3Qp9Wm2Rt7Yv5Xn8Lb").len(), 1);
        assert!(scan("glpat-xxxxxxxxxxxxxxxxxxxx").is_empty());
        let bot = "xoxb-4820193756-5930284716-Qm7Zp2Wk9Rt4Yv8Xn3Lb6Hc1";
        assert_eq!(scan(bot), vec![(Kind::SlackToken, bot.into())]);
        assert!(scan("xoxb-your-token").is_empty());
    }

    #[test]
    fn webhooks() {
        let s = "api_url: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'";
        let v = scan(s);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].0, Kind::SlackWebhook);
        assert!(v[0].1.starts_with("https://hooks.slack.com/services/"));
        assert!(!v[0].1.ends_with('\''));
        assert!(
            scan("url: https://hooks.slack.com/services/EXAMPLE/EXAMPLE/EXAMPLEEXAMPLE").is_empty()
        );
        assert!(scan("see https://hooks.slack.com/ for docs").is_empty());
        let d = "https://discord.com/api/webhooks/123456789012345678/Zq8Wm2Lx7Pv9Ks3Jd5Hc1Nb6R4nd0mFakeT0kenZq8Wm2Lx7Pv9Ks3Jd5Hc1Nb6Rr";
        assert_eq!(scan(d), vec![(Kind::DiscordWebhook, d.into())]);
        let t = "https://contoso.webhook.office.com/webhookb2/1f2e3d4c-5b6a-4978-8796-a5b4c3d2e1f0@0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/IncomingWebhook/9f8e7d6c5b4a39281706f5e4d3c2b1a0/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
        assert_eq!(scan(t), vec![(Kind::TeamsWebhook, t.into())]);
    }

    #[test]
    fn uri_credentials() {
        let v =
            scan("sql_alchemy_conn = postgresql+psycopg2://airflow:password@postgres:5432/airflow");
        assert_eq!(v, vec![(Kind::UriPassword, "password".into())]);
        assert_eq!(
            scan("redis://:s3cret@redis:6379/0"),
            vec![(Kind::UriPassword, "s3cret".into())]
        );
        assert!(scan("postgres://airflow:${DB_PASS}@db/airflow").is_empty());
        assert!(scan("postgres://airflow@db/airflow").is_empty());
        assert!(scan("https://user:pass@example.com/x").is_empty());
        assert!(scan("https://github.com/org/repo").is_empty());
        assert!(scan("postgresql://{user}:{password}@{host}/db").is_empty());
        assert!(scan("mysql://root:@db:3306/x").is_empty());
        // `@` in a path is not userinfo
        assert!(scan("https://registry.npmjs.org/@scope/pkg:1@2").is_empty());
    }

    #[test]
    fn private_keys() {
        let body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7Zq8Wm2Lx7Pv9Ks3Jd5Hc1Nb6R4nd0mFakeT0ken\nZq8Wm2Lx7Pv9Ks3Jd5Hc1Nb6R4nd0mFakeT0kenAbCdEfGh";
        let pem = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----");
        let v = scan(&format!("key: |\n{pem}\n"));
        assert_eq!(v, vec![(Kind::PrivateKey, pem.clone())]);
        assert!(scan("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----").is_empty());
        assert!(
            scan(&format!(
                "-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----"
            ))
            .is_empty()
        );
        assert!(scan("-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----").is_empty());
        // JSON-escaped key, GCP service account: one finding, the GCP key.
        let esc = body.replace('\n', "\\n");
        let json = format!(
            "{{\"type\": \"service_account\", \"project_id\": \"p\", \"private_key_id\": \"abc\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{esc}\\n-----END PRIVATE KEY-----\\n\", \"client_email\": \"a@p.iam.gserviceaccount.com\"}}"
        );
        let v = scan(&json);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].0, Kind::GcpServiceAccount);
        assert!(v[0].1.starts_with("-----BEGIN PRIVATE KEY-----"));
    }

    #[test]
    fn azure() {
        let key = "Zq8Wm2Lx7Pv9Ks3Jd5Hc1Nb6R4nd0mFakeT0kenZq8Wm2Lx7Pv9Ks3Jd5Hc1Nb6R4nd0mFakeT0kenAbCdEfGhIjK==";
        let s = format!(
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={key};EndpointSuffix=core.windows.net"
        );
        assert_eq!(scan(&s), vec![(Kind::AzureStorageKey, key.into())]);
        assert!(scan("AccountKey=<key>;").is_empty());
    }

    #[test]
    fn prefilter() {
        assert!(!has_candidate("apiVersion: v1\nkind: Pod\n"));
        assert!(has_candidate("url: https://x"));
    }
}
