//! Pod Security Standards: which control (AFK001-AFK019) applies at which
//! level and Kubernetes version, as pod-security-admission defines them.
//!
//! A control applies when its level is at or below the target level and the
//! target version is at or above the control's first version. A stricter
//! level adds checks and never demotes a more basic one: at the restricted
//! level every baseline control is still reported as itself (at its own
//! severity). pod-security-admission lets four restricted controls replace
//! ("override") a baseline control; afcheck instead keeps the baseline
//! control and lets the restricted one report only what the baseline one
//! does not (`Control::extends`): hostPath stays AFK004, `Unconfined`
//! seccomp AFK009, an added SYS_ADMIN AFK003, an `Unmasked` procMount AFK008.
//! The set of pods rejected at each level is unchanged.
//!
//! Reading manifests rather than admitted objects, a few choices follow
//! the API server's decoding and defaulting:
//! - a field counts as set when present and not null (a Go pointer that is
//!   non-nil); `key: null` is unset;
//! - booleans are YAML 1.1 as Kubernetes decodes them (`yes`/`on` are
//!   true); a quoted `"true"` is not a boolean (the API server rejects it);
//! - a volume with no source is defaulted to emptyDir by the API server, so
//!   restrictedVolumes does not report it;
//! - before 1.19, per-container seccomp annotations are matched by
//!   container name; from 1.19 the annotations are ignored;
//! - an `appArmorProfile` or `seccompProfile` that is set without a valid
//!   `type` fails, as in pod-security-admission;
//! - Windows exemptions (1.25+) read `spec.os.name: windows`; user-namespace
//!   exemptions (1.35+) read `spec.hostUsers: false`;
//! - names (capabilities, profile types) compare case-sensitively.

use crate::config::{PssLevel, Settings};

/// One control's applicability.
#[derive(Clone, Copy, Debug)]
pub struct Control {
    pub rule: &'static str,
    /// The pod-security-admission check ID.
    pub check: &'static str,
    pub level: PssLevel,
    /// First Kubernetes minor version the control exists in.
    pub since: u32,
    /// For restricted controls: the baseline control whose violations it
    /// leaves to that control (it reports only the stricter remainder).
    pub extends: Option<&'static str>,
}

const fn c(
    rule: &'static str,
    check: &'static str,
    level: PssLevel,
    since: u32,
    extends: Option<&'static str>,
) -> Control {
    Control {
        rule,
        check,
        level,
        since,
        extends,
    }
}

use PssLevel::{Baseline as B, Restricted as R};

pub const CONTROLS: &[Control] = &[
    c("AFK001", "hostNamespaces", B, 0, None),
    c("AFK002", "privileged", B, 0, None),
    c("AFK003", "capabilities_baseline", B, 0, None),
    c("AFK004", "hostPathVolumes", B, 0, None),
    c("AFK005", "hostPorts", B, 0, None),
    c("AFK006", "appArmorProfile", B, 0, None),
    c("AFK007", "seLinuxOptions", B, 0, None),
    c("AFK008", "procMount", B, 0, None),
    c("AFK009", "seccompProfile_baseline", B, 0, None),
    c("AFK010", "sysctls", B, 0, None),
    c("AFK011", "windowsHostProcess", B, 0, None),
    c("AFK012", "hostProbesAndHostLifecycle", B, 34, None),
    c("AFK013", "restrictedVolumes", R, 0, Some("AFK004")),
    c("AFK014", "allowPrivilegeEscalation", R, 8, None),
    c("AFK015", "runAsNonRoot", R, 0, None),
    c("AFK016", "runAsUser", R, 23, None),
    c("AFK017", "seccompProfile_restricted", R, 19, Some("AFK009")),
    c("AFK018", "capabilities_restricted", R, 22, Some("AFK003")),
    c("AFK019", "procMount_restricted", R, 35, Some("AFK008")),
];

pub fn control(rule: &str) -> Option<&'static Control> {
    CONTROLS.iter().find(|c| c.rule == rule)
}

/// Does the control `rule` apply for these settings? Every control of the
/// target level and below applies from its first version on: the restricted
/// level never turns a baseline control off.
pub fn active(rule: &str, s: &Settings) -> bool {
    let Some(c) = control(rule) else { return false };
    s.pss >= c.level && s.k8s_minor >= c.since
}

/// Capabilities the baseline level allows containers to add.
pub const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Sysctls the baseline level allows, with the version that allowed them.
pub const SAFE_SYSCTLS: &[(&str, u32)] = &[
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
    ("net.ipv4.tcp_slow_start_after_idle", 37),
    ("net.ipv4.tcp_notsent_lowat", 37),
];

pub fn sysctl_allowed(name: &str, minor: u32) -> bool {
    SAFE_SYSCTLS.iter().any(|&(n, v)| n == name && minor >= v)
}

/// SELinux types the baseline level allows (`""` included).
pub fn selinux_type_allowed(t: &str, minor: u32) -> bool {
    matches!(
        t,
        "" | "container_t" | "container_init_t" | "container_kvm_t"
    ) || (t == "container_engine_t" && minor >= 31)
}

/// Volume sources the restricted level allows.
pub const RESTRICTED_VOLUME_SOURCES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// Seccomp profile types accepted by both levels.
pub fn seccomp_type_ok(t: Option<&str>) -> bool {
    matches!(t, Some("RuntimeDefault") | Some("Localhost"))
}

/// Seccomp annotation values (before 1.19) accepted by the baseline level.
pub fn seccomp_annotation_ok(v: &str) -> bool {
    v == "runtime/default" || v == "docker/default" || v.starts_with("localhost/")
}

/// AppArmor annotation values accepted by the baseline level.
pub fn apparmor_annotation_ok(v: &str) -> bool {
    v.is_empty() || v == "runtime/default" || v.starts_with("localhost/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(pss: PssLevel, minor: u32) -> Settings {
        Settings {
            pss,
            k8s_minor: minor,
            ..Settings::default()
        }
    }

    #[test]
    fn gating_follows_level_version_and_overrides() {
        assert!(active("AFK004", &s(B, 30)));
        // The restricted level never turns a baseline control off.
        for rule in ["AFK003", "AFK004", "AFK008", "AFK009"] {
            for minor in [0, 19, 22, 35, 37] {
                assert!(active(rule, &s(R, minor)), "{rule} 1.{minor}");
            }
        }
        assert!(active("AFK013", &s(R, 30)));
        assert!(!active("AFK013", &s(B, 30)));
        assert!(active("AFK018", &s(R, 22)));
        assert!(!active("AFK018", &s(R, 21)));
        assert!(!active("AFK012", &s(B, 33)));
        assert!(active("AFK012", &s(B, 34)));
        assert!(!active("AFK016", &s(R, 22)));
        assert!(active("AFK019", &s(R, 35)));
        assert_eq!(control("AFK013").and_then(|c| c.extends), Some("AFK004"));
        assert!(!active("AFK014", &s(R, 7)));
        assert_eq!(CONTROLS.len(), 19);
    }

    #[test]
    fn versioned_allow_lists() {
        assert!(!sysctl_allowed("net.ipv4.tcp_rmem", 31));
        assert!(sysctl_allowed("net.ipv4.tcp_rmem", 32));
        assert!(!selinux_type_allowed("container_engine_t", 30));
        assert!(selinux_type_allowed("container_engine_t", 31));
        assert!(!seccomp_annotation_ok("unconfined"));
        assert!(apparmor_annotation_ok("localhost/x"));
    }
}
