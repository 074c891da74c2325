//! `--statistics`: the number of findings per rule, most frequent first
//! (then by rule ID), like `ruff --statistics`. As text, one aligned line
//! per rule (`count  ID  severity  name`); as JSON, an array of
//! `{rule, name, severity, count}`. Nothing of a finding's text is printed.

use std::collections::BTreeMap;
use std::io;

use serde::Serialize;

use crate::engine::Run;

#[derive(Serialize)]
struct Row<'a> {
    rule: &'a str,
    name: &'a str,
    severity: &'static str,
    count: usize,
}

fn rows(run: &Run) -> Vec<Row<'_>> {
    // Per (rule, severity): a rule with two levels gets two rows.
    let mut counts: BTreeMap<(&str, crate::finding::Severity), usize> = BTreeMap::new();
    for f in &run.findings {
        // A finding standing for findings not kept counts them.
        *counts.entry((f.rule, f.severity)).or_default() += (f.more as usize).max(1);
    }
    let mut v: Vec<Row<'_>> = counts
        .into_iter()
        .map(|((rule, sev), count)| Row {
            rule,
            name: super::rule_name(rule),
            severity: sev.as_str(),
            count,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    v
}

pub fn write(run: &Run, json: bool, out: &mut dyn io::Write) -> io::Result<()> {
    let rows = rows(run);
    let mut w = io::BufWriter::new(out);
    if json {
        serde_json::to_writer_pretty(&mut w, &rows).map_err(io::Error::other)?;
        io::Write::write_all(&mut w, b"\n")?;
        return io::Write::flush(&mut w);
    }
    let wc = rows
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1);
    for r in &rows {
        io::Write::write_fmt(
            &mut w,
            format_args!(
                "{:>wc$}  {}  {:<7}  {}\n",
                r.count, r.rule, r.severity, r.name
            ),
        )?;
    }
    io::Write::flush(&mut w)
}
