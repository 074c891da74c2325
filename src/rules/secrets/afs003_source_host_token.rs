use crate::rules::{FileCx, Findings};

crate::rule!(Afs003, "AFS003", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        super::report(self.id(), cx, out);
    }
});
