//! Every output format, on hand-built runs.

mod report_support;

use afcheck::report::{self, Format, ReportOptions};
use report_support::*;

fn out(run: &afcheck::engine::Run, format: Format) -> String {
    report::to_string(run, format, &ReportOptions::default())
}

#[test]
fn print_all_for_inspection() {
    let run = sample();
    for f in Format::ALL {
        let s = out(&run, f);
        std::fs::write(format!("/tmp/rp/{}.out", f.as_str()), &s).unwrap();
    }
}
