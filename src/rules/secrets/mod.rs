//! AFS: secrets in any artifact. The detectors live in [`crate::secrets`];
//! a file is scanned once (the first AFS rule to run on it) and each rule
//! reports the hits of its kind. Every finding marks the secret's span with
//! `with_secret` and shows only a masked value.

use crate::rules::Findings;

/// A detector rule: reports the file's secret hits of its kind (one line
/// per rule file, the ID written once).
macro_rules! detector_rule {
    ($name:ident, $id:literal) => {
        crate::rule!($name, $id, {
            fn check_file(
                &self,
                cx: &crate::rules::FileCx<'_>,
                out: &mut crate::rules::Findings<'_>,
            ) {
                super::report(Self::ID, cx, out);
            }
        });
    };
}

mod afs001_private_key;
mod afs002_cloud_credentials;
mod afs003_source_host_token;
mod afs004_chat_token_webhook;
mod afs005_literal_password;
mod afs006_uri_credentials;
mod afs007_high_entropy_secret;

use super::{FileCx, Rule};

pub use afs001_private_key::Afs001;
pub use afs002_cloud_credentials::Afs002;
pub use afs003_source_host_token::Afs003;
pub use afs004_chat_token_webhook::Afs004;
pub use afs005_literal_password::Afs005;
pub use afs006_uri_credentials::Afs006;
pub use afs007_high_entropy_secret::Afs007;

/// Reports the file's secret hits that belong to `rule`.
fn report(rule: &'static str, cx: &FileCx<'_>, out: &mut Findings<'_>) {
    let hits = crate::secrets::sources::file_hits(cx.analyzed);
    out.extend(
        hits.iter()
            .filter(|h| h.rule() == rule)
            .map(|h| h.finding(cx.file)),
    );
}

pub static RULES: &[&dyn Rule] = &[
    &Afs001, &Afs002, &Afs003, &Afs004, &Afs005, &Afs006, &Afs007,
];
