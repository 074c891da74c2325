//! Configuration loading and merging: the `.afcheck.yaml` a run uses, and
//! the overrides on top of it (the CLI's flags, an editor's settings),
//! checked and merged into the engine's [`Options`]. The CLI and the
//! language server call the same functions, so both accept and refuse the
//! same configurations with the same messages.

use std::collections::BTreeMap;

use crate::config::{self, Config, ConfigSource, FailOn, Overrides, PssLevel, parse_k8s_version};
use crate::engine::Options;
use crate::finding::Severity;
use crate::rules::meta;

/// The settings of a run: the engine's options (the configuration file
/// as read is `options.config`, its path `options.config.path`) and when
/// the run fails.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub options: Options,
    pub fail_on: FailOn,
}

/// Reads the configuration `source` names and merges `overrides` into it
/// (see [`resolve`]).
pub fn load_settings(source: &ConfigSource, overrides: &Overrides) -> Result<Resolved, String> {
    let config = Config::from_source(source, overrides.follow_symlinks)?;
    resolve(config, overrides)
}

/// The settings for a workspace or scan root: the nearest `.afcheck.yaml`
/// from `root` upward (as the CLI finds it from its current directory),
/// with `overrides` merged in.
pub fn load_settings_for(
    root: &std::path::Path,
    overrides: &Overrides,
) -> Result<Resolved, String> {
    load_settings(&ConfigSource::Discover(root.to_path_buf()), overrides)
}

/// The IDs of every rule with metadata.
pub fn rule_ids() -> Vec<&'static str> {
    meta::all().iter().map(|m| m.id.as_str()).collect()
}

/// `; did you mean `X`?` for the rule ID, name or prefix nearest to
/// `input`, or nothing.
pub fn rule_hint(input: &str) -> String {
    let metas = meta::all();
    let ids: Vec<&str> = metas.iter().map(|m| m.id.as_str()).collect();
    let names: Vec<&str> = metas.iter().map(|m| m.name.as_str()).collect();
    config::suggest_rule(input, &ids)
        .or_else(|| config::nearest(input, &names).map(String::from))
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

/// Checks the configuration's rule references and `overrides`, and merges
/// them into the engine's options: an override wins over the file, the
/// file over the defaults. Errors are one line (the CLI prints them and
/// exits 2), in this order: the file's rule references, `--severity`,
/// `--k8s-version`, `--pss`, the Airflow version, `--max-file-size`,
/// `--select`/`--ignore`.
pub fn resolve(mut config: Config, overrides: &Overrides) -> Result<Resolved, String> {
    let ids = rule_ids();
    config.resolve_rules(&ids).map_err(|e| match &config.path {
        Some(p) => format!("{}: {e}", p.display()),
        None => e,
    })?;
    // `--severity ID=LEVEL` overrides the configuration file.
    let mut cli_severity = BTreeMap::new();
    for entry in &overrides.severity {
        let (id, level) = entry
            .split_once('=')
            .ok_or_else(|| format!("--severity takes ID=LEVEL, not `{entry}`"))?;
        let sev = Severity::parse(level.trim()).ok_or_else(|| {
            format!("--severity {entry}: the level must be error, warning or note")
        })?;
        cli_severity.insert(id.trim().to_string(), sev);
    }
    config::expand_severity(&cli_severity, &ids, &mut config.severity)
        .map_err(|e| format!("--severity: {e}"))?;

    let mut opts = Options {
        config: config.clone(),
        select: overrides.select.clone(),
        ignore: overrides.ignore.clone(),
        follow_symlinks: overrides.follow_symlinks,
        ..Options::default()
    };
    let s = &mut opts.settings;
    if let Some(v) = &overrides.k8s_version {
        s.k8s_minor = parse_k8s_version(v)
            .ok_or_else(|| format!("--k8s-version: {}", config::k8s_version_error(v)))?;
    } else if let Some(v) = config.kubernetes_version {
        s.k8s_minor = v;
    }
    if let Some(p) = &overrides.pss {
        s.pss = PssLevel::parse(p)
            .ok_or_else(|| format!("--pss must be baseline or restricted, not `{p}`"))?;
    } else if let Some(p) = config.pss_level {
        s.pss = p;
    }
    s.airflow_version = overrides
        .airflow_version
        .clone()
        .or(config.airflow_version.clone());
    if let Some(v) = &s.airflow_version {
        let from = if overrides.airflow_version.is_some() {
            "--airflow-version"
        } else {
            "`airflow-version` in the configuration"
        };
        crate::airflow::knowledge::check_version(v).map_err(|e| format!("{from}: {e}"))?;
    }
    s.trusted_registries = config.trusted_registries.clone();
    s.require_cpu_limits = config.require_cpu_limits.unwrap_or(true);
    if let Some(m) = &overrides.max_file_size {
        opts.max_file_size =
            config::parse_size(m).ok_or_else(|| format!("--max-file-size: bad size `{m}`"))?;
    } else if let Some(m) = config.max_file_size {
        opts.max_file_size = m;
    }
    for f in overrides.select.iter().chain(&overrides.ignore) {
        let up = f.trim().to_ascii_uppercase();
        if up.is_empty() || !ids.iter().any(|id| id.starts_with(&up)) {
            return Err(format!(
                "--select/--ignore: `{f}` matches no rule{}",
                rule_hint(f)
            ));
        }
    }
    let fail_on = match overrides.fail_on {
        Some(f) => f,
        None => match config.fail_on.as_deref() {
            Some(s) => FailOn::parse(s).ok_or_else(|| format!("bad fail-on `{s}`"))?,
            None => FailOn::Error,
        },
    };
    Ok(Resolved {
        options: opts,
        fail_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_win_over_the_file() {
        let c = Config::parse(
            "kubernetes-version: \"1.24\"\npss-level: baseline\nfail-on: warning\nseverity:\n  AFK: note\n",
        )
        .unwrap();
        let r = resolve(c.clone(), &Overrides::default()).unwrap();
        assert_eq!(r.options.settings.k8s_minor, 24);
        assert_eq!(r.options.settings.pss, PssLevel::Baseline);
        assert_eq!(r.fail_on, FailOn::Warning);
        assert_eq!(
            r.options.config.severity.get("AFK015"),
            Some(&Severity::Note)
        );
        let o = Overrides {
            k8s_version: Some("1.30".into()),
            pss: Some("restricted".into()),
            fail_on: Some(FailOn::Never),
            severity: vec!["AFK015=error".into()],
            ..Overrides::default()
        };
        let r = resolve(c, &o).unwrap();
        assert_eq!(r.options.settings.k8s_minor, 30);
        assert_eq!(r.options.settings.pss, PssLevel::Restricted);
        assert_eq!(r.fail_on, FailOn::Never);
        assert_eq!(
            r.options.config.severity.get("AFK015"),
            Some(&Severity::Error)
        );
        assert_eq!(
            r.options.config.severity.get("AFK014"),
            Some(&Severity::Note)
        );
    }

    #[test]
    fn errors_name_the_file_or_the_flag() {
        let src = ConfigSource::Text {
            path: "ws/.afcheck.yaml".into(),
            text: "select: [AFQ]\n".into(),
        };
        let e = load_settings(&src, &Overrides::default()).unwrap_err();
        assert!(
            e.starts_with("ws/.afcheck.yaml: select: `AFQ` matches no rule"),
            "{e}"
        );
        let o = Overrides {
            select: vec!["AFK9".into()],
            ..Overrides::default()
        };
        let e = resolve(Config::default(), &o).unwrap_err();
        assert!(
            e.starts_with("--select/--ignore: `AFK9` matches no rule"),
            "{e}"
        );
        let e = load_settings(
            &ConfigSource::File("/nonexistent/.afcheck.yaml".into()),
            &Overrides::default(),
        )
        .unwrap_err();
        assert_eq!(e, "config file /nonexistent/.afcheck.yaml does not exist");
    }
}
