use crate::finding::Finding;
use crate::rules::FileCx;

crate::rule!(Afs007, "AFS007", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        super::report(self.id(), cx, out);
    }
});
