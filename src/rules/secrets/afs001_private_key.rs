use crate::rules::{FileCx, Findings};

crate::rule!(Afs001, "AFS001", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        super::report(self.id(), cx, out);
    }
});
