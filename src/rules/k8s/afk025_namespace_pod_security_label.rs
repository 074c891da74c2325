use crate::config::PssLevel;
use crate::finding::Finding;
use crate::k8s::object_anchor;
use crate::rules::{FileCx, Findings};

use super::util::manifests;

const ENFORCE: &str = "pod-security.kubernetes.io/enforce";

crate::rule!(Afk025, "AFK025", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(y) = manifests(cx) else { return };
        let want = cx.settings.pss;
        for obj in y
            .objects
            .iter()
            .filter(|o| o.kind == "Namespace" && o.api_version == "v1")
        {
            let node = obj.node(&y.stream);
            let labels = node.path(&["metadata", "labels"]);
            let entry = labels.and_then(|l| l.entry(ENFORCE));
            let fix = format!("Label the namespace `{ENFORCE}: {}`.", want.as_str());
            match entry {
                None => out.push(
                    Finding::new(object_anchor(obj, &y.stream),
                        format!(
                            "{}: no `{ENFORCE}` label, so Pod Security Admission enforces nothing in this namespace; set it to `{}`",
                            obj.display(),
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
                            Finding::new(k.span().cover(v.span()),
                                format!(
                                    "{}: the namespace enforces `{level}` Pod Security, below the `{want}` target; set `{ENFORCE}: {want}`",
                                    obj.display(),
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
