//! A short randomized run in the normal test suite: mutate the fixture
//! files, the benchmark inputs and a few hand-picked seeds with a simple
//! xorshift generator, and run each mutant through the whole engine and
//! every report. A panic fails the test and prints the input that caused it
//! (add it under `fixtures/regressions/` once fixed). The long runs use the
//! cargo-fuzz targets in `fuzz/` (see docs/performance.md).
//!
//! `AFCHECK_FUZZ_ITERS` sets the number of mutants (default 1500);
//! `AFCHECK_FUZZ_SEED` the seed; `AFCHECK_FUZZ_DUMP=DIR` writes each batch
//! to DIR before checking it (to catch inputs that abort the process).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use afcheck::engine::{self, Input, Options};
use afcheck::report::{self, Format, ReportOptions};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Tokens that matter to the three grammars, spliced in by the mutator.
const TOKENS: &[&str] = &[
    "\n",
    "\r\n",
    " ",
    "\t",
    ":",
    ": ",
    "- ",
    "---\n",
    "...\n",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!str ",
    "!tag ",
    "|",
    "|-\n",
    ">+\n",
    "'",
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    "?",
    "#",
    "%YAML 1.2\n",
    "\u{feff}",
    "é",
    "💥",
    "\u{2028}",
    "FROM ",
    "RUN ",
    "<<EOF\n",
    "EOF\n",
    "<<-X ",
    "\\\n",
    "`",
    "# escape=`\n",
    "ARG ",
    "${",
    "$(",
    "ONBUILD ",
    "COPY --from=",
    "[core]\n",
    "[",
    "]\n",
    " = ",
    "%(",
    ")s",
    "%%",
    "\n  ",
    "\n    ",
    "apiVersion: v1\n",
    "kind: Pod\n",
    "kind: List\n",
    "items:",
    "containers:",
    "spec:",
    "image: ",
    "value: ",
    "env:",
    "securityContext:",
    "privileged: yes\n",
    "{{ .Values.x }}",
    "# afcheck ignore=",
    "afcheck.io/ignore",
    "0x",
    "1e9999",
    "-0",
    "~",
    "null",
];

fn mutate(rng: &mut XorShift, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    let rounds = 1 + rng.below(8);
    for _ in 0..rounds {
        let at = rng.below(v.len() + 1);
        match rng.below(9) {
            0 => {
                // Delete a range.
                let end = (at + 1 + rng.below(16)).min(v.len());
                if at < end {
                    v.drain(at..end);
                }
            }
            1 => {
                // Insert a token.
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                v.splice(at..at, t.iter().copied());
            }
            2 => {
                // Flip a byte (may make the text invalid UTF-8).
                if at < v.len() {
                    v[at] ^= 1 << rng.below(8);
                }
            }
            3 => {
                // Duplicate a chunk.
                let end = (at + rng.below(64)).min(v.len());
                let chunk = v[at..end].to_vec();
                v.splice(at..at, chunk);
            }
            4 => {
                // Truncate.
                v.truncate(at);
            }
            5 => {
                // Repeat a token many times (nesting, long lines).
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let n = 1 + rng.below(300);
                let rep: Vec<u8> = t.iter().copied().cycle().take(t.len() * n).collect();
                v.splice(at..at, rep);
            }
            6 => {
                // Swap two lines' worth of bytes.
                let other = rng.below(v.len() + 1);
                let (a, b) = (at.min(other), at.max(other));
                if b > a {
                    v[a..b].reverse();
                }
            }
            7 => {
                // Indent or dedent a line start.
                if let Some(nl) = v[at.min(v.len())..].iter().position(|&c| c == b'\n') {
                    let p = at + nl + 1;
                    if rng.below(2) == 0 {
                        v.splice(p..p, *b"  ");
                    } else if v.get(p) == Some(&b' ') {
                        v.remove(p);
                    }
                }
            }
            _ => {
                // Insert a random byte.
                let b = rng.next() as u8;
                v.insert(at, b);
            }
        }
        if v.len() > 1 << 16 {
            v.truncate(1 << 16);
        }
    }
    v
}

fn files_under(p: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(p) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            files_under(&e, out);
        } else {
            out.push(e);
        }
    }
}

/// The name a mutant is checked under: its own name when afcheck knows the
/// kind, else by extension.
fn name_for(p: &Path) -> String {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("x");
    if afcheck::classify::by_name(Path::new(name)).is_some() {
        name.to_string()
    } else {
        "Dockerfile".to_string()
    }
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files_under(&root.join("fixtures"), &mut paths);
    files_under(&root.join("benches/data"), &mut paths);
    let mut out: Vec<(String, Vec<u8>)> = paths
        .iter()
        .filter(|p| !p.to_string_lossy().ends_with(".expected"))
        .filter_map(|p| {
            let bytes = std::fs::read(p).ok()?;
            (bytes.len() < 1 << 16).then(|| (name_for(p), bytes))
        })
        .collect();
    for (n, t) in [
        ("a.yaml", "a: &x [1, *x]\nb: {c: d}\n"),
        ("Dockerfile", "FROM alpine\nRUN <<EOF\necho\nEOF\n"),
        ("airflow.cfg", "[core]\nexecutor = LocalExecutor\n"),
    ] {
        out.push((n.to_string(), t.as_bytes().to_vec()));
    }
    out
}

fn check(inputs: &[Input]) {
    let run = engine::run(inputs, &Options::default());
    let ropts = ReportOptions::default();
    for format in [
        Format::Compact,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Terminal,
    ] {
        let mut out = Vec::new();
        let _ = report::write(&run, format, &ropts, &mut out);
    }
}

#[test]
fn mutated_inputs_never_panic() {
    let iters: usize = std::env::var("AFCHECK_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1500);
    let seed: u64 = std::env::var("AFCHECK_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let seeds = seeds();
    assert!(seeds.len() > 3);
    let mut rng = XorShift(seed | 1);
    let mut failures = Vec::new();
    // Batches of a few mutants checked together, so project rules see them too.
    let mut i = 0;
    while i < iters {
        let batch = 1 + rng.below(4);
        let inputs: Vec<Input> = (0..batch)
            .map(|k| {
                let (name, bytes) = &seeds[rng.below(seeds.len())];
                Input::Text {
                    name: format!("m{k}/{name}"),
                    bytes: mutate(&mut rng, bytes),
                }
            })
            .collect();
        i += batch;
        // A stack overflow aborts the process and cannot be caught: with
        // AFCHECK_FUZZ_DUMP=DIR each batch is written there before it runs.
        if let Some(dir) = std::env::var_os("AFCHECK_FUZZ_DUMP") {
            let dir = PathBuf::from(dir);
            let _ = std::fs::remove_dir_all(&dir);
            let _ = std::fs::create_dir_all(&dir);
            for (k, input) in inputs.iter().enumerate() {
                if let Input::Text { name, bytes } = input {
                    let file = name.rsplit('/').next().unwrap_or("x");
                    let _ = std::fs::write(dir.join(format!("{k}-{file}")), bytes);
                }
            }
        }
        if catch_unwind(AssertUnwindSafe(|| check(&inputs))).is_err() {
            for input in &inputs {
                if let Input::Text { name, bytes } = input
                    && catch_unwind(AssertUnwindSafe(|| check(std::slice::from_ref(input))))
                        .is_err()
                {
                    failures.push(format!("{name}: {:?}", String::from_utf8_lossy(bytes)));
                }
            }
            if failures.is_empty() {
                failures.push("a batch panicked (project rules)".into());
            }
            if failures.len() > 5 {
                break;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "panics on {} input(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
