//! Fixes of the Airflow (AFC) and Helm (AFH) rules on their fixtures.
//!
//! For every `fail` case of `fixtures/{airflow,helm}/<ID>/`, the text after
//! `--fix --unsafe-fixes` must equal `fixtures/<domain>/<ID>/fixed/<same
//! path>` (a file the fixes leave unchanged has no `fixed/` copy;
//! `AFCHECK_BLESS=1` rewrites them). A single-file case is fixed alone
//! with `lint::fix_document`, as `afcheck --fix FILE` does; a directory case
//! is fixed as one project (its files link: a Dockerfile gives the Airflow
//! version of the airflow.cfg it copies), pass after pass with the same
//! rules as `fix_document`. Each fixed text must parse, a second pass must
//! change nothing and no rule may fire more often than before.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use afcheck::engine::Options;
use afcheck::finding::{Edit, Finding};
use afcheck::lint::{MAX_FIX_PASSES, fix_document, lint_project};

mod fixture_support;
use fixture_support::{options_for, root};

fn files_under(p: &Path) -> Vec<PathBuf> {
    if p.is_file() {
        return vec![p.to_path_buf()];
    }
    let mut v: Vec<PathBuf> = std::fs::read_dir(p)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v.into_iter().flat_map(|e| files_under(&e)).collect()
}

/// The edits of one pass for file `file`: each fix whole, none touching
/// an earlier one (the rule of `fix_document`).
/// Counts of applied fixes by (rule, applicability).
type Counts = BTreeMap<(&'static str, &'static str), usize>;

fn pass_edits(findings: &[Finding], file: u32, counts: &mut Counts) -> Vec<Edit> {
    let mut fixes: Vec<(&'static str, &afcheck::finding::Fix)> = findings
        .iter()
        .filter(|f| f.file == file)
        .filter_map(|f| f.fix.as_ref().map(|fx| (f.rule, fx)))
        .filter(|(_, fx)| !fx.edits.is_empty())
        .collect();
    fixes.sort_by_key(|(_, fx)| (fx.edits[0].range.start(), fx.edits[0].range.end()));
    let (mut edits, mut end, mut first) = (Vec::new(), 0usize, true);
    for (rule, fx) in fixes {
        let start = fx.edits.iter().map(|e| e.range.start()).min().unwrap();
        if !first && start <= end {
            continue;
        }
        first = false;
        end = fx.edits.iter().map(|e| e.range.end()).max().unwrap();
        edits.extend(fx.edits.iter().cloned());
        *counts.entry((rule, fx.applicability.as_str())).or_insert(0) += 1;
    }
    edits.sort();
    edits
}

/// Options with `--airflow-version version`.
fn at_version(version: &str) -> Options {
    let mut o = Options::default();
    o.settings.airflow_version = Some(version.to_string());
    o
}

/// The index in the run of the file `path` (the run orders its files).
fn file_index(run: &afcheck::engine::Run, path: &str) -> Option<u32> {
    run.files
        .iter()
        .position(|f| f.file.path == path)
        .map(|i| i as u32)
}

/// Fixes the documents together (unsafe fixes too), pass after pass; the
/// fixed texts and the fixes applied.
fn fix_project(docs: &[(String, String)], opts: &Options) -> (Vec<String>, Counts) {
    let mut docs = docs.to_vec();
    let mut counts = Counts::new();
    for _ in 0..MAX_FIX_PASSES {
        let run = lint_project(&docs, opts);
        let mut changed = false;
        for d in docs.iter_mut() {
            let Some(i) = file_index(&run, &d.0) else {
                continue;
            };
            let edits = pass_edits(&run.findings, i, &mut counts);
            if edits.is_empty() {
                continue;
            }
            let Some(next) = afcheck::fix::apply(&d.1, &edits) else {
                panic!("{}: edits do not apply: {edits:?}", d.0);
            };
            changed |= next != d.1;
            d.1 = next;
        }
        if !changed {
            break;
        }
    }
    (docs.into_iter().map(|d| d.1).collect(), counts)
}

fn fix_case(docs: &[(String, String)], opts: &Options) -> Vec<String> {
    if docs.len() == 1 {
        vec![fix_document(&docs[0].0, &docs[0].1, opts, true).text]
    } else {
        fix_project(docs, opts).0
    }
}

fn rule_counts(docs: &[(String, String)], opts: &Options) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for f in lint_project(docs, opts).findings {
        *m.entry(f.rule).or_insert(0) += 1;
    }
    m
}

/// The fixed text still parses as what it was.
fn parses(path: &str, before: &str, after: &str) -> Result<(), String> {
    if path.ends_with(".cfg") {
        let errs = |t: &str| afcheck::airflow::cfg::parse_cfg(t).errors.len();
        if errs(after) > errs(before) {
            return Err(format!(
                "{path}: the fixed airflow.cfg has new parse errors"
            ));
        }
    } else if path.ends_with(".yaml") || path.ends_with(".yml") {
        let errs = |t: &str| {
            let y = afcheck::yaml::parse(t);
            y.errors.len() + y.duplicates.len()
        };
        if errs(after) > errs(before) {
            return Err(format!("{path}: the fixed YAML has new parse errors"));
        }
    }
    Ok(())
}

/// (rule ID, whether any fail case was changed, fixability in metadata)
fn check_domain(domain: &str, errors: &mut Vec<String>, fixed_rules: &mut Vec<String>) {
    let bless = std::env::var_os("AFCHECK_BLESS").is_some();
    let base = root().join("fixtures").join(domain);
    let mut rules: Vec<PathBuf> = std::fs::read_dir(&base)
        .expect("fixtures dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    rules.sort();
    assert!(rules.len() >= 8, "{domain}: fixtures missing");
    for rdir in rules {
        let id = rdir.file_name().unwrap().to_string_lossy().into_owned();
        let fixed_dir = rdir.join("fixed");
        if bless {
            let _ = std::fs::remove_dir_all(&fixed_dir);
        }
        let mut expected_fixed: Vec<PathBuf> = if fixed_dir.is_dir() {
            files_under(&fixed_dir)
        } else {
            Vec::new()
        };
        let meta =
            std::fs::read_to_string(root().join("rules").join(domain).join(format!("{id}.yaml")))
                .unwrap_or_default();
        let declared = meta.lines().any(|l| l.starts_with("fixable:"));
        let mut any_change = false;
        let mut own_fixes = false;
        // `pass` cases are fixed too (other rules fire there): properties
        // only, no snapshot.
        let mut cases: Vec<(PathBuf, &str)> = Vec::new();
        for kind in ["fail", "pass"] {
            let mut v: Vec<PathBuf> = std::fs::read_dir(rdir.join(kind))
                .map(|rd| rd.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            v.sort();
            cases.extend(v.into_iter().map(|c| (c, kind)));
        }
        for (case, kind) in cases {
            let snap = kind == "fail" && declared;
            let files: Vec<PathBuf> = files_under(&case)
                .into_iter()
                .filter(|p| !p.to_string_lossy().ends_with(".expected"))
                .collect();
            let docs: Vec<(String, String)> = files
                .iter()
                .map(|p| {
                    let rel = p.strip_prefix(rdir.join(kind)).unwrap();
                    let text = std::fs::read_to_string(p).unwrap();
                    (rel.to_string_lossy().replace('\\', "/"), text)
                })
                .collect();
            let texts: Vec<String> = docs.iter().map(|d| d.1.clone()).collect();
            let opts = options_for(&texts);
            own_fixes |= kind == "fail"
                && lint_project(&docs, &opts)
                    .findings
                    .iter()
                    .any(|f| f.rule == id && f.fix.is_some());
            let fixed = fix_case(&docs, &opts);
            let after: Vec<(String, String)> = docs
                .iter()
                .zip(&fixed)
                .map(|(d, t)| (d.0.clone(), t.clone()))
                .collect();
            for ((path, before), now) in docs.iter().zip(&fixed) {
                let target = fixed_dir.join(path);
                if now != before
                    && let Err(e) = parses(path, before, now)
                {
                    errors.push(format!("{id}: {e}"));
                }
                if !snap {
                    continue;
                }
                if now == before {
                    if target.exists() && !bless {
                        errors.push(format!(
                            "{id}: {path} is not changed by the fixes but has a fixed/ copy"
                        ));
                    }
                    continue;
                }
                any_change = true;
                if bless {
                    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                    std::fs::write(&target, now).unwrap();
                } else {
                    match std::fs::read_to_string(&target) {
                        Ok(want) if &want == now => {}
                        Ok(want) => errors.push(format!(
                            "{id}: {path}: fixed text differs from fixed/{path}\n--- want\n{want}\n--- got\n{now}"
                        )),
                        Err(_) => errors.push(format!(
                            "{id}: {path}: fixed to\n{now}\nbut fixed/{path} is missing (AFCHECK_BLESS=1)"
                        )),
                    }
                }
                expected_fixed.retain(|p| p != &target);
            }
            if fixed.iter().zip(&docs).any(|(f, d)| f != &d.1) {
                // A second pass changes nothing; no rule fires more often.
                let again = fix_case(&after, &opts);
                if again != fixed {
                    errors.push(format!(
                        "{id}: {}: a second fix pass changes the text",
                        case.display()
                    ));
                }
                let (b, a) = (rule_counts(&docs, &opts), rule_counts(&after, &opts));
                for (rule, n) in &a {
                    if *n > b.get(rule).copied().unwrap_or(0) {
                        errors.push(format!(
                            "{id}: {}: {rule} fires more often after the fix",
                            case.display()
                        ));
                    }
                }
                if snap
                    && a.get(id.as_str()).copied().unwrap_or(0)
                        >= b.get(id.as_str()).copied().unwrap_or(0)
                {
                    errors.push(format!(
                        "{id}: {}: the fixes fixed no finding of the rule",
                        case.display()
                    ));
                }
            }
        }
        if !bless {
            for p in expected_fixed {
                errors.push(format!(
                    "{id}: {} has no fail file it is the fix of",
                    p.display()
                ));
            }
        }
        if declared && any_change {
            fixed_rules.push(id.clone());
        }
        if declared != own_fixes || (declared && !any_change) {
            errors.push(format!(
                "{id}: `fixable:` in its metadata ({declared}) disagrees with its fixtures (fixed: {any_change})"
            ));
        }
    }
}

#[test]
fn airflow_and_helm_fixtures_fix_to_their_snapshots() {
    let mut errors = Vec::new();
    let mut fixed = Vec::new();
    check_domain("airflow", &mut errors, &mut fixed);
    check_domain("helm", &mut errors, &mut fixed);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    for id in ["AFC001", "AFC002", "AFC005", "AFC007"] {
        assert!(
            fixed.contains(&id.to_string()),
            "{id} fixed nothing: {fixed:?}"
        );
    }
}

/// Safe fixes: a renamed option Airflow still reads moves with `--fix`
/// alone; a move Airflow no longer reads waits for `--unsafe-fixes`.
#[test]
fn rename_applicability_follows_what_airflow_reads() {
    let text = "[core]\nload_examples = False\nsql_alchemy_conn = sqlite:////tmp/a.db\n";
    let mut o = at_version("2.9.3");
    let safe = fix_document("airflow.cfg", text, &o, false).text;
    assert_eq!(
        safe,
        "[core]\nload_examples = False\n[database]\nsql_alchemy_conn = sqlite:////tmp/a.db\n"
    );
    o.settings.airflow_version = Some("3.0.2".into());
    assert_eq!(fix_document("airflow.cfg", text, &o, false).text, text);
    assert_eq!(fix_document("airflow.cfg", text, &o, true).text, safe);
    // An environment variable may be read by its old name by a script: the
    // rename is unsafe even while Airflow reads the old name.
    let d = "FROM apache/airflow:2.9.3\nENV AIRFLOW__CORE__SQL_ALCHEMY_CONN=x\n";
    assert_eq!(fix_document("Dockerfile", d, &o, false).text, d);
    assert_eq!(
        fix_document("Dockerfile", d, &o, true).text,
        "FROM apache/airflow:2.9.3\nENV AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=x\n"
    );
    // The new name set already: no fix, and the help says so.
    let both = "[core]\nsql_alchemy_conn = a\n[database]\nsql_alchemy_conn = b\n";
    assert_eq!(fix_document("airflow.cfg", both, &o, true).text, both);
    let run = afcheck::lint::lint_document("airflow.cfg", both, &o);
    let f = run.findings.iter().find(|f| f.rule == "AFC002").unwrap();
    assert!(f.fix.is_none());
    assert!(
        f.help.as_deref().unwrap().contains("already set"),
        "{:?}",
        f.help
    );
}

/// CRLF files get CRLF lines; `%(name)s` is never doubled.
#[test]
fn crlf_and_interpolation_are_kept() {
    let text = "[core]\r\nload_examples = False\r\nsql_alchemy_conn = x\r\n[logging]\r\nlog_format = 5% %(asctime)s\r\n";
    let o = at_version("2.9.3");
    let fixed = fix_document("airflow.cfg", text, &o, false).text;
    assert_eq!(
        fixed,
        "[core]\r\nload_examples = False\r\n[logging]\r\nlog_format = 5%% %(asctime)s\r\n[database]\r\nsql_alchemy_conn = x\r\n"
    );
}

/// Every fix over `../shared/corpus/airflow` (one project, as `afcheck
/// ../shared/corpus/airflow --fix --unsafe-fixes` sees it) and the other
/// Airflow files of the corpus: the fixed files parse, a second pass
/// changes nothing, no rule fires more often. Prints the count of applied
/// fixes per rule; `AFCHECK_FIX_DIFFS=<dir>` writes the fixed files there.
#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/corpus; run scripts/fetch-test-data.sh"
)]
fn corpus_fixes_are_stable() {
    let corpus = root().join("../shared/corpus");
    for (dir, min) in [
        (corpus.join("airflow"), 20),
        (root().join("fixtures/seed-guide"), 10),
    ] {
        corpus_project(&dir, min);
    }
    // The other Airflow files of the corpus, each fixed alone.
    let opts = Options::default();
    for p in files_under(&corpus.join("dockerfiles")) {
        let name = p.to_string_lossy().to_string();
        if !name.contains("airflow") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let fixed = fix_document(&name, &text, &opts, true);
        let again = fix_document(&name, &fixed.text, &opts, true);
        assert_eq!(again.text, fixed.text, "{name}: second pass");
        eprintln!("{name}: {} fixes", fixed.applied);
    }
}

/// Fixes every file under `dir` as one project; see [`corpus_fixes_are_stable`].
fn corpus_project(dir: &Path, min: usize) {
    let mut docs: Vec<(String, String)> = Vec::new();
    for p in files_under(dir) {
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let rel = p.strip_prefix(dir).unwrap();
        docs.push((rel.to_string_lossy().replace('\\', "/"), text));
    }
    assert!(docs.len() > min, "{}: files missing", dir.display());
    let opts = Options::default();
    let (fixed, counts) = fix_project(&docs, &opts);
    let cur: Vec<(String, String)> = docs
        .iter()
        .zip(fixed)
        .map(|(d, t)| (d.0.clone(), t))
        .collect();
    let mut errors = Vec::new();
    let mut nfiles = 0;
    for (b, a) in docs.iter().zip(&cur) {
        if b.1 != a.1 {
            nfiles += 1;
            if let Err(e) = parses(&b.0, &b.1, &a.1) {
                errors.push(e);
            }
            if let Some(dir) = std::env::var_os("AFCHECK_FIX_DIFFS") {
                let t = Path::new(&dir).join(&b.0);
                std::fs::create_dir_all(t.parent().unwrap()).unwrap();
                std::fs::write(t, &a.1).unwrap();
            }
        }
    }
    assert_eq!(
        fix_project(&cur, &opts).0,
        cur.iter().map(|d| d.1.clone()).collect::<Vec<_>>(),
        "second pass"
    );
    let (b, a) = (rule_counts(&docs, &opts), rule_counts(&cur, &opts));
    for (rule, n) in &a {
        if *n > b.get(rule).copied().unwrap_or(0) {
            errors.push(format!(
                "{rule} fires {n} times after the fixes, {} before",
                b.get(rule).copied().unwrap_or(0)
            ));
        }
    }
    eprintln!(
        "{}: fixed files: {nfiles}; fixes applied per rule: {counts:?}",
        dir.display()
    );
    eprintln!("findings before: {b:?}\nafter: {a:?}");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// (what, file name, target version, text, fixed text; None: no fix).
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

const CASES: &[Case] = &[
    (
        "a Helm entry moves under its new section; an emptied section goes",
        "values.yaml",
        "3.0.2",
        "executor: CeleryExecutor\nconfig:\n  core:\n    load_examples: \"False\"\n    dag_concurrency: 8 # tuned\n  scheduler:\n    max_threads: 2\n  dag_processor:\n    refresh_interval: 60\nworkers:\n  replicas: 1\n",
        Some(
            "executor: CeleryExecutor\nconfig:\n  core:\n    load_examples: \"False\"\n    max_active_tasks_per_dag: 8 # tuned\n  dag_processor:\n    refresh_interval: 60\n    parsing_processes: 2\nworkers:\n  replicas: 1\n",
        ),
    ),
    (
        "the chart's version key after `config:` is not where the mapping ends",
        "values.yaml",
        "2.9.3",
        "executor: CeleryExecutor\nconfig:\n  kubernetes:\n    namespace: x\n  core:\n    load_examples: \"False\"\ndefaultAirflowTag: \"2.9.3\"\n",
        Some(
            "executor: CeleryExecutor\nconfig:\n  core:\n    load_examples: \"False\"\n  kubernetes_executor:\n    namespace: x\ndefaultAirflowTag: \"2.9.3\"\n",
        ),
    ),
    (
        "flow style is not edited",
        "values.yaml",
        "3.0.2",
        "executor: CeleryExecutor\nconfig: {scheduler: {max_threads: 2}}\n",
        None,
    ),
    (
        "an airflow.cfg in a ConfigMap, other keys after it",
        "cm.yaml",
        "2.9.3",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  airflow.cfg: |\n    [core]\n    sql_alchemy_conn = x\n    load_examples = False\n  other: y\n",
        Some(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  airflow.cfg: |\n    [core]\n    load_examples = False\n    [database]\n    sql_alchemy_conn = x\n  other: y\n",
        ),
    ),
    (
        "an ENV with two variables is not cut",
        "Dockerfile",
        "3.0.2",
        "FROM apache/airflow:3.0.2\nENV AIRFLOW__WEBSERVER__RBAC=True AIRFLOW__CORE__LOAD_EXAMPLES=False\n",
        None,
    ),
    (
        "the only env item stays (env: would be null)",
        "pod.yaml",
        "3.0.2",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: apache/airflow:3.0.2\n      env:\n        - name: AIRFLOW__WEBSERVER__RBAC\n          value: \"True\"\n",
        None,
    ),
    (
        "an env item goes as a whole",
        "pod.yaml",
        "3.0.2",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: apache/airflow:3.0.2\n      env:\n        - name: AIRFLOW__CORE__LOAD_EXAMPLES\n          value: \"False\"\n        - name: AIRFLOW__WEBSERVER__RBAC\n          value: \"True\"\n",
        Some(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: apache/airflow:3.0.2\n      env:\n        - name: AIRFLOW__CORE__LOAD_EXAMPLES\n          value: \"False\"\n",
        ),
    ),
    (
        "no re-casing onto a key set in Airflow's case",
        "airflow.cfg",
        "2.10.5",
        "[core]\nLOAD_EXAMPLES = False\nload_examples = True\n",
        None,
    ),
    (
        "no re-casing onto a section that exists",
        "airflow.cfg",
        "2.10.5",
        "[CORE]\nload_examples = False\n[core]\nparallelism = 4\n",
        None,
    ),
    (
        "a section re-cased",
        "airflow.cfg",
        "2.10.5",
        "[CORE]\nload_examples = False\n",
        Some("[core]\nload_examples = False\n"),
    ),
];

/// Moves keep the surrounding YAML, deletions stay inside the setting,
/// re-casing never makes a duplicate.
#[test]
fn fix_cases() {
    for (what, name, version, text, want) in CASES {
        // The Airflow rules' fixes alone (the pods would also get the
        // Kubernetes rules' securityContext fixes).
        let mut o = at_version(version);
        o.select = vec!["AFC".into(), "AFH".into()];
        let got = fix_document(name, text, &o, true).text;
        assert_eq!(got, want.unwrap_or(text), "{what}");
    }
}

/// Mutated Airflow fixtures (lines repeated, dropped, re-cased, CRLF, a
/// stray `%`): fixing never panics, a second fix changes nothing and the
/// fixed text has no new parse errors.
#[test]
fn mutated_fixtures_fix_stably() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    let mut files = files_under(&root().join("fixtures/airflow"));
    files.retain(|p| p.to_string_lossy().contains("/fail/"));
    assert!(files.len() > 50);
    let o = at_version("2.9.3");
    let mut changed = 0;
    for round in 0..400 {
        let p = &files[next(files.len())];
        let text = std::fs::read_to_string(p).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for _ in 0..3 {
            let i = next(lines.len());
            match next(6) {
                0 => {
                    let l = lines[i].clone();
                    lines.insert(next(lines.len() + 1), l);
                }
                1 if lines.len() > 1 => {
                    lines.remove(i);
                }
                2 => lines[i] = lines[i].to_uppercase(),
                3 => lines[i].push_str(" 5%"),
                4 => lines[i] = lines[i].replace("core", "CORE"),
                _ => lines[i].insert(0, ' '),
            }
        }
        let nl = if round % 3 == 0 { "\r\n" } else { "\n" };
        let mutated = lines.join(nl) + nl;
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let once = fix_document(&name, &mutated, &o, true).text;
        let twice = fix_document(&name, &once, &o, true).text;
        changed += usize::from(once != mutated);
        assert_eq!(once, twice, "{name} (round {round}): not stable\n{mutated}");
        if let Err(e) = parses(&name, &mutated, &once) {
            panic!("{e} (round {round})\n--- input\n{mutated}\n--- fixed\n{once}");
        }
    }
    assert!(changed > 40, "only {changed} mutated files had a fix");
}
