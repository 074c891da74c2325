//! Airflow configuration: the `airflow.cfg` parser, the option tables, and
//! adapters that turn every source into [`Setting`]s. (Being written.)

use crate::engine::Parsed;
use crate::source::SourceFile;

#[derive(Clone, Debug, Default)]
pub struct CfgFile {}

pub fn parse_cfg(_text: &str) -> CfgFile {
    CfgFile {}
}

/// One option set in one source.
#[derive(Clone, Debug)]
pub struct Setting {}

/// Every Airflow setting a parsed file contributes.
pub fn settings_of(_file: &SourceFile, _parsed: &Parsed) -> Vec<Setting> {
    Vec::new()
}

/// True when an INI text has a section Airflow knows (content sniffing for `*.cfg`).
pub fn looks_like_airflow_cfg(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        l.starts_with('[')
            && matches!(
                l.trim_matches(|c| c == '[' || c == ']').trim(),
                "core"
                    | "database"
                    | "webserver"
                    | "scheduler"
                    | "celery"
                    | "logging"
                    | "api"
                    | "kubernetes_executor"
                    | "smtp"
                    | "triggerer"
                    | "dag_processor"
            )
    })
}
