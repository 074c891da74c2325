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
            assert!(f.fix.as_deref().is_none_or(|x| !x.contains(secret)));
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
