use crate::rules::{FileCx, Findings};
use crate::source::Span;

use super::sc::{Scope, pods};

crate::rule!(Afk035, "AFK035", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        // A map, not a list: a container may have many thousands of entries.
        let mut seen: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
        for pod in pods(cx, out.rule(), Scope::PODS) {
            for c in pod.containers() {
                let Some(env) = c.c.node.get("env") else {
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
                            c.finding(n.span(), format_args!("defines env var `{name}` more than once; only the last definition is used"))
                            .with_related(cx.index, first, format!("`{name}` first defined here"))

                        );
                    } else {
                        seen.insert(name, n.span());
                    }
                }
            }
        }
    }
});
