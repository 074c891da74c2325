use crate::finding::Finding;
use crate::rules::FileCx;

crate::rule!(Afs001, "AFS001", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        super::report(self.id(), cx, out);
    }
});
