use super::common::{apt_sub, dockerfile, expand_word, package_args, pip_install, pip_split, runs};
use crate::dockerfile::shell::ShWord;
use crate::finding::Finding;
use crate::rules::FileCx;

type Model<'a> = (&'a str, Vec<&'a ShWord>, fn(&str) -> bool, &'a str);

fn apt_pinned(p: &str) -> bool {
    p.contains('=') || p.ends_with(".deb") || p.starts_with('/') || p.starts_with("./")
}

fn apk_pinned(p: &str) -> bool {
    p.contains('=')
        || p.contains('~')
        || p.contains('<')
        || p.contains('>')
        || p.ends_with(".apk")
        || p.starts_with('/')
        || p.starts_with("./")
}

fn pip_pinned(p: &str) -> bool {
    p.contains("==")
        || p.contains("~=")
        || p.contains(" @ ")
        || p.contains('@')
        || p.contains("://")
        || p.starts_with('.')
        || p.starts_with('/')
        || p.ends_with(".whl")
        || p.ends_with(".tar.gz")
        || p.ends_with(".zip")
        || (p.contains("<") && p.contains(">="))
}

crate::rule!(Afd010, "AFD010", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let Some(df) = dockerfile(cx) else { return };
        for r in runs(df) {
            for c in &r.script.commands {
                let (tool, pkgs, pinned, how): Model<'_> =
                    if let Some(("install", rest)) = apt_sub(c) {
                        ("apt", package_args(rest), apt_pinned, "`pkg=version`")
                    } else if c.program() == Some("apk")
                        && c.args().first().is_some_and(|w| w.text == "add")
                    {
                        (
                            "apk",
                            package_args(c.args().get(1..).unwrap_or(&[])),
                            apk_pinned,
                            "`pkg=version`",
                        )
                    } else if let Some(args) = pip_install(c) {
                        let (opts, pkgs) = pip_split(args);
                        // --upgrade of pip's own tooling is not an application dependency.
                        let _ = opts;
                        (
                            "pip",
                            pkgs,
                            pip_pinned,
                            "`pkg==version` (or a requirements file with pins)",
                        )
                    } else {
                        continue;
                    };
                // One finding per command, at the first unpinned package.
                let mut loose: Vec<String> = Vec::new();
                let mut span = None;
                for w in pkgs {
                    let Some(names) = expand_word(df, r.index, w) else {
                        continue;
                    };
                    for n in names.iter().filter(|n| !n.is_empty() && !pinned(n)) {
                        let shown = if w.text.contains('$') {
                            format!("{n} (from {})", w.text)
                        } else {
                            n.clone()
                        };
                        loose.push(shown);
                        span = Some(span.map_or(w.span, |s: crate::source::Span| s.cover(w.span)));
                    }
                }
                let Some(span) = span else { continue };
                let list: Vec<&str> = loose.iter().take(5).map(|s| s.as_str()).collect();
                let more = if loose.len() > 5 {
                    format!(" and {} more", loose.len() - 5)
                } else {
                    String::new()
                };
                let noun = if loose.len() == 1 {
                    "package"
                } else {
                    "packages"
                };
                out.push(
                    Finding::new(
                        "AFD010",
                        span,
                        format!(
                            "{tool} {noun} `{}`{more} not pinned to a version",
                            list.join("`, `")
                        ),
                    )
                    .with_fix(format!("Pin the version: {how}.")),
                );
            }
        }
    }
});
