use crate::finding::Finding;
use crate::k8s::object_anchor;
use crate::rules::FileCx;

use super::util::manifests;

crate::rule!(Afk033, "AFK033", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let Some(y) = manifests(cx) else { return };
        for obj in y.objects.iter().filter(|o| {
            o.kind == "Ingress" && matches!(o.group(), "networking.k8s.io" | "extensions")
        }) {
            let node = obj.node(&y.stream);
            let has_tls = node
                .path(&["spec", "tls"])
                .is_some_and(|t| t.items().next().is_some());
            if !has_tls {
                out.push(
                    Finding::new(
                        "AFK033",
                        object_anchor(obj, &y.stream),
                        format!(
                            "{}: no `spec.tls`, so the Ingress serves plain HTTP",
                            obj.display()
                        ),
                    )
                    .with_fix(
                        "Add `spec.tls` with the hosts and the name of a TLS certificate Secret.",
                    ),
                );
            }
        }
    }
});
