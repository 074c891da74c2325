use super::common::{
    apk_sub, apt_sub, dockerfile, expand_word, exported_before, package_args, pip_install,
    pip_split, runs, var_set,
};
use crate::dockerfile::shell::ShWord;
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

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

/// A local path (`./pkg`, `foo/bar`, `/src`), not a package from an index.
fn local_path(p: &str) -> bool {
    !p.contains("://")
        && (p.starts_with('.') || p.starts_with('/') || p.starts_with('~') || p.contains('/'))
}

fn pip_pinned(p: &str) -> bool {
    // A VCS requirement is pinned by a ref after the repository path
    // (`git+https://host/org/repo@v1.2`), not by the URL alone.
    if let Some(pos) = p.find("git+").or_else(|| p.find("hg+")) {
        let url = &p[pos..];
        let path = url
            .split_once("://")
            .map(|(_, r)| r.split_once('/').map_or("", |(_, path)| path))
            .unwrap_or("");
        return path.contains('@');
    }
    p.contains("==")
        || p.contains("~=")
        || p.contains(" @ ")
        || p.contains('@')
        || p.contains("://")
        || local_path(p)
        || p.ends_with(".whl")
        || p.ends_with(".tar.gz")
        || p.ends_with(".zip")
        || (p.contains("<") && p.contains(">="))
}

fn go_pinned(p: &str) -> bool {
    // `./cmd/x` and module-relative paths are local; a module needs `@version`.
    p.starts_with('.')
        || p.starts_with('/')
        || !p.split('/').next().unwrap_or("").contains('.')
        || p.split_once('@')
            .is_some_and(|(_, v)| !v.is_empty() && v != "latest")
}

fn gem_pinned(p: &str) -> bool {
    p.contains(':') || p.ends_with(".gem") || local_path(p)
}

fn always_pinned(_: &str) -> bool {
    true
}

/// `gem install` arguments that are gems (options and their values skipped).
fn gem_package_args(args: &[ShWord]) -> Vec<&ShWord> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let t = w.text.as_str();
        if t.starts_with('-') {
            let takes = matches!(
                t,
                "-v" | "--version"
                    | "-i"
                    | "--install-dir"
                    | "-n"
                    | "--bindir"
                    | "-s"
                    | "--source"
                    | "-P"
                    | "--trust-policy"
                    | "--platform"
                    | "-g"
                    | "--file"
                    | "--document"
                    | "--build-root"
            );
            i += if takes { 2 } else { 1 };
            continue;
        }
        out.push(w);
        i += 1;
    }
    out
}

crate::rule!(Afd010, "AFD010", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for r in runs(df) {
            for c in &r.script.commands {
                let (tool, pkgs, pinned, how): Model<'_> =
                    if let Some(("install", rest)) = apt_sub(c) {
                        ("apt", package_args(rest), apt_pinned, "`pkg=version`")
                    } else if let Some(("add", rest)) = apk_sub(c) {
                        ("apk", package_args(rest), apk_pinned, "`pkg=version`")
                    } else if let Some(args) = pip_install(c) {
                        let (opts, pkgs) = pip_split(args);
                        // A constraints file (`-c`, `PIP_CONSTRAINT`) pins
                        // the packages it lists: Airflow's documented install.
                        let constrained = opts.iter().any(|w| {
                            w.text == "-c"
                                || w.text.starts_with("--constraint")
                                || (w.text.starts_with("-c") && !w.text.starts_with("--"))
                        }) || var_set(df, r.index, Some(c), "PIP_CONSTRAINT")
                            || exported_before(r.script, c, "PIP_CONSTRAINT");
                        (
                            "pip",
                            pkgs,
                            if constrained {
                                always_pinned
                            } else {
                                pip_pinned
                            },
                            "`pkg==version` (or a requirements file with pins)",
                        )
                    } else if c.program() == Some("go")
                        && c.args().first().is_some_and(|w| w.text == "install")
                    {
                        let rest = c.args().get(1..).unwrap_or(&[]);
                        let pkgs = rest.iter().filter(|w| !w.text.starts_with('-')).collect();
                        ("go", pkgs, go_pinned, "`module/cmd@v1.2.3`")
                    } else if c.program() == Some("gem")
                        && c.args().first().is_some_and(|w| w.text == "install")
                    {
                        let rest = c.args().get(1..).unwrap_or(&[]);
                        let versioned = rest.iter().any(|w| {
                            matches!(w.text.as_str(), "-v" | "--version")
                                || w.text.starts_with("--version=")
                        });
                        (
                            "gem",
                            gem_package_args(rest),
                            if versioned { always_pinned } else { gem_pinned },
                            "`gem install name -v version` (or `name:version`)",
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
                        span,
                        format!(
                            "{tool} {noun} `{}`{more} not pinned to a version",
                            list.join("`, `")
                        ),
                    )
                    .with_help(format!("Pin the version: {how}.")),
                );
            }
        }
    }
});
