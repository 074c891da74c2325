use super::common::dockerfile;
use crate::dockerfile::image::ImageRef;
use crate::finding::Finding;
use crate::rules::FileCx;

crate::rule!(Afd002, "AFD002", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let Some(df) = dockerfile(cx) else { return };
        for st in &df.stages {
            if !st.base_known || st.parent.is_some() {
                continue;
            }
            let r = st.base_resolved.trim();
            if r.is_empty() || r.eq_ignore_ascii_case("scratch") {
                continue;
            }
            let img = ImageRef::parse(r);
            if img.digest.is_some() {
                continue;
            }
            if let Some(t) = img.tag.as_deref()
                && !t.eq_ignore_ascii_case("latest")
            {
                out.push(
                    Finding::new("AFD002", st.base.span, format!("base image `{r}` is pinned by tag only; a tag can be moved to different content"))
                        .with_fix(format!("Add the digest: `FROM {r}@sha256:<digest>` (get it with `docker buildx imagetools inspect {r}`)")),
                );
            }
        }
    }
});
