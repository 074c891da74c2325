use super::common::{dockerfile, undigested_bases};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd001, "AFD001", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for (st, r, img) in undigested_bases(df) {
            let shown = if r == st.base.value {
                format!("`{r}`")
            } else {
                format!("`{}` (resolves to `{r}`)", st.base.value)
            };
            match img.tag.as_deref() {
                None => out.push(
                    Finding::new(st.base.span, format!("base image {shown} has no tag, so it means `latest` and changes under you"))
                        .with_help(format!("Pin a version: `FROM {}:<version>` (and ideally `@sha256:<digest>`).", img.full_repo())),
                ),
                Some(t) if t.eq_ignore_ascii_case("latest") => out.push(
                    Finding::new(st.base.span, format!("base image {shown} uses the `latest` tag"))
                        .with_help(format!("Pin a version: `FROM {}:<version>` (and ideally `@sha256:<digest>`).", img.full_repo())),
                ),
                _ => {}
            }
        }
    }
});
