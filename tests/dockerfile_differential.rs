//! Differential test against the `parse-dockerfile` crate on the corpus.
//!
//! For every corpus file both parsers accept, compare: the number of
//! instructions, their keywords and keyword offsets, the FROM image, the
//! exec/shell form of RUN/CMD/ENTRYPOINT (and exec-form arguments), and the
//! flag names of RUN/COPY/ADD/FROM.
//!
//! Deliberate differences (not compared):
//! - Files parse-dockerfile rejects are only counted (none of the 730 corpus
//!   files at the time of writing); our parser follows BuildKit there.
//! - Argument text of shell-form instructions: parse-dockerfile keeps the
//!   escapes and raw line breaks, we keep BuildKit's joined logical text
//!   (continuations removed, comment lines dropped).
//! - Key/value splitting of ENV/LABEL and JSON decoding details are covered
//!   by the BuildKit conformance test instead.

use std::path::{Path, PathBuf};

use afcheck::dockerfile::{self, Args};
use parse_dockerfile::{Command, Instruction as P};

fn shared_dir() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    assert!(
        p.is_dir(),
        "{} is missing: run scripts/fetch-test-data.sh",
        p.display()
    );
    Some(p)
}

fn corpus(shared: &Path) -> Vec<PathBuf> {
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(p) else { return };
        for e in rd.flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, out);
            } else if !path.to_string_lossy().ends_with("dockerignore") {
                out.push(path);
            }
        }
    }
    let mut v = Vec::new();
    walk(&shared.join("corpus/dockerfiles"), &mut v);
    v.sort();
    v
}

fn keyword(i: &P<'_>) -> &'static str {
    match i {
        P::Add(_) => "ADD",
        P::Arg(_) => "ARG",
        P::Cmd(_) => "CMD",
        P::Copy(_) => "COPY",
        P::Entrypoint(_) => "ENTRYPOINT",
        P::Env(_) => "ENV",
        P::Expose(_) => "EXPOSE",
        P::From(_) => "FROM",
        P::Healthcheck(_) => "HEALTHCHECK",
        P::Label(_) => "LABEL",
        P::Maintainer(_) => "MAINTAINER",
        P::Onbuild(_) => "ONBUILD",
        P::Run(_) => "RUN",
        P::Shell(_) => "SHELL",
        P::Stopsignal(_) => "STOPSIGNAL",
        P::User(_) => "USER",
        P::Volume(_) => "VOLUME",
        P::Workdir(_) => "WORKDIR",
        _ => "?",
    }
}

fn keyword_start(i: &P<'_>) -> usize {
    match i {
        P::Add(x) => x.add.span.start,
        P::Arg(x) => x.arg.span.start,
        P::Cmd(x) => x.cmd.span.start,
        P::Copy(x) => x.copy.span.start,
        P::Entrypoint(x) => x.entrypoint.span.start,
        P::Env(x) => x.env.span.start,
        P::Expose(x) => x.expose.span.start,
        P::From(x) => x.from.span.start,
        P::Healthcheck(x) => x.healthcheck.span.start,
        P::Label(x) => x.label.span.start,
        P::Maintainer(x) => x.maintainer.span.start,
        P::Onbuild(x) => x.onbuild.span.start,
        P::Run(x) => x.run.span.start,
        P::Shell(x) => x.shell.span.start,
        P::Stopsignal(x) => x.stopsignal.span.start,
        P::User(x) => x.user.span.start,
        P::Volume(x) => x.volume.span.start,
        P::Workdir(x) => x.workdir.span.start,
        _ => usize::MAX,
    }
}

fn command_form(c: &Command<'_>) -> (bool, Vec<String>) {
    match c {
        Command::Exec(v) => (true, v.value.iter().map(|s| s.value.to_string()).collect()),
        _ => (false, Vec::new()),
    }
}

fn flag_names(i: &P<'_>) -> Option<Vec<String>> {
    let f: &[parse_dockerfile::Flag<'_>] = match i {
        P::Run(x) => &x.options,
        P::Copy(x) => &x.options,
        P::Add(x) => &x.options,
        P::From(x) => &x.options,
        _ => return None,
    };
    Some(
        f.iter()
            .map(|f| f.name.value.trim_start_matches('-').to_ascii_lowercase())
            .collect(),
    )
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/corpus/dockerfiles; run scripts/fetch-test-data.sh"
)]
fn same_instructions_as_parse_dockerfile() {
    let Some(shared) = shared_dir() else {
        eprintln!("shared folder absent; skipped");
        return;
    };
    let files = corpus(&shared);
    let (mut compared, mut rejected, mut mismatches) = (0, 0, Vec::new());
    for p in &files {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let Ok(theirs) = parse_dockerfile::parse(text) else {
            rejected += 1;
            continue;
        };
        compared += 1;
        let ours = dockerfile::parse(text);
        let name = p.display();
        if ours.instructions.len() != theirs.instructions.len() {
            mismatches.push(format!(
                "{name}: {} vs {} instructions",
                ours.instructions.len(),
                theirs.instructions.len()
            ));
            continue;
        }
        for (o, t) in ours.instructions.iter().zip(&theirs.instructions) {
            let line = text[..o.keyword_span.start()].matches('\n').count() + 1;
            if o.keyword != keyword(t) || o.keyword_span.start() != keyword_start(t) {
                mismatches.push(format!("{name}:{line}: {} vs {}", o.keyword, keyword(t)));
                break;
            }
            let form = match t {
                P::Run(x) => Some(command_form(&x.arguments)),
                P::Cmd(x) => Some(command_form(&x.arguments)),
                P::Entrypoint(x) => Some(command_form(&x.arguments)),
                _ => None,
            };
            if let Some((exec, args)) = form {
                match &o.args {
                    Args::Json(v) => {
                        let ours: Vec<&str> = v.iter().map(|w| w.value.as_str()).collect();
                        if !exec || ours != args {
                            mismatches
                                .push(format!("{name}:{line}: exec form {ours:?} vs {args:?}"));
                        }
                    }
                    _ if exec => mismatches.push(format!("{name}:{line}: shell form vs exec form")),
                    _ => {}
                }
            }
            if let P::From(x) = t {
                let ours = o
                    .arg_words()
                    .first()
                    .map(|w| w.value.clone())
                    .unwrap_or_default();
                if ours != x.image.value {
                    mismatches.push(format!("{name}:{line}: FROM {ours} vs {}", x.image.value));
                }
            }
            if let Some(names) = flag_names(t) {
                let ours: Vec<String> = o.flags.iter().map(|f| f.name.clone()).collect();
                if ours != names {
                    mismatches.push(format!("{name}:{line}: flags {ours:?} vs {names:?}"));
                }
            }
        }
    }
    eprintln!("differential: {compared} files compared, {rejected} rejected by parse-dockerfile");
    assert!(compared > 0);
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
