//! Reporters, one per output format, over a run's sorted findings.
//! (Temporary minimal version; the full reporters are being written.)
pub mod redact;

use std::io::Write;

use crate::engine::Run;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Terminal,
    Compact,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Debug)]
pub struct ReportOptions {
    pub color: bool,
    pub quiet: bool,
    pub version: &'static str,
}

pub fn write(
    run: &Run,
    _format: Format,
    _opts: &ReportOptions,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    for f in &run.findings {
        let file = run.file(f.file);
        let p = file.position(f.span.start());
        writeln!(
            w,
            "{}:{}:{}: {}: {} [{}]",
            file.path,
            p.line,
            p.column,
            f.severity.as_str(),
            f.message.replace('\n', " "),
            f.rule
        )?;
    }
    Ok(())
}

pub mod catalogue {
    use crate::rules::meta::{self, Meta};
    pub fn rules_text() -> String {
        meta::all()
            .iter()
            .map(|m| {
                format!(
                    "{} {} {} {}\n",
                    m.id,
                    m.name,
                    m.severity.as_str(),
                    m.summary
                )
            })
            .collect()
    }
    pub fn rules_json() -> String {
        String::from("[]\n")
    }
    pub fn explain(m: &Meta) -> String {
        format!("{} {}\n\n{}\n", m.id, m.name, m.rationale)
    }
}
