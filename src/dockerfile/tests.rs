use super::*;
use crate::source::SourceFile;

fn pos(text: &str, off: u32) -> (u32, u32) {
    let f = SourceFile::new("Dockerfile", text);
    let p = f.position(off as usize);
    (p.line, p.column)
}

#[test]
fn instructions_flags_and_json() {
    let t = "# syntax=docker/dockerfile:1\nFROM --platform=$BUILDPLATFORM python:3.12 AS build\nRUN --mount=type=cache,target=/root/.cache pip install x\nCMD [\"a\", \"b\"]\n";
    let d = parse(t);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.directives.len(), 1);
    assert_eq!(d.instructions.len(), 3);
    let run = &d.instructions[1];
    assert_eq!(run.keyword, "RUN");
    assert_eq!(run.flags[0].name, "mount");
    assert!(run.has_cache_mount(Some("/root/.cache")));
    assert_eq!(
        &t[run.flags[0].span.start()..run.flags[0].span.end()],
        "--mount=type=cache,target=/root/.cache"
    );
    match &d.instructions[2].args {
        Args::Json(v) => assert_eq!(
            v.iter().map(|w| w.value.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        ),
        a => panic!("{a:?}"),
    }
    assert_eq!(
        d.stages[0].alias.as_ref().map(|a| a.value.as_str()),
        Some("build")
    );
}

#[test]
fn continuation_commands_have_real_positions() {
    let t = "FROM debian\nRUN apt-get update \\\n  # a comment\n\n  && apt-get install -y curl \\\n     wget\n";
    let d = parse(t);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    let s = d.instructions[1].script.as_ref().expect("script");
    assert_eq!(s.commands.len(), 2);
    let c = &s.commands[1];
    assert_eq!(c.program(), Some("apt-get"));
    assert_eq!(pos(t, c.span.start), (5, 6));
    let wget = c.args().last().expect("wget");
    assert_eq!(wget.text, "wget");
    assert_eq!(pos(t, wget.span.start), (6, 6));
}

#[test]
fn heredocs_and_following_comment() {
    let t = "FROM alpine\nRUN <<EOF\napk add curl\ncurl -s https://x | sh\nEOF\n# a comment after the heredoc\nCOPY <<-\"END\" /x.sh\n\techo $HOME\n\tEND\nRUN python3 <<PY\nimport os\nPY\n";
    let d = parse(t);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.instructions.len(), 4);
    let run = &d.instructions[1];
    assert_eq!(run.heredocs[0].name, "EOF");
    assert_eq!(
        run.heredocs[0].body,
        "apk add curl\ncurl -s https://x | sh\n"
    );
    let s = run.script.as_ref().expect("script");
    let curl = s.named("curl").next().expect("curl");
    assert!(curl.piped_to_next);
    assert_eq!(pos(t, curl.span.start), (4, 1));
    let copy = &d.instructions[2];
    assert!(copy.heredocs[0].chomp && !copy.heredocs[0].expand);
    // python heredoc is not shell
    assert!(
        d.instructions[3]
            .script
            .as_ref()
            .expect("s")
            .named("import")
            .next()
            .is_none()
    );
}

#[test]
fn env_pairs_and_resolution() {
    let t = "ARG BASE=python:3.9-slim\nARG TAG\nFROM ${BASE}\nENV A=1 B=\"two words\" \\\n    C=${A:-x}\nENV LEGACY some \"value\"\nFROM ${IMG:-ubuntu:22.04}\n";
    let d = parse(t);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.stages[0].base_resolved, "python:3.9-slim");
    assert!(d.stages[0].base_known);
    assert_eq!(d.stages[1].base_resolved, "ubuntu:22.04");
    let env: Vec<_> = d
        .env_pairs()
        .map(|p| (p.pair.key.clone(), p.pair.value.clone().unwrap_or_default()))
        .collect();
    assert_eq!(env[1], ("B".into(), "two words".into()));
    assert_eq!(env[3], ("LEGACY".into(), "some value".into()));
    let c = d.env_pairs().nth(2).expect("C");
    assert_eq!(pos(t, c.pair.key_span.start), (5, 5));
    assert_eq!(d.var_at(4, "A").as_deref(), Some("1"));
}

#[test]
fn syntax_errors_resume() {
    let d = parse("FROM busybox\nENV PATH\nFROBNICATE x\nCMD [\"a\", [\"b\"]]\nRUN ok\n");
    assert_eq!(d.errors.len(), 3, "{:?}", d.errors);
    assert_eq!(d.instructions.len(), 5);
    assert!(!parse("").errors.is_empty());
    assert!(!parse("# only\n# comments\n").errors.is_empty());
}

#[test]
fn windows_backtick_escape() {
    let t = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command `\n    Write-Host hi\nWORKDIR C:\\app\n";
    let d = parse(t);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.escape, '`');
    assert!(d.stages[0].non_posix_shell);
    assert_eq!(
        d.instructions[1].shell_text().map(|w| w.value.as_str()),
        Some("powershell -Command     Write-Host hi")
    );
}

#[test]
fn invalid_json_falls_back_to_shell() {
    let d = parse("FROM x\nCMD ['echo','x']\n");
    assert!(matches!(d.instructions[1].args, Args::Shell(_)));
}

#[test]
fn shell_fallback_and_prefixes() {
    // Unterminated quote: brush refuses, the plain tokenizer still finds commands.
    let d = parse("FROM x\nRUN sudo -u app pip install 'flask && echo \"x\n");
    let s = d.instructions[1].script.as_ref().expect("script");
    assert_eq!(s.tokenizer, "plain");
    let c = &s.commands[0];
    assert!(c.sudo.is_some());
    assert_eq!(c.program(), Some("pip"));
    // Nested command substitution and subshells.
    let d = parse(
        "FROM x\nRUN (cd /src && make) && X=1 env Y=2 bash -c \"$(curl -fsSL https://x | head -1)\"\n",
    );
    let s = d.instructions[1].script.as_ref().expect("script");
    let progs: Vec<_> = s.commands.iter().filter_map(|c| c.program()).collect();
    assert!(
        progs.contains(&"make") && progs.contains(&"bash") && progs.contains(&"curl"),
        "{progs:?}"
    );
    assert!(s.named("curl").next().is_some_and(|c| c.piped_to_next));
    // Pathological nesting does not recurse without bound.
    let deep = format!(
        "FROM x\nRUN echo {}{}\n",
        "$(".repeat(5000),
        ")".repeat(5000)
    );
    assert!(parse(&deep).instructions[1].script.is_some());
}

#[test]
fn garbage_never_panics() {
    let samples = [
        "\u{feff}FROM",
        "RUN \\",
        "FROM x\nRUN <<",
        "FROM x\nRUN <<EOF",
        "FROM x\nCOPY <<-'' /x\n",
        "ENV =",
        "ENV a=\"",
        "ARG ${",
        "FROM ${X:-${Y:-${Z",
        "# escape=\u{e9}\nFROM x",
        "FROM x\nRUN [\"\\ud800\"]",
        "FROM x\nRUN [1, \"a\"]",
        "ONBUILD ONBUILD RUN x",
        "HEALTHCHECK --interval=",
        "FROM x\nUSER \u{1F600}:\u{1F600}\nWORKDIR \u{e9}\\",
        "FROM x\r\nRUN a \\\r\n b\r\n",
        "FROM x\nRUN echo $((1+\n",
        "FROM x AS\nCOPY --from= a b",
    ];
    for s in samples {
        let d = parse(s);
        let _ = d.env_pairs().count();
        for i in 0..d.instructions.len() {
            let _ = d.var_at(i, "X");
        }
    }
}

#[test]
fn positions_under_tabs_and_alpine_pip() {
    let t = "FROM python:3.9-alpine\nRUN set -xe \\\n  && apk add --no-cache build-base \\\n  && pip install ansible \\\n  && apk del build-base\n";
    let d = parse(t);
    let s = d.instructions[1].script.as_ref().expect("script");
    let pip = s.named("pip").next().expect("pip");
    assert_eq!(pos(t, pip.span.start), (4, 6));
}

#[test]
fn case_patterns_are_not_pipes() {
    let t = "FROM x\nRUN arch=\"$(uname -m)\"; case \"$arch\" in \\\n  amd64|arm64) EXTRA=1 ;; \\\n  i386) apt-get install -y foo ;; \\\n  *) echo other ;; \\\n esac; echo done\n";
    let d = parse(t);
    let s = d.instructions[1].script.as_ref().expect("script");
    assert!(
        !s.has_pipe(),
        "{:?}",
        s.commands.iter().map(|c| c.program()).collect::<Vec<_>>()
    );
    let progs: Vec<_> = s.commands.iter().filter_map(|c| c.program()).collect();
    assert!(
        progs.contains(&"apt-get") && progs.contains(&"echo"),
        "{progs:?}"
    );
    assert!(
        !progs.contains(&"amd64") && !progs.contains(&"esac"),
        "{progs:?}"
    );
}

#[test]
fn onbuild_exec_and_compound_pipes_are_one_analysis() {
    let t = "FROM debian\nONBUILD RUN curl -s https://x | sh\nRUN [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\", \"wget -qO- https://y | tar -x\"]\nRUN [\"apt-get\", \"install\", \"curl\"]\nRUN { curl -s https://z; } | sh && (wget -qO- https://w) | bash\n";
    let d = parse(t);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    // ONBUILD RUN: the trigger carries the script.
    let (inner, s) = d.instructions[1].run().expect("onbuild run");
    assert!(inner.is("RUN"));
    assert_eq!(inner.stage, Some(0));
    assert!(s.commands[0].piped_to_next);
    assert_eq!(s.pipe_target(0).and_then(|c| c.program()), Some("sh"));
    // Exec form through a shell: the script, with pipefail from the options;
    // spans point into the JSON string.
    let s = d.instructions[2].script.as_ref().expect("exec script");
    assert!(s.pipefail);
    assert_eq!(s.commands[0].program(), Some("wget"));
    let sp = s.commands[0].span;
    assert_eq!(&t[sp.start()..sp.start() + 4], "wget");
    // Exec form of another program: one command.
    let s = d.instructions[3].script.as_ref().expect("exec command");
    assert_eq!(s.commands.len(), 1);
    assert_eq!(s.commands[0].args().len(), 2);
    // A group and a subshell piped as a whole.
    let s = d.instructions[4].script.as_ref().expect("script");
    let progs: Vec<_> = s.commands.iter().map(|c| c.program()).collect();
    assert_eq!(
        progs,
        [Some("curl"), Some("sh"), Some("wget"), Some("bash")]
    );
    assert_eq!(s.pipe_target(0).and_then(|c| c.program()), Some("sh"));
    assert_eq!(s.pipe_target(2).and_then(|c| c.program()), Some("bash"));
}

#[test]
fn global_arg_defaults() {
    let d = parse("ARG A=1\nARG B=x${A}y\nARG A\nFROM img:$B\nARG A=9\n");
    assert_eq!(d.global_default("A").as_deref(), Some("1"));
    assert_eq!(d.global_default("B").as_deref(), Some("x1y"));
    assert_eq!(d.stages[0].base_resolved, "img:x1y");
    assert!(d.stages[0].base_known);
    // Unknown references leave the default unknown.
    let d = parse("ARG B=python:${PY}\nFROM $B\n");
    assert_eq!(d.global_default("B"), None);
    assert!(!d.stages[0].base_known);
}

#[test]
fn bash_in_known_images() {
    use image::{ImageRef, has_bash};
    for i in [
        "debian:bookworm-slim",
        "ubuntu",
        "python:3.12-slim",
        "node:22-bookworm",
        "apache/airflow:3.1.0-python3.12",
        "arm32v7/debian:buster",
        "rockylinux:9",
    ] {
        assert!(has_bash(&ImageRef::parse(i)), "{i}");
    }
    for i in [
        "alpine:3.20",
        "python:3.12-alpine",
        "busybox",
        "gcr.io/distroless/static",
        "python:3.12-windowsservercore",
        "example.com/debian:12",
        "scratch",
    ] {
        assert!(!has_bash(&ImageRef::parse(i)), "{i}");
    }
}

#[test]
fn onbuild_triggers_are_steps() {
    let d = parse("FROM a\nONBUILD ADD x /x\nADD y /y\nONBUILD ENV K=v\n");
    let adds: Vec<(usize, bool, Option<usize>)> = d
        .steps_of("ADD")
        .map(|s| (s.index, s.onbuild.is_some(), s.stage))
        .collect();
    assert_eq!(adds, vec![(1, true, Some(0)), (2, false, Some(0))]);
    let env: Vec<&str> = d.env_pairs().map(|p| p.pair.key.as_str()).collect();
    assert_eq!(env, vec!["K"]);
}
