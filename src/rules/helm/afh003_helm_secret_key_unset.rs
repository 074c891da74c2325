use super::common::{airflow_values_all, is_set};
use crate::airflow::knowledge::Version;
use crate::finding::Finding;
use crate::rules::{Findings, ProjectCx};
use crate::source::Span;

crate::rule!(Afh003, "AFH003", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        let groups = cx.airflow_groups();
        for (i, af) in cx.files.iter().enumerate() {
            for root in airflow_values_all(af) {
                // The target version of these values' own group (the values
                // file, or the GitOps object holding them).
                let inside =
                    |s: Span| root.span().start() <= s.start() && s.end() <= root.span().end();
                let version = groups
                    .iter()
                    .filter(|g| g.root_file == i as u32)
                    .find(|g| {
                        g.version_at
                            .is_some_and(|a| a.file == i as u32 && inside(a.s.key_span))
                    })
                    .map(|g| g.version)
                    .or(cx
                        .settings
                        .airflow_version
                        .as_deref()
                        .and_then(Version::parse))
                    .unwrap_or_else(Version::newest);
                let mut keys = vec![if version.is3() {
                    (
                        "apiSecretKey",
                        "apiSecretKeySecretName",
                        "signs sessions and log-fetch tokens: every upgrade logs users out and breaks log fetching while pods roll",
                    )
                } else {
                    (
                        "webserverSecretKey",
                        "webserverSecretKeySecretName",
                        "signs sessions and log-fetch tokens: every upgrade logs users out and breaks log fetching while pods roll",
                    )
                }];
                if version.is3() {
                    keys.push(("jwtSecret", "jwtSecretName", "signs the tokens tasks use to call the API server: tasks running during an upgrade fail when pods with the new key take over"));
                }
                let span = root
                    .entries()
                    .next()
                    .map(|(k, _)| k.span())
                    .unwrap_or(Span::empty(0));
                for (key, name, why) in keys {
                    if is_set(root.get(key)) || is_set(root.get(name)) {
                        continue;
                    }
                    out.push(
                        Finding::new(span, format!("neither `{key}` nor `{name}` is set (Airflow {version}): the chart generates a new key on every upgrade; it {why}"))
                            .with_help(format!("Create a Secret holding a random key and set `{name}`."))
                            .in_file(i as u32),
                    );
                }
            }
        }
    }
});
