//! Airflow configuration: the `airflow.cfg` parser, the option tables, and
//! adapters that turn every source (cfg files, ConfigMaps, container env
//! vars, Helm values, Dockerfile ENV) into [`Setting`]s, which the AFC/AFH
//! rules judge through the per-deployment model in [`model`].

pub mod cfg;
pub mod compose;
pub mod docker;
pub mod gitops;
pub mod knowledge;
pub mod model;
pub mod sources;
#[rustfmt::skip]
pub mod tables;
pub mod tables_types;

pub use cfg::{CfgFile, parse_cfg};
pub use sources::{Setting, SourceKind, settings_of_cfg};

/// True when an INI text has a section Airflow knows (content sniffing for `*.cfg`).
pub fn looks_like_airflow_cfg(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        l.starts_with('[')
            && l.ends_with(']')
            && knowledge::is_known_section(l.trim_matches(|c| c == '[' || c == ']').trim())
    })
}
