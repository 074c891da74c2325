//! AFC: Airflow configuration, judged across every source (airflow.cfg,
//! ConfigMaps, env vars, Dockerfile ENV, Helm values) per deployment.

mod afc001_airflow_option_removed;
mod afc002_airflow_option_renamed;
mod afc003_airflow_unknown_option;
mod afc004_airflow_invalid_value;
mod afc005_airflow_key_not_lower_case;
mod afc006_airflow_cfg_duplicate;
mod afc007_airflow_percent_interpolation;
mod afc008_airflow_inline_credentials;
mod afc009_airflow_fernet_key;
mod afc010_airflow_secret_key;
mod afc011_airflow_expose_config;
mod afc012_airflow_api_auth_disabled;
mod afc013_airflow_xcom_pickling;
mod afc014_airflow_load_examples;
mod afc015_airflow_cookie_not_secure;
mod afc016_airflow_cors_wildcard;
mod afc017_airflow_test_connection_enabled;
mod afc018_airflow_cmd_secret_unsupported;
mod afc019_airflow_conflicting_values;
mod afc020_airflow_experimental_api;
mod afc021_airflow_load_default_connections;
mod afc022_airflow_dags_unpaused_at_creation;
mod afc023_airflow_exposure_warning_off;
mod afc024_airflow_deserialization_allowlist;
mod afc025_airflow_x_frame_enabled;
mod afc026_airflow_info_leak;
mod afc027_airflow_raw_html;
mod afc028_airflow_masking_disabled;
mod afc029_airflow_simple_auth_all_admins;
mod afc030_airflow_public_role;
mod afc031_airflow_auth_rate_limit_off;
mod afc032_airflow_k8s_verify_ssl_off;
mod afc033_airflow_unit_test_mode;
mod afc034_airflow_proxy_fix;
mod afc035_airflow_www_user_default_password;
mod afc036_airflow_default_changed;
mod common;
mod edits;
mod versioned;

use super::Rule;

pub use afc001_airflow_option_removed::Afc001;
pub use afc002_airflow_option_renamed::Afc002;
pub use afc003_airflow_unknown_option::Afc003;
pub use afc004_airflow_invalid_value::Afc004;
pub use afc005_airflow_key_not_lower_case::Afc005;
pub use afc006_airflow_cfg_duplicate::Afc006;
pub use afc007_airflow_percent_interpolation::Afc007;
pub use afc008_airflow_inline_credentials::Afc008;
pub use afc009_airflow_fernet_key::Afc009;
pub use afc010_airflow_secret_key::Afc010;
pub use afc011_airflow_expose_config::Afc011;
pub use afc012_airflow_api_auth_disabled::Afc012;
pub use afc013_airflow_xcom_pickling::Afc013;
pub use afc014_airflow_load_examples::Afc014;
pub use afc015_airflow_cookie_not_secure::Afc015;
pub use afc016_airflow_cors_wildcard::Afc016;
pub use afc017_airflow_test_connection_enabled::Afc017;
pub use afc018_airflow_cmd_secret_unsupported::Afc018;
pub use afc019_airflow_conflicting_values::Afc019;
pub use afc020_airflow_experimental_api::Afc020;
pub use afc021_airflow_load_default_connections::Afc021;
pub use afc022_airflow_dags_unpaused_at_creation::Afc022;
pub use afc023_airflow_exposure_warning_off::Afc023;
pub use afc024_airflow_deserialization_allowlist::Afc024;
pub use afc025_airflow_x_frame_enabled::Afc025;
pub use afc026_airflow_info_leak::Afc026;
pub use afc027_airflow_raw_html::Afc027;
pub use afc028_airflow_masking_disabled::Afc028;
pub use afc029_airflow_simple_auth_all_admins::Afc029;
pub use afc030_airflow_public_role::Afc030;
pub use afc031_airflow_auth_rate_limit_off::Afc031;
pub use afc032_airflow_k8s_verify_ssl_off::Afc032;
pub use afc033_airflow_unit_test_mode::Afc033;
pub use afc034_airflow_proxy_fix::Afc034;
pub use afc035_airflow_www_user_default_password::Afc035;
pub use afc036_airflow_default_changed::Afc036;

pub static RULES: &[&dyn Rule] = &[
    &Afc001, &Afc002, &Afc003, &Afc004, &Afc005, &Afc006, &Afc007, &Afc008, &Afc009, &Afc010,
    &Afc011, &Afc012, &Afc013, &Afc014, &Afc015, &Afc016, &Afc017, &Afc018, &Afc019, &Afc020,
    &Afc021, &Afc022, &Afc023, &Afc024, &Afc025, &Afc026, &Afc027, &Afc028, &Afc029, &Afc030,
    &Afc031, &Afc032, &Afc033, &Afc034, &Afc035, &Afc036,
];

/// Where each insecure setting of the reference
/// (airflow-security-settings.json) is checked.
pub static SECURITY_RULES: &[(&str, &str)] = &[
    ("fernet-key-empty", "AFC009"),
    ("fernet-key-plaintext", "AFC009"),
    ("secret-key-insecure", "AFC010"),
    ("internal-api-secret-key", "AFC008"),
    ("jwt-secret", "AFC008"),
    ("expose-config", "AFC011"),
    ("api-auth-backend-default", "AFC012"),
    ("experimental-api", "AFC020"),
    ("xcom-pickling", "AFC013"),
    ("cookie-secure", "AFC015"),
    ("cors-wildcard", "AFC016"),
    ("load-examples", "AFC014"),
    ("load-default-connections", "AFC021"),
    ("db-conn-inline-password", "AFC008"),
    ("celery-urls-inline-password", "AFC008"),
    ("rbac-removed", "AFC001"),
    ("dags-paused-at-creation", "AFC022"),
    ("warn-deployment-exposure", "AFC023"),
    ("deserialization-allowlist", "AFC024"),
    ("test-connection", "AFC017"),
    ("proxy-fix", "AFC034"),
    ("x-frame", "AFC025"),
    ("info-leaks", "AFC026"),
    ("html-injection", "AFC027"),
    ("masking-disabled", "AFC028"),
    ("simple-auth-manager", "AFC029"),
    ("anonymous-role", "AFC030"),
    ("auth-rate-limit", "AFC031"),
    ("k8s-verify-ssl", "AFC032"),
    ("plaintext-kwargs", "AFC008"),
    ("smtp-password", "AFC008"),
    ("unit-test-mode", "AFC033"),
    ("cmd-secret-on-non-sensitive", "AFC018"),
];
