//! AFK: Kubernetes manifests: the Pod Security Standards controls
//! (AFK001-AFK019, see `crate::k8s::psa`) and the workload, network, RBAC
//! and API checks (AFK020 on).

mod ingress_v1;
mod sc;
mod util;

mod afk001_host_namespaces;
mod afk002_privileged_container;
mod afk003_capabilities_baseline;
mod afk004_host_path_volumes;
mod afk005_host_ports;
mod afk006_apparmor_profile;
mod afk007_selinux_options;
mod afk008_proc_mount;
mod afk009_seccomp_profile_baseline;
mod afk010_unsafe_sysctls;
mod afk011_windows_host_process;
mod afk012_host_probes_and_lifecycle;
mod afk013_restricted_volumes;
mod afk014_allow_privilege_escalation;
mod afk015_run_as_non_root;
mod afk016_run_as_user_root;
mod afk017_seccomp_profile_restricted;
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
mod afk036_rbac_read_all_secrets;
mod afk037_rbac_escalate_bind_impersonate;
mod afk038_rbac_pod_exec_attach;
mod afk039_rbac_admission_webhooks;
mod afk040_ingress_nginx_snippet_annotation;
mod afk041_identical_liveness_readiness_probes;
mod afk042_workload_wrong_type;

use super::Rule;

pub use afk001_host_namespaces::Afk001;
pub use afk002_privileged_container::Afk002;
pub use afk003_capabilities_baseline::Afk003;
pub use afk004_host_path_volumes::Afk004;
pub use afk005_host_ports::Afk005;
pub use afk006_apparmor_profile::Afk006;
pub use afk007_selinux_options::Afk007;
pub use afk008_proc_mount::Afk008;
pub use afk009_seccomp_profile_baseline::Afk009;
pub use afk010_unsafe_sysctls::Afk010;
pub use afk011_windows_host_process::Afk011;
pub use afk012_host_probes_and_lifecycle::Afk012;
pub use afk013_restricted_volumes::Afk013;
pub use afk014_allow_privilege_escalation::Afk014;
pub use afk015_run_as_non_root::Afk015;
pub use afk016_run_as_user_root::Afk016;
pub use afk017_seccomp_profile_restricted::Afk017;
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
pub use afk036_rbac_read_all_secrets::Afk036;
pub use afk037_rbac_escalate_bind_impersonate::Afk037;
pub use afk038_rbac_pod_exec_attach::Afk038;
pub use afk039_rbac_admission_webhooks::Afk039;
pub use afk040_ingress_nginx_snippet_annotation::Afk040;
pub use afk041_identical_liveness_readiness_probes::Afk041;
pub use afk042_workload_wrong_type::Afk042;

pub static RULES: &[&dyn Rule] = &[
    &Afk001, &Afk002, &Afk003, &Afk004, &Afk005, &Afk006, &Afk007, &Afk008, &Afk009, &Afk010,
    &Afk011, &Afk012, &Afk013, &Afk014, &Afk015, &Afk016, &Afk017, &Afk018, &Afk019, &Afk020,
    &Afk021, &Afk022, &Afk023, &Afk024, &Afk025, &Afk026, &Afk027, &Afk028, &Afk029, &Afk030,
    &Afk031, &Afk032, &Afk033, &Afk034, &Afk035, &Afk036, &Afk037, &Afk038, &Afk039, &Afk040,
    &Afk041, &Afk042,
];

#[cfg(test)]
mod tests {
    use crate::config::PssLevel;
    use crate::engine::{self, Input, Options, Run};
    use crate::finding::Severity;

    fn run_text(text: &str, opts: &Options) -> Run {
        let input = Input::Text {
            name: "<stdin>".into(),
            bytes: text.as_bytes().to_vec(),
        };
        engine::run(&[input], opts)
    }

    /// (rule, line, column) of every finding of the rules starting with `prefix`.
    fn found(run: &Run, prefix: &str) -> Vec<(&'static str, u32, u32)> {
        run.findings
            .iter()
            .filter(|f| f.rule.starts_with(prefix))
            .map(|f| {
                let p = run.file(f.file).position(f.span.start());
                (f.rule, p.line, p.column)
            })
            .collect()
    }

    const POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    ignore-check.kube-linter.io/no-read-only-root-fs: \"tmp is written\"
spec:
  hostPID: true
  containers:
    - name: app
      image: nginx:1.27
      env:
        - name: DB_PASSWORD
          value: hunter2-very-secret
";

    #[test]
    fn stdin_manifest_is_checked_with_exact_positions() {
        let run = run_text(POD, &Options::default());
        let got = found(&run, "AFK0");
        assert!(got.contains(&("AFK001", 8, 3)), "{got:?}");
        assert!(got.contains(&("AFK014", 10, 13)), "{got:?}");
        assert!(got.contains(&("AFK029", 14, 18)), "{got:?}");
    }

    #[test]
    fn kube_linter_annotation_suppresses_equivalent_rule() {
        let run = run_text(POD, &Options::default());
        assert!(found(&run, "AFK021").is_empty());
        let plain = POD.replace("ignore-check.kube-linter.io/no-read-only-root-fs", "note");
        let run = run_text(&plain, &Options::default());
        assert_eq!(found(&run, "AFK021"), vec![("AFK021", 10, 13)]);
    }

    #[test]
    fn restricted_controls_do_not_fire_at_baseline() {
        let mut opts = Options::default();
        opts.settings.pss = PssLevel::Baseline;
        let run = run_text(POD, &opts);
        assert!(
            found(&run, "AFK01").is_empty(),
            "{:?}",
            found(&run, "AFK01")
        );
        assert_eq!(found(&run, "AFK001"), vec![("AFK001", 8, 3)]);
    }

    #[test]
    fn secret_values_are_masked_and_marked() {
        let run = run_text(POD, &Options::default());
        let first = |run: &Run, rule: &str| {
            let f = run.findings.iter().find(|f| f.rule == rule);
            f.cloned().unwrap_or_else(|| panic!("no {rule}"))
        };
        let f = first(&run, "AFK029");
        assert!(!f.message.contains("hunter2"), "{}", f.message);
        assert_eq!(f.secrets.len(), 1);
        assert_eq!(run.file(f.file).slice(f.secrets[0]), "hunter2-very-secret");
        let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: <base64_encoded_password>\n";
        let run = run_text(secret, &Options::default());
        let f = first(&run, "AFK030");
        assert!(!f.message.contains("base64_encoded"), "{}", f.message);
        assert_eq!(
            run.file(f.file).slice(f.secrets[0]),
            "<base64_encoded_password>"
        );
    }

    #[test]
    fn deprecated_is_a_warning_and_removed_an_error() {
        let cron = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\n";
        let mut opts = Options::default();
        let sev = |opts: &Options| {
            let run = run_text(cron, opts);
            run.findings
                .iter()
                .find(|f| f.rule == "AFK028")
                .map(|f| f.severity)
        };
        opts.settings.k8s_minor = 20;
        assert_eq!(sev(&opts), None);
        opts.settings.k8s_minor = 24;
        assert_eq!(sev(&opts), Some(Severity::Warning));
        opts.settings.k8s_minor = 25;
        assert_eq!(sev(&opts), Some(Severity::Error));
    }

    #[test]
    fn cpu_limit_requirement_can_be_turned_off_alone() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: x:1\n      resources:\n        requests: {cpu: 100m, memory: 1Gi}\n";
        let msg = |opts: &Options| {
            run_text(pod, opts)
                .findings
                .iter()
                .filter(|f| f.rule == "AFK020")
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
        };
        let on = msg(&Options::default());
        assert_eq!(on.len(), 1);
        assert!(
            on[0].contains("limits.cpu") && on[0].contains("limits.memory"),
            "{on:?}"
        );
        let mut opts = Options::default();
        opts.settings.require_cpu_limits = false;
        let off = msg(&opts);
        assert_eq!(off.len(), 1);
        assert!(
            !off[0].contains("limits.cpu") && off[0].contains("limits.memory"),
            "{off:?}"
        );
    }

    #[test]
    fn network_policy_messages_name_the_open_direction() {
        let np = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {}\n  ingress:\n    - {}\n  egress:\n    - to:\n        - ipBlock: {cidr: 0.0.0.0/0}\n";
        let run = run_text(np, &Options::default());
        let msgs: Vec<&str> = run
            .findings
            .iter()
            .filter(|f| f.rule == "AFK027")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].contains("opens ingress to the selected pods from everything"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].contains("opens egress from the selected pods to every address"),
            "{}",
            msgs[1]
        );
    }

    #[test]
    fn undeclared_probe_ports_named_error_numbered_note() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: x:1\n      livenessProbe: {httpGet: {port: web}}\n      readinessProbe: {tcpSocket: {port: 8081}}\n";
        let run = run_text(pod, &Options::default());
        let sev: Vec<Severity> = run
            .findings
            .iter()
            .filter(|f| f.rule == "AFK024")
            .map(|f| f.severity)
            .collect();
        assert_eq!(sev, vec![Severity::Error, Severity::Note]);
    }

    #[test]
    fn custom_resources_are_skipped_quietly() {
        let cr = "\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  templates:
    - name: main
      container: {image: alpine, securityContext: {privileged: true}}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: m}
spec: {}
";
        let run = run_text(cr, &Options::default());
        assert!(run.findings.is_empty(), "{:?}", run.findings);
    }

    #[test]
    fn every_rule_has_metadata_and_pss_levels_match() {
        for r in super::RULES {
            let m =
                crate::meta::get(r.id()).unwrap_or_else(|| panic!("no metadata for {}", r.id()));
            assert_eq!(m.domain(), "k8s");
            match crate::k8s::psa::control(r.id()) {
                Some(c) => assert_eq!(m.pss_level.as_deref(), Some(c.level.as_str()), "{}", r.id()),
                None => assert!(m.pss_level.is_none(), "{}", r.id()),
            }
        }
        assert_eq!(super::RULES.len(), 42);
    }
}
