use super::common::at;
use super::versioned::effective_values;
use crate::rules::{Findings, ProjectCx};

crate::rule!(Afc024, "AFC024", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for (key, broad) in [
            ("allowed_deserialization_classes", BROAD_GLOBS),
            ("allowed_deserialization_classes_regexp", BROAD_RES),
        ] {
            for (g, a, v) in effective_values(cx, &[("core", key)]) {
                let mut off = 0;
                for item in v.split([' ', '\n', ',']) {
                    let start = off;
                    off += item.len() + 1;
                    if broad.contains(&item.trim()) {
                        out.push(
                            at(a, a.s.value_sub_span(start, start + item.len()), format!("[core] {key} allows `{}`: deserialising XCom or params may instantiate arbitrary classes ({})", item.trim(), g.version_label())),
                        );
                    }
                }
            }
        }
    }
});

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
