//! The language server's latency (divan): from a change of a 1,000-line
//! Kubernetes manifest (`didChange`) to its published diagnostics, through
//! the real server loop (`afcheck::server::serve` over an in-memory
//! connection, debounce off), analysis and conversion included. Target:
//! under 20 ms. `cargo bench --bench server` measures; `cargo test
//! --all-targets` runs it once as a smoke test.

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

#[divan::bench(sample_count = 30)]
fn manifest_change_to_diagnostics(b: Bencher) {
    let (server, client) = Connection::memory();
    let t = std::thread::spawn(move || serve(&server));
    client
        .sender
        .send(Message::Request(Request::new(
            RequestId::from(1),
            "initialize".into(),
            json!({"capabilities": {}, "initializationOptions": {"debounceMs": 0}}),
        )))
        .unwrap();
    while !matches!(recv(&client), Message::Response(_)) {}
    notify(&client, "initialized", json!({}));
    let text = manifest(0);
    assert!(text.lines().count() >= 1000, "{}", text.lines().count());
    notify(
        &client,
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "yaml", "version": 1, "text": text}}),
    );
    assert!(wait_diagnostics(&client, 1) > 0);
    let texts: Vec<String> = (1..8).map(manifest).collect();
    let mut version = 1i64;
    b.bench_local(|| {
        version += 1;
        let text = &texts[version as usize % texts.len()];
        notify(
            &client,
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{"text": text}]}),
        );
        let n = wait_diagnostics(&client, version);
        assert!(n > 0, "the manifest has findings");
        n
    });
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
