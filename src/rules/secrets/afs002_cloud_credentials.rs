use crate::rules::{FileCx, Findings};

crate::rule!(Afs002, "AFS002", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        super::report(self.id(), cx, out);
    }
});
