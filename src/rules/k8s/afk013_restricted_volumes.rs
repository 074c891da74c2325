use crate::finding::Finding;
use crate::k8s::psa::RESTRICTED_VOLUME_SOURCES;
use crate::rules::{FileCx, Findings};

use super::util::psa_pods;

crate::rule!(Afk013, "AFK013", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, pod) in psa_pods(cx, out.rule()) {
            let Some(vols) = pod.spec.get("volumes") else {
                continue;
            };
            for v in vols.items() {
                let v = v.deref();
                let name = v
                    .get("name")
                    .and_then(|n| n.as_str())
                    .unwrap_or("<unnamed>");
                for (k, val) in v.entries() {
                    let Some(src) = k.as_str() else { continue };
                    // A volume with no source at all is defaulted to emptyDir;
                    // hostPath is the baseline control AFK004's (an error at
                    // every level), not reported twice.
                    if src == "name"
                        || src == "hostPath"
                        || val.is_null()
                        || RESTRICTED_VOLUME_SOURCES.contains(&src)
                    {
                        continue;
                    }
                    out.push(
                        Finding::new(k.span(),
                            format!(
                                "{}: volume `{name}` uses a `{src}` source, which the restricted Pod Security level does not allow (it reaches node or network storage directly); use a configMap, secret, emptyDir, projected or persistentVolumeClaim volume",
                                obj.display()
                            ),
                        )
                        .with_help(format!(
                            "Use one of the allowed volume types instead: {}.",
                            RESTRICTED_VOLUME_SOURCES.join(", ")
                        )),
                    );
                }
            }
        }
    }
});
