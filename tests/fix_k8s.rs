//! The Kubernetes fixes (and AFY002's `---`), end to end through
//! `lint::fix_document` as `--fix --unsafe-fixes` applies them:
//! - every `fail` fixture of a fixable rule that the fixes change has its
//!   expected fixed text in `fixtures/<domain>/<ID>/fixed/<file>` (and one
//!   they leave unchanged has none; `AFCHECK_BLESS=1` rewrites them);
//!   a second pass changes nothing and the fixed text has no finding the
//!   original did not have;
//! - the restricted `fail` fixtures of pod-security-admission for
//!   allowPrivilegeEscalation, runAsNonRoot, seccomp and capabilities pass
//!   those controls after fixing, with comments and untouched lines kept.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use afcheck::config::PssLevel;
use afcheck::engine::Options;
use afcheck::lint::{fix_document, lint_document};

mod fixture_support;
use fixture_support::{list, options_for, root};

/// (rule, message) of every finding, counted.
fn findings(path: &str, text: &str, opts: &Options) -> BTreeMap<(String, String), usize> {
    let mut m = BTreeMap::new();
    for f in lint_document(path, text, opts).findings {
        // Line numbers in messages move with inserted lines.
        let msg: String = f.message.chars().filter(|c| !c.is_ascii_digit()).collect();
        *m.entry((f.rule.to_string(), msg)).or_default() += 1;
    }
    m
}

/// Lines of `before` that are gone from `after` (as a multiset), after
/// checking that the remaining lines of `before` stand in `after` in order.
fn lost_lines<'a>(before: &'a str, after: &str) -> Vec<&'a str> {
    let mut count: BTreeMap<&str, isize> = BTreeMap::new();
    for l in after.split_inclusive('\n') {
        *count.entry(l).or_default() += 1;
    }
    let mut lost = Vec::new();
    for l in before.split_inclusive('\n') {
        let c = count.entry(l).or_default();
        if *c > 0 {
            *c -= 1;
        } else {
            lost.push(l);
        }
    }
    // The kept lines keep their order.
    let mut rest = after.split_inclusive('\n');
    for l in before.split_inclusive('\n').filter(|l| !lost.contains(l)) {
        assert!(
            rest.by_ref().any(|a| a == l),
            "line {l:?} moved or changed:\n--- before\n{before}\n--- after\n{after}"
        );
    }
    lost
}

/// The properties of every fixed text: a second pass changes nothing, no
/// finding appears that the original did not have, no comment line is lost.
fn check_fixed(display: &str, text: &str, fixed: &str, opts: &Options, errors: &mut Vec<String>) {
    if fix_document(display, fixed, opts, true).text != fixed {
        errors.push(format!("{display}: a second pass still changes the text"));
    }
    let before = findings(display, text, opts);
    for (k, n) in findings(display, fixed, opts) {
        if before.get(&k).copied().unwrap_or(0) < n {
            errors.push(format!("{display}: new finding after fixing: {k:?}"));
        }
    }
    for l in lost_lines(text, fixed) {
        if l.trim_start().starts_with('#') {
            errors.push(format!("{display}: comment line lost: {l:?}"));
        }
    }
}

const FIXABLE: &[(&str, &str)] = &[
    ("k8s", "AFK009"),
    ("k8s", "AFK014"),
    ("k8s", "AFK015"),
    ("k8s", "AFK017"),
    ("k8s", "AFK018"),
    ("k8s", "AFK021"),
    ("k8s", "AFK028"),
    ("k8s", "AFK031"),
    ("yaml", "AFY002"),
];

#[test]
fn fixable_rules_say_so_in_their_metadata() {
    for (_, id) in FIXABLE {
        let m = afcheck::rules::meta::get(id).expect("metadata");
        assert!(m.fixable.is_some(), "{id} has fixes but no `fixable:`");
    }
}

#[test]
fn fail_fixtures_have_their_fixed_text() {
    let bless = std::env::var_os("AFCHECK_BLESS").is_some();
    let mut errors = Vec::new();
    let mut checked = 0;
    for (domain, id) in FIXABLE {
        let dir = root().join("fixtures").join(domain).join(id);
        let mut any_change = false;
        for case in list(&dir.join("fail")) {
            if !case.is_file() || case.to_string_lossy().ends_with(".expected") {
                continue;
            }
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            let display = format!("fixtures/{domain}/{id}/fail/{name}");
            let text = std::fs::read_to_string(&case).unwrap();
            let opts = options_for(&[&text]);
            let fixed = fix_document(&display, &text, &opts, true);
            any_change |= fixed.text != text;
            let want_path = dir.join("fixed").join(&name);
            checked += 1;
            if fixed.text == text {
                // Nothing to fix (no mechanical fix for this case): no copy.
                if bless {
                    let _ = std::fs::remove_file(&want_path);
                } else if want_path.exists() {
                    errors.push(format!(
                        "{display}: unchanged by the fixes but has a fixed/ copy"
                    ));
                }
                continue;
            }
            if bless {
                std::fs::create_dir_all(dir.join("fixed")).unwrap();
                std::fs::write(&want_path, &fixed.text).unwrap();
            }
            match std::fs::read_to_string(&want_path) {
                Ok(want) if want == fixed.text => {}
                Ok(_) => errors.push(format!(
                    "{display}: fixed text differs from {}",
                    want_path.display()
                )),
                Err(_) => errors.push(format!(
                    "{display}: no {} (AFCHECK_BLESS=1 writes it)",
                    want_path.display()
                )),
            }
            check_fixed(&display, &text, &fixed.text, &opts, &mut errors);
        }
        if !any_change {
            errors.push(format!("{id}: no fail fixture is changed by the fixes"));
        }
    }
    assert!(checked > 10, "{checked}");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// The fixes in detail: block and flow style, an existing or a new
/// `securityContext`, CRLF, and the applicability of each.
#[test]
fn fixes_edit_the_smallest_block() {
    let opts = Options::default();
    let pod = "apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: p}\r\nspec:\r\n  securityContext: {runAsUser: 1000}\r\n  containers:\r\n    - name: a  # the app\r\n      image: x:1\r\n      securityContext:\r\n        allowPrivilegeEscalation: true\r\n";
    let fixed = fix_document("p.yaml", pod, &opts, false).text;
    assert_eq!(
        fixed,
        pod.replace(
            "allowPrivilegeEscalation: true",
            "allowPrivilegeEscalation: false\r\n        runAsNonRoot: true"
        )
        .replace(
            "{runAsUser: 1000}",
            "{runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}"
        ),
        "safe fixes only: runAsNonRoot is safe with a non-zero runAsUser"
    );
    let flow = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: x, securityContext: {capabilities: {drop: [NET_RAW], add: [CHOWN, NET_BIND_SERVICE]}}}\n";
    let fixed = fix_document("p.yaml", flow, &opts, true).text;
    assert!(
        fixed.contains("{capabilities: {drop: [NET_RAW, ALL], add: [NET_BIND_SERVICE]}, allowPrivilegeEscalation: false, runAsNonRoot: true, readOnlyRootFilesystem: true}"),
        "{fixed}"
    );
    let run = lint_document("p.yaml", flow, &opts);
    let apps: Vec<(&str, Option<&str>)> = run
        .findings
        .iter()
        .map(|f| (f.rule, f.fix.as_ref().map(|x| x.applicability.as_str())))
        .collect();
    assert!(apps.contains(&("AFK014", Some("safe"))), "{apps:?}");
    assert!(apps.contains(&("AFK015", Some("unsafe"))), "{apps:?}");
    assert!(apps.contains(&("AFK018", Some("unsafe"))), "{apps:?}");
    // privileged: the API server would reject allowPrivilegeEscalation: false.
    let privileged = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x\n    securityContext:\n      privileged: true\n";
    let run = lint_document("p.yaml", privileged, &opts);
    let f = run
        .findings
        .iter()
        .find(|f| f.rule == "AFK014")
        .expect("AFK014");
    assert!(f.fix.is_none());
    // A byte-order mark stays.
    let bom = format!("\u{feff}{privileged}");
    let fixed = fix_document("p.yaml", &bom, &opts, true).text;
    assert!(
        fixed.starts_with("\u{feff}apiVersion: v1\n") && fixed.contains("drop: [\"ALL\"]"),
        "{fixed}"
    );
    // A fused object gets its separator.
    let fused = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n";
    let fixed = fix_document("f.yaml", fused, &opts, true).text;
    assert_eq!(fixed, fused.replace("}\napiVersion", "}\n---\napiVersion"));
}

/// The restricted fail fixtures of the four controls, fixed, pass them.
#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/conformance/psa; run scripts/fetch-test-data.sh"
)]
fn psa_restricted_fail_fixtures_pass_after_fixing() {
    let psa = root().join("../shared/conformance/psa/restricted");
    assert!(
        psa.is_dir(),
        "{} is missing: run scripts/fetch-test-data.sh",
        psa.display()
    );
    // fixture stem -> the rules that must not fire after fixing (the
    // control and the baseline control it extends).
    let controls: &[(&str, &[&str])] = &[
        ("allowprivilegeescalation", &["AFK014"]),
        ("runasnonroot", &["AFK015"]),
        ("seccompprofile_restricted", &["AFK017", "AFK009"]),
        ("capabilities_restricted", &["AFK018", "AFK003"]),
    ];
    let all: Vec<&str> = controls.iter().flat_map(|c| c.1.iter().copied()).collect();
    let mut tally: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for vdir in list(&psa) {
        let Some(minor) = vdir
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix("v1."))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let mut opts = Options {
            select: (1..=19).map(|i| format!("AFK{i:03}")).collect(),
            ..Options::default()
        };
        opts.settings.pss = PssLevel::Restricted;
        opts.settings.k8s_minor = minor;
        for p in list(&vdir.join("fail")) {
            let stem = p.file_stem().unwrap().to_string_lossy();
            let stem = stem.trim_end_matches(|c: char| c.is_ascii_digit());
            let Some((control, _)) = controls.iter().find(|c| c.0 == stem) else {
                continue;
            };
            let display = p.to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            let before: Vec<&str> = lint_document(&display, &text, &opts)
                .findings
                .iter()
                .map(|f| f.rule)
                .filter(|r| all.contains(r))
                .collect();
            if before.is_empty() {
                // Not reported before fixing (a control not active at this
                // version): nothing to fix, not counted.
                continue;
            }
            let fixed = fix_document(&display, &text, &opts, true).text;
            // Passing means no Pod Security finding at all (`opts` selects
            // AFK001-AFK019): the whole restricted level, not only the
            // fixture's control.
            let left: Vec<String> = lint_document(&display, &fixed, &opts)
                .findings
                .iter()
                .map(|f| format!("{} {}", f.rule, f.message))
                .collect();
            let t = tally.entry(control).or_default();
            t.0 += 1;
            if left.is_empty() {
                t.1 += 1;
            } else {
                failures.push(format!("1.{minor} {display}: {left:?}"));
            }
            let added = lost_lines(&fixed, &text);
            for l in lost_lines(&text, &fixed) {
                assert!(
                    !l.trim_start().starts_with('#'),
                    "{display}: comment line lost: {l:?}"
                );
                // Only lines whose value an edit replaced (the same key and
                // indentation stand in the fixed text) or items and the
                // `add:` list that a fix removed are gone.
                let key = l.split_once(':').map(|(k, _)| format!("{k}:"));
                let t = l.trim();
                let kept_key = key.is_some_and(|k| added.iter().any(|a| a.starts_with(&k)));
                assert!(
                    t.starts_with("- ") || t.starts_with("add:") || kept_key,
                    "{display}: line changed that no fix edits: {l:?}\n{fixed}"
                );
            }
        }
    }
    let mut report = String::new();
    for (control, (n, ok)) in &tally {
        report.push_str(&format!(
            "{control}: {ok}/{n} pass after fixing ({:.1}%)\n",
            100.0 * *ok as f64 / *n as f64
        ));
    }
    eprintln!("{report}{}", failures.join("\n"));
    assert_eq!(tally.len(), controls.len(), "{report}");
    for (control, (n, ok)) in &tally {
        assert!(
            *n > 0 && *ok * 100 >= *n * 95,
            "{control}: {report}\n{}",
            failures.join("\n")
        );
    }
}

/// Every manifest of the corpus and every YAML fixture, fixed with `--fix --unsafe-fixes`: the
/// fixed text parses, has no finding the original did not have, and a
/// second pass changes nothing. Prints the fixes offered per rule.
#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/corpus/k8s; run scripts/fetch-test-data.sh"
)]
fn corpus_fixes_parse_add_nothing_and_are_stable() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for p in list(dir) {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(p);
            }
        }
    }
    let corpus = root().join("../shared/corpus/k8s");
    assert!(
        corpus.is_dir(),
        "{} is missing: run scripts/fetch-test-data.sh",
        corpus.display()
    );
    let mut files = Vec::new();
    walk(&corpus, &mut files);
    assert!(files.len() > 2000, "{}", files.len());
    // The fixtures too (the fail cases trip most rules), except the fixed
    // texts themselves.
    let mut fixtures = Vec::new();
    walk(&root().join("fixtures"), &mut fixtures);
    files.extend(
        fixtures
            .into_iter()
            .filter(|p| !p.to_string_lossy().contains("/fixed/")),
    );
    // The Kubernetes and YAML rules (other domains' fixes, such as Airflow
    // options moved between sections, have their own tests).
    let opts = Options {
        select: vec!["AFK".into(), "AFY".into()],
        ..Options::default()
    };
    // (corpus or fixtures, rule, applicability) -> fixes offered.
    let mut offered: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    let mut changed: BTreeMap<&str, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    let diffs = std::env::var_os("AFCHECK_FIX_DIFFS").map(PathBuf::from);
    for p in &files {
        let display = p
            .strip_prefix(&corpus)
            .or_else(|_| p.strip_prefix(root()))
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let source = if p.starts_with(&corpus) {
            "corpus"
        } else {
            "fixtures"
        };
        let run = lint_document(&display, &text, &opts);
        for f in &run.findings {
            if let Some(fx) = &f.fix {
                *offered
                    .entry((source, f.rule, fx.applicability.as_str()))
                    .or_default() += 1;
            }
        }
        let fixed = fix_document(&display, &text, &opts, true);
        if fixed.text == text {
            continue;
        }
        *changed.entry(source).or_default() += 1;
        if let Some(d) = &diffs {
            let out = d.join(display.replace('/', "__"));
            std::fs::create_dir_all(d).unwrap();
            std::fs::write(&out, &fixed.text).unwrap();
        }
        let stream = afcheck::yaml::parse(&fixed.text);
        if !stream.errors.is_empty() && afcheck::yaml::parse(&text).errors.is_empty() {
            errors.push(format!(
                "{display}: fixed text does not parse: {:?}",
                stream.errors[0]
            ));
        }
        check_fixed(&display, &text, &fixed.text, &opts, &mut errors);
    }
    eprintln!(
        "files changed of {}: {changed:?}; fixes offered per rule:",
        files.len()
    );
    for ((source, rule, a), n) in &offered {
        eprintln!("  {source} {rule} {a}: {n}");
    }
    assert!(
        errors.is_empty(),
        "{} problems:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(
        changed.get("corpus").is_some_and(|&n| n > 100),
        "{changed:?}"
    );
}
