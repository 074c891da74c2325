use super::common::{airflow_values, is_set};
use crate::airflow::knowledge::Version;
use crate::airflow::model;
use crate::finding::Finding;
use crate::rules::ProjectCx;
use crate::source::Span;

crate::rule!(Afh003, "AFH003", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Vec<Finding>) {
        let groups = model::groups(cx.files, cx.settings);
        for (i, af) in cx.files.iter().enumerate() {
            let Some(root) = airflow_values(af) else {
                continue;
            };
            // The target version of this values file's own group.
            let version = groups
                .iter()
                .find(|g| g.root_file == i as u32 && g.key.ends_with('#'))
                .map(|g| g.version)
                .or(cx
                    .settings
                    .airflow_version
                    .as_deref()
                    .and_then(Version::parse))
                .unwrap_or_else(Version::newest);
            let (key, name) = if version.is3() {
                ("apiSecretKey", "apiSecretKeySecretName")
            } else {
                ("webserverSecretKey", "webserverSecretKeySecretName")
            };
            if is_set(root.get(key)) || is_set(root.get(name)) {
                continue;
            }
            let span = root
                .entries()
                .next()
                .map(|(k, _)| k.span())
                .unwrap_or(Span::empty(0));
            out.push(
                Finding::new("AFH003", span, format!("neither `{key}` nor `{name}` is set (Airflow {version}): the chart generates a new secret key on every upgrade, logging users out and breaking log fetching while pods roll"))
                    .with_fix(format!("Create a Secret holding a random key and set `{name}`."))
                    .in_file(i as u32),
            );
        }
    }
});
