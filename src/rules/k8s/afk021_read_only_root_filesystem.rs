use crate::finding::Applicability;
use crate::k8s::ContainerKind;
use crate::rules::{FileCx, Findings};

use super::sc::{FindingExt, Scope, containers};

crate::rule!(Afk021, "AFK021", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let scope = Scope {
            skip: Some(ContainerKind::Ephemeral),
            ..Scope::PODS
        };
        for c in containers(cx, out.rule(), scope) {
            let v = c.own("readOnlyRootFilesystem");
            if v.and_then(|f| f.value.as_bool()) == Some(true) || (v.is_none() && c.is_fragment()) {
                continue;
            }
            // Unsafe: a process that writes outside its mounted volumes
            // (/tmp, caches, pid files) fails until an emptyDir is mounted there.
            out.push(
                c.finding(
                    v.map_or(c.anchor(), |f| f.entry),
                    "has a writable root file system; set `securityContext.readOnlyRootFilesystem: true`",
                )
                .fix(Applicability::Unsafe, c.set(&["readOnlyRootFilesystem"], "true")),
            );
        }
    }
});
