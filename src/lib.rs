//! afcheck: a policy and security linter for Dockerfiles, Kubernetes
//! manifests, Helm values and Airflow configuration.
//!
//! The flow, one module per stage: [`engine::discover`] → [`classify`] →
//! parse ([`dockerfile`], [`yaml`], [`airflow`]) → model ([`k8s`],
//! [`dockerfile`], [`airflow`]) → [`rules`] → [`suppress`], [`config`],
//! [`report`].

pub mod airflow;
pub mod baseline;
pub mod classify;
pub mod cli;
pub mod config;
pub mod dockerfile;
pub mod engine;
pub mod finding;
pub mod fix;
pub mod k8s;
pub mod lint;
pub mod report;
pub mod rules;
pub mod safe_read;
pub mod secrets;
pub mod server;
pub mod source;
pub mod suppress;
pub mod yaml;

/// Where the rule documentation lives (SARIF `helpUri`, terminal links).
pub const REPO_URL: &str = "https://github.com/afcheck/afcheck";
