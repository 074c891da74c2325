//! The YAML layer: spans, duplicates, scalar resolution, aliases, limits,
//! error recovery and embedded-text offset maps.

use std::time::{Duration, Instant};

use afcheck::source::{Position, SourceFile, Span};
use afcheck::yaml::{self, MAX_DEPTH, NodeKind, NodeRef, ScalarStyle, YamlErrorKind, YamlStream};

fn pos(f: &SourceFile, s: Span) -> (u32, u32) {
    let Position { line, column } = f.position(s.start());
    (line, column)
}

fn root(s: &YamlStream, doc: usize) -> NodeRef<'_> {
    s.node(s.docs[doc].root.expect("document has a root"))
}

#[test]
fn key_and_value_spans() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"web\"  # c\n  labels: {app: x}\nspec:\n  containers:\n    - name: c\n      image: 'nginx'\n";
    let f = SourceFile::new("a.yaml", text);
    let s = yaml::parse(&f.text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let r = root(&s, 0);
    assert_eq!(pos(&f, r.key_span("kind").unwrap()), (2, 1));
    let name = r.path(&["metadata", "name"]).unwrap();
    assert_eq!(f.slice(name.span()), "\"web\"");
    assert_eq!(name.as_str(), Some("web"));
    assert_eq!(name.style(), Some(ScalarStyle::DoubleQuoted));
    assert_eq!(pos(&f, name.span()), (4, 9));
    let labels = r.path(&["metadata", "labels"]).unwrap();
    assert_eq!(f.slice(labels.span()), "{app: x}");
    let meta = r.get("metadata").unwrap();
    assert_eq!(
        f.slice(meta.span()),
        "name: \"web\"  # c\n  labels: {app: x}"
    );
    let c = r.path(&["spec", "containers"]).unwrap();
    assert_eq!(f.slice(c.span()), "- name: c\n      image: 'nginx'");
    let item = c.items().next().unwrap();
    assert_eq!(f.slice(item.span()), "name: c\n      image: 'nginx'");
    let image = item.get("image").unwrap();
    assert_eq!(f.slice(image.span()), "'nginx'");
    assert_eq!(pos(&f, image.span()), (9, 14));
    assert_eq!(f.slice(r.span()), text.trim_end());
    assert_eq!(s.docs[0].objects, vec![r.id]);
}

#[test]
fn spans_are_bytes_and_columns_are_code_points() {
    let text = "désc: \"çé ü\"\nnäme: wörld\nlist: [ä, b]\n";
    let f = SourceFile::new("u.yaml", text);
    let s = yaml::parse(&f.text);
    let r = root(&s, 0);
    let v = r.get("näme").unwrap();
    assert_eq!(f.slice(v.span()), "wörld");
    assert_eq!(pos(&f, v.span()), (2, 7));
    assert_eq!(f.slice(r.get("list").unwrap().span()), "[ä, b]");
    assert_eq!(f.slice(r.get("désc").unwrap().span()), "\"çé ü\"");
}

#[test]
fn crlf_and_bom() {
    let text = "\u{feff}a: 1\r\nb:\r\n  c: héllo\r\n  d: |\r\n    x\r\n    y\r\n";
    let f = SourceFile::new("c.yaml", text);
    let s = yaml::parse(&f.text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let r = root(&s, 0);
    let c = r.path(&["b", "c"]).unwrap();
    assert_eq!(f.slice(c.span()), "héllo");
    assert_eq!(pos(&f, c.span()), (3, 6));
    let d = r.path(&["b", "d"]).unwrap();
    assert_eq!(d.as_str(), Some("x\ny\n"));
    let m = d.scalar_map(&f.text);
    assert_eq!(pos(&f, Span::new(m.map(2), m.map(2) + 1)), (6, 5));
    assert_eq!(f.slice(m.map_span(Span::new(2, 3))), "y");
}

#[test]
fn duplicate_keys_everywhere() {
    let text = "a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\na: 2\nc: [ {k: 1, k: 2} ]\n";
    let f = SourceFile::new("d.yaml", text);
    let s = yaml::parse(&f.text);
    let mut d: Vec<(String, u32, u32, bool)> = s
        .duplicates
        .iter()
        .map(|d| {
            (
                d.key.clone(),
                pos(&f, d.first).0,
                pos(&f, d.repeat).0,
                d.fused_object,
            )
        })
        .collect();
    d.sort();
    assert_eq!(
        d,
        vec![
            ("a".into(), 1, 6, false),
            ("k".into(), 7, 7, false),
            ("x".into(), 3, 5, false)
        ]
    );
    // The last value wins, as in Kubernetes' decoder.
    assert_eq!(root(&s, 0).path(&["b", "x"]).unwrap().as_i64(), Some(3));
    // A big mapping uses the hashed path.
    let mut big = String::new();
    for i in 0..40 {
        big.push_str(&format!("k{i}: {i}\n"));
    }
    big.push_str("k7: again\n");
    let s = yaml::parse(&big);
    assert_eq!(s.duplicates.len(), 1);
    assert_eq!(s.duplicates[0].key, "k7");
}

#[test]
fn yaml_11_scalars() {
    let text = "a: yes\nb: on\nc: y\nd: \"yes\"\ne: 'on'\nf: No\ng: OFF\nh: 0755\ni: 0x1F\nj: ~\nk:\nl: null\nm: \"null\"\nn: !!null x\n";
    let s = yaml::parse(text);
    let r = root(&s, 0);
    let b = |k: &str| r.get(k).unwrap().as_bool();
    assert_eq!(b("a"), Some(true));
    assert_eq!(b("b"), Some(true));
    assert_eq!(b("c"), Some(true));
    assert_eq!(b("d"), None);
    assert_eq!(r.get("d").unwrap().as_str(), Some("yes"));
    assert_eq!(b("e"), None);
    assert_eq!(b("f"), Some(false));
    assert_eq!(b("g"), Some(false));
    assert_eq!(r.get("h").unwrap().as_i64(), Some(0o755));
    assert_eq!(r.get("i").unwrap().as_i64(), Some(31));
    for k in ["j", "k", "l", "n"] {
        assert!(r.get(k).unwrap().is_null(), "{k}");
    }
    assert!(!r.get("m").unwrap().is_null());
    assert_eq!(r.get("n").unwrap().raw().tag(), Some("!!null"));
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let text = "base: &b\n  cpu: 1\n  mem: 2Gi\nname: &n web\nx:\n  <<: *b\n  mem: 4Gi\ny: *n\nz:\n  <<: [*b]\n";
    let f = SourceFile::new("m.yaml", text);
    let s = yaml::parse(&f.text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let r = root(&s, 0);
    let base = r.get("base").unwrap();
    assert_eq!(base.raw().anchor(), Some("b"));
    assert_eq!(f.slice(base.span()), "cpu: 1\n  mem: 2Gi");
    let n = r.get("name").unwrap();
    assert_eq!(n.raw().anchor(), Some("n"));
    assert_eq!(f.slice(n.span()), "web");
    assert_eq!(r.path(&["x", "cpu"]).unwrap().as_i64(), Some(1));
    assert_eq!(r.path(&["x", "mem"]).unwrap().as_str(), Some("4Gi"));
    assert_eq!(r.path(&["z", "mem"]).unwrap().as_str(), Some("2Gi"));
    let (_, y) = r.entry("y").unwrap();
    assert!(y.is_alias());
    assert_eq!(f.slice(y.span()), "*n");
    assert_eq!(y.as_str(), Some("web"));
}

#[test]
fn alias_bomb_is_free() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut prev = "a";
    for n in names {
        text.push_str(&format!(
            "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = n;
    }
    let t = Instant::now();
    let s = yaml::parse(&text);
    assert!(t.elapsed() < Duration::from_millis(500));
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    // 9 + 8 * 9 scalar/alias nodes, 9 sequences, 18 keys: no expansion.
    assert!(s.nodes.len() < 200, "{}", s.nodes.len());
    let i = root(&s, 0).get("i").unwrap();
    assert_eq!(i.items().count(), 9);
    assert!(i.items().all(|x| x.is_alias() && x.deref().is_sequence()));
}

fn assert_one_too_deep(text: &str) {
    let t = Instant::now();
    let s = yaml::parse(text);
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t.elapsed()
    );
    let deep: Vec<_> = s
        .errors
        .iter()
        .filter(|e| e.kind == YamlErrorKind::TooDeep)
        .collect();
    assert_eq!(deep.len(), 1, "{:?}", s.errors);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
}

#[test]
fn million_deep_flow_nesting() {
    let n = 1_000_000;
    assert_one_too_deep(&"[".repeat(n));
    assert_one_too_deep(&format!("{}{}", "[".repeat(n), "]".repeat(n)));
    assert_one_too_deep(&format!("a: {}", "{a: ".repeat(n)));
    // The limit itself is fine (saphyr caps flow nesting at 255 levels).
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    let s = yaml::parse(&ok);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
}

#[test]
fn million_deep_block_nesting() {
    let n = 1_000_000;
    assert_one_too_deep(&format!("{}x\n", "- ".repeat(n)));
    // Mixed: block sequences then flow.
    assert_one_too_deep(&format!("{}{}\n", "- ".repeat(100), "[".repeat(n)));
    // Deep block mappings (indentation grows; 300 levels is enough).
    let mut t = String::new();
    for i in 0..300 {
        t.push_str(&" ".repeat(i));
        t.push_str("k:\n");
    }
    assert_one_too_deep(&t);
}

#[test]
fn too_deep_document_does_not_stop_the_stream() {
    let text = format!("a: 1\n---\nb: {}\n---\nc: 3\n", "[".repeat(5000));
    let s = yaml::parse(&text);
    assert_eq!(s.errors.len(), 1);
    assert_eq!(s.errors[0].kind, YamlErrorKind::TooDeep);
    let keys: Vec<&str> = s
        .docs
        .iter()
        .filter_map(|d| d.root)
        .flat_map(|r| {
            s.node(r)
                .entries()
                .filter_map(|(k, _)| k.as_str())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(keys, vec!["a", "c"]);
    // Block nesting in the middle document too.
    let text = format!("a: 1\n---\n{}x\n---\nc: 3\n", "- ".repeat(5000));
    let s = yaml::parse(&text);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert_eq!(s.docs.len(), 2);
}

#[test]
fn syntax_error_recovers_at_next_document() {
    let text = "a: 1\n---\nb: [1, 2\nc: d\n---\ne: 5\n---\nf: : :\n  - x\n---\ng: 7\n";
    let f = SourceFile::new("e.yaml", text);
    let s = yaml::parse(&f.text);
    let syn: Vec<_> = s
        .errors
        .iter()
        .filter(|e| e.kind == YamlErrorKind::Syntax)
        .collect();
    assert_eq!(syn.len(), 2, "{:?}", s.errors);
    assert!(syn[0].message.starts_with("YAML syntax error"));
    let l0 = pos(&f, syn[0].span).0;
    assert!((3..=5).contains(&l0), "{l0}");
    let keys: Vec<&str> = s
        .docs
        .iter()
        .filter_map(|d| d.root)
        .flat_map(|r| {
            s.node(r)
                .entries()
                .filter_map(|(k, _)| k.as_str())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(keys, vec!["a", "e", "g"]);
}

#[test]
fn multi_document_streams() {
    let text = "# lead\n---\na: 1\n...\n---\n---\n# nothing\n---\n- x\n- y\n--- scalar\n";
    let f = SourceFile::new("m.yaml", text);
    let s = yaml::parse(&f.text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(s.docs.len(), 5);
    assert!(s.docs[0].root.is_some());
    assert_eq!(pos(&f, s.docs[0].span), (2, 1));
    assert!(s.docs[1].root.is_none());
    assert!(s.docs[1].objects.is_empty());
    assert!(s.docs[2].root.is_none());
    assert!(root(&s, 3).is_sequence());
    assert_eq!(f.slice(root(&s, 3).span()), "- x\n- y");
    assert_eq!(root(&s, 4).as_str(), Some("scalar"));
    assert!(yaml::parse("").docs.is_empty());
    assert!(yaml::parse("# only a comment\n").docs.is_empty());
    assert!(yaml::parse("").errors.is_empty());
}

#[test]
fn fused_objects_are_split() {
    let text = "\
# first
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
data:
  k: v

# second
apiVersion: v1
kind: Secret
metadata:
  name: b
---
kind: Service
apiVersion: v1
metadata:
  name: c
kind: Service
apiVersion: v1
metadata:
  name: d
";
    let f = SourceFile::new("f.yaml", text);
    let s = yaml::parse(&f.text);
    assert!(s.errors.is_empty());
    assert_eq!(s.docs.len(), 2);
    assert_eq!(s.docs[0].objects.len(), 2);
    assert_eq!(s.docs[1].objects.len(), 2);
    let names: Vec<&str> = s
        .objects()
        .map(|o| {
            o.path(&["metadata", "name"])
                .and_then(|n| n.as_str())
                .unwrap_or("?")
        })
        .collect();
    assert_eq!(names, vec!["a", "b", "c", "d"]);
    let o2 = s.node(s.docs[0].objects[1]);
    assert_eq!(pos(&f, o2.span()), (10, 1));
    assert_eq!(o2.get("kind").unwrap().as_str(), Some("Secret"));
    assert!(o2.get("data").is_none());
    let mut d: Vec<(String, u32, u32, bool)> = s
        .duplicates
        .iter()
        .map(|d| {
            (
                d.key.clone(),
                pos(&f, d.first).0,
                pos(&f, d.repeat).0,
                d.fused_object,
            )
        })
        .collect();
    d.sort_by_key(|x| x.2);
    assert_eq!(
        d,
        vec![
            ("apiVersion".into(), 2, 10, true),
            ("kind".into(), 15, 19, true)
        ]
    );
    // A key repeated inside one recovered object is still a duplicate.
    let s2 = yaml::parse(
        "apiVersion: v1\nkind: A\nmetadata: {}\napiVersion: v1\nkind: B\nspec: 1\nspec: 2\n",
    );
    assert_eq!(s2.duplicates.len(), 2);
    assert!(s2.duplicates[0].fused_object);
    assert_eq!(s2.duplicates[1].key, "spec");
    assert!(!s2.duplicates[1].fused_object);
    assert_eq!(s2.duplicates[1].mapping, s2.docs[0].objects[1]);
    let objs = afcheck::k8s::objects(&s);
    assert_eq!(objs.len(), 4);
    assert!(objs.iter().all(|o| o.fused));
    // Nested repeats of apiVersion are plain duplicates, no split.
    let s =
        yaml::parse("apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    apiVersion: v2\n");
    assert_eq!(s.docs[0].objects.len(), 1);
    assert!(!s.duplicates[0].fused_object);
}

#[test]
fn fused_object_starting_with_metadata() {
    let text = "metadata:\n  name: a\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\napiVersion: v1\nkind: ConfigMap\n";
    let s = yaml::parse(text);
    let names: Vec<&str> = s
        .objects()
        .map(|o| {
            o.path(&["metadata", "name"])
                .and_then(|n| n.as_str())
                .unwrap_or("?")
        })
        .collect();
    assert_eq!(names, vec!["a", "b"]);
}

#[test]
fn block_scalar_maps_to_file_lines() {
    let text = "\
apiVersion: v1
kind: ConfigMap
data:
  airflow.cfg: |
    [core]
    executor = CeleryExecutor

      indented = yes
    [webserver]
  folded: >-
    one
    two

    three
  keep: |2+
      lead
    x

  quoted: \"a b\"
";
    let f = SourceFile::new("cm.yaml", text);
    let s = yaml::parse(&f.text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let data = root(&s, 0).get("data").unwrap();
    let cfg = data.get("airflow.cfg").unwrap();
    assert_eq!(cfg.style(), Some(ScalarStyle::Literal));
    assert_eq!(
        f.slice(cfg.span()),
        "|\n    [core]\n    executor = CeleryExecutor\n\n      indented = yes\n    [webserver]"
    );
    let v = cfg.as_str().unwrap();
    let m = cfg.scalar_map(&f.text);
    for needle in [
        "[core]",
        "executor",
        "CeleryExecutor",
        "indented",
        "  indented",
        "[webserver]",
    ] {
        let at = v.find(needle).unwrap();
        let mapped = m.map_span(Span::new(at, at + needle.len()));
        assert_eq!(f.slice(mapped), needle, "{needle}");
    }
    let at = v.find("[webserver]").unwrap();
    assert_eq!(pos(&f, Span::empty(m.map(at))), (9, 5));

    let folded = data.get("folded").unwrap();
    let v = folded.as_str().unwrap();
    assert_eq!(v, "one two\nthree");
    let m = folded.scalar_map(&f.text);
    for needle in ["one", "two", "three"] {
        let at = v.find(needle).unwrap();
        assert_eq!(
            f.slice(m.map_span(Span::new(at, at + needle.len()))),
            needle
        );
    }
    let keep = data.get("keep").unwrap();
    let v = keep.as_str().unwrap();
    assert_eq!(v, "  lead\nx\n\n");
    let m = keep.scalar_map(&f.text);
    let at = v.find("lead").unwrap();
    assert_eq!(pos(&f, Span::empty(m.map(at))), (16, 7));
    assert_eq!(f.slice(m.map_span(Span::new(0, 6))), "  lead");

    let q = data.get("quoted").unwrap();
    let m = q.scalar_map(&f.text);
    assert_eq!(f.slice(m.map_span(Span::new(2, 3))), "b");
    // Escapes: a point at the scalar.
    let s2 = yaml::parse("a: \"x\\ty\"\n");
    let n = root(&s2, 0).get("a").unwrap();
    let m = n.scalar_map("a: \"x\\ty\"\n");
    assert_eq!(m.map(2), 3);
    assert_eq!(m.map(0), 3);
}

#[test]
fn tags_and_styles_are_recorded() {
    let s = yaml::parse("a: !!str 5\nb: !custom {x: 1}\nc: 'q'\nd: >\n  f\n");
    let r = root(&s, 0);
    assert_eq!(r.get("a").unwrap().raw().tag(), Some("!!str"));
    assert_eq!(r.get("b").unwrap().raw().tag(), Some("!custom"));
    assert_eq!(r.get("c").unwrap().style(), Some(ScalarStyle::SingleQuoted));
    assert_eq!(r.get("d").unwrap().style(), Some(ScalarStyle::Folded));
    assert!(matches!(r.get("b").unwrap().kind(), NodeKind::Mapping(_)));
}

#[test]
fn document_end_marker() {
    let text = "a: 1\n...\nb: 2\n...\n";
    let s = yaml::parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(s.docs.len(), 2);
    assert_eq!(root(&s, 1).get("b").unwrap().as_i64(), Some(2));
}

/// Parses every manifest of the shared corpus (all valid YAML): no error,
/// and spans that agree with the values; prints the time taken. Run with
/// `cargo test --release --test yaml_layer -- --ignored corpus --nocapture`
/// (`AFCHECK_CORPUS=DIR` to point at another corpus).
#[test]
#[ignore = "perf: run alone with --release --ignored (needs ../shared/corpus/k8s)"]
fn corpus_parses_cleanly() {
    fn walk(p: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        if let Ok(rd) = std::fs::read_dir(p) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                    out.push(p);
                }
            }
        }
    }
    // AFCHECK_CORPUS, or the shared corpus next to the checkout (or to the
    // worktree's parent).
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = std::env::var_os("AFCHECK_CORPUS")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            ["../shared/corpus/k8s", "../../shared/corpus/k8s"]
                .iter()
                .map(|r| here.join(r))
                .find(|p| p.is_dir())
        })
        .unwrap_or_else(|| here.join("../shared/corpus/k8s"));
    let mut files = Vec::new();
    walk(&root, &mut files);
    if files.is_empty() {
        eprintln!("no corpus at {}", root.display());
        return;
    }
    let texts: Vec<(std::path::PathBuf, String)> = files
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect();
    let bytes: usize = texts.iter().map(|t| t.1.len()).sum();
    // As the engine does it: in parallel, one stream per file.
    use rayon::prelude::*;
    let t = Instant::now();
    let nodes: usize = texts
        .par_iter()
        .map(|(_, t)| yaml::parse(t).nodes.len())
        .sum();
    eprintln!(
        "parallel: {} nodes from {} bytes in {:?}",
        nodes,
        texts.iter().map(|t| t.1.len()).sum::<usize>(),
        t.elapsed()
    );
    // CPU time of this thread (Linux), which a busy machine does not inflate.
    let cpu = || {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| {
                s.split_whitespace()
                    .next()
                    .and_then(|n| n.parse::<u64>().ok())
            })
            .map(Duration::from_nanos)
    };
    let c0 = cpu();
    let t = Instant::now();
    let streams: Vec<YamlStream> = texts
        .iter()
        .map(|(_, t)| yaml::parse(t.strip_prefix('\u{feff}').unwrap_or(t)))
        .collect();
    let el = t.elapsed();
    if let (Some(a), Some(b)) = (c0, cpu()) {
        eprintln!("sequential CPU time: {:?}", b - a);
    }
    eprintln!(
        "sequential: parsed {} files, {} bytes in {:?}",
        texts.len(),
        bytes,
        el
    );
    let mut bad = Vec::new();
    for ((p, text), s) in texts.iter().zip(&streams) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for e in &s.errors {
            let f = SourceFile::new("x", text);
            bad.push(format!(
                "{}:{:?}: {}",
                p.display(),
                f.position(e.span.start()),
                e.message
            ));
        }
        for n in &s.nodes {
            if let NodeKind::Scalar { value, style } = &n.kind {
                let raw = &text[n.span.start()..n.span.end()];
                let ok = match style {
                    ScalarStyle::Plain => {
                        raw.contains('\n') || n.span.is_empty() || *raw == **value
                    }
                    ScalarStyle::SingleQuoted => raw.starts_with('\'') && raw.ends_with('\''),
                    ScalarStyle::DoubleQuoted => raw.starts_with('"') && raw.ends_with('"'),
                    _ => raw.starts_with('|') || raw.starts_with('>'),
                };
                if !ok {
                    bad.push(format!(
                        "{}: span {:?} {raw:?} for {value:?}",
                        p.display(),
                        n.span
                    ));
                }
            }
        }
    }
    for b in bad.iter().take(30) {
        eprintln!("{b}");
    }
    assert!(bad.is_empty(), "{} problems", bad.len());
}

#[test]
fn under_indented_quoted_continuation_is_accepted() {
    // go-yaml (Kubernetes) accepts continuation lines of a quoted scalar at
    // the indentation of its key; saphyr does not, so the loader re-indents
    // them and maps spans back.
    let text = "\
status:
  conditions:
    - type: Ready
      message: '0/3 clusters: didn''t match the placement
      cluster affinity.'
      other: \"a
      b\"
      reason: Failed
top: 'x
y'
last: ok
";
    let f = SourceFile::new("q.yaml", text);
    let s = yaml::parse(&f.text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let r = root(&s, 0);
    let c = r
        .path(&["status", "conditions"])
        .unwrap()
        .items()
        .next()
        .unwrap();
    assert_eq!(
        c.get("message").unwrap().as_str(),
        Some("0/3 clusters: didn't match the placement cluster affinity.")
    );
    assert_eq!(c.get("other").unwrap().as_str(), Some("a b"));
    let reason = c.get("reason").unwrap();
    assert_eq!(f.slice(reason.span()), "Failed");
    assert_eq!(pos(&f, reason.span()), (8, 15));
    assert_eq!(
        f.slice(c.get("message").unwrap().span()),
        "'0/3 clusters: didn''t match the placement\n      cluster affinity.'"
    );
    assert_eq!(r.get("top").unwrap().as_str(), Some("x y"));
    let last = r.get("last").unwrap();
    assert_eq!(f.slice(last.span()), "ok");
    assert_eq!(pos(&f, r.key_span("last").unwrap()), (11, 1));
    assert_eq!(f.slice(r.span()), text.trim_end());
}

/// Mutated manifests (deterministic pseudo-random edits with YAML's special
/// characters) never panic, and every span stays inside the text on char
/// boundaries.
#[test]
fn mutated_inputs_never_panic() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static PANICS: AtomicUsize = AtomicUsize::new(0);
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {
        PANICS.fetch_add(1, Ordering::SeqCst);
    }));
    let seeds = [
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"a\"\n  labels: {x: 'y', z: [1, 2]}\ndata:\n  cfg: |\n    [core]\n    k = v\n  f: >-\n    a\n    b\n---\n- &a x\n- *a\n- ? k\n  : v\n",
        "a: 'multi\nline'\nb: \"esc\\t\\u00e9\"\nc: !!str 5\nd: &x {p: *x}\n...\n%YAML 1.2\n---\nnäme: wörld # ç\n",
    ];
    let specials: &[&str] = &[
        "[", "]", "{", "}", ":", "- ", "\n", "\t", "'", "\"", "#", "&a ", "*a", "!t ", "|", ">",
        "---\n", "...\n", "  ", "\r\n", "é", "\u{feff}", ",", "?", "%", "@", "`", "\\",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..4000 {
        let mut t = seeds[i % seeds.len()].to_string();
        for _ in 0..(1 + next() % 4) {
            let mut at = (next() as usize) % (t.len() + 1);
            while !t.is_char_boundary(at) {
                at -= 1;
            }
            if next() % 3 == 0 && at < t.len() {
                let mut end = at + 1;
                while !t.is_char_boundary(end) {
                    end += 1;
                }
                t.replace_range(at..end, "");
            } else {
                t.insert_str(at, specials[(next() as usize) % specials.len()]);
            }
        }
        let s = yaml::parse(&t);
        let ok = |sp: Span| {
            sp.start <= sp.end
                && sp.end() <= t.len()
                && t.is_char_boundary(sp.start())
                && t.is_char_boundary(sp.end())
        };
        for n in &s.nodes {
            assert!(ok(n.span), "{t:?}: {:?}", n.span);
        }
        for e in &s.errors {
            assert!(ok(e.span), "{t:?}: {:?}", e.span);
        }
        for d in &s.docs {
            assert!(ok(d.span), "{t:?}: {:?}", d.span);
        }
        for id in 0..s.nodes.len() as u32 {
            let m = s.node(id).scalar_map(&t);
            assert!(m.map(0) <= t.len());
        }
        let _ = afcheck::k8s::objects(&s);
    }
    std::panic::set_hook(prev);
    assert_eq!(PANICS.load(Ordering::SeqCst), 0);
}

/// Bad inputs through the engine: each gets one clear finding and the other
/// files are still checked.
#[test]
fn bad_inputs_through_the_engine() {
    use afcheck::engine::{Options, discover, run};
    let dir = std::env::temp_dir().join(format!("afcheck-yaml-bad-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    w(
        "a-deep-flow.yaml",
        format!("x: {}\n", "[".repeat(1_000_000)).as_bytes(),
    );
    w(
        "b-deep-block.yaml",
        format!("{}x\n", "- ".repeat(1_000_000)).as_bytes(),
    );
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (p, n) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        bomb.push_str(&format!(
            "{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        ));
    }
    w("c-bomb.yaml", bomb.as_bytes());
    w("d-empty.yaml", b"");
    w("e-binary.yaml", b"a: 1\n\x00\x01\x02");
    w("f-latin1.yaml", b"name: caf\xe9\n");
    w(
        "g-good.yaml",
        b"\xef\xbb\xbfapiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: x\r\n  name: y\r\n",
    );
    let opts = Options::default();
    let inputs = discover(std::slice::from_ref(&dir), &opts).unwrap();
    let t = Instant::now();
    let r = run(&inputs, &opts);
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    let got: Vec<(String, u32, u32, &str)> = r
        .findings
        .iter()
        .map(|f| {
            let file = r.file(f.file);
            let p = file.position(f.span.start());
            (
                file.path.rsplit('/').next().unwrap().to_string(),
                p.line,
                p.column,
                f.rule,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("a-deep-flow.yaml".to_string(), 1, 259, "AFY001"),
            ("b-deep-block.yaml".to_string(), 1, 511, "AFY001"),
            ("e-binary.yaml".to_string(), 2, 1, "AFY005"),
            ("f-latin1.yaml".to_string(), 1, 10, "AFY005"),
            // BOM stripped, CRLF kept: line 5, column 3.
            ("g-good.yaml".to_string(), 5, 3, "AFY002"),
        ]
    );
    let msg = |i: usize| r.findings[i].message.as_str();
    assert!(msg(0).contains("deeper than 255"), "{}", msg(0));
    assert!(msg(2).contains("binary"), "{}", msg(2));
    assert!(msg(3).contains("UTF-8"), "{}", msg(3));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn alias_to_another_document_is_an_error() {
    let text = "a: &x 1\n---\nb: *x\nc: 2\n";
    let f = SourceFile::new("x.yaml", text);
    let s = yaml::parse(&f.text);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert_eq!(f.slice(s.errors[0].span), "*x");
    assert!(s.errors[0].message.contains("`*x`"));
    // The document is still loaded; the alias resolves to nothing.
    let r = root(&s, 1);
    assert!(r.get("b").unwrap().is_alias());
    assert_eq!(r.get("c").unwrap().as_i64(), Some(2));
}

#[test]
fn oversized_file_is_reported_not_read() {
    use afcheck::engine::{Options, discover, run};
    let dir = std::env::temp_dir().join(format!("afcheck-yaml-big-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("big.yaml"), "a: 1\na: 2\n".repeat(20)).unwrap();
    std::fs::write(dir.join("small.yaml"), "a: 1\na: 2\n").unwrap();
    let opts = Options {
        max_file_size: 100,
        ..Options::default()
    };
    let inputs = discover(std::slice::from_ref(&dir), &opts).unwrap();
    let r = run(&inputs, &opts);
    let got: Vec<(String, &str)> = r
        .findings
        .iter()
        .map(|f| {
            (
                r.file(f.file).path.rsplit('/').next().unwrap().to_string(),
                f.rule,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("big.yaml".to_string(), "AFY005"),
            ("small.yaml".to_string(), "AFY002")
        ]
    );
    assert!(
        r.findings[0].message.contains("limit"),
        "{}",
        r.findings[0].message
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn many_under_indented_quoted_scalars_stay_cheap() {
    // One big document with thousands of scalars that need re-indenting.
    let mut t = String::from("items:\n");
    for i in 0..5000 {
        t.push_str(&format!("  - m: 'line one {i}\n    two'\n    k: v\n"));
    }
    let started = Instant::now();
    let s = yaml::parse(&t);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let items = root(&s, 0).get("items").unwrap();
    assert_eq!(items.items().count(), 5000);
    let last = items.items().last().unwrap();
    assert_eq!(last.get("m").unwrap().as_str(), Some("line one 4999 two"));
    assert_eq!(&t[last.get("k").unwrap().span().start()..][..1], "v");
}

#[test]
fn re_indentation_leaves_block_scalars_alone() {
    let text = "\
items:
  - msg: 'a
    b
    c'
    script: |
      echo 'x
      y
    k: \"p
    q\"
";
    let f = SourceFile::new("r.yaml", text);
    let s = yaml::parse(&f.text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let item = root(&s, 0).get("items").unwrap().items().next().unwrap();
    assert_eq!(item.get("msg").unwrap().as_str(), Some("a b c"));
    let script = item.get("script").unwrap();
    assert_eq!(script.as_str(), Some("echo 'x\ny\n"));
    assert_eq!(f.slice(script.span()), "|\n      echo 'x\n      y");
    let m = script.scalar_map(&f.text);
    assert_eq!(pos(&f, Span::empty(m.map(8))), (7, 7));
    let k = item.get("k").unwrap();
    assert_eq!(k.as_str(), Some("p q"));
    assert_eq!(f.slice(k.span()), "\"p\n    q\"");
    assert_eq!(pos(&f, item.key_span("k").unwrap()), (8, 5));
}

#[test]
fn re_indentation_with_multibyte_text() {
    let text = "é: 1\nmsg: 'ça\nva'\nnext: wörld\n---\nb: \"x\ny\"\nc: ü\n";
    let f = SourceFile::new("m.yaml", text);
    let s = yaml::parse(&f.text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(root(&s, 0).get("msg").unwrap().as_str(), Some("ça va"));
    let n = root(&s, 0).get("next").unwrap();
    assert_eq!(f.slice(n.span()), "wörld");
    assert_eq!(pos(&f, n.span()), (4, 7));
    let c = root(&s, 1).get("c").unwrap();
    assert_eq!(f.slice(c.span()), "ü");
    assert_eq!(pos(&f, c.span()), (8, 4));
    assert_eq!(f.slice(s.docs[1].span), "---\nb: \"x\ny\"\nc: ü");
}
