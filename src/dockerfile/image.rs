//! Image references and the facts rules need about well-known base images:
//! their default user and end-of-life dates.

/// The date the end-of-life table is evaluated against. Deterministic on
/// purpose: results do not change with the clock; update it with the table.
pub const EOL_AS_OF: &str = "2026-11-25";

/// Python end-of-life dates (python/devguide release-cycle.json).
pub const PYTHON_EOL: &[(&str, &str)] = &[
    ("2.7", "2020-01-01"),
    ("3.5", "2020-09-30"),
    ("3.6", "2021-12-23"),
    ("3.7", "2023-06-27"),
    ("3.8", "2024-10-07"),
    ("3.9", "2025-10-31"),
    ("3.10", "2026-10-31"),
    ("3.11", "2027-10-31"),
    ("3.12", "2028-10-31"),
    ("3.13", "2029-10-31"),
    ("3.14", "2030-10-31"),
];

/// Airflow major lines and their end of life (apache/airflow README).
pub const AIRFLOW_EOL: &[(&str, &str)] = &[("1", "2021-06-17"), ("2", "2026-04-22")];

/// A parsed image reference.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry host, when one is given (`docker.io` is dropped).
    pub registry: Option<String>,
    /// Repository path, lower case, without `library/` (`python`, `apache/airflow`).
    pub repo: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(s: &str) -> ImageRef {
        let s = s.trim();
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (s, None),
        };
        let slash = rest.rfind('/').map(|p| p + 1).unwrap_or(0);
        let (name, tag) = match rest[slash..].rfind(':') {
            Some(p) => (&rest[..slash + p], Some(rest[slash + p + 1..].to_string())),
            None => (rest, None),
        };
        let mut parts: Vec<&str> = name.split('/').collect();
        let mut registry = None;
        if parts.len() > 1
            && let Some(first) = parts.first()
            && (first.contains('.') || first.contains(':') || *first == "localhost")
        {
            registry = Some(first.to_ascii_lowercase());
            parts.remove(0);
        }
        if matches!(
            registry.as_deref(),
            Some("docker.io" | "index.docker.io" | "registry-1.docker.io")
        ) {
            registry = None;
        }
        if registry.is_none() && parts.len() == 2 && parts.first() == Some(&"library") {
            parts.remove(0);
        }
        ImageRef {
            registry,
            repo: parts.join("/").to_ascii_lowercase(),
            tag,
            digest,
        }
    }
    /// Docker Hub official image (`python`, `debian`).
    pub fn is_official(&self, name: &str) -> bool {
        self.registry.is_none() && self.repo == name
    }
    pub fn full_repo(&self) -> String {
        match &self.registry {
            Some(r) => format!("{r}/{}", self.repo),
            None => self.repo.clone(),
        }
    }
}

/// Official images are also published per architecture (`arm64v8/debian`).
const ARCH: &[&str] = &[
    "amd64/",
    "arm32v5/",
    "arm32v6/",
    "arm32v7/",
    "arm64v8/",
    "i386/",
    "ppc64le/",
    "s390x/",
    "riscv64/",
    "mips64le/",
    "armhf/",
    "armel/",
];

/// Who a base image runs as when no USER is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultUser {
    Root,
    /// A non-root user (description, for messages).
    NonRoot(&'static str),
    /// afcheck does not know this image's default user.
    Unknown,
}

/// Docker Hub official images whose image config sets a non-root USER.
const OFFICIAL_NON_ROOT: &[(&str, &str)] = &[
    ("elasticsearch", "uid 1000 (elasticsearch)"),
    ("kibana", "uid 1000 (kibana)"),
    ("logstash", "uid 1000 (logstash)"),
    ("sonarqube", "sonarqube"),
    ("solr", "uid 8983 (solr)"),
    ("jenkins", "jenkins"),
];

/// The default user of well-known images: Docker Hub official images run as
/// root (Docker's default when an image sets no USER) unless listed above;
/// a few vendor images are known either way; anything else is unknown.
pub fn default_user(img: &ImageRef) -> DefaultUser {
    let repo = img.repo.as_str();
    let tag = img.tag.as_deref().unwrap_or("latest");
    let reg = img.registry.as_deref().unwrap_or("");
    let hub = img.registry.is_none();
    // Official images, also through the common mirrors.
    let official = if hub && !repo.contains('/') {
        Some(repo)
    } else if hub && let Some(r) = ARCH.iter().find_map(|a| repo.strip_prefix(a)) {
        (!r.contains('/')).then_some(r)
    } else if reg == "public.ecr.aws" || reg == "mirror.gcr.io" {
        repo.strip_prefix("docker/library/")
            .or_else(|| repo.strip_prefix("library/"))
            .filter(|r| !r.contains('/'))
    } else {
        None
    };
    if let Some(name) = official {
        if name == "scratch" {
            return DefaultUser::Root;
        }
        return match OFFICIAL_NON_ROOT.iter().find(|(n, _)| *n == name) {
            Some((_, who)) => DefaultUser::NonRoot(who),
            None => DefaultUser::Root,
        };
    }
    // Airflow: the official image and Astronomer's runtime images.
    if hub && repo == "apache/airflow" {
        return DefaultUser::NonRoot("uid 50000 (airflow)");
    }
    if (reg == "quay.io" && repo == "astronomer/astro-runtime")
        || (reg == "astrocrpublic.azurecr.io" && repo == "runtime")
    {
        return DefaultUser::NonRoot("uid 50000 (astro)");
    }
    // Distroless: root unless a `nonroot` tag.
    if (reg == "gcr.io" && repo.starts_with("distroless/")) || reg == "distroless.dev" {
        if tag.contains("nonroot") {
            return DefaultUser::NonRoot("uid 65532 (nonroot)");
        }
        return DefaultUser::Root;
    }
    // Chainguard: non-root except the base images and the `-dev` variants.
    if reg == "cgr.dev" {
        if repo.ends_with("/wolfi-base") || repo.ends_with("/chainguard-base") {
            return DefaultUser::Root;
        }
        if tag.contains("dev") {
            return DefaultUser::Unknown;
        }
        return DefaultUser::NonRoot("uid 65532 (nonroot)");
    }
    // Elastic's own registry and Jenkins' image: the same non-root users as
    // the official images.
    if reg == "docker.elastic.co"
        && matches!(
            repo,
            "elasticsearch/elasticsearch" | "kibana/kibana" | "logstash/logstash"
        )
    {
        return DefaultUser::NonRoot("uid 1000");
    }
    if hub && repo == "jenkins/jenkins" {
        return DefaultUser::NonRoot("jenkins");
    }
    if hub && repo == "bitnami/minideb" {
        return DefaultUser::Root;
    }
    if hub && repo.starts_with("bitnami/") {
        return DefaultUser::NonRoot("uid 1001");
    }
    if (hub || reg == "quay.io") && repo.starts_with("jupyter/") {
        return DefaultUser::NonRoot("uid 1000 (jovyan)");
    }
    if repo.ends_with("nginx-unprivileged") {
        return DefaultUser::NonRoot("uid 101 (nginx)");
    }
    // Red Hat Universal Base Images (the OS images, not the language ones).
    if reg == "registry.access.redhat.com" || reg == "registry.redhat.io" {
        let last = repo.rsplit('/').next().unwrap_or(repo);
        if repo.starts_with("ubi")
            && matches!(
                last.split('-').next().unwrap_or(last),
                "ubi" | "ubi7" | "ubi8" | "ubi9" | "ubi10"
            )
        {
            return DefaultUser::Root;
        }
    }
    DefaultUser::Unknown
}

/// Is `/bin/bash` known to exist in this image? Docker Hub's Debian,
/// Ubuntu and RPM-distribution images, the language images built on
/// Debian (every variant but Alpine and Windows), and apache/airflow.
/// Anything else is not known (Alpine, BusyBox and distroless have none).
pub fn has_bash(img: &ImageRef) -> bool {
    let tag = img.tag.as_deref().unwrap_or("latest").to_ascii_lowercase();
    if img.registry.is_some() {
        return false;
    }
    let repo = ARCH
        .iter()
        .find_map(|a| img.repo.strip_prefix(a))
        .unwrap_or(&img.repo);
    let distro = matches!(
        repo,
        "debian"
            | "ubuntu"
            | "buildpack-deps"
            | "fedora"
            | "centos"
            | "rockylinux"
            | "almalinux"
            | "oraclelinux"
            | "amazonlinux"
            | "apache/airflow"
    );
    let debian_based = matches!(
        repo,
        "python" | "node" | "golang" | "ruby" | "rust" | "php" | "perl" | "openjdk"
    ) && !["alpine", "windows", "nanoserver", "servercore"]
        .iter()
        .any(|v| tag.contains(v));
    distro || debian_based
}

/// Windows base images (their default shell is `cmd`).
pub fn is_windows(image: &str) -> bool {
    let l = image.to_ascii_lowercase();
    l.contains("windows/servercore")
        || l.contains("windows/nanoserver")
        || l.contains("mcr.microsoft.com/windows")
        || l.contains("dotnet/framework")
        || l.contains("powershell:") && l.contains("nanoserver")
}

/// `3.9` from a tag like `3.9-slim`, `3.9.18-bookworm`, `2.7.0-python3.9`.
pub fn python_version_in_tag(tag: &str, airflow: bool) -> Option<String> {
    let s = if airflow {
        let p = tag.find("python")?;
        &tag[p + 6..]
    } else {
        tag
    };
    let mut it = s.split(|c: char| !c.is_ascii_digit());
    let major = it.next()?;
    let minor = it.next()?;
    if major.is_empty() || minor.is_empty() {
        return None;
    }
    // Require the form major.minor at the start.
    if !s.starts_with(&format!("{major}.{minor}")) {
        return None;
    }
    Some(format!("{major}.{minor}"))
}

/// End-of-life date of a Python `major.minor`, if it is past [`EOL_AS_OF`].
pub fn python_eol(ver: &str) -> Option<&'static str> {
    let (_, date) = PYTHON_EOL.iter().find(|(v, _)| *v == ver)?;
    if *date <= EOL_AS_OF {
        return Some(date);
    }
    None
}

/// Python versions older than every listed one (3.4 and below) are EOL too.
pub fn python_is_ancient(ver: &str) -> bool {
    let mut it = ver.split('.');
    let (Some(a), Some(b)) = (it.next(), it.next()) else {
        return false;
    };
    let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) else {
        return false;
    };
    a < 3 || (a == 3 && b < 5)
}

/// End-of-life date of the Airflow line of a version (`2.7.0` -> Airflow 2).
pub fn airflow_eol(version: &str) -> Option<&'static str> {
    let major = version.split('.').next()?;
    let (_, date) = AIRFLOW_EOL.iter().find(|(m, _)| *m == major)?;
    if *date <= EOL_AS_OF {
        return Some(date);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_refs() {
        let r = ImageRef::parse("docker.io/library/python:3.9-slim@sha256:abc");
        assert_eq!(r.repo, "python");
        assert_eq!(r.tag.as_deref(), Some("3.9-slim"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::parse("localhost:5000/team/app");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.repo, "team/app");
        assert_eq!(r.tag, None);
        assert_eq!(
            default_user(&ImageRef::parse("apache/airflow:2.9.0")),
            DefaultUser::NonRoot("uid 50000 (airflow)")
        );
        assert_eq!(
            default_user(&ImageRef::parse("python:3.12")),
            DefaultUser::Root
        );
        for (image, want) in [
            ("gcr.io/distroless/python3:nonroot", "nonroot"),
            ("gcr.io/distroless/static-debian12:debug-nonroot", "nonroot"),
            ("gcr.io/distroless/static-debian12", "root"),
            ("quay.io/astronomer/astro-runtime:12.1.0", "nonroot"),
            ("astrocrpublic.azurecr.io/runtime:3.0-1", "nonroot"),
            ("cgr.dev/chainguard/python:latest", "nonroot"),
            ("cgr.dev/chainguard/wolfi-base", "root"),
            ("cgr.dev/chainguard/python:latest-dev", "unknown"),
            ("public.ecr.aws/docker/library/python:3.12", "root"),
            ("elasticsearch:8.15.0", "nonroot"),
            ("registry.access.redhat.com/ubi9/ubi-minimal", "root"),
            ("registry.access.redhat.com/ubi9/python-312", "unknown"),
            ("bitnami/minideb", "root"),
            ("arm32v7/alpine:3", "root"),
            (
                "docker.elastic.co/elasticsearch/elasticsearch:8.15.0",
                "nonroot",
            ),
            ("jenkins/jenkins:lts", "nonroot"),
            ("bitnami/spark:3.5", "nonroot"),
            ("ghcr.io/acme/app:1", "unknown"),
            ("acme/app:1", "unknown"),
        ] {
            let got = match default_user(&ImageRef::parse(image)) {
                DefaultUser::Root => "root",
                DefaultUser::NonRoot(_) => "nonroot",
                DefaultUser::Unknown => "unknown",
            };
            assert_eq!(got, want, "{image}");
        }
    }

    #[test]
    fn eol_facts() {
        assert_eq!(
            python_version_in_tag("2.7.0-python3.9", true).as_deref(),
            Some("3.9")
        );
        assert_eq!(
            python_version_in_tag("3.9-slim", false).as_deref(),
            Some("3.9")
        );
        assert_eq!(python_version_in_tag("slim", false), None);
        assert_eq!(python_eol("3.9"), Some("2025-10-31"));
        assert_eq!(python_eol("3.12"), None);
        assert_eq!(airflow_eol("2.7.0"), Some("2026-04-22"));
        assert_eq!(airflow_eol("3.1.0"), None);
    }
}
