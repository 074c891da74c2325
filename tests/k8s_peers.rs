//! Peer equivalents of the Kubernetes and YAML rules (`equivalents:` in
//! `rules/k8s` and `rules/yaml`) name real checks of the peer tools (the
//! check lists in `reference/kubernetes`), and each mapping has been
//! reviewed for meaning: an equivalent reports the same problem (or a
//! subset or superset of it, noted below). A new mapping fails this test
//! until it is reviewed and added to `REVIEWED`.

use std::collections::BTreeSet;
use std::path::Path;

/// (rule, tool, check) pairs reviewed for meaning.
const REVIEWED: &[(&str, &str, &str)] = &[
    ("AFK001", "kube-linter", "host-network"),
    ("AFK001", "kube-linter", "host-pid"),
    ("AFK001", "kube-linter", "host-ipc"),
    ("AFK001", "checkov", "CKV_K8S_17"),
    ("AFK001", "checkov", "CKV_K8S_18"),
    ("AFK001", "checkov", "CKV_K8S_19"),
    ("AFK001", "polaris", "hostIPCSet"),
    ("AFK001", "polaris", "hostNetworkSet"),
    ("AFK001", "polaris", "hostPIDSet"),
    ("AFK002", "kube-linter", "privileged-container"),
    ("AFK002", "checkov", "CKV_K8S_16"),
    ("AFK002", "polaris", "runAsPrivileged"),
    (
        "AFK002",
        "kube-score",
        "container-security-context-privileged",
    ),
    // SYS_ADMIN is outside the baseline list: a subset of AFK003.
    ("AFK003", "checkov", "CKV_K8S_39"),
    // SYS_ADMIN, NET_ADMIN, ALL: all outside the baseline list.
    ("AFK003", "polaris", "dangerousCapabilities"),
    ("AFK004", "polaris", "hostPathSet"),
    ("AFK005", "checkov", "CKV_K8S_26"),
    ("AFK005", "polaris", "hostPortSet"),
    // The peers' procMount check is split between AFK008 (baseline) and
    // AFK019 (user-namespace pods at restricted): one suppression covers both.
    ("AFK008", "kube-linter", "unsafe-proc-mount"),
    ("AFK008", "polaris", "procMount"),
    ("AFK019", "kube-linter", "unsafe-proc-mount"),
    ("AFK019", "polaris", "procMount"),
    ("AFK010", "kube-linter", "unsafe-sysctls"),
    ("AFK011", "polaris", "hostProcess"),
    ("AFK014", "kube-linter", "privilege-escalation-container"),
    ("AFK014", "checkov", "CKV_K8S_20"),
    ("AFK014", "polaris", "privilegeEscalationAllowed"),
    ("AFK015", "kube-linter", "run-as-non-root"),
    ("AFK015", "checkov", "CKV_K8S_23"),
    ("AFK015", "polaris", "runAsRootAllowed"),
    // "seccomp profile is set": AFK017 (AFK009 only forbids Unconfined).
    ("AFK017", "checkov", "CKV_K8S_31"),
    ("AFK017", "kube-score", "container-seccomp-profile"),
    // NET_RAW not dropped implies ALL not dropped: a subset of AFK018.
    ("AFK018", "checkov", "CKV_K8S_28"),
    ("AFK018", "checkov", "CKV_K8S_37"),
    ("AFK018", "polaris", "insecureCapabilities"),
    ("AFK020", "kube-linter", "unset-cpu-requirements"),
    ("AFK020", "kube-linter", "unset-memory-requirements"),
    ("AFK020", "checkov", "CKV_K8S_10"),
    ("AFK020", "checkov", "CKV_K8S_11"),
    ("AFK020", "checkov", "CKV_K8S_12"),
    ("AFK020", "checkov", "CKV_K8S_13"),
    ("AFK020", "polaris", "cpuRequestsMissing"),
    ("AFK020", "polaris", "cpuLimitsMissing"),
    ("AFK020", "polaris", "memoryRequestsMissing"),
    ("AFK020", "polaris", "memoryLimitsMissing"),
    ("AFK020", "kube-score", "container-resources"),
    ("AFK021", "kube-linter", "no-read-only-root-fs"),
    ("AFK021", "checkov", "CKV_K8S_22"),
    ("AFK021", "polaris", "notReadOnlyRootFilesystem"),
    (
        "AFK021",
        "kube-score",
        "container-security-context-readonlyrootfilesystem",
    ),
    ("AFK022", "kube-linter", "latest-tag"),
    ("AFK022", "checkov", "CKV_K8S_14"),
    ("AFK022", "polaris", "tagNotSpecified"),
    ("AFK022", "kube-score", "container-image-tag"),
    // The peers report one missing probe; AFK023 reports both missing (a
    // subset of each).
    ("AFK023", "kube-linter", "no-liveness-probe"),
    ("AFK023", "kube-linter", "no-readiness-probe"),
    ("AFK023", "checkov", "CKV_K8S_8"),
    ("AFK023", "checkov", "CKV_K8S_9"),
    ("AFK023", "polaris", "livenessProbeMissing"),
    ("AFK023", "polaris", "readinessProbeMissing"),
    ("AFK024", "kube-linter", "liveness-port"),
    ("AFK024", "kube-linter", "readiness-port"),
    ("AFK024", "kube-linter", "startup-port"),
    ("AFK026", "kube-linter", "non-isolated-pod"),
    ("AFK026", "checkov", "CKV2_K8S_6"),
    ("AFK026", "polaris", "missingNetworkPolicy"),
    ("AFK026", "kube-score", "pod-networkpolicy"),
    // extensions/v1beta1 only: a subset of AFK028.
    ("AFK028", "kube-linter", "no-extensions-v1beta"),
    ("AFK028", "kube-score", "stable-version"),
    ("AFK029", "kube-linter", "env-var-secret"),
    ("AFK029", "polaris", "sensitiveContainerEnvVar"),
    ("AFK031", "checkov", "CKV_K8S_38"),
    ("AFK031", "polaris", "automountServiceAccountToken"),
    // docker.sock only: a subset of AFK032.
    ("AFK032", "kube-linter", "docker-sock"),
    ("AFK032", "checkov", "CKV_K8S_27"),
    ("AFK033", "polaris", "tlsSettingsMissing"),
    ("AFK034", "kube-linter", "wildcard-in-rules"),
    ("AFK034", "kube-linter", "cluster-admin-role-binding"),
    ("AFK034", "checkov", "CKV_K8S_49"),
    ("AFK034", "polaris", "clusterrolebindingClusterAdmin"),
    ("AFK034", "polaris", "rolebindingClusterAdminClusterRole"),
    ("AFK035", "kube-linter", "duplicate-env-var"),
    (
        "AFK035",
        "kube-score",
        "environment-variable-key-duplication",
    ),
    ("AFK036", "checkov", "CKV2_K8S_5"),
    ("AFK037", "checkov", "CKV_K8S_157"),
    ("AFK037", "checkov", "CKV_K8S_158"),
    ("AFK037", "checkov", "CKV2_K8S_3"),
    // CKV2_K8S_2 also covers nodes/proxy: AFK038 is the pods/exec part.
    ("AFK038", "checkov", "CKV2_K8S_2"),
    ("AFK038", "polaris", "clusterrolePodExecAttach"),
    ("AFK038", "polaris", "rolePodExecAttach"),
    ("AFK039", "checkov", "CKV_K8S_155"),
    ("AFK040", "checkov", "CKV_K8S_153"),
    ("AFK041", "kube-score", "pod-probes-identical"),
];

fn reference() -> std::path::PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/kubernetes");
    assert!(
        p.is_dir(),
        "{} is missing: run scripts/fetch-test-data.sh",
        p.display()
    );
    p
}

/// The check names of each peer tool, from the reference lists.
fn known(dir: &Path, tool: &str) -> BTreeSet<String> {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
    match tool {
        "kube-linter" => first_column(&read("kube-linter-checks.tsv")),
        "checkov" => first_column(&read("checkov-k8s-checks.tsv")),
        "polaris" => first_column(&read("polaris-checks.tsv")),
        "kube-score" => read("kube-score-checks.md")
            .lines()
            .filter_map(|l| l.strip_prefix("| "))
            .filter_map(|l| l.split(" |").next())
            .map(|s| s.trim().to_string())
            .collect(),
        _ => BTreeSet::new(),
    }
}

fn first_column(tsv: &str) -> BTreeSet<String> {
    tsv.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(String::from)
        .collect()
}

#[test]
fn kubernetes_peer_equivalents_exist_and_are_reviewed() {
    let mut mapped = Vec::new();
    for m in afcheck::rules::meta::all()
        .iter()
        .filter(|m| m.id.starts_with("AFK") || m.id.starts_with("AFY"))
    {
        let e = &m.equivalents;
        for (tool, ids) in [
            ("kube-linter", &e.kube_linter),
            ("checkov", &e.checkov),
            ("polaris", &e.polaris),
            ("kube-score", &e.kube_score),
        ] {
            for id in ids {
                mapped.push((m.id.clone(), tool, id.clone()));
            }
        }
        assert!(
            e.hadolint.is_empty() && e.gitleaks.is_empty(),
            "{}: Dockerfile or secret-scanner equivalents on a manifest rule",
            m.id
        );
    }
    assert!(mapped.len() > 80, "{}", mapped.len());
    let mut problems = Vec::new();
    for (rule, tool, id) in &mapped {
        if !REVIEWED.contains(&(rule.as_str(), tool, id.as_str())) {
            problems.push(format!("{rule}: {tool} {id} is not reviewed"));
        }
    }
    for (rule, tool, id) in REVIEWED {
        if !mapped.contains(&(rule.to_string(), tool, id.to_string())) {
            problems.push(format!("{rule}: reviewed {tool} {id} is no longer mapped"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every mapped check exists in the peer tool's check list.
#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/reference/kubernetes; run scripts/fetch-test-data.sh"
)]
fn kubernetes_peer_equivalents_name_real_checks() {
    let dir = reference();
    let mut problems = Vec::new();
    for (rule, tool, id) in REVIEWED {
        let names = known(&dir, tool);
        assert!(names.len() > 20, "{tool} check list is empty");
        if !names.contains(*id) {
            problems.push(format!("{rule}: {tool} has no check `{id}`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
