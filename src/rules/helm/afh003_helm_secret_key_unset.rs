use crate::airflow::knowledge::Version;
use crate::finding::Finding;
use crate::rules::{Findings, ProjectCx};
use crate::source::Span;

crate::rule!(Afh003, "AFH003", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        let groups = cx.airflow_groups();
        for (i, af) in cx.files.iter().enumerate() {
            for root in &af.chart_values {
                // The target version of these values' own group (the values
                // file, or the GitOps object holding them).
                let inside = |s: Span| root.span.start() <= s.start() && s.end() <= root.span.end();
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
                let span = root.first_key;
                for (key, name, why) in keys {
                    if root.set.contains(&key) || root.set.contains(&name) {
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
