use super::common::{dockerfile, final_lineage};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd023, "AFD023", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        let Some(fin) = df.final_stage() else { return };
        let lineage = final_lineage(df);
        let mut has_health = false;
        let mut service = false;
        for ins in &df.instructions {
            if !ins
                .stage
                .is_some_and(|s| lineage.get(s).copied().unwrap_or(false))
            {
                continue;
            }
            has_health |= ins.is("HEALTHCHECK");
            service |= ins.is("EXPOSE");
        }
        if service && !has_health {
            out.push(Finding::new(
                fin.base.span,
                "the final stage exposes a service port but defines no HEALTHCHECK",
            ));
        }
    }
});
