use crate::config::PssLevel;
use crate::k8s::object_anchor;
use crate::rules::{FileCx, Findings};

use super::sc::{object_finding, objects};

const ENFORCE: &str = "pod-security.kubernetes.io/enforce";

crate::rule!(Afk025, "AFK025", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let want = cx.settings.pss;
        for (obj, node) in objects(cx, |o| o.kind == "Namespace" && o.api_version == "v1") {
            let labels = node.path(&["metadata", "labels"]);
            let entry = labels.and_then(|l| l.entry(ENFORCE));
            let fix = format!("Label the namespace `{ENFORCE}: {}`.", want.as_str());
            match entry {
                None => out.push(
                    object_finding(obj, object_anchor(obj, node.stream), format_args!(
                            "no `{ENFORCE}` label, so Pod Security Admission enforces nothing in this namespace; set it to `{}`",
                            want.as_str()
                        ),
                    )
                    .with_help(fix),
                ),
                Some((k, v)) => {
                    let level = v.as_str().unwrap_or("");
                    let ok = match PssLevel::parse(level) {
                        Some(l) => l >= want,
                        None => false,
                    };
                    if !ok {
                        out.push(
                            object_finding(obj, k.span().cover(v.span()), format_args!(
                                    "the namespace enforces `{level}` Pod Security, below the `{want}` target; set `{ENFORCE}: {want}`",
                                    want = want.as_str()
                                ),
                            )
                            .with_help(fix),
                        );
                    }
                }
            }
        }
    }
});
