use crate::finding::Applicability;
use crate::k8s::psa::BASELINE_CAPABILITIES;
use crate::rules::{FileCx, Findings};

use super::sc::{Ctr, FindingExt, Scope, containers};

/// Added capabilities the restricted level forbids and the baseline level
/// allows (those outside the baseline list are AFK003's).
fn restricted_only(cap: &str) -> bool {
    cap != "NET_BIND_SERVICE" && BASELINE_CAPABILITIES.contains(&cap)
}

/// `drop` gets `ALL` (kept drops and adds stay): appended to an existing
/// list, else `drop: ["ALL"]` inserted.
fn drop_all(c: &Ctr<'_>) -> Option<Vec<crate::finding::Edit>> {
    let drop = c.own("capabilities").and_then(|f| f.value.get("drop"));
    match drop {
        Some(d) if d.is_sequence() => c.pod.yed().append(d, "ALL").map(|e| vec![e]),
        _ => c.set(&["capabilities", "drop"], "[\"ALL\"]"),
    }
}

// Both fixes are unsafe: a process running as root loses capabilities it
// may use (chown, setuid/setgid in entrypoints, binding ports below 1024).
crate::rule!(Afk018, "AFK018", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for c in containers(cx, out.rule(), Scope::PSS_LINUX) {
            let caps = c.own("capabilities").map(|f| f.value);
            let drop = caps.and_then(|cp| cp.get("drop"));
            let drops_all = drop.is_some_and(|d| d.items().any(|i| i.as_str() == Some("ALL")));
            let fragment_unset = drop.is_none() && c.is_fragment();
            if !drops_all && !fragment_unset {
                let span = caps
                    .and_then(|cp| cp.key_span("drop"))
                    .unwrap_or(c.anchor());
                out.push(
                    c.finding(span, "does not drop all capabilities; set `securityContext.capabilities.drop: [\"ALL\"]`")
                        .fix(Applicability::Unsafe, drop_all(&c)),
                );
            }
            let Some(add) = caps.and_then(|cp| cp.get("add")) else {
                continue;
            };
            let yed = c.pod.yed();
            let removal = if add
                .items()
                .all(|i| restricted_only(i.as_str().unwrap_or("")))
            {
                caps.and_then(|cp| yed.remove_entry(cp, "add"))
                    .map(|e| vec![e])
                    .or_else(|| yed.remove_items(add, |_| true))
            } else {
                yed.remove_items(add, |i| restricted_only(i.as_str().unwrap_or("")))
            };
            for item in add.items() {
                let cap = item.as_str().unwrap_or("");
                if restricted_only(cap) {
                    out.push(
                        c.finding(item.span(), format_args!("adds capability `{cap}`; the restricted level allows only NET_BIND_SERVICE; remove it from `securityContext.capabilities.add`"))
                            .fix(Applicability::Unsafe, removal.clone()),
                    );
                }
            }
        }
    }
});
