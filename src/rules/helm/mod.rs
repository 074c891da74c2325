//! AFH: the official Apache Airflow Helm chart's values (its own keys; the
//! `config:`/`env:` blocks are judged with the rest of the configuration by
//! the AFC rules).

mod afh001_helm_default_credentials;
mod afh002_helm_plaintext_secret;
mod afh003_helm_secret_key_unset;
mod afh004_helm_network_policies_disabled;
mod afh005_helm_component_without_resources;
mod afh006_helm_public_admin_role;
mod afh007_helm_bundled_postgresql;
mod afh008_helm_sqlite_or_sequential_executor;
mod common;

use super::Rule;

pub use afh001_helm_default_credentials::Afh001;
pub use afh002_helm_plaintext_secret::Afh002;
pub use afh003_helm_secret_key_unset::Afh003;
pub use afh004_helm_network_policies_disabled::Afh004;
pub use afh005_helm_component_without_resources::Afh005;
pub use afh006_helm_public_admin_role::Afh006;
pub use afh007_helm_bundled_postgresql::Afh007;
pub use afh008_helm_sqlite_or_sequential_executor::Afh008;

pub static RULES: &[&dyn Rule] = &[
    &Afh001, &Afh002, &Afh003, &Afh004, &Afh005, &Afh006, &Afh007, &Afh008,
];
