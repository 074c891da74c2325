use super::common::{airflow_values, is_set};
use crate::airflow::knowledge::Version;
use crate::airflow::sources::Marker;
use crate::finding::Finding;
use crate::rules::FileCx;
use crate::source::Span;

crate::rule!(Afh003, "AFH003", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let Some(root) = airflow_values(cx) else {
            return;
        };
        let version = cx
            .settings
            .airflow_version
            .as_deref()
            .and_then(Version::parse)
            .or_else(|| {
                cx.analyzed
                    .airflow
                    .iter()
                    .find(|s| s.marker == Some(Marker::Image))
                    .and_then(|s| s.value.as_deref())
                    .and_then(Version::parse)
            })
            .unwrap_or_else(Version::newest);
        let (key, name) = if version.is3() {
            ("apiSecretKey", "apiSecretKeySecretName")
        } else {
            ("webserverSecretKey", "webserverSecretKeySecretName")
        };
        if is_set(root.get(key)) || is_set(root.get(name)) {
            return;
        }
        let span = root
            .entries()
            .next()
            .map(|(k, _)| k.span())
            .unwrap_or(Span::empty(0));
        out.push(
            Finding::new("AFH003", span, format!("neither `{key}` nor `{name}` is set (Airflow {version}): the chart generates a new secret key on every upgrade, logging users out and breaking log fetching while pods roll"))
                .with_fix(format!("Create a Secret holding a random key and set `{name}`.")),
        );
    }
});
