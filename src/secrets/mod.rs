//! Secret detection: pure detectors over text and values, and the sources
//! that feed them the values afcheck already parsed.
//!
//! Two families of detectors:
//! - context-free token detectors ([`detect::scan_tokens`]): private keys,
//!   cloud keys, source-host and chat tokens, webhooks, URI credentials.
//!   They run over a file's raw text once, behind an Aho-Corasick prefilter
//!   of literal anchors (`-----BEGIN`, `AKIA`, `ghp_`, `://`, ...), so a file
//!   without an anchor costs one automaton pass;
//! - keyed detectors ([`keyed::scan_keyed`]): a value judged with its key
//!   (`smtp_auth_password: ...`, `AWS_SECRET_ACCESS_KEY=...`,
//!   `api_token = ...`): literal passwords, AWS secret keys and generic
//!   high-entropy tokens. Keys are tested first with byte comparisons, so
//!   ordinary keys cost almost nothing.
//!
//! [`sources`] walks each parsed file (YAML tree, `.cfg` lines, Dockerfile
//! ENV/ARG/RUN, Helm template lines) and resolves overlaps so that one
//! credential gives one finding. Messages never contain a secret value:
//! they use [`crate::mask::mask`], and avoid common words such as
//! `password` (the reporters mask every occurrence of a secret value, and a
//! weak password is often that very word).

pub mod base64;
pub mod detect;
pub mod entropy;
pub mod keyed;
pub mod placeholder;
pub mod sources;
pub mod spans;

use crate::finding::Finding;
use crate::mask::mask;
use crate::source::{SourceFile, Span};

/// What a detector found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// PEM or OpenSSH private key block; the label (`RSA`, `OPENSSH`, ...).
    PrivateKey,
    AwsAccessKeyId,
    AwsSecretKey,
    GcpServiceAccount,
    AzureStorageKey,
    GitHubClassic,
    GitHubFineGrained,
    GitLabToken,
    SlackToken,
    SlackWebhook,
    TeamsWebhook,
    DiscordWebhook,
    Password,
    UriPassword,
    GenericToken,
}

impl Kind {
    /// The rule that reports this kind.
    pub fn rule(self) -> &'static str {
        match self {
            Kind::PrivateKey => "AFS001",
            Kind::AwsAccessKeyId
            | Kind::AwsSecretKey
            | Kind::GcpServiceAccount
            | Kind::AzureStorageKey => "AFS002",
            Kind::GitHubClassic | Kind::GitHubFineGrained | Kind::GitLabToken => "AFS003",
            Kind::SlackToken | Kind::SlackWebhook | Kind::TeamsWebhook | Kind::DiscordWebhook => {
                "AFS004"
            }
            Kind::Password => "AFS005",
            Kind::UriPassword => "AFS006",
            Kind::GenericToken => "AFS007",
        }
    }

    /// Lower is stronger: when two hits overlap, the stronger one is kept.
    fn priority(self) -> u8 {
        match self {
            Kind::GcpServiceAccount => 0,
            Kind::PrivateKey => 1,
            Kind::AwsAccessKeyId
            | Kind::AwsSecretKey
            | Kind::AzureStorageKey
            | Kind::GitHubClassic
            | Kind::GitHubFineGrained
            | Kind::GitLabToken
            | Kind::SlackToken
            | Kind::SlackWebhook
            | Kind::TeamsWebhook
            | Kind::DiscordWebhook => 2,
            Kind::UriPassword => 3,
            Kind::Password => 4,
            Kind::GenericToken => 5,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Kind::PrivateKey => "private key block",
            Kind::AwsAccessKeyId => "AWS access key ID",
            Kind::AwsSecretKey => "AWS secret access key",
            Kind::GcpServiceAccount => {
                "GCP service-account key (private_key of a service_account JSON key file)"
            }
            Kind::AzureStorageKey => {
                "Azure storage account key (AccountKey= of a connection string)"
            }
            Kind::GitHubClassic => "GitHub token",
            Kind::GitHubFineGrained => "GitHub fine-grained personal access token",
            Kind::GitLabToken => "GitLab token",
            Kind::SlackToken => "Slack token",
            Kind::SlackWebhook => "Slack incoming-webhook URL",
            Kind::TeamsWebhook => "Microsoft Teams incoming-webhook URL",
            Kind::DiscordWebhook => "Discord webhook URL",
            Kind::Password => "hard-coded credential",
            Kind::UriPassword => "URI with an embedded credential",
            Kind::GenericToken => "high-entropy secret value",
        }
    }
}

/// One detected secret, with its span in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: Kind,
    /// The secret value itself (what reporters must mask).
    pub span: Span,
    /// The key the value is assigned to, when known (for messages).
    pub key: Option<String>,
    /// A detail for the message (token type, placeholder note); never the value.
    pub note: Option<&'static str>,
}

impl Hit {
    pub fn new(kind: Kind, span: Span) -> Self {
        Hit {
            kind,
            span,
            key: None,
            note: None,
        }
    }
    pub fn rule(&self) -> &'static str {
        self.kind.rule()
    }

    /// The finding for this hit: the span is the secret, the message names
    /// the kind and the key and shows only the masked value.
    pub fn finding(&self, file: &SourceFile) -> Finding {
        let value = file.slice(self.span);
        let masked = mask(value);
        let what = self.kind.describe();
        let note = self.note.map(|n| format!(" ({n})")).unwrap_or_default();
        let message = match (&self.key, self.kind) {
            (Some(k), Kind::Password) => {
                format!(
                    "{what} `{masked}` for `{k}`{note}; reference a secret instead of writing it here"
                )
            }
            (Some(k), _) => format!("{what} `{masked}` assigned to `{k}`{note}"),
            (None, _) => format!("{what} `{masked}`{note}"),
        };
        let fix = match self.kind {
            Kind::Password | Kind::GenericToken | Kind::AwsSecretKey => {
                "Move the value to a Secret (or your secret manager) and reference it (secretKeyRef, `_cmd`/`_secret` options, build secrets); rotate it, since it has been committed."
            }
            Kind::UriPassword => {
                "Keep the credential out of the URI: build the URI from a Secret at runtime (environment variable from a Secret, Airflow `_secret`/`_cmd` option); rotate it."
            }
            _ => {
                "Revoke and rotate this credential, then load it from a Secret or secret manager instead of the file."
            }
        };
        Finding::new(self.span, message)
            .with_secret(self.span)
            .with_help(fix)
            // No bit of the value: a fingerprint must not let anyone test
            // guesses of the secret (the occurrence index tells apart two
            // secrets of one key in one file).
            .with_fingerprint(format!(
                "{}:{}",
                self.rule(),
                self.key.as_deref().unwrap_or("")
            ))
    }
}

/// FNV-1a, to fingerprint a secret without storing it.
pub fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Keeps one hit per credential: exact duplicates go, and of overlapping
/// hits the stronger kind wins (a GitHub token inside a URI is a GitHub
/// token; a private key inside a GCP key file is the GCP key). Sorted by
/// position.
pub fn resolve(hits: &mut Vec<Hit>) {
    if hits.len() < 2 {
        return;
    }
    hits.sort_by(|a, b| {
        a.kind
            .priority()
            .cmp(&b.kind.priority())
            .then(b.span.len().cmp(&a.span.len()))
            .then(a.span.cmp(&b.span))
    });
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits.drain(..) {
        let overlaps = kept.iter().any(|k| {
            k.span.start < h.span.end.max(h.span.start + 1)
                && h.span.start < k.span.end.max(k.span.start + 1)
        });
        if !overlaps {
            kept.push(h);
        }
    }
    kept.sort_by(|a, b| {
        a.span
            .cmp(&b.span)
            .then(a.kind.priority().cmp(&b.kind.priority()))
    });
    *hits = kept;
}
