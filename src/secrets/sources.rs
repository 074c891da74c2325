//! Feeds the detectors from what afcheck parsed, once per file (the
//! document layer keeps the hits for every AFS rule of that file).
//!
//! - every file kind: the context-free token detectors over the raw text
//!   (so tokens in comments are found too), behind the prefilter;
//! - YAML: a walk over the tree: each scalar with its key (for an env entry
//!   `{name: X, value: Y}`, the key is `X`); multi-line scalars are read as
//!   embedded config lines (`key: value`, `key = value`, `KEY=value`) with
//!   offsets mapped back through [`NodeRef::scalar_map`]; single-line
//!   scalars with `=` are read for assignments (`--db-password=x`,
//!   `Password=x;`). The `data`/`stringData` of a Kubernetes `Secret` and
//!   the `spec.encryptedData` of a `SealedSecret` are skipped: they are
//!   supposed to hold secrets (AFK030 checks their form). The `spec` of a
//!   `CustomResourceDefinition` (a schema: descriptions, defaults,
//!   examples) is not walked, only scanned for tokens;
//! - `airflow.cfg`: a line reading of `key = value` pairs with exact spans;
//! - Dockerfiles: the parsed instructions ([`crate::dockerfile`]): `ENV`/`ARG`
//!   pairs (both `K=V` and the legacy `ENV K V` form) with their keys, and
//!   assignments and flags in `RUN` (and other instructions' text, and
//!   heredoc bodies);
//! - Helm templates (not YAML until rendered): their lines as embedded
//!   config lines; `{{ ... }}` values are references.

use super::detect::{has_candidate, scan_tokens};
use super::keyed::{
    LineStyle, check_value, classify_key, scan_assignments, scan_flags, scan_lines, scan_lines_lazy,
};
use super::{Hit, resolve};
use crate::k8s::Object;
use crate::source::{Span, SpanMap};
use crate::yaml::{NodeId, NodeKind, NodeRef, ScalarStyle, YamlStream};

/// Scans a YAML file: tokens over the raw text, then the tree.
pub fn scan_yaml(text: &str, stream: &YamlStream, objects: &[Object]) -> Vec<Hit> {
    let mut hits = Vec::new();
    let skipped = secret_payloads(stream, objects);
    if has_candidate(text) {
        scan_tokens(text, 0, &mut hits);
        let spans: Vec<Span> = skipped.iter().map(|&id| stream.node(id).span()).collect();
        hits.retain(|h| !spans.iter().any(|s| s.contains(h.span)));
    }
    // CustomResourceDefinitions are schemas: their descriptions,
    // defaults and examples are documentation, and they are most of
    // the bytes of a typical cluster repository. Their raw text is
    // still scanned for tokens above.
    let mut walk_skip = skipped.clone();
    walk_skip.extend(
        objects
            .iter()
            .filter(|o| o.kind == "CustomResourceDefinition")
            .filter_map(|o| o.node(stream).get("spec").map(|s| s.id)),
    );
    let mut w = Walker {
        text,
        skipped: &walk_skip,
        out: &mut hits,
    };
    for doc in &stream.docs {
        if let Some(root) = doc.root {
            w.node(stream.node(root), None, 0);
        }
    }
    resolve(&mut hits);
    hits
}

/// Scans a parsed Dockerfile: tokens over the raw text, then its
/// instructions.
pub fn scan_dockerfile(text: &str, df: &crate::dockerfile::Dockerfile) -> Vec<Hit> {
    let mut hits = Vec::new();
    if has_candidate(text) {
        scan_tokens(text, 0, &mut hits);
    }
    dockerfile(df, text, &mut hits);
    resolve(&mut hits);
    hits
}

/// Non-YAML text kinds, read line by line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextKind {
    /// `airflow.cfg` and other INI text.
    Ini,
    /// A Helm chart template (not YAML until rendered).
    HelmTemplate,
    Dockerfile,
}

/// Scans a non-YAML text: tokens over the raw text, then its pairs.
pub fn scan_text(text: &str, kind: TextKind) -> Vec<Hit> {
    let mut hits = Vec::new();
    if has_candidate(text) {
        scan_tokens(text, 0, &mut hits);
    }
    match kind {
        TextKind::Ini => {
            scan_lines(text, &SpanMap::identity(0), LineStyle::Ini, &mut hits);
            // `# Example: key = value` is the documentation Airflow writes
            // into its generated airflow.cfg, not a credential.
            hits.retain(|h| !is_example_comment(text, h.span.start()));
        }
        TextKind::HelmTemplate => {
            scan_lines(text, &SpanMap::identity(0), LineStyle::Config, &mut hits)
        }
        TextKind::Dockerfile => dockerfile(&crate::dockerfile::parse(text), text, &mut hits),
    }
    resolve(&mut hits);
    hits
}

/// Is the line holding byte `at` an INI comment `# Example: ...`?
fn is_example_comment(text: &str, at: usize) -> bool {
    let start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].trim_start();
    line.strip_prefix(['#', ';'])
        .is_some_and(|r| r.trim_start().starts_with("Example:"))
}

/// Nodes whose values are meant to be secrets: `data`/`stringData` of a
/// `Secret`, `spec.encryptedData` of a `SealedSecret`.
fn secret_payloads(stream: &YamlStream, objects: &[Object]) -> Vec<NodeId> {
    let mut v = Vec::new();
    for obj in objects {
        let n = obj.node(stream);
        match obj.kind.as_str() {
            "Secret" => {
                for k in ["data", "stringData"] {
                    if let Some(d) = n.get(k) {
                        v.push(d.id);
                    }
                }
            }
            "SealedSecret" => {
                if let Some(d) = n.path(&["spec", "encryptedData"]) {
                    v.push(d.id);
                }
            }
            _ => {}
        }
    }
    v
}

struct Walker<'a> {
    text: &'a str,
    skipped: &'a [NodeId],
    out: &'a mut Vec<Hit>,
}

/// Keys whose sequence items are command words, not values of the key.
fn is_command_key(k: &str) -> bool {
    matches!(k, "args" | "command")
}

/// Keys whose mapping value refers to a Secret instead of holding values:
/// `passwordSecret`, `clientSecret` (Strimzi), `secretKeyRef`, `secretRef`,
/// `valueFrom`.
fn is_reference_key(k: &str) -> bool {
    let b = k.as_bytes();
    let ends = |w: &[u8]| b.len() >= w.len() && b[b.len() - w.len()..].eq_ignore_ascii_case(w);
    ends(b"secret") || ends(b"ref") || b.eq_ignore_ascii_case(b"valuefrom")
}

impl Walker<'_> {
    fn node(&mut self, n: NodeRef<'_>, key: Option<&str>, depth: usize) {
        if depth > 200 || n.is_alias() || self.skipped.contains(&n.id) {
            return;
        }
        match &n.raw().kind {
            NodeKind::Scalar { .. } => self.scalar(n, key),
            NodeKind::Sequence(_) => {
                let command = key.is_some_and(is_command_key);
                let item_key = key.filter(|_| !command);
                let mut flag: Option<&str> = None;
                for item in n.items() {
                    // `args: ["--db-password", "x"]`: the item after a flag
                    // is the flag's value.
                    if command && item.is_scalar() {
                        let text = item.scalar().unwrap_or("");
                        if let Some(name) = flag.take()
                            && let Some(class) = classify_key(name)
                            && !text.starts_with('-')
                        {
                            let before = self.out.len();
                            check_value(class, name, text, &SpanMap::identity(0), self.out);
                            let place = Placer::new(self.text, item, text, false);
                            for h in &mut self.out[before..] {
                                h.span = place.span(h.span);
                            }
                        }
                        flag = text.strip_prefix("--").filter(|f| !f.contains(['=', ' ']));
                    }
                    self.node(item, item_key, depth + 1);
                }
            }
            NodeKind::Mapping(_) => {
                // One pass for the shape of the mapping.
                let mut env_name = None;
                let mut has_value = false;
                let mut names_secret = false;
                for (k, v) in n.entries() {
                    match k.scalar() {
                        Some("name") => env_name = v.as_str(),
                        Some("value") => has_value = true,
                        Some("secretName" | "secret_name") => names_secret = true,
                        _ => {}
                    }
                }
                // `{name: X, value: Y}` (env entries): Y is the value of X.
                let env_name = env_name.filter(|_| has_value);
                // A reference to a Secret (`passwordSecret: {secretName: s,
                // password: key-in-s}`, `secretKeyRef: {name, key}`): its
                // scalars name keys of the Secret; they are not values.
                let reference = names_secret || key.is_some_and(is_reference_key);
                for (k, v) in n.entries() {
                    let k_str = k.scalar();
                    let k_eff = match (k_str, env_name) {
                        _ if reference && v.is_scalar() => None,
                        (Some("value"), Some(name)) => Some(name),
                        _ => k_str,
                    };
                    self.node(v, k_eff, depth + 1);
                }
            }
            NodeKind::Alias { .. } => {}
        }
    }

    fn scalar(&mut self, n: NodeRef<'_>, key: Option<&str>) {
        if n.is_null() {
            return;
        }
        let Some(value) = n.scalar() else { return };
        if value.is_empty() {
            return;
        }
        let multi = matches!(n.style(), Some(ScalarStyle::Literal | ScalarStyle::Folded))
            && value.trim_end().contains('\n')
            || n.style() == Some(ScalarStyle::DoubleQuoted) && value.trim_end().contains('\n');
        let before = self.out.len();
        // Hits are found at offsets in the value, then placed in the file.
        if multi {
            scan_lines_lazy(value, LineStyle::Config, self.out, || SpanMap::identity(0));
        } else {
            let class = key.and_then(classify_key);
            let assign = value.contains('=');
            let flags = value.contains("--");
            if class.is_none() && !assign && !flags {
                return;
            }
            let local = SpanMap::identity(0);
            if let (Some(class), Some(k)) = (class, key) {
                check_value(class, k, value, &local, self.out);
            }
            if assign {
                scan_assignments(value, &local, self.out);
            }
            if flags {
                scan_flags(value, &local, self.out);
            }
        }
        if self.out.len() > before {
            let place = Placer::new(self.text, n, value, multi);
            for h in &mut self.out[before..] {
                h.span = place.span(h.span);
            }
        }
    }
}

/// Places spans found in a scalar's value in the file: exactly when the
/// value is written verbatim, or (block scalars) through the loader's line
/// map; in a quoted scalar with escapes, where the piece is written
/// verbatim once; else the whole scalar, so reporters mask all of it rather
/// than one byte (never the whole scalar when the piece can be placed:
/// its text, keys included, would otherwise be masked in every message).
struct Placer<'a> {
    node: Span,
    raw: &'a str,
    value: &'a str,
    exact: Option<usize>,
    map: Option<SpanMap>,
}

impl<'a> Placer<'a> {
    fn new(text: &'a str, n: NodeRef<'_>, value: &'a str, multi: bool) -> Self {
        let node = n.span();
        let raw = text.get(node.start()..node.end()).unwrap_or("");
        let quoted = matches!(
            n.style(),
            Some(ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted)
        );
        let exact = match multi {
            false => verbatim_at(text, n, value),
            true => None,
        };
        // Block scalars map line by line; quoted ones with escapes only to
        // their start (placed by search below).
        let map = (exact.is_none() && !quoted).then(|| n.scalar_map(text));
        Placer {
            node,
            raw,
            value,
            exact,
            map,
        }
    }

    fn span(&self, local: Span) -> Span {
        if let Some(at) = self.exact {
            return Span::new(at + local.start(), at + local.end());
        }
        if let Some(map) = &self.map {
            let s = map.map_span(local);
            if !(s.len() <= 1 && s.start == self.node.start) {
                return s;
            }
        }
        // Written once in the file and once in the value: that is where it
        // is (an escaped copy elsewhere would show in the value twice).
        let piece = self.value.get(local.start()..local.end()).unwrap_or("");
        let once = |hay: &str| hay.find(piece).filter(|p| !hay[p + 1..].contains(piece));
        if !piece.is_empty()
            && once(self.value).is_some()
            && let Some(p) = once(self.raw)
        {
            let at = self.node.start() + p;
            return Span::new(at, at + piece.len());
        }
        self.node
    }
}

/// Where a single-line scalar's value is written verbatim in the file
/// (plain, or quoted without escapes).
fn verbatim_at(text: &str, n: NodeRef<'_>, value: &str) -> Option<usize> {
    let span = n.span();
    let raw = text.get(span.start()..span.end()).unwrap_or("");
    let p = raw.find(value)?;
    (n.style() == Some(ScalarStyle::Plain)
        || n.style() == Some(ScalarStyle::SingleQuoted) && !value.contains('\'')
        || n.style() == Some(ScalarStyle::DoubleQuoted) && !raw.contains('\\'))
    .then_some(span.start() + p)
}

/// Dockerfile instructions, from the parsed model (continuations joined,
/// comments removed, `# escape=` honoured): `ENV`/`ARG` pairs with their
/// keys, and assignments and flags (`DB_PASSWORD=x`, `--password x`) in the
/// logical text of every other instruction except `LABEL`, and in heredoc
/// bodies. Offsets map back through each instruction's map.
fn dockerfile(df: &crate::dockerfile::Dockerfile, text: &str, out: &mut Vec<Hit>) {
    for instr in &df.instructions {
        instruction(instr, text, out, 0);
    }
}

fn instruction(
    instr: &crate::dockerfile::Instruction,
    text: &str,
    out: &mut Vec<Hit>,
    depth: usize,
) {
    use crate::dockerfile::Args;
    match &instr.args {
        Args::Pairs(pairs) => {
            if instr.keyword == "LABEL" {
                return;
            }
            for kv in pairs {
                let (Some(value), Some(vspan)) = (kv.value.as_deref(), kv.value_span) else {
                    continue;
                };
                let Some(class) = classify_key(&kv.key) else {
                    continue;
                };
                let raw = text.get(vspan.start()..vspan.end()).unwrap_or("");
                let map = match raw.find(value) {
                    Some(p) if !value.is_empty() && !raw.contains('\\') => {
                        SpanMap::identity(vspan.start() + p)
                    }
                    _ => SpanMap::point(vspan.start()),
                };
                let before = out.len();
                check_value(class, &kv.key, value, &map, out);
                for h in &mut out[before..] {
                    if h.span.len() <= 1 && h.span.start == vspan.start {
                        h.span = vspan;
                    }
                }
            }
        }
        Args::Onbuild(inner) if depth < 4 => instruction(inner, text, out, depth + 1),
        _ => {
            scan_assignments(&instr.text, &instr.map, out);
            scan_flags(&instr.text, &instr.map, out);
        }
    }
    for h in &instr.heredocs {
        scan_assignments(&h.body, &h.map, out);
        scan_flags(&h.body, &h.map, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::Kind;

    fn df(t: &str) -> Vec<(Kind, String)> {
        scan_text(t, TextKind::Dockerfile)
            .iter()
            .map(|h| (h.kind, t[h.span.start()..h.span.end()].to_string()))
            .collect()
    }

    #[test]
    fn dockerfile_sources() {
        let v = df(
            "FROM alpine\n# comment ghp_R4nd0mFakeT0kenZq8Wm2Lx7Pv9Ks3Jd5Hc1Nb6\nENV DB_PASSWORD=hunter2 OTHER=1\nENV API_TOKEN Qm7Zp2Wk9Rt4Yv8Xn3Lb6Hc1Jd5\nARG ADMIN_PASSWORD=\"s3cr3t pw\"\nRUN MYSQL_PWD=abc123 mysql \\\n  -h db && echo ok\n",
        );
        assert_eq!(
            v,
            vec![
                (
                    Kind::GitHubClassic,
                    "ghp_R4nd0mFakeT0kenZq8Wm2Lx7Pv9Ks3Jd5Hc1Nb6".into()
                ),
                (Kind::Password, "hunter2".into()),
                (Kind::GenericToken, "Qm7Zp2Wk9Rt4Yv8Xn3Lb6Hc1Jd5".into()),
                (Kind::Password, "s3cr3t pw".into()),
                (Kind::Password, "abc123".into()),
            ]
        );
        assert_eq!(
            df(
                "FROM alpine\nRUN <<EOF\nexport DB_PASSWORD=h3redoc-pw\nmysql --password 'Sh-pw-2'\nEOF\n"
            ),
            vec![
                (Kind::Password, "h3redoc-pw".into()),
                (Kind::Password, "Sh-pw-2".into())
            ]
        );
        assert!(df("FROM alpine\nARG DB_PASSWORD\nENV DB_PASSWORD=${DB_PASSWORD}\nRUN --mount=type=secret,id=pw cat /run/secrets/pw\n").is_empty());
    }

    #[test]
    fn cfg_sources() {
        let t = "[database]\nsql_alchemy_conn = postgresql+psycopg2://airflow:password@postgres:5432/airflow\nsql_alchemy_conn_cmd = cat /run/x\n[smtp]\nsmtp_password = airflow123\nsmtp_password_secret = smtp_password\n";
        let hits = scan_text(t, TextKind::Ini);
        let got: Vec<_> = hits
            .iter()
            .map(|h| (h.kind, &t[h.span.start()..h.span.end()]))
            .collect();
        assert_eq!(
            got,
            vec![
                (Kind::UriPassword, "password"),
                (Kind::Password, "airflow123")
            ]
        );
    }
}
