//! AFD: Dockerfile rules (image-building practices of the seed guide).

mod afd001_base_image_tag_latest;
mod afd002_image_not_digest_pinned;
mod afd003_final_stage_runs_as_root;
mod afd004_user_by_name;
mod afd005_apt_no_install_recommends;
mod afd006_apt_lists_not_removed;
mod afd007_apt_update_alone;
mod afd008_install_without_yes;
mod afd009_pip_no_cache_dir;
mod afd010_unpinned_packages;
mod afd011_add_instead_of_copy;
mod afd012_add_url_without_checksum;
mod afd013_curl_pipe_shell;
mod afd014_pipe_without_pipefail;
mod afd015_sudo_in_run;
mod afd016_secret_in_env_or_arg;
mod afd017_copy_whole_context_or_secrets;
mod afd018_relative_workdir;
mod afd019_maintainer_deprecated;
mod afd020_multiple_cmd_or_entrypoint;
mod afd021_shell_form_cmd;
mod afd022_world_writable_permissions;
mod afd023_no_healthcheck;
mod afd024_eol_base_image;
mod afd025_airflow_without_constraints;
mod afd026_copy_from_unknown_stage;
mod afd027_dockerfile_syntax_error;
mod afd028_compose_privileged;
mod afd029_compose_host_namespaces;
mod afd030_compose_container_socket;
mod afd031_compose_runs_as_root;
mod afd032_compose_capabilities_added;
mod afd033_apk_cache_not_removed;
mod common;
mod compose;

use super::Rule;

pub use afd001_base_image_tag_latest::Afd001;
pub use afd002_image_not_digest_pinned::Afd002;
pub use afd003_final_stage_runs_as_root::Afd003;
pub use afd004_user_by_name::Afd004;
pub use afd005_apt_no_install_recommends::Afd005;
pub use afd006_apt_lists_not_removed::Afd006;
pub use afd007_apt_update_alone::Afd007;
pub use afd008_install_without_yes::Afd008;
pub use afd009_pip_no_cache_dir::Afd009;
pub use afd010_unpinned_packages::Afd010;
pub use afd011_add_instead_of_copy::Afd011;
pub use afd012_add_url_without_checksum::Afd012;
pub use afd013_curl_pipe_shell::Afd013;
pub use afd014_pipe_without_pipefail::Afd014;
pub use afd015_sudo_in_run::Afd015;
pub use afd016_secret_in_env_or_arg::Afd016;
pub use afd017_copy_whole_context_or_secrets::Afd017;
pub use afd018_relative_workdir::Afd018;
pub use afd019_maintainer_deprecated::Afd019;
pub use afd020_multiple_cmd_or_entrypoint::Afd020;
pub use afd021_shell_form_cmd::Afd021;
pub use afd022_world_writable_permissions::Afd022;
pub use afd023_no_healthcheck::Afd023;
pub use afd024_eol_base_image::Afd024;
pub use afd025_airflow_without_constraints::Afd025;
pub use afd026_copy_from_unknown_stage::Afd026;
pub use afd027_dockerfile_syntax_error::Afd027;
pub use afd028_compose_privileged::Afd028;
pub use afd029_compose_host_namespaces::Afd029;
pub use afd030_compose_container_socket::Afd030;
pub use afd031_compose_runs_as_root::Afd031;
pub use afd032_compose_capabilities_added::Afd032;
pub use afd033_apk_cache_not_removed::Afd033;

pub static RULES: &[&dyn Rule] = &[
    &Afd001, &Afd002, &Afd003, &Afd004, &Afd005, &Afd006, &Afd007, &Afd008, &Afd009, &Afd010,
    &Afd011, &Afd012, &Afd013, &Afd014, &Afd015, &Afd016, &Afd017, &Afd018, &Afd019, &Afd020,
    &Afd021, &Afd022, &Afd023, &Afd024, &Afd025, &Afd026, &Afd027, &Afd028, &Afd029, &Afd030,
    &Afd031, &Afd032, &Afd033,
];
