//! The language server's latency (divan): from a change of a 1,000-line
//! Kubernetes manifest (`didChange`) to its published diagnostics, through
//! the real server loop (`afcheck::server::serve` over an in-memory
//! connection, debounce off), analysis and conversion included. Target:
//! under 20 ms. The same change inside a workspace folder holding the k8s
//! corpus (`../shared/corpus/k8s`, skipped when absent) shows what the
//! project rules add, and how long indexing the folder takes.
//! `cargo bench --bench server` measures; `cargo test --all-targets` runs
//! each benchmark once as a smoke test.

use std::path::{Path, PathBuf};
use std::time::Duration;

use afcheck::server::serve;
use divan::Bencher;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

fn main() {
    divan::main();
}

const DEPLOYMENT: &str = include_str!("data/deployment.yaml");
const URI: &str = "untitled:bench/deploy.yaml";

/// About 1,000 lines: the benchmark deployment repeated (6 x 166 lines).
fn manifest(n: usize) -> String {
    let mut s = String::new();
    for i in 0..6 {
        if i > 0 {
            s.push_str("---\n");
        }
        s.push_str(&DEPLOYMENT.replace("replicas: ", &format!("replicas: {}", n % 7 + i)));
    }
    s
}

fn corpus_k8s() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut candidates = Vec::new();
    if let Some(c) = std::env::var_os("AFCHECK_CORPUS") {
        candidates.push(PathBuf::from(c));
    }
    candidates.push(manifest.join("../shared/corpus"));
    candidates
        .into_iter()
        .map(|c| c.join("k8s"))
        .find(|c| c.is_dir())
        .and_then(|c| c.canonicalize().ok())
}

fn recv(c: &Connection) -> Message {
    c.receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("the server answers")
}

/// Waits for the diagnostics of `version`; returns how many there are.
fn wait_diagnostics(c: &Connection, version: i64) -> usize {
    loop {
        if let Message::Notification(n) = recv(c)
            && n.method == "textDocument/publishDiagnostics"
            && n.params["version"] == json!(version)
        {
            return n.params["diagnostics"].as_array().map_or(0, Vec::len);
        }
    }
}

fn notify(c: &Connection, method: &str, params: Value) {
    c.sender
        .send(Message::Notification(Notification::new(
            method.into(),
            params,
        )))
        .unwrap();
}

/// A server with `folder` as its workspace (if any) and `uri` open with
/// `text`; returns once the document's diagnostics came after indexing.
fn start(
    folder: Option<&Path>,
    uri: &str,
    text: &str,
) -> (Connection, std::thread::JoinHandle<Result<bool, String>>) {
    let (server, client) = Connection::memory();
    let t = std::thread::spawn(move || serve(&server));
    let folders = match folder {
        Some(f) => json!([{"uri": format!("file://{}", f.display()), "name": "corpus"}]),
        None => Value::Null,
    };
    client
        .sender
        .send(Message::Request(Request::new(
            RequestId::from(1),
            "initialize".into(),
            json!({"capabilities": {}, "workspaceFolders": folders, "initializationOptions": {"debounceMs": 0}}),
        )))
        .unwrap();
    while !matches!(recv(&client), Message::Response(_)) {}
    notify(&client, "initialized", json!({}));
    notify(
        &client,
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    assert!(wait_diagnostics(&client, 1) > 0);
    if folder.is_some() {
        // Published again once the folder is indexed.
        assert!(wait_diagnostics(&client, 1) > 0);
    }
    (client, t)
}

fn stop(client: Connection, t: std::thread::JoinHandle<Result<bool, String>>) {
    client
        .sender
        .send(Message::Request(Request::new(
            RequestId::from(2),
            "shutdown".into(),
            Value::Null,
        )))
        .unwrap();
    while !matches!(recv(&client), Message::Response(_)) {}
    notify(&client, "exit", Value::Null);
    assert!(t.join().unwrap().unwrap(), "clean shutdown");
}

fn changes(b: Bencher, client: &Connection, uri: &str) {
    let texts: Vec<String> = (1..8).map(manifest).collect();
    changes_with(b, client, uri, &texts);
}

fn changes_with(b: Bencher, client: &Connection, uri: &str, texts: &[String]) {
    let mut version = 1i64;
    b.bench_local(|| {
        version += 1;
        let text = &texts[version as usize % texts.len()];
        notify(
            client,
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        let n = wait_diagnostics(client, version);
        assert!(n > 0, "the manifest has findings");
        n
    });
}

#[divan::bench(sample_count = 30)]
fn manifest_change_to_diagnostics(b: Bencher) {
    let text = manifest(0);
    assert!(text.lines().count() >= 1000, "{}", text.lines().count());
    let (client, t) = start(None, URI, &text);
    changes(b, &client, URI);
    stop(client, t);
}

/// The same change in a new file of a workspace folder holding the k8s
/// corpus (2,672 files): the project rules re-run over the files linked to
/// it (its namespace, the Airflow deployment).
#[divan::bench(sample_count = 10)]
fn manifest_change_in_corpus_workspace(b: Bencher) {
    let Some(dir) = corpus_k8s() else {
        return;
    };
    let uri = format!("file://{}/__bench__/deploy.yaml", dir.display());
    let (client, t) = start(Some(&dir), &uri, &manifest(0));
    changes(b, &client, &uri);
    stop(client, t);
}

/// The worst case of that corpus: the manifest in the `default` namespace,
/// which 673 of its files (unrelated samples) share, so the default-deny
/// and service-account rules re-read all of them.
#[divan::bench(sample_count = 5)]
fn manifest_change_in_corpus_default_namespace(b: Bencher) {
    let Some(dir) = corpus_k8s() else {
        return;
    };
    let uri = format!("file://{}/__bench__/deploy.yaml", dir.display());
    let strip = |t: String| t.replace("  namespace: airflow\n", "");
    let (client, t) = start(Some(&dir), &uri, &strip(manifest(0)));
    let texts: Vec<String> = (1..8).map(|n| strip(manifest(n))).collect();
    changes_with(b, &client, &uri, &texts);
    stop(client, t);
}

/// Start to diagnostics with the corpus folder indexed (walk, read and
/// summarise 2,672 files, then analyse the open document's neighbours).
#[divan::bench(sample_count = 3)]
fn index_corpus_workspace(b: Bencher) {
    let Some(dir) = corpus_k8s() else {
        return;
    };
    let uri = format!("file://{}/__bench__/deploy.yaml", dir.display());
    let text = manifest(0);
    b.bench_local(|| {
        let (client, t) = start(Some(&dir), &uri, &text);
        stop(client, t);
    });
}
