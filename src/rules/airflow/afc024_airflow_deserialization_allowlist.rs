use super::common::{at, groups};
use super::versioned::effective;
use crate::airflow::sources::Via;
use crate::rules::{Findings, ProjectCx};

/// Patterns that let serde import (almost) any class.
const BROAD_GLOBS: &[&str] = &[
    "*",
    "*.*",
    "builtins.*",
    "os.*",
    "subprocess.*",
    "posix.*",
    "pickle.*",
    "importlib.*",
];
const BROAD_RES: &[&str] = &[
    ".*",
    ".+",
    "^.*",
    "^.*$",
    ".*$",
    "builtins\\..*",
    "os\\..*",
    "subprocess\\..*",
];

crate::rule!(Afc024, "AFC024", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            for (key, broad) in [
                ("allowed_deserialization_classes", BROAD_GLOBS),
                ("allowed_deserialization_classes_regexp", BROAD_RES),
            ] {
                let Some(a) = effective(g, "core", key) else {
                    continue;
                };
                if a.s.via != Via::Value {
                    continue;
                }
                let Some(v) = a.s.value.as_deref() else {
                    continue;
                };
                let mut off = 0;
                for item in v.split([' ', '\n', ',']) {
                    let start = off;
                    off += item.len() + 1;
                    if broad.contains(&item.trim()) {
                        out.push(
                            at(a, a.s.value_sub_span(start, start + item.len()), format!("[core] {key} allows `{}`: deserialising XCom or params may instantiate arbitrary classes ({})", item.trim(), g.version_label()))
                                .with_help("Allow only the packages your DAGs exchange (`airflow.* mycompany.models.*`)."),
                        );
                    }
                }
            }
        }
    }
});
