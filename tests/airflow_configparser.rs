//! The `.cfg` parser against Airflow's ConfigParser: the 16 verified cases of
//! `configparser-cases.json` (Airflow 3.3 column), and, when `python3` is
//! available, Python's `configparser` (strict, BasicInterpolation,
//! case-preserving keys as Airflow reads them) on generated inputs.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use afcheck::airflow::cfg::{CfgErrorKind, CfgFile, DEFAULT_SECTION, parse_cfg};
use afcheck::airflow::knowledge::{self, Version};
use serde_json::Value;

fn cases_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/reference/airflow/configparser-cases.json")
}

/// The exception configparser raises while reading, if any.
fn read_error(f: &CfgFile) -> Option<&'static str> {
    let fatal = f.errors.iter().find_map(|e| match e.kind {
        CfgErrorKind::DuplicateOption { .. } => Some("DuplicateOptionError"),
        CfgErrorKind::DuplicateSection { .. } => Some("DuplicateSectionError"),
        CfgErrorKind::MissingSectionHeader => Some("MissingSectionHeaderError"),
        CfgErrorKind::Syntax => None,
    });
    fatal.or_else(|| (!f.errors.is_empty()).then_some("ParsingError"))
}

/// Airflow's lookup of `section`/`key` emulated over a parsed file: env var,
/// env `_CMD`, file (interpolated, `$VAR` expanded), file `_cmd` (only
/// `echo`), deprecated fallback, default.
fn airflow_get(
    f: &CfgFile,
    env: &BTreeMap<String, String>,
    section: &str,
    key: &str,
) -> Result<String, String> {
    let ver = Version::newest();
    let name = format!(
        "AIRFLOW__{}__{}",
        section.to_uppercase(),
        key.to_uppercase()
    );
    if let Some(v) = env.get(&name) {
        return Ok(v.clone());
    }
    if let Some(r) = f.get(section, key) {
        let v = r.map_err(|e| format!("InterpolationSyntaxError {e:?}"))?;
        let mut out = v.clone();
        for (k, val) in env {
            out = out
                .replace(&format!("${{{k}}}"), val)
                .replace(&format!("${k}"), val);
        }
        return Ok(out);
    }
    if knowledge::supports_cmd_secret(section, key, ver)
        && let Some(c) = f.raw(section, &format!("{key}_cmd"))
        && let Some(rest) = c.value.strip_prefix("echo ")
    {
        return Ok(format!("{rest}\n"));
    }
    // Deprecated names this version still reads.
    for (os, ok) in knowledge::old_names(section, key, ver) {
        if let Some(Ok(v)) = f.get(os, &ok) {
            return Ok(v);
        }
    }
    if let Some(o) = knowledge::option_in(section, key, ver)
        && let Some(d) = o.default(ver)
    {
        return Ok(d.replace("{AIRFLOW_HOME}", "/opt/airflow"));
    }
    Err(format!(
        "AirflowConfigException: section/key [{section}/{key}] not found in config"
    ))
}

#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/reference/airflow; run scripts/fetch-test-data.sh"
)]
fn reference_cases() {
    let path = cases_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}: run scripts/fetch-test-data.sh", path.display()));
    let cases: Vec<Value> = serde_json::from_str(&text).expect("cases JSON");
    assert_eq!(cases.len(), 16);
    let mut failures = Vec::new();
    for c in &cases {
        let name = c["case"].as_str().unwrap_or("?");
        let input = c["input"].as_str().unwrap_or("");
        let env: BTreeMap<String, String> = c["env"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let f = parse_cfg(input);
        let want = &c["airflow_3_3_parser"];
        if let Some(err) = want.as_str() {
            let class = err.split(':').next().unwrap_or("");
            if read_error(&f) != Some(class) {
                failures.push(format!("{name}: want {class}, got {:?}", read_error(&f)));
            }
            continue;
        }
        if let Some(e) = read_error(&f) {
            failures.push(format!("{name}: unexpected {e}"));
            continue;
        }
        for (call, expected) in want.as_object().into_iter().flatten() {
            let inner = call
                .split_once('(')
                .map(|(_, r)| r.trim_end_matches(')'))
                .unwrap_or("");
            let (section, key) = inner.split_once(',').unwrap_or(("", ""));
            let got = airflow_get(&f, &env, section, key);
            let boolean = call.starts_with("getboolean")
                || expected
                    .as_str()
                    .is_some_and(|s| s.contains("Failed to convert value to bool"));
            let ok = match (boolean, expected) {
                (true, Value::Bool(b)) => {
                    got.as_deref().ok().and_then(knowledge::parse_bool) == Some(*b)
                }
                (true, Value::String(_)) => got
                    .as_deref()
                    .ok()
                    .and_then(knowledge::parse_bool)
                    .is_none(),
                (false, Value::String(s)) if s.starts_with("InterpolationSyntaxError") => got
                    .as_ref()
                    .is_err_and(|e| e.starts_with("InterpolationSyntaxError")),
                (false, Value::String(s)) if s.starts_with("AirflowConfigException") => {
                    got.is_err()
                }
                (false, Value::String(s)) => got.as_deref() == Ok(s.as_str()),
                _ => false,
            };
            if !ok {
                failures.push(format!("{name}: {call}: want {expected}, got {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A tiny deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

fn generate(rng: &mut Rng) -> String {
    let sections = ["core", "database", "DEFAULT", "webserver", "Core", "api"];
    let keys = [
        "load_examples",
        "parallelism",
        "sql_alchemy_conn",
        "pw",
        "host",
        "Executor",
        "x y",
        "k",
    ];
    let values = [
        "False",
        "postgresql://a:p%40ss@db/x",
        "postgresql://a:p%%40ss@db/x",
        "u:%(pw)s@%(host)s/d",
        "%(missing)s",
        "%(k)s",
        "100%%",
        "a # not a comment",
        "b ; nor this",
        "",
        "\"quoted\"",
        "%(",
        "%(pw)",
        "é ü",
    ];
    let mut s = String::new();
    let n = 2 + rng.next() % 7;
    for i in 0..n {
        match rng.next() % 10 {
            0 if i > 0 => s.push_str("# a comment\n"),
            1 => s.push_str("; another\n"),
            2 => s.push('\n'),
            3 | 4 => s.push_str(&format!("[{}]\n", rng.pick(&sections))),
            5 => s.push_str(&format!("    {}\n", rng.pick(&values))),
            6 => s.push_str(&format!("  {} = {}\n", rng.pick(&keys), rng.pick(&values))),
            7 => s.push_str(&format!("{}: {}\n", rng.pick(&keys), rng.pick(&values))),
            8 if rng.next().is_multiple_of(4) => s.push_str("no delimiter here\n"),
            _ => s.push_str(&format!("{} = {}\n", rng.pick(&keys), rng.pick(&values))),
        }
    }
    if rng.next().is_multiple_of(3) {
        format!("[core]\n{s}")
    } else {
        s
    }
}

/// Our reading of one input, in the shape the Python script prints.
fn ours(input: &str) -> Value {
    let f = parse_cfg(input);
    if let Some(e) = read_error(&f) {
        return Value::String(e.to_string());
    }
    let mut out = serde_json::Map::new();
    for sec in f.section_names() {
        let mut keys: Vec<&str> = f
            .options
            .iter()
            .filter(|o| {
                let s = f.section_name(o);
                s == sec || s == DEFAULT_SECTION
            })
            .map(|o| o.key.as_str())
            .collect();
        keys.sort();
        keys.dedup();
        let mut m = serde_json::Map::new();
        for k in keys {
            let v = match f.get(sec, k) {
                Some(Ok(v)) => Value::String(v),
                Some(Err(e)) => Value::String(
                    match e.kind {
                        afcheck::airflow::cfg::InterpErrorKind::Missing(_) => {
                            "ERR:InterpolationMissingOptionError"
                        }
                        afcheck::airflow::cfg::InterpErrorKind::Depth => {
                            "ERR:InterpolationDepthError"
                        }
                        _ => "ERR:InterpolationSyntaxError",
                    }
                    .to_string(),
                ),
                None => Value::Null,
            };
            m.insert(k.to_string(), v);
        }
        out.insert(sec.to_string(), Value::Object(m));
    }
    Value::Object(out)
}

const PY: &str = r#"
import configparser, json, sys
out = []
for text in json.load(sys.stdin):
    cp = configparser.ConfigParser(strict=True, interpolation=configparser.BasicInterpolation())
    cp.optionxform = str
    try:
        cp.read_string(text)
    except configparser.Error as e:
        out.append(type(e).__name__)
        continue
    res = {}
    for s in cp.sections():
        d = {}
        for k in sorted(cp[s].keys()):
            try:
                d[k] = cp.get(s, k)
            except configparser.Error as e:
                d[k] = "ERR:" + type(e).__name__
        res[s] = d
    out.append(res)
json.dump(out, sys.stdout)
"#;

#[test]
fn differential_against_python_configparser() {
    let Ok(mut child) = Command::new("python3")
        .args(["-c", PY])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    else {
        eprintln!("skipped: python3 not available");
        return;
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut inputs: Vec<String> = (0..400).map(|_| generate(&mut rng)).collect();
    // The reference inputs too.
    if let Ok(text) = std::fs::read_to_string(cases_path())
        && let Ok(Value::Array(cases)) = serde_json::from_str::<Value>(&text)
    {
        inputs.extend(
            cases
                .iter()
                .filter_map(|c| c["input"].as_str().map(String::from)),
        );
    }
    let payload = serde_json::to_string(&inputs).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(payload.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(theirs.len(), inputs.len());
    let mut diffs = Vec::new();
    for (i, (input, t)) in inputs.iter().zip(&theirs).enumerate() {
        let o = ours(input);
        if &o != t {
            diffs.push(format!(
                "input #{i}:\n{input}\n--- python: {t}\n--- afcheck: {o}"
            ));
        }
    }
    assert!(
        diffs.is_empty(),
        "{} of {} inputs differ:\n{}",
        diffs.len(),
        inputs.len(),
        diffs[..diffs.len().min(5)].join("\n\n")
    );
    let objects = theirs.iter().filter(|t| t.is_object()).count();
    assert!(
        objects > inputs.len() / 4,
        "too few inputs parse ({objects}); the generator is too hostile"
    );
}

/// Arbitrary text never makes the parser, the settings extraction or the
/// interpolation panic, and every span lies on character boundaries.
#[test]
fn arbitrary_input_never_panics() {
    let pieces = [
        "[",
        "]",
        "=",
        ":",
        "%",
        "%(",
        ")s",
        "\n",
        "  ",
        "\t",
        "#",
        ";",
        "é",
        "€",
        "😀",
        "core",
        "key",
        "\r\n",
        "[DEFAULT]",
        "${X}",
        "%%",
        "AIRFLOW__",
    ];
    let mut rng = Rng(12345);
    for _ in 0..3000 {
        let n = rng.next() % 40;
        let text: String = (0..n)
            .map(|_| rng.pick(&pieces))
            .collect::<Vec<_>>()
            .concat();
        let f = parse_cfg(&text);
        for o in &f.options {
            assert!(
                text.is_char_boundary(o.value_span.start())
                    && text.is_char_boundary(o.value_span.end())
            );
            assert!(
                text.is_char_boundary(o.key_span.start())
                    && text.is_char_boundary(o.key_span.end())
            );
            let sec = f.section_name(o).to_string();
            let _ = f.interpolate(&sec, &o.value);
            for i in 0..=o.value.len() {
                let m = o.value_map.map(i);
                assert!(m <= text.len(), "offset {m} past the end of {text:?}");
            }
        }
        let file = afcheck::source::SourceFile::new("airflow.cfg", &text);
        let _ = afcheck::airflow::settings_of_cfg(&f, &file);
    }
}
