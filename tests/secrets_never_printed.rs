//! No output format ever prints a secret value. The fixtures of every
//! secret detector (AFS001-AFS007) and of the domain rules that report
//! credentials (AFD016, AFK029, AFK030, AFC008-AFC010, AFH002), plus the
//! seed guide, are checked once through the engine to learn every secret
//! span afcheck finds; then the binary writes every format (and a baseline)
//! for the same files, and none may contain any of those values.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use afcheck::engine::{self, Options};

const DIRS: &[&str] = &[
    "fixtures/secrets",
    "fixtures/docker/AFD016",
    "fixtures/k8s/AFK029",
    "fixtures/k8s/AFK030",
    "fixtures/airflow/AFC008",
    "fixtures/airflow/AFC009",
    "fixtures/airflow/AFC010",
    "fixtures/helm/AFH002",
    "fixtures/seed-guide",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every secret value the engine marks, per detector rule.
fn planted() -> (BTreeSet<String>, BTreeSet<&'static str>) {
    std::env::set_current_dir(root()).unwrap();
    let opts = Options::default();
    let paths: Vec<_> = DIRS
        .iter()
        .map(|d| root().join(d))
        .filter(|p| p.exists())
        .collect();
    let inputs = engine::discover(&paths, &opts).unwrap();
    let run = engine::run(&inputs, &opts);
    let mut secrets = BTreeSet::new();
    let mut rules = BTreeSet::new();
    for f in &run.findings {
        for s in &f.secrets {
            let text = run
                .file(f.file)
                .slice(*s)
                .trim()
                .trim_matches(|c| c == '"' || c == '\'');
            // Short values (`admin`, `changeme`) are words that can occur in
            // messages for other reasons; every longer value must never appear.
            if text.chars().count() >= 10 {
                secrets.insert(text.to_string());
                rules.insert(f.rule);
            }
        }
    }
    (secrets, rules)
}

fn output(args: &[&str]) -> String {
    let mut full: Vec<&str> = vec!["--no-config", "--fail-on", "never"];
    full.extend_from_slice(args);
    full.extend(DIRS.iter().copied().filter(|d| root().join(d).exists()));
    let o = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .current_dir(root())
        .env_remove("NO_COLOR")
        .args(&full)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn no_format_prints_a_secret() {
    let (secrets, rules) = planted();
    for r in [
        "AFS001", "AFS002", "AFS003", "AFS004", "AFS005", "AFS006", "AFS007", "AFD016", "AFK029",
        "AFC008", "AFH002",
    ] {
        assert!(rules.contains(r), "no secret planted for {r}: {rules:?}");
    }
    assert!(
        secrets.len() >= 20,
        "too few planted secrets: {}",
        secrets.len()
    );

    let dir = std::env::temp_dir().join(format!("afcheck-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let baseline = dir.join("baseline.json");
    let mut outputs = vec![];
    for fmt in ["terminal", "compact", "json", "github"] {
        outputs.push((fmt.to_string(), output(&["--format", fmt])));
    }
    // SARIF: the results; the rule catalogue in `tool.driver.rules` is static
    // documentation (it names placeholders such as `temporary_key`).
    let mut sarif: serde_json::Value =
        serde_json::from_str(&output(&["--format", "sarif"])).unwrap();
    sarif["runs"][0]["tool"] = serde_json::Value::Null;
    outputs.push(("sarif".into(), sarif.to_string()));
    let b = baseline.to_string_lossy().into_owned();
    output(&["--write-baseline", &b]);
    outputs.push((
        "baseline".into(),
        std::fs::read_to_string(&baseline).unwrap(),
    ));

    let mut leaks = Vec::new();
    for (fmt, out) in &outputs {
        assert!(out.len() > 1000, "{fmt}: output too short");
        for s in &secrets {
            if out.contains(s.as_str()) {
                let head: String = s.chars().take(4).collect();
                leaks.push(format!(
                    "{fmt}: leaks a secret starting `{head}` ({} chars)",
                    s.chars().count()
                ));
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

/// A small deterministic PRNG (xorshift64*), so the property test needs no
/// crate and fails the same way every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn string(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| *self.pick(alphabet) as char).collect()
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A random secret of a shape afcheck recognises anywhere (a token) or only
/// in a sensitive position (a password), and whether it is a token.
fn random_secret(rng: &mut Rng) -> (String, bool) {
    match rng.below(6) {
        0 => (format!("ghp_{}", rng.string(ALNUM, 36)), true),
        1 => (format!("AKIA{}", rng.string(UPPER_DIGITS, 16)), true),
        2 => (format!("glpat-{}", rng.string(ALNUM, 20)), true),
        3 => (
            format!(
                "xoxb-{}-{}-{}",
                rng.string(b"0123456789", 12),
                rng.string(b"0123456789", 13),
                rng.string(ALNUM, 24)
            ),
            true,
        ),
        _ => {
            let n = 14 + rng.below(12);
            (format!("{}9x", rng.string(ALNUM, n)), false)
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Dockerfile,
    Manifest,
    Secret,
    HelmValues,
    HelmTemplate,
    Cfg,
    DockerIgnore,
    Compose,
    EnvFile,
}

/// A line carrying `secret` in a sensitive position for `kind`, indented
/// like `indent`.
fn sensitive_line(rng: &mut Rng, kind: Kind, secret: &str, indent: &str) -> String {
    match kind {
        Kind::Dockerfile => match rng.below(5) {
            0 => format!("ENV DB_PASSWORD={secret}"),
            1 => format!("ARG API_TOKEN={secret}"),
            2 => format!("ADD https://deploy:{secret}@files.internal.corp/a.tgz /tmp/"),
            3 => {
                format!("RUN pip install git+https://build:{secret}@git.internal.corp/org/lib.git")
            }
            _ => format!("RUN curl -u admin:{secret} https://api.internal.corp/x"),
        },
        Kind::Manifest | Kind::HelmValues | Kind::HelmTemplate => match rng.below(3) {
            0 => format!("{indent}db_password: {secret}"),
            1 => format!("{indent}broker_url: redis://:{secret}@redis:6379/0"),
            _ => format!("{indent}api_token: \"{secret}\""),
        },
        Kind::Secret => format!("  key{}: {secret}", rng.below(1000)),
        Kind::Cfg => match rng.below(3) {
            0 => format!("smtp_password = {secret}"),
            1 => format!("sql_alchemy_conn = postgresql://airflow:{secret}@db:5432/airflow"),
            _ => format!("secret_key = {secret}"),
        },
        Kind::DockerIgnore => format!("# https://ci:{secret}@ci.internal.corp/"),
        Kind::Compose => match rng.below(3) {
            0 => format!("{indent}AIRFLOW__CORE__FERNET_KEY: {secret}"),
            1 => format!(
                "{indent}AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: postgresql://airflow:{secret}@db/airflow"
            ),
            _ => format!("{indent}POSTGRES_PASSWORD: {secret}"),
        },
        Kind::EnvFile => match rng.below(3) {
            0 => format!("AIRFLOW__WEBSERVER__SECRET_KEY={secret}"),
            1 => format!("AIRFLOW__CELERY__BROKER_URL=redis://:{secret}@redis:6379/0"),
            _ => format!("AIRFLOW__CORE__LOAD_EXAMPLES={secret}"),
        },
    }
}

fn base_files() -> Vec<(Kind, &'static str, String)> {
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    vec![
        (
            Kind::Dockerfile,
            "Dockerfile",
            read("fixtures/seed-guide/Dockerfile.best_practices"),
        ),
        (
            Kind::Manifest,
            "k8s/deploy.yaml",
            read("fixtures/seed-guide/deployment-strategies.yaml"),
        ),
        (
            Kind::Secret,
            "k8s/secret.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: Opaque\nstringData:\n  user: airflow\n"
                .to_string(),
        ),
        (
            Kind::HelmValues,
            "chart/values.yaml",
            read("fixtures/seed-guide/values.yaml"),
        ),
        (
            Kind::HelmTemplate,
            "chart/templates/deployment.yaml",
            read("fixtures/yaml/AFY003/fail/airflow-chart/templates/deployment.yaml"),
        ),
        (
            Kind::Cfg,
            "airflow.cfg",
            read("fixtures/airflow/AFC008/fail/airflow.cfg"),
        ),
        (
            Kind::DockerIgnore,
            ".dockerignore",
            read("fixtures/seed-guide/.dockerignore"),
        ),
        (
            Kind::Compose,
            "compose/docker-compose.yaml",
            read("fixtures/airflow/AFC014/fail/compose-env-file/docker-compose.yaml"),
        ),
        (
            Kind::EnvFile,
            "compose/airflow.env",
            read("fixtures/airflow/AFC014/fail/compose-env-file/airflow.env"),
        ),
    ]
}

/// Plants secrets in a file: token-shaped ones anywhere (inside a line,
/// on a line of their own, in a comment), others in sensitive positions.
fn plant(rng: &mut Rng, kind: Kind, text: &str, planted: &mut Vec<String>) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for _ in 0..1 + rng.below(4) {
        let (secret, token) = random_secret(rng);
        let at = rng.below(lines.len() + 1);
        // Not inside a secret planted before: cutting it would leave a
        // piece no detector could recognise.
        let inside_planted = lines
            .get(at)
            .is_some_and(|l| planted.iter().any(|p| l.contains(p.as_str())));
        if token && kind != Kind::Secret && rng.below(2) == 0 && at < lines.len() && !inside_planted
        {
            // Inside an existing line, at a random character boundary.
            let line = &lines[at];
            let cuts: Vec<usize> = line
                .char_indices()
                .map(|(i, _)| i)
                .chain([line.len()])
                .collect();
            let cut = *rng.pick(&cuts);
            let new = format!("{} {secret} {}", &line[..cut], &line[cut..]);
            lines[at] = new;
        } else if token && kind != Kind::Secret && rng.below(2) == 0 {
            let comment = if kind == Kind::Cfg { ";" } else { "#" };
            let line = match rng.below(2) {
                0 => secret.clone(),
                _ => format!("{comment} {secret}"),
            };
            lines.insert(at, line);
        } else {
            let at = match kind {
                Kind::Secret => lines.len(),
                // Inside the service's `environment:` mapping.
                Kind::Compose => lines
                    .iter()
                    .position(|l| l.trim() == "environment:")
                    .map_or(lines.len(), |i| i + 1),
                _ => at,
            };
            let indent: String = lines
                .get(at)
                .map(|l| l.chars().take_while(|c| *c == ' ').collect())
                .unwrap_or_default();
            let line = sensitive_line(rng, kind, &secret, &indent);
            lines.insert(at, line);
        }
        planted.push(secret);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[test]
fn random_secrets_in_random_positions_never_reach_any_output() {
    use afcheck::report::{self, Format, ReportOptions};
    let mut rng = Rng(0x5eed_af0c_0e17_2026);
    let bases = base_files();
    let dir = std::env::temp_dir().join(format!("afcheck-planted-{}", std::process::id()));
    let mut checked = 0usize;
    // More rounds (and another seed) on demand: AFCHECK_PLANT_ROUNDS=500.
    let rounds: usize = std::env::var("AFCHECK_PLANT_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    if let Some(seed) = std::env::var("AFCHECK_PLANT_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        rng = Rng(seed);
    }
    for round in 0..rounds {
        let _ = std::fs::remove_dir_all(&dir);
        let mut planted = Vec::new();
        for (kind, name, text) in &bases {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, plant(&mut rng, *kind, text, &mut planted)).unwrap();
        }
        // Some rounds select a few rules only, or suppress the secret rules:
        // masking must not depend on which rules report.
        let mut opts = Options::default();
        match round % 3 {
            1 => opts.select = vec!["AFD".into(), "AFY".into()],
            2 => opts.ignore = vec!["AFS".into(), "AFC008".into(), "AFD016".into()],
            _ => {}
        }
        let inputs = engine::discover(std::slice::from_ref(&dir), &opts).unwrap();
        assert!(inputs.len() >= bases.len() - 1, "{inputs:?}");
        let run = engine::run(&inputs, &opts);
        let mut outputs: Vec<(String, String)> = Vec::new();
        for color in [false, true] {
            for f in Format::ALL {
                let o = ReportOptions {
                    color,
                    ..ReportOptions::default()
                };
                outputs.push((f.as_str().to_string(), report::to_string(&run, f, &o)));
            }
        }
        outputs.push(("baseline".into(), afcheck::baseline::to_string(&run)));
        assert!(!run.findings.is_empty());
        for (what, out) in &outputs {
            let lower = out.to_ascii_lowercase();
            for s in &planted {
                for w in s.as_bytes().windows(8) {
                    let piece = std::str::from_utf8(w).unwrap().to_ascii_lowercase();
                    if let Some(i) = lower.find(&piece) {
                        let a = out.floor_char_boundary(i.saturating_sub(300));
                        let b = out.ceil_char_boundary((i + 300).min(out.len()));
                        panic!(
                            "round {round}: {what} shows `{piece}` of a planted secret `{}…`:\n{}",
                            &s[..4],
                            &out[a..b]
                        );
                    }
                    checked += 1;
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(checked > 10_000, "{checked}");
}

#[test]
fn report_files_and_baseline_written_by_the_cli_hold_no_secret() {
    let token = "ghp_Zq8XwV3nT6yB1mK4pL7sD9fH2jR5cA0eG3uI";
    let pass = "Sup3rSecretPassw0rd";
    let dir = std::env::temp_dir().join(format!("afcheck-cli-files-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Dockerfile"),
        format!(
            "ARG TAG={token}\nFROM python:${{TAG}}\nADD https://user:{pass}@files.internal.corp/a.tgz /tmp/\n{token}\n"
        ),
    )
    .unwrap();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let p = |n: &str| out.join(n).to_string_lossy().into_owned();
    let run = |args: &[String]| {
        let o = Command::new(env!("CARGO_BIN_EXE_afcheck"))
            .current_dir(&dir)
            .args(["--no-config", "--fail-on", "never", "Dockerfile"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
    };
    let mut texts = vec![run(&[
        "--output".into(),
        p("out.txt"),
        "--format".into(),
        "terminal".into(),
        "--sarif-file".into(),
        p("out.sarif"),
        "--report".into(),
        format!("json={}", p("out.json")),
        "--report".into(),
        format!("github={}", p("out.github")),
        "--report".into(),
        format!("compact={}", p("out.compact")),
    ])];
    texts.push(run(&["--write-baseline".into(), p("baseline.json")]));
    for n in [
        "out.txt",
        "out.sarif",
        "out.json",
        "out.github",
        "out.compact",
        "baseline.json",
    ] {
        let t = std::fs::read_to_string(out.join(n)).unwrap();
        assert!(t.len() > 100, "{n} is too short");
        texts.push(t);
    }
    for t in &texts {
        let lower = t.to_ascii_lowercase();
        for s in [token, pass] {
            for w in s.as_bytes().windows(8) {
                let piece = std::str::from_utf8(w).unwrap().to_ascii_lowercase();
                assert!(!lower.contains(&piece), "`{piece}` in:\n{t}");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
