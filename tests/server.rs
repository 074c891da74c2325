//! `afcheck server` driven over standard input and output with real
//! JSON-RPC messages, as an editor drives it: diagnostics (UTF-16 and UTF-8
//! ranges), changes, code actions, hover, project rules across files,
//! configuration reload, secrets and hostile documents.

mod run_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// Every message the server sent, as raw text.
    raw: Arc<Mutex<Vec<String>>>,
    /// Messages received while waiting for something else.
    pending: Vec<Value>,
    next_id: i64,
}

fn read_frame(r: &mut impl BufRead) -> Option<String> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut buf = vec![0; len?];
    r.read_exact(&mut buf).ok()?;
    String::from_utf8(buf).ok()
}

impl Client {
    fn start(capabilities: Value, folders: &[&Path], init_options: Value) -> (Client, Value) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_afcheck"))
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            if !s.is_empty() {
                eprintln!("server stderr: {s}");
            }
        });
        let (tx, rx) = channel();
        let raw = Arc::new(Mutex::new(Vec::new()));
        let raw2 = raw.clone();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(text) = read_frame(&mut r) {
                raw2.lock().unwrap().push(text.clone());
                let Ok(v) = serde_json::from_str::<Value>(&text) else {
                    panic!("server sent invalid JSON: {text}");
                };
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut c = Client {
            child,
            stdin,
            rx,
            raw,
            pending: Vec::new(),
            next_id: 0,
        };
        let folders: Vec<Value> = folders
            .iter()
            .map(|f| json!({"uri": uri(f), "name": "ws"}))
            .collect();
        let init = c.request(
            "initialize",
            json!({
                "processId": null,
                "capabilities": capabilities,
                "workspaceFolders": if folders.is_empty() { Value::Null } else { json!(folders) },
                "initializationOptions": init_options,
            }),
        );
        c.notify("initialized", json!({}));
        (c, init)
    }

    fn send(&mut self, v: Value) {
        let text = v.to_string();
        let stdin = self.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{text}", text.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(v) => {
                // Requests from the server (registerCapability): answered.
                if v.get("method").is_some()
                    && let Some(id) = v.get("id")
                {
                    let id = id.clone();
                    self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
                }
                Some(v)
            }
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + WAIT;
        while let Some(v) = self.next(deadline) {
            if v.get("id") == Some(&json!(id)) && v.get("method").is_none() {
                return v;
            }
            self.pending.push(v);
        }
        panic!("no response to {method} within {WAIT:?}");
    }

    /// The next diagnostics published for `uri` that satisfy `pred`.
    fn diagnostics(&mut self, uri: &str, pred: impl Fn(&[Value]) -> bool) -> (Vec<Value>, Value) {
        let matches = |v: &Value| {
            v["method"] == "textDocument/publishDiagnostics"
                && v["params"]["uri"] == uri
                && pred(v["params"]["diagnostics"].as_array().unwrap())
        };
        if let Some(i) = self.pending.iter().position(matches) {
            let v = self.pending.remove(i);
            // Older publications for this document are superseded.
            self.pending.retain(|p| {
                !(p["method"] == "textDocument/publishDiagnostics" && p["params"]["uri"] == uri)
            });
            return (v["params"]["diagnostics"].as_array().unwrap().clone(), v);
        }
        self.pending.retain(|p| {
            !(p["method"] == "textDocument/publishDiagnostics" && p["params"]["uri"] == uri)
        });
        let deadline = Instant::now() + WAIT;
        while let Some(v) = self.next(deadline) {
            if matches(&v) {
                return (v["params"]["diagnostics"].as_array().unwrap().clone(), v);
            }
            if !(v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == uri) {
                self.pending.push(v);
            }
        }
        panic!("no matching diagnostics for {uri} within {WAIT:?}");
    }

    /// The diagnostics published for `version` of `uri`.
    fn published(&mut self, uri: &str, version: i32) -> Vec<Value> {
        let deadline = Instant::now() + WAIT;
        let is = |v: &Value| {
            v["method"] == "textDocument/publishDiagnostics"
                && v["params"]["uri"] == uri
                && v["params"]["version"] == version
        };
        if let Some(i) = self.pending.iter().position(is) {
            let v = self.pending.remove(i);
            return v["params"]["diagnostics"].as_array().unwrap().clone();
        }
        while let Some(v) = self.next(deadline) {
            if is(&v) {
                return v["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.pending.push(v);
        }
        panic!("no diagnostics for version {version} of {uri}");
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// Shuts the server down and checks it exits cleanly.
    fn shutdown(mut self) -> Vec<String> {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "server exited with {status}");
                break;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
        self.raw.lock().unwrap().clone()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(p: &Path) -> String {
    let mut s = String::from("file://");
    for &c in p.to_str().unwrap().as_bytes() {
        if c.is_ascii_alphanumeric() || b"/-._~".contains(&c) {
            s.push(c as char);
        } else {
            s.push_str(&format!("%{c:02X}"));
        }
    }
    s
}

fn codes(d: &[Value]) -> Vec<String> {
    d.iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn has(d: &[Value], rule: &str) -> bool {
    codes(d).iter().any(|c| c == rule)
}

/// Applies LSP text edits (UTF-16 columns) to `text`.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |pos: &Value| -> usize {
        let line = pos["line"].as_u64().unwrap() as usize;
        let ch = pos["character"].as_u64().unwrap() as usize;
        let mut at = 0;
        for (i, l) in text.split_inclusive('\n').enumerate() {
            if i == line {
                let mut units = 0;
                for (b, c) in l.char_indices() {
                    if units >= ch {
                        return at + b;
                    }
                    units += c.len_utf16();
                }
                return at + l.trim_end_matches('\n').len();
            }
            at += l.len();
        }
        text.len()
    };
    let mut es: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    es.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in es {
        out.replace_range(s..e, &t);
    }
    out
}

fn utf16(s: &str) -> u64 {
    s.encode_utf16().count() as u64
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - {name: \"wéb𝄞\", image: \"nginx:latest\"}\n";

#[test]
fn diagnostics_changes_code_actions_and_hover_over_stdio() {
    let dir = run_support::tmpdir("server", "main");
    std::fs::write(dir.join(".afcheck.yaml"), "ignore: [AFK026]\n").unwrap();
    let caps = json!({"workspace": {"workspaceEdit": {"documentChanges": true}}});
    let (mut c, init) = Client::start(caps, &[&dir], json!({"debounceMs": 20}));
    // No encoding offered: UTF-16.
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["result"]["serverInfo"]["name"], "afcheck");

    let pod = dir.join("pod.yaml");
    let pod_uri = uri(&pod);
    c.open(&pod_uri, "yaml", POD);
    let (diags, publ) = c.diagnostics(&pod_uri, |d| has(d, "AFK022"));
    assert_eq!(publ["params"]["version"], 1);
    // The configuration of the folder applies.
    assert!(!has(&diags, "AFK026"), "{diags:?}");
    let d = diags.iter().find(|d| d["code"] == "AFK022").unwrap();
    let line = POD.lines().nth(6).unwrap();
    let start = line.find("\"nginx").unwrap();
    let end = start + "\"nginx:latest\"".len();
    assert_eq!(d["range"]["start"]["line"], 6);
    assert_eq!(d["range"]["start"]["character"], utf16(&line[..start]));
    assert_eq!(d["range"]["end"]["character"], utf16(&line[..end]));
    // The UTF-16 column differs from the byte and code point columns.
    assert_ne!(utf16(&line[..start]), start as u64);
    assert_ne!(utf16(&line[..start]), line[..start].chars().count() as u64);
    assert_eq!(d["severity"], 2, "AFK022 is a warning");
    assert_eq!(d["source"], "afcheck");
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules/AFK022.md"),
        "{d}"
    );
    assert!(d["message"].as_str().unwrap().contains("`latest` tag"));

    // A change: the tag pinned, the diagnostic goes.
    let pinned = POD.replace("nginx:latest", "nginx:1.27.3");
    c.change(&pod_uri, 2, &pinned);
    let (diags, publ) = c.diagnostics(&pod_uri, |d| !has(d, "AFK022"));
    assert_eq!(publ["params"]["version"], 2);
    assert!(has(&diags, "AFK015"), "{diags:?}");

    // Back to latest; the suppress action inserts a trailing comment.
    c.change(&pod_uri, 3, POD);
    let (diags, _) = c.diagnostics(&pod_uri, |d| has(d, "AFK022"));
    let d = diags
        .iter()
        .find(|d| d["code"] == "AFK022")
        .unwrap()
        .clone();
    let r = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": pod_uri},
            "range": d["range"],
            "context": {"diagnostics": [d]},
        }),
    );
    let actions = r["result"].as_array().unwrap();
    let suppress = actions
        .iter()
        .find(|a| a["title"] == "Suppress AFK022 on this line")
        .unwrap_or_else(|| panic!("{actions:?}"));
    assert_eq!(suppress["kind"], "quickfix");
    let doc_edit = &suppress["edit"]["documentChanges"][0];
    assert_eq!(doc_edit["textDocument"]["version"], 3);
    let edited = apply_edits(POD, doc_edit["edits"].as_array().unwrap());
    assert_eq!(
        edited,
        POD.replace(
            "\"nginx:latest\"}\n",
            "\"nginx:latest\"}  # afcheck ignore=AFK022\n"
        )
    );
    c.change(&pod_uri, 4, &edited);
    let (diags, _) = c.diagnostics(&pod_uri, |d| !has(d, "AFK022"));
    assert!(!has(&diags, "AFY004"), "the suppression is used: {diags:?}");
    assert!(has(&diags, "AFK015"));

    // Hover on the rule ID in the comment.
    let line7 = edited.lines().nth(6).unwrap();
    let col = utf16(&line7[..line7.find("AFK022").unwrap() + 3]);
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": pod_uri}, "position": {"line": 6, "character": col}}),
    );
    let md = h["result"]["contents"]["value"].as_str().unwrap();
    assert!(md.starts_with("**AFK022** `image-tag-latest`"), "{md}");
    assert!(md.contains("**Fix:**"), "{md}");
    // Hover on a rule ID in .afcheck.yaml.
    let cfg_uri = uri(&dir.join(".afcheck.yaml"));
    c.open(&cfg_uri, "yaml", "ignore: [AFK026]\n");
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": cfg_uri}, "position": {"line": 0, "character": 12}}),
    );
    assert!(
        h["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**AFK026**"),
        "{h}"
    );
    // Elsewhere: no hover.
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": pod_uri}, "position": {"line": 0, "character": 2}}),
    );
    assert_eq!(h["result"], Value::Null);

    // A Dockerfile: the suppression goes on a comment line above the
    // instruction, also for a finding on a continuation line.
    let df_uri = uri(&dir.join("Dockerfile"));
    let df = "FROM python:3.12-slim\nRUN apt-get update && \\\n    apt-get install -y curl\n";
    c.open(&df_uri, "dockerfile", df);
    let (diags, _) = c.diagnostics(&df_uri, |d| !d.is_empty());
    let d = diags
        .iter()
        .find(|d| d["range"]["start"]["line"] == 2)
        .unwrap_or_else(|| panic!("no finding on the continuation line: {diags:?}"))
        .clone();
    let rule = d["code"].as_str().unwrap().to_string();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": df_uri}, "range": d["range"], "context": {"diagnostics": [d], "only": ["quickfix"]}}),
    );
    let a = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == format!("Suppress {rule} on this line"))
        .unwrap()
        .clone();
    let edited = apply_edits(
        df,
        a["edit"]["documentChanges"][0]["edits"].as_array().unwrap(),
    );
    assert_eq!(
        edited,
        df.replace("RUN apt", &format!("# afcheck ignore={rule}\nRUN apt"))
    );
    // Only source actions asked: no quick fixes.
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": df_uri}, "range": d["range"], "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    assert!(
        r["result"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["kind"] == "source.fixAll.afcheck"),
        "{r}"
    );

    // The configuration changes on disk: picked up without a restart.
    std::fs::write(dir.join(".afcheck.yaml"), "ignore: [AFK026, AFK015]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": cfg_uri, "type": 2}]}),
    );
    let (diags, _) = c.diagnostics(&pod_uri, |d| !has(d, "AFK015"));
    assert!(has(&diags, "AFK014"), "{diags:?}");

    // Unknown requests get an error, not silence.
    let r = c.request("afcheck/unknown", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    c.shutdown();
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let caps = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});
    let (mut c, init) = Client::start(caps, &[], Value::Null);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    let dir = run_support::tmpdir("server", "utf8");
    let u = uri(&dir.join("pod.yaml"));
    c.open(&u, "yaml", POD);
    let (diags, _) = c.diagnostics(&u, |d| has(d, "AFK022"));
    let d = diags.iter().find(|d| d["code"] == "AFK022").unwrap();
    let line = POD.lines().nth(6).unwrap();
    assert_eq!(
        d["range"]["start"]["character"],
        line.find("\"nginx").unwrap() as u64
    );
    c.shutdown();
}

#[test]
fn a_project_rule_updates_across_files() {
    let dir = run_support::tmpdir("server", "project");
    let workloads = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: shop\n          image: nginx:1.27.3\n";
    let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n";
    std::fs::write(dir.join("workloads.yaml"), workloads).unwrap();
    std::fs::create_dir_all(dir.join("net")).unwrap();
    std::fs::write(dir.join("net/policy.yaml"), deny).unwrap();
    // An unrelated file in another namespace.
    std::fs::write(
        dir.join("other.yaml"),
        workloads.replace("namespace: shop", "namespace: other"),
    )
    .unwrap();
    let (mut c, _) = Client::start(json!({}), &[&dir], json!({"debounceMs": 10}));
    let w_uri = uri(&dir.join("workloads.yaml"));
    let p_uri = uri(&dir.join("net/policy.yaml"));
    c.open(&w_uri, "yaml", workloads);
    // Once the folder is indexed, the policy on disk (not open) counts.
    let (diags, _) = c.diagnostics(&w_uri, |d| has(d, "AFK015") && !has(d, "AFK026"));
    assert!(!diags.is_empty());
    // Edited in the editor (unsaved): the policy moves to another
    // namespace, and the workloads file is published again with AFK026.
    c.open(&p_uri, "yaml", deny);
    c.change(
        &p_uri,
        2,
        &deny.replace("namespace: shop", "namespace: elsewhere"),
    );
    let (diags, _) = c.diagnostics(&w_uri, |d| has(d, "AFK026"));
    let d = diags.iter().find(|d| d["code"] == "AFK026").unwrap();
    assert!(d["message"].as_str().unwrap().contains("`shop`"), "{d}");
    // Closed without saving: back to the text on disk.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": p_uri}}),
    );
    let (_, v) = c.diagnostics(&p_uri, |d| d.is_empty());
    assert_eq!(v["params"]["diagnostics"], json!([]));
    c.diagnostics(&w_uri, |d| !has(d, "AFK026") && has(d, "AFK015"));
    c.shutdown();
}

/// Secret values a document holds, and which must never be sent back.
const SECRETS: [&str; 4] = [
    "wJalrXUtnFEMIK7MDENGbPxRfiCYzQ8s4kLq",
    "S3cr3tP4ssw0rd-Xy7",
    "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngAbCdEf1234",
    "hunter2-Passw0rd-Zq",
];

#[test]
fn secrets_in_a_document_never_leave_the_server() {
    let dir = run_support::tmpdir("server", "secrets");
    let (mut c, _) = Client::start(json!({}), &[&dir], json!({"debounceMs": 10}));
    let df_uri = uri(&dir.join("Dockerfile"));
    let df = format!(
        "FROM python:3.12-slim\nENV AWS_SECRET_ACCESS_KEY={}\nENV DB_URL=postgresql://app:{}@db:5432/app\nRUN curl -H \"Authorization: token {}\" https://example.com/x\n",
        SECRETS[0], SECRETS[1], SECRETS[2]
    );
    c.open(&df_uri, "dockerfile", &df);
    let (diags, _) = c.diagnostics(&df_uri, |d| d.len() >= 2);
    let yaml_uri = uri(&dir.join("secret.yaml"));
    let y = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  DB_PASSWORD: {}\n  GITHUB_TOKEN: {}\n",
        SECRETS[3], SECRETS[2]
    );
    c.open(&yaml_uri, "yaml", &y);
    let (ydiags, _) = c.diagnostics(&yaml_uri, |d| !d.is_empty());
    // The findings are there (the test is not vacuous): secret rules fired.
    let secret_rules = codes(&diags)
        .into_iter()
        .chain(codes(&ydiags))
        .filter(|c| c.starts_with("AFS") || c == "AFD016" || c == "AFK029")
        .count();
    assert!(secret_rules >= 4, "{diags:?} {ydiags:?}");
    // Code actions and hovers over every line.
    for (u, text) in [(&df_uri, &df), (&yaml_uri, &y)] {
        let n = text.lines().count() as u64;
        c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": n, "character": 0}}, "context": {"diagnostics": []}}),
        );
        for line in 0..n {
            c.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": u}, "position": {"line": line, "character": 30}}),
            );
        }
    }
    let raw = c.shutdown();
    assert!(raw.len() > 5);
    for m in &raw {
        for s in SECRETS {
            assert!(!m.contains(s), "secret sent: {m}");
            // Nor a recognisable piece of it.
            assert!(!m.contains(&s[..10]), "secret piece sent: {m}");
        }
    }
}

#[test]
fn malformed_and_huge_documents_do_not_stop_the_server() {
    let dir = run_support::tmpdir("server", "hostile");
    let (mut c, _) = Client::start(json!({}), &[&dir], json!({"debounceMs": 10}));
    // Malformed YAML, binary junk, an invalid Dockerfile.
    let bad = [
        (
            "bad.yaml",
            "a: [b\n  c: {d: \"\n\t- ]]]\n&x *y: !!binary |\n",
        ),
        ("junk.yaml", "\u{0}\u{1}\u{2}\u{feff}\u{202e}"),
        ("Dockerfile", "FROM\nRUN \\\n\\\n"),
    ];
    for (name, text) in bad {
        let u = uri(&dir.join(name));
        c.open(&u, "yaml", text);
        c.diagnostics(&u, |_| true);
    }
    // Over the size limit (10 MiB): one diagnostic, quickly.
    let huge: String = "a: b\n".repeat(11 << 18);
    assert!(huge.len() > 10 << 20);
    let u = uri(&dir.join("huge.yaml"));
    let t = Instant::now();
    c.open(&u, "yaml", &huge);
    let (d, _) = c.diagnostics(&u, |d| has(d, "AFY005"));
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(t.elapsed() < Duration::from_secs(20));
    // A large document under the limit: the server answers meanwhile.
    let big: String = (0..40_000)
        .map(|i| format!("k{i}: [\"v\", {{x: \"{i}\"}}]\n"))
        .collect();
    let u2 = uri(&dir.join("big.yaml"));
    c.open(&u2, "yaml", &big);
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(h["result"], Value::Null);
    c.diagnostics(&u2, |_| true);
    // Positions past the end and unknown documents are answered too.
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": "file:///nowhere/x.yaml"}, "range": {"start": {"line": 99, "character": 99}, "end": {"line": 99, "character": 99}}, "context": {"diagnostics": []}}),
    );
    assert_eq!(r["result"], json!([]));
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u2}, "position": {"line": 999999, "character": 999999}}),
    );
    assert!(r.get("error").is_none(), "{r}");
    c.shutdown();
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let (mut c, _) = Client::start(json!({}), &[], Value::Null);
    c.notify("exit", Value::Null);
    drop(c.stdin.take());
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = c.child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(1));
            break;
        }
        assert!(Instant::now() < deadline, "server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Airflow sources linked across files: the image of the Deployment that
/// mounts a ConfigMap's airflow.cfg decides which options are outdated.
#[test]
fn airflow_sources_link_across_files() {
    let dir = run_support::tmpdir("server", "airflow");
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: airflow-config\n  namespace: data\ndata:\n  airflow.cfg: |\n    [core]\n    sql_alchemy_conn = postgresql://db/airflow\n";
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: scheduler\n  namespace: data\nspec:\n  template:\n    spec:\n      containers:\n        - name: scheduler\n          image: apache/airflow:2.2.5\n          volumeMounts:\n            - name: config\n              mountPath: /opt/airflow/airflow.cfg\n              subPath: airflow.cfg\n      volumes:\n        - name: config\n          configMap:\n            name: airflow-config\n";
    std::fs::write(dir.join("cm.yaml"), cm).unwrap();
    std::fs::create_dir_all(dir.join("apps")).unwrap();
    std::fs::write(dir.join("apps/deploy.yaml"), deploy).unwrap();
    let (mut c, _) = Client::start(json!({}), &[&dir], json!({"debounceMs": 10}));
    let cm_uri = uri(&dir.join("cm.yaml"));
    let d_uri = uri(&dir.join("apps/deploy.yaml"));
    // Alone, the newest Airflow is assumed and the option is outdated; with
    // the folder indexed, the Deployment's Airflow 2.2.5 still reads it.
    c.open(&cm_uri, "yaml", cm);
    c.diagnostics(&cm_uri, |d| !has(d, "AFC002"));
    c.open(&d_uri, "yaml", deploy);
    c.change(&d_uri, 2, &deploy.replace("2.2.5", "2.9.3"));
    let (diags, _) = c.diagnostics(&cm_uri, |d| has(d, "AFC002"));
    let d = diags.iter().find(|d| d["code"] == "AFC002").unwrap();
    assert!(
        d["message"].as_str().unwrap().contains("Airflow 2.9.3"),
        "{d}"
    );
    assert_eq!(d["range"]["start"]["line"], 8);
    c.shutdown();
}

fn copy_tree(src: &Path, dst: &Path, rel: &str, out: &mut Vec<String>) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_str().unwrap().to_string();
        let r = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dst.join(&name), &r, out);
        } else {
            std::fs::copy(e.path(), dst.join(&name)).unwrap();
            out.push(r);
        }
    }
}

type Places = Vec<(String, u64, u64)>;

/// Copies `src` into a fresh folder, runs the command line over it, then
/// opens its files in the server one at a time (the others indexed, not
/// open) and waits until each gets the command line's findings: same
/// rules at the same places. Returns how many findings were compared.
fn assert_server_matches_command_line(src: &Path, tag: &str) -> usize {
    let dir = run_support::tmpdir("server", tag);
    let mut files = Vec::new();
    copy_tree(src, &dir, "", &mut files);
    files.sort();
    let out = Command::new(env!("CARGO_BIN_EXE_afcheck"))
        .current_dir(&dir)
        .args(["--format", "json", "--fail-on", "never", "."])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut expected: std::collections::BTreeMap<String, Places> = Default::default();
    for f in report["findings"].as_array().unwrap() {
        expected
            .entry(f["path"].as_str().unwrap().to_string())
            .or_default()
            .push((
                f["rule"].as_str().unwrap().to_string(),
                f["start"]["line"].as_u64().unwrap(),
                f["start"]["column"].as_u64().unwrap(),
            ));
    }
    for v in expected.values_mut() {
        v.sort();
    }
    let total = expected.values().map(Vec::len).sum();
    let (mut c, _) = Client::start(json!({}), &[&dir], json!({"debounceMs": 10}));
    for n in files.iter().filter(|n| expected.contains_key(*n)) {
        let text = std::fs::read_to_string(dir.join(n)).unwrap();
        let u = uri(&dir.join(n));
        c.open(&u, "yaml", &text);
        let want = expected[n].clone();
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last = None;
        loop {
            let Some(v) = c.next(deadline) else {
                panic!("{n}: server {last:?}\ncommand line {want:?}");
            };
            if v["method"] != "textDocument/publishDiagnostics" || v["params"]["uri"] != u {
                continue;
            }
            let mut got: Places = v["params"]["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap().to_string(),
                        d["range"]["start"]["line"].as_u64().unwrap() + 1,
                        d["range"]["start"]["character"].as_u64().unwrap() + 1,
                    )
                })
                .collect();
            got.sort();
            if got == want {
                break;
            }
            last = Some(got);
        }
    }
    c.shutdown();
    total
}

/// The seed guide's Dockerfiles, values, manifests and .dockerignore.
#[test]
fn workspace_diagnostics_match_the_command_line() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed-guide");
    let n = assert_server_matches_command_line(&src, "seed");
    assert!(n > 50, "{n}");
}

/// The Airflow corpus: charts' values, Compose files, Dockerfiles in nested
/// folders, pod templates.
#[test]
#[cfg_attr(
    not(afcheck_shared_data),
    ignore = "needs ../shared/corpus/airflow; run scripts/fetch-test-data.sh"
)]
fn corpus_airflow_diagnostics_match_the_command_line() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/airflow");
    assert!(src.is_dir(), "{} is missing", src.display());
    let n = assert_server_matches_command_line(&src, "corpus-airflow");
    assert!(n > 50, "{n}");
}

/// The fixes of the rules: a safe one is the preferred quick fix, an unsafe
/// one is offered marked as such, and "fix all" applied until nothing is
/// left gives what the library's fixer gives.
#[test]
fn fix_code_actions_and_fix_all() {
    let dir = run_support::tmpdir("server", "fix");
    let (mut c, _) = Client::start(
        json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}),
        &[&dir],
        json!({"debounceMs": 10}),
    );
    let u = uri(&dir.join("Dockerfile"));
    let text = "FROM python:3.12-slim\nRUN echo \"é𝄞\" && pip install flask\nWORKDIR /app\nRUN apt-get update && apt-get install curl\n";
    c.open(&u, "dockerfile", text);
    let (diags, _) = c.diagnostics(&u, |d| has(d, "AFD009") && has(d, "AFD005"));
    let action = |c: &mut Client, rule: &str, diags: &[Value]| -> Value {
        let d = diags.iter().find(|d| d["code"] == rule).unwrap().clone();
        let r = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": d["range"], "context": {"diagnostics": [d], "only": ["quickfix"]}}),
        );
        r["result"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| {
                a["title"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("Fix {rule} "))
            })
            .unwrap_or_else(|| panic!("no fix for {rule}: {r}"))
            .clone()
    };
    // Safe: preferred; its insertion lands after the non-ASCII text.
    let a = action(&mut c, "AFD009", &diags);
    assert_eq!(a["kind"], "quickfix");
    assert_eq!(a["isPreferred"], true);
    let edits = a["edit"]["documentChanges"][0]["edits"].as_array().unwrap();
    let fixed = apply_edits(text, edits);
    assert!(
        fixed.contains("echo \"é𝄞\" && pip install --no-cache-dir flask"),
        "{fixed}"
    );
    c.change(&u, 2, &fixed);
    let (diags, _) = c.diagnostics(&u, |d| !has(d, "AFD009"));
    // Unsafe: offered, not preferred, and said so.
    let a = action(&mut c, "AFD005", &diags);
    assert_eq!(a["isPreferred"], false);
    assert!(a["title"].as_str().unwrap().contains("unsafe"), "{a}");

    // Fix all, until nothing is left to fix.
    let mut current = fixed;
    let mut version = 2;
    for _ in 0..5 {
        let r = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        );
        let Some(all) = r["result"].as_array().unwrap().first().cloned() else {
            break;
        };
        assert_eq!(all["kind"], "source.fixAll.afcheck");
        let edits = all["edit"]["documentChanges"][0]["edits"]
            .as_array()
            .unwrap();
        current = apply_edits(&current, edits);
        version += 1;
        c.change(&u, version, &current);
        c.published(&u, version);
    }
    let library = afcheck::lint::fix_document(
        "Dockerfile",
        text,
        &afcheck::lint::Options::default(),
        false,
    );
    assert_eq!(current, library.text);
    assert_ne!(current, text);
    c.shutdown();
}

/// An invalid `.afcheck.yaml` is said (window/showMessage) and the
/// defaults apply until it is fixed on disk.
#[test]
fn an_invalid_configuration_is_reported_and_replaced_when_fixed() {
    let dir = run_support::tmpdir("server", "badconfig");
    std::fs::write(dir.join(".afcheck.yaml"), "ignore: [AFQ999]\n").unwrap();
    let (mut c, _) = Client::start(json!({}), &[&dir], json!({"debounceMs": 10}));
    let u = uri(&dir.join("pod.yaml"));
    c.open(&u, "yaml", POD);
    c.diagnostics(&u, |d| has(d, "AFK022"));
    let deadline = Instant::now() + WAIT;
    let shown = loop {
        if let Some(i) = c
            .pending
            .iter()
            .position(|v| v["method"] == "window/showMessage")
        {
            break c.pending.remove(i);
        }
        let v = c.next(deadline).expect("a message about the configuration");
        c.pending.push(v);
    };
    let text = shown["params"]["message"].as_str().unwrap();
    assert!(
        text.contains(".afcheck.yaml") && text.contains("AFQ999"),
        "{text}"
    );
    std::fs::write(dir.join(".afcheck.yaml"), "ignore: [AFK022]\n").unwrap();
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&dir.join(".afcheck.yaml"))}}),
    );
    c.diagnostics(&u, |d| !has(d, "AFK022") && has(d, "AFK015"));
    c.shutdown();
}

/// Every project rule (a rule with `check_project`) is one whose links the
/// server follows (`server::workspace::LINKED_RULES`): a new one without a
/// key would be checked in the editor without the files it needs.
#[test]
fn every_project_rule_is_linked_by_the_server() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut found = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            if !text.contains("fn check_project(&self") {
                continue;
            }
            let Some(at) = text.find("rule!(") else {
                continue;
            };
            let id = text[at..].split('"').nth(1).unwrap().to_string();
            found.push(id);
        }
    }
    assert!(found.len() >= 10, "{found:?}");
    for id in &found {
        assert!(
            afcheck::server::workspace::LINKED_RULES
                .iter()
                .any(|l| id.starts_with(l)),
            "{id} is a project rule the server does not link (server/workspace.rs)"
        );
    }
}
