//! Engine-level checks of the Dockerfile rules that fixtures cannot express.

use afcheck::engine::{self, Input, Options};

fn run(name: &str, text: &str, select: &str) -> (engine::Run, String) {
    let inputs = vec![Input::Text {
        name: name.to_string(),
        bytes: text.as_bytes().to_vec(),
    }];
    let opts = Options {
        select: vec![select.to_string()],
        ..Options::default()
    };
    (engine::run(&inputs, &opts), text.to_string())
}

#[test]
fn secrets_are_masked_and_marked() {
    let text = "FROM apache/airflow:3.1.0-python3.12\nENV AIRFLOW__CORE__FERNET_KEY=Jh2mHk3d9x8s7FqP1oVbU4wZ6yT0rE5cN2aL8gK1iXc=\nARG DB_PASSWORD=hunter2\nENV AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=postgresql://airflow:s3cr3tpw@db/airflow\n";
    let (run, text) = run("Dockerfile", text, "AFD016");
    assert_eq!(run.findings.len(), 3);
    for f in &run.findings {
        for secret in [
            "Jh2mHk3d9x8s7FqP1oVbU4wZ6yT0rE5cN2aL8gK1iXc=",
            "hunter2",
            "s3cr3tpw",
        ] {
            assert!(!f.message.contains(secret), "{}", f.message);
            assert!(f.help.as_deref().is_none_or(|x| !x.contains(secret)));
        }
        assert_eq!(f.secrets.len(), 1);
        let s = f.secrets[0];
        let value = &text[s.start()..s.end()];
        assert!(!value.is_empty() && f.span.contains(s), "{value}");
    }
}

#[test]
fn seed_guide_expectations() {
    let seed = "FROM apache/airflow:2.7.0-python3.9\nLABEL maintainer=\"devops@company.com\"\nUSER root\nRUN apt-get update && apt-get install -y \\\n    curl \\\n    wget \\\n    gnupg \\\n    && rm -rf /var/lib/apt/lists/*\nWORKDIR /opt/airflow\nUSER airflow\n";
    let (r, _) = run("Dockerfile", seed, "AFD");
    let ids: Vec<&str> = r.findings.iter().map(|f| f.rule).collect();
    assert!(!ids.contains(&"AFD003"), "{ids:?}");
    assert!(ids.contains(&"AFD024"), "{ids:?}");
    let hardening = "FROM python:3.9-slim as builder\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --user --no-cache-dir -r requirements.txt\nFROM python:3.9-slim\nWORKDIR /app\nCOPY --from=builder /root/.local /root/.local\nENV PATH=/root/.local/bin:$PATH\n";
    let (r, _) = run("Dockerfile", hardening, "AFD003");
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.file(0).position(r.findings[0].span.start()).line, 5);
}

#[test]
fn commands_in_continued_run_point_at_their_line() {
    let text = "FROM debian:bookworm\nRUN apt-get update \\\n    # comment\n\n    && apt-get install -y \\\n       curl\n";
    let (r, _) = run("Dockerfile", text, "AFD005");
    assert_eq!(r.findings.len(), 1);
    let p = r.file(0).position(r.findings[0].span.start());
    assert_eq!((p.line, p.column), (5, 8));
}

use afcheck::finding::Severity;

fn scratch_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("afcheck-df-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn severities(name: &str, text: &str, rule: &str) -> Vec<Severity> {
    let (r, _) = run(name, text, rule);
    r.findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.severity)
        .collect()
}

#[test]
fn severity_follows_what_is_known() {
    // A base whose user afcheck does not know: a note, never an error.
    assert_eq!(
        severities("Dockerfile", "FROM ghcr.io/acme/base:1\n", "AFD003"),
        [Severity::Note]
    );
    // A base known to run as root: a warning.
    assert_eq!(
        severities("Dockerfile", "FROM debian:bookworm\n", "AFD003"),
        [Severity::Warning]
    );
    // Known non-root bases: nothing.
    for base in [
        "apache/airflow:3.1.0",
        "quay.io/astronomer/astro-runtime:12.6.0",
        "gcr.io/distroless/static-debian12:nonroot",
        "cgr.dev/chainguard/static:latest",
    ] {
        assert!(
            severities("Dockerfile", &format!("FROM {base}\n"), "AFD003").is_empty(),
            "{base}"
        );
    }
    let (r, _) = run("Dockerfile", "FROM ghcr.io/acme/base:1\n", "AFD003");
    assert!(
        r.findings[0]
            .message
            .contains("does not know the default user"),
        "{}",
        r.findings[0].message
    );
    // curl | sh: an error over plain HTTP only.
    let t = "FROM debian\nRUN curl -fsSL http://x.example/i.sh | sh\nRUN curl -fsSL https://x.example/i.sh | sh\n";
    assert_eq!(
        severities("Dockerfile", t, "AFD013"),
        [Severity::Error, Severity::Warning]
    );
    // A build argument baked into ENV: a warning (what is passed is unknown);
    // a literal secret: an error.
    let t = "FROM debian\nARG T\nENV GITHUB_TOKEN=$T\nENV DB_PASSWORD=hunter2\n";
    assert_eq!(
        severities("Dockerfile", t, "AFD016"),
        [Severity::Warning, Severity::Error]
    );
}

#[test]
fn global_args_keep_their_defaults_in_stages() {
    // Re-declared without a value in the stage, and a default that
    // references another ARG: the FROM checks still see the image.
    let t = "ARG PY=3.8\nARG BASE=python:${PY}-slim\nFROM ${BASE} AS main\nARG BASE\nARG PY\nRUN echo $PY\n";
    for rule in ["AFD024", "AFD003", "AFD002"] {
        let (r, _) = run("Dockerfile", t, rule);
        assert_eq!(r.findings.len(), 1, "{rule}: {:?}", r.findings);
        assert_eq!(r.file(0).position(r.findings[0].span.start()).line, 3);
    }
}

#[test]
fn discovery_finds_named_variants_and_sniffs_tabs() {
    let d = scratch_dir("discovery");
    for n in [
        "Dockerfile-dev",
        "Dockerfile_prod",
        "dev.Dockerfile",
        "Containerfile.arm64",
    ] {
        std::fs::write(d.join(n), "FROM debian:bookworm\n").unwrap();
    }
    std::fs::write(d.join("dockerfile_test.go"), "package x\n").unwrap();
    std::fs::write(d.join("notes.md"), "# notes\n").unwrap();
    let opts = Options::default();
    let inputs = engine::discover(std::slice::from_ref(&d), &opts).unwrap();
    let r = engine::run(&inputs, &opts);
    let mut names: Vec<String> = r
        .files
        .iter()
        .filter(|f| f.kind == afcheck::document::Kind::Dockerfile)
        .map(|f| {
            std::path::Path::new(&f.file.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Containerfile.arm64",
            "Dockerfile-dev",
            "Dockerfile_prod",
            "dev.Dockerfile"
        ]
    );
    // A file passed by name whose first instruction is `FROM<TAB>`.
    let f = d.join("image.def");
    std::fs::write(&f, "# base\nFROM\tdebian:bookworm\nRUN true\n").unwrap();
    let inputs = engine::discover(std::slice::from_ref(&f), &opts).unwrap();
    let r = engine::run(&inputs, &opts);
    assert!(
        r.files[0].kind == afcheck::document::Kind::Dockerfile,
        "FROM<TAB> is a Dockerfile"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn whole_context_copy_says_what_is_at_risk() {
    let d = scratch_dir("context");
    std::fs::write(d.join("Dockerfile"), "FROM debian:bookworm\nCOPY . /app\n").unwrap();
    let opts = Options {
        select: vec!["AFD017".into()],
        ..Options::default()
    };
    let check = || {
        let inputs = engine::discover(std::slice::from_ref(&d), &opts).unwrap();
        engine::run(&inputs, &opts)
    };
    // Nothing sensitive in the context: a note, and no `.git` claim.
    let r = check();
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].severity, Severity::Note);
    assert!(
        !r.findings[0].message.contains(".git"),
        "{}",
        r.findings[0].message
    );
    // A `.git` directory and a `.env` file: a warning naming them.
    std::fs::create_dir_all(d.join(".git")).unwrap();
    std::fs::write(d.join(".env"), "DEBUG=1\n").unwrap();
    let r = check();
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].severity, Severity::Warning);
    let m = &r.findings[0].message;
    assert!(m.contains("`.env`") && m.contains("`.git`"), "{m}");
    // A .dockerignore that excludes `.git` only: `.env` is still at risk.
    std::fs::write(d.join(".dockerignore"), ".git\n").unwrap();
    let r = check();
    assert_eq!(r.findings.len(), 1);
    let m = &r.findings[0].message;
    assert!(m.contains("`.env`") && !m.contains("`.git`"), "{m}");
    let _ = std::fs::remove_dir_all(&d);
}
