use crate::k8s::psa::RESTRICTED_VOLUME_SOURCES;
use crate::rules::{FileCx, Findings};

use super::sc::{Scope, pods};

crate::rule!(Afk013, "AFK013", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for pod in pods(cx, out.rule(), Scope::PSS) {
            for (v, name) in pod.volumes() {
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
                        pod.finding(k.span(), format_args!("volume `{name}` uses a `{src}` source, which the restricted Pod Security level does not allow (it reaches node or network storage directly); use a configMap, secret, emptyDir, projected or persistentVolumeClaim volume"))
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
