//! The Dockerfile rules' fixes.
//!
//! - Every failing fixture of a fixable AFD rule has its expected text after
//!   `--fix --unsafe-fixes` in `fixtures/docker/<ID>/fixed/<same name>`
//!   (`AFCHECK_BLESS=1 cargo test --test fix_docker` rewrites them; read
//!   the diff). Fixing it changes the text, a second fix changes nothing,
//!   and no rule finds more than before.
//! - Over the real Dockerfiles of `../shared/corpus/dockerfiles`: the same
//!   properties for every file, and the number of fixes per rule (printed
//!   with `--nocapture`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use afcheck::engine::Options;
use afcheck::finding::Applicability;
use afcheck::lint::{fix_document, lint_document};
use afcheck::rules::meta;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// Findings per rule.
fn counts(path: &str, text: &str) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for f in lint_document(path, text, &Options::default()).findings {
        *m.entry(f.rule).or_default() += 1;
    }
    m
}

/// The checks every fixed text must pass; problems are pushed to `errors`.
fn check_fixed(path: &str, before: &str, fixed: &str, errors: &mut Vec<String>) {
    let again = fix_document(path, fixed, &Options::default(), true);
    if again.text != fixed {
        errors.push(format!(
            "{path}: a second fix changes the text again:\n{}",
            again.text
        ));
    }
    let (b, a) = (counts(path, before), counts(path, fixed));
    for (rule, n) in &a {
        let was = b.get(rule).copied().unwrap_or(0);
        if *n > was {
            errors.push(format!(
                "{path}: {rule} finds {n} after the fix, {was} before"
            ));
        }
    }
}

#[test]
fn fixed_fixtures_match() {
    let bless = std::env::var_os("AFCHECK_BLESS").is_some();
    let fixable: Vec<&meta::Meta> = meta::all()
        .iter()
        .filter(|m| m.id.starts_with("AFD") && m.fixable.is_some())
        .collect();
    assert!(
        fixable.len() >= 8,
        "the fixable Dockerfile rules: {}",
        fixable.len()
    );
    let mut errors = Vec::new();
    for m in fixable {
        let dir = root().join("fixtures/docker").join(&m.id);
        let mut changed = 0;
        for case in files(&dir.join("fail")).into_iter().filter(|p| p.is_file()) {
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            let rel = format!("fixtures/docker/{}/fail/{name}", m.id);
            let text = std::fs::read_to_string(&case).unwrap();
            let fixed = fix_document(&rel, &text, &Options::default(), true);
            let expected_path = dir.join("fixed").join(&name);
            if bless {
                std::fs::create_dir_all(dir.join("fixed")).unwrap();
                std::fs::write(&expected_path, &fixed.text).unwrap();
            }
            match std::fs::read_to_string(&expected_path) {
                Ok(expected) if expected == fixed.text => {}
                Ok(_) => errors.push(format!(
                    "{rel}: the fixed text differs from fixed/{name}:\n{}",
                    fixed.text
                )),
                Err(_) => errors.push(format!("{rel}: no fixed/{name}")),
            }
            if fixed.text != text {
                changed += 1;
            }
            check_fixed(&rel, &text, &fixed.text, &mut errors);
        }
        if changed == 0 {
            errors.push(format!(
                "{}: fixable, but no failing fixture is changed by its fix",
                m.id
            ));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
}

#[test]
fn safe_fixes_are_a_subset() {
    // `--fix` alone applies only the safe fixes: AFD005 (unsafe) stays,
    // AFD008 (safe) is fixed.
    let text = "FROM debian:bookworm\nRUN apt-get update && apt-get install curl \\\n    && rm -rf /var/lib/apt/lists/*\n";
    let safe = fix_document("Dockerfile", text, &Options::default(), false);
    assert_eq!(
        safe.text,
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\n"
    );
    let all = fix_document("Dockerfile", text, &Options::default(), true);
    assert_eq!(
        all.text,
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\n"
    );
    // CRLF and a BOM are kept.
    let crlf = "\u{feff}FROM debian:bookworm\r\nRUN curl -fsSL https://x.example/a | tar xz\r\n";
    let fixed = fix_document("Dockerfile", crlf, &Options::default(), true);
    assert_eq!(
        fixed.text,
        "\u{feff}FROM debian:bookworm\r\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\r\nRUN curl -fsSL https://x.example/a | tar xz\r\n"
    );
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/corpus/dockerfiles; run scripts/fetch-test-data.sh"
)]
fn corpus_fixes_hold() {
    let dir = root().join("../shared/corpus/dockerfiles");
    let mut stack = vec![dir.clone()];
    let mut all = Vec::new();
    while let Some(d) = stack.pop() {
        for p in files(&d) {
            if p.is_dir() {
                stack.push(p);
            } else {
                all.push(p);
            }
        }
    }
    all.sort();
    let mut errors = Vec::new();
    // Per fixable rule: findings with a safe fix, an unsafe fix, none.
    let mut per_rule: BTreeMap<&'static str, [usize; 3]> = BTreeMap::new();
    let (mut dockerfiles, mut fixed_files) = (0, 0);
    for p in &all {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let rel = p
            .strip_prefix(root())
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/");
        let run = lint_document(&rel, &text, &Options::default());
        if run.files.first().map(|f| &f.kind) != Some(&afcheck::document::Kind::Dockerfile) {
            continue;
        }
        dockerfiles += 1;
        for f in &run.findings {
            if meta::get(f.rule).is_none_or(|m| m.fixable.is_none()) {
                continue;
            }
            let slot = match f.fix.as_ref().map(|fx| fx.applicability) {
                Some(Applicability::Safe) => 0,
                Some(Applicability::Unsafe) => 1,
                None => 2,
            };
            per_rule.entry(f.rule).or_default()[slot] += 1;
        }
        let fixed = fix_document(&rel, &text, &Options::default(), true);
        if fixed.text != text {
            fixed_files += 1;
            // For reading the diffs: AFCHECK_FIX_DUMP=<dir> writes each
            // changed file's before and after there.
            if let Some(out) = std::env::var_os("AFCHECK_FIX_DUMP") {
                let name = rel.replace('/', "+");
                let out = Path::new(&out);
                std::fs::create_dir_all(out).unwrap();
                std::fs::write(out.join(format!("{name}.before")), &text).unwrap();
                std::fs::write(out.join(format!("{name}.after")), &fixed.text).unwrap();
            }
            check_fixed(&rel, &text, &fixed.text, &mut errors);
        }
    }
    println!("{dockerfiles} Dockerfiles, {fixed_files} changed by --fix --unsafe-fixes");
    for (rule, [safe, unsafe_, none]) in &per_rule {
        println!("{rule}: {safe} safe, {unsafe_} unsafe, {none} without a fix");
    }
    assert!(
        dockerfiles > 500,
        "the corpus is missing: {dockerfiles} Dockerfiles"
    );
    assert!(fixed_files > 0);
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
}

/// (what, input, expected after `--fix`, expected after `--fix --unsafe-fixes`).
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "the removal goes before a trailing shell comment",
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl # tools\n",
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* # tools\n",
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* # tools\n",
    ),
    (
        "no removal after a script that ends with `;`",
        "FROM debian:bookworm\nRUN apt-get update; apt-get install -y --no-install-recommends curl;\n",
        "FROM debian:bookworm\nRUN apt-get update; apt-get install -y --no-install-recommends curl;\n",
        "FROM debian:bookworm\nRUN apt-get update; apt-get install -y --no-install-recommends curl;\n",
    ),
    (
        "no removal when the install needs sudo (it would need it too)",
        "FROM debian:bookworm\nUSER app\nRUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl\n",
        "FROM debian:bookworm\nUSER app\nRUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl\n",
        "FROM debian:bookworm\nUSER app\nRUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl\n",
    ),
    (
        "a later RUN uses apt: removing the lists is unsafe",
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n",
    ),
    (
        "a heredoc script gets the removal on its last line",
        "FROM debian:bookworm\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends curl\n# done\nEOF\n",
        "FROM debian:bookworm\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n# done\nEOF\n",
        "FROM debian:bookworm\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n# done\nEOF\n",
    ),
    (
        "CRLF with continuations",
        "FROM debian:bookworm\r\nRUN apt-get update \\\r\n    && apt-get install curl \\\r\n    && pip install x\r\n",
        "FROM debian:bookworm\r\nRUN apt-get update \\\r\n    && apt-get install -y curl \\\r\n    && pip install --no-cache-dir x && rm -rf /var/lib/apt/lists/*\r\n",
        "FROM debian:bookworm\r\nRUN apt-get update \\\r\n    && apt-get install -y --no-install-recommends curl \\\r\n    && pip install --no-cache-dir x && rm -rf /var/lib/apt/lists/*\r\n",
    ),
    (
        "zypper takes -n before the subcommand",
        "FROM opensuse/leap:15.6\nRUN zypper install curl && zypper clean -a\n",
        "FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean -a\n",
        "FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean -a\n",
    ),
    (
        "an ONBUILD RUN is fixed in place",
        "FROM python:3.12-slim\nONBUILD RUN pip install -r requirements.txt\n",
        "FROM python:3.12-slim\nONBUILD RUN pip install --no-cache-dir -r requirements.txt\n",
        "FROM python:3.12-slim\nONBUILD RUN pip install --no-cache-dir -r requirements.txt\n",
    ),
    (
        "ADD: lower case kept, a pattern is unsafe, ADD-only flags get no fix",
        "FROM alpine:3.20\nadd app.py /app/\nADD *.py /app/\nADD --checksum=sha256:0000 local.txt /app/\nONBUILD ADD . /src\n",
        "FROM alpine:3.20\ncopy app.py /app/\nADD *.py /app/\nADD --checksum=sha256:0000 local.txt /app/\nONBUILD COPY . /src\n",
        "FROM alpine:3.20\ncopy app.py /app/\nCOPY *.py /app/\nADD --checksum=sha256:0000 local.txt /app/\nONBUILD COPY . /src\n",
    ),
    (
        "WORKDIR: safe after a known WORKDIR, unsafe from the base image's",
        "FROM alpine:3.20\nWORKDIR lib\nWORKDIR /opt/app\nWORKDIR ../data/./x\nFROM scratch\nWORKDIR bin\n",
        "FROM alpine:3.20\nWORKDIR lib\nWORKDIR /opt/app\nWORKDIR /opt/data/x\nFROM scratch\nWORKDIR /bin\n",
        "FROM alpine:3.20\nWORKDIR /lib\nWORKDIR /opt/app\nWORKDIR /opt/data/x\nFROM scratch\nWORKDIR /bin\n",
    ),
    (
        "CMD: exec form only without shell syntax; a leading exec is dropped",
        "FROM python:3.12-slim\nCMD exec gunicorn -b 0.0.0.0:8000 app:app\nENTRYPOINT python -m app $ARGS\n",
        "FROM python:3.12-slim\nCMD exec gunicorn -b 0.0.0.0:8000 app:app\nENTRYPOINT python -m app $ARGS\n",
        "FROM python:3.12-slim\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\nENTRYPOINT python -m app $ARGS\n",
    ),
    (
        "pipefail: one SHELL per stage, above the RUN's comments; none without bash",
        "FROM debian:bookworm\n# fetch\n# and unpack\nRUN curl -fsSL https://x.example/a | tar xz\nRUN curl -fsSL https://x.example/b | tar xz\nFROM alpine:3.20\nRUN wget -qO- https://x.example/c | tar xz\n",
        "FROM debian:bookworm\n# fetch\n# and unpack\nRUN curl -fsSL https://x.example/a | tar xz\nRUN curl -fsSL https://x.example/b | tar xz\nFROM alpine:3.20\nRUN wget -qO- https://x.example/c | tar xz\n",
        "FROM debian:bookworm\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n# fetch\n# and unpack\nRUN curl -fsSL https://x.example/a | tar xz\nRUN curl -fsSL https://x.example/b | tar xz\nFROM alpine:3.20\nRUN wget -qO- https://x.example/c | tar xz\n",
    ),
    (
        "pipefail: bash installed by an earlier RUN",
        "FROM alpine:3.20\nRUN wget -qO- https://x.example/c | tar xz\nRUN apk add --no-cache bash curl\nRUN curl -fsSL https://x.example/a | tar xz\n",
        "FROM alpine:3.20\nRUN wget -qO- https://x.example/c | tar xz\nRUN apk add --no-cache bash curl\nRUN curl -fsSL https://x.example/a | tar xz\n",
        "FROM alpine:3.20\nRUN wget -qO- https://x.example/c | tar xz\nRUN apk add --no-cache bash curl\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://x.example/a | tar xz\n",
    ),
];

#[test]
fn fix_cases() {
    let mut errors = Vec::new();
    for (what, input, safe, all) in CASES {
        for (unsafe_fixes, want) in [(false, safe), (true, all)] {
            let got = fix_document("Dockerfile", input, &Options::default(), unsafe_fixes);
            if got.text != *want {
                errors.push(format!(
                    "{what} (unsafe fixes: {unsafe_fixes}):\n--- want\n{want}--- got\n{}",
                    got.text
                ));
            }
        }
        check_fixed("Dockerfile", input, all, &mut errors);
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
