use super::common::{dockerfile, undigested_bases};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd002, "AFD002", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for (st, r, img) in undigested_bases(df) {
            if let Some(t) = img.tag.as_deref()
                && !t.eq_ignore_ascii_case("latest")
            {
                out.push(
                    Finding::new(st.base.span, format!("base image `{r}` is pinned by tag only; a tag can be moved to different content"))
                        .with_help(format!("Add the digest: `FROM {r}@sha256:<digest>` (get it with `docker buildx imagetools inspect {r}`)")),
                );
            }
        }
    }
});
