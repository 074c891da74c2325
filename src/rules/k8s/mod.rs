//! AFK: Kubernetes manifests: the Pod Security Standards controls
//! (AFK001-AFK019, see `crate::k8s::psa`) and the workload, network, RBAC
//! and API checks (AFK020 on).

mod util;

mod afk001_host_namespaces;
mod afk002_privileged;
mod afk003_capabilities_baseline;
mod afk004_host_path_volumes;
mod afk005_host_ports;
mod afk006_apparmor_profile;
mod afk007_selinux_options;
mod afk008_proc_mount;
mod afk009_seccomp_baseline;
mod afk010_sysctls;
mod afk011_windows_host_process;
mod afk012_host_probes;
mod afk013_restricted_volumes;
mod afk014_allow_privilege_escalation;
mod afk015_run_as_non_root;
mod afk016_run_as_user;
mod afk017_seccomp_restricted;
mod afk018_capabilities_restricted;
mod afk019_proc_mount_restricted;
mod afk020_resources_unset;
mod afk021_read_only_root_filesystem;
mod afk022_image_tag_latest;
mod afk023_probes_missing;
mod afk024_probe_port_undeclared;
mod afk025_namespace_pod_security_label;
mod afk026_namespace_without_default_deny;
mod afk027_network_policy_allows_all;
mod afk028_deprecated_api_version;
mod afk029_secret_in_env_value;
mod afk030_secret_data_invalid;
mod afk031_automount_service_account_token;
mod afk032_container_runtime_socket;
mod afk033_ingress_without_tls;
mod afk034_rbac_wildcard_or_cluster_admin;
mod afk035_duplicate_env_var;

use super::Rule;

pub use afk001_host_namespaces::Afk001;
pub use afk002_privileged::Afk002;
pub use afk003_capabilities_baseline::Afk003;
pub use afk004_host_path_volumes::Afk004;
pub use afk005_host_ports::Afk005;
pub use afk006_apparmor_profile::Afk006;
pub use afk007_selinux_options::Afk007;
pub use afk008_proc_mount::Afk008;
pub use afk009_seccomp_baseline::Afk009;
pub use afk010_sysctls::Afk010;
pub use afk011_windows_host_process::Afk011;
pub use afk012_host_probes::Afk012;
pub use afk013_restricted_volumes::Afk013;
pub use afk014_allow_privilege_escalation::Afk014;
pub use afk015_run_as_non_root::Afk015;
pub use afk016_run_as_user::Afk016;
pub use afk017_seccomp_restricted::Afk017;
pub use afk018_capabilities_restricted::Afk018;
pub use afk019_proc_mount_restricted::Afk019;
pub use afk020_resources_unset::Afk020;
pub use afk021_read_only_root_filesystem::Afk021;
pub use afk022_image_tag_latest::Afk022;
pub use afk023_probes_missing::Afk023;
pub use afk024_probe_port_undeclared::Afk024;
pub use afk025_namespace_pod_security_label::Afk025;
pub use afk026_namespace_without_default_deny::Afk026;
pub use afk027_network_policy_allows_all::Afk027;
pub use afk028_deprecated_api_version::Afk028;
pub use afk029_secret_in_env_value::Afk029;
pub use afk030_secret_data_invalid::Afk030;
pub use afk031_automount_service_account_token::Afk031;
pub use afk032_container_runtime_socket::Afk032;
pub use afk033_ingress_without_tls::Afk033;
pub use afk034_rbac_wildcard_or_cluster_admin::Afk034;
pub use afk035_duplicate_env_var::Afk035;

pub static RULES: &[&dyn Rule] = &[
    &Afk001, &Afk002, &Afk003, &Afk004, &Afk005, &Afk006, &Afk007, &Afk008, &Afk009, &Afk010,
    &Afk011, &Afk012, &Afk013, &Afk014, &Afk015, &Afk016, &Afk017, &Afk018, &Afk019, &Afk020,
    &Afk021, &Afk022, &Afk023, &Afk024, &Afk025, &Afk026, &Afk027, &Afk028, &Afk029, &Afk030,
    &Afk031, &Afk032, &Afk033, &Afk034, &Afk035,
];
