use crate::finding::Finding;
use crate::rules::{FileCx, Findings};
use crate::source::Span;

use super::util::pods;

crate::rule!(Afk035, "AFK035", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        // A map, not a list: a container may have many thousands of entries.
        let mut seen: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
        for (obj, pod) in pods(cx) {
            for c in pod.containers() {
                let Some(env) = c.node.get("env") else {
                    continue;
                };
                seen.clear();
                for e in env.items() {
                    let Some(n) = e.deref().get("name") else {
                        continue;
                    };
                    let Some(name) = n.as_str() else { continue };
                    if let Some(&first) = seen.get(name) {
                        out.push(
                            Finding::new(n.span(),
                                format!(
                                    "{}: {} defines env var `{name}` more than once; only the last definition is used",
                                    obj.display(),
                                    c.label()
                                ),
                            )
                            .with_related(cx.index, first, format!("`{name}` first defined here"))
                            .with_help(format!("Keep a single definition of `{name}`.")),
                        );
                    } else {
                        seen.insert(name, n.span());
                    }
                }
            }
        }
    }
});
