//! GitOps wrappers of a Helm release: a Flux `HelmRelease` (`spec.values`)
//! or an Argo CD `Application` (`helm.valuesObject`, or the `helm.values`
//! string, of `spec.source` or any of `spec.sources[]`) installing an
//! Airflow chart. Their inline values are read as the chart's values (unit
//! `<Kind>/<namespace>/<name>`): by the AFC rules through the settings
//! ([`from_wrapper`]) and by the AFH rules through [`ChartRoot`]s. A
//! `values` string is parsed as YAML ([`Embedded`], once per document) and
//! its spans are mapped back into the string's lines.

use super::sources::{Setting, community_root, from_community_values, from_helm_root};
use crate::finding::Finding;
use crate::k8s::Object;
use crate::source::{Span, SpanMap};
use crate::yaml::{NodeRef, YamlStream};

/// Inline Helm values of a GitOps object for an Airflow chart: the values
/// mapping (in the file's own tree), or an embedded `values:` string.
pub enum Values<'a> {
    Tree(NodeRef<'a>),
    /// The `values:` string node and the span of its key.
    Text(NodeRef<'a>, Span),
}

fn is_airflow_chart(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    s.contains("airflow")
}

/// What else gives the chart values next to the inline ones.
#[derive(Clone, Copy, Debug, Default)]
pub struct Elsewhere<'a> {
    /// Values merged under the inline ones from files or objects afcheck
    /// does not read (Flux `valuesFrom`, Argo CD `valueFiles`): a key the
    /// inline values leave unset may be set there. (The inline values take
    /// precedence over them, so a key they set is what the chart gets.)
    files: bool,
    /// Argo CD `helm` (its `parameters` and `fileParameters` override the
    /// inline values).
    helm: Option<NodeRef<'a>>,
}

impl Elsewhere<'_> {
    /// Does an Argo CD parameter set `path`, a key above it or below it?
    fn sets(&self, path: &[&str]) -> bool {
        let Some(helm) = self.helm else { return false };
        let dotted = path.join(".");
        ["parameters", "fileParameters"]
            .iter()
            .filter_map(|k| helm.get(k))
            .flat_map(|l| l.items())
            .filter_map(|p| p.deref().get("name").and_then(|n| n.as_str()))
            .any(|name| {
                let name = name.trim();
                name == dotted
                    || name
                        .strip_prefix(dotted.as_str())
                        .is_some_and(|r| r.starts_with(['.', '[']))
                    || dotted
                        .strip_prefix(name)
                        .is_some_and(|r| r.starts_with('.'))
            })
    }
}

/// The inline values of a Flux HelmRelease or Argo CD Application that
/// installs an Airflow chart.
pub fn wrapper_values<'a>(obj: &Object, stream: &'a YamlStream) -> Vec<Values<'a>> {
    wrapper_values_with(obj, stream)
        .into_iter()
        .map(|(v, _)| v)
        .collect()
}

/// [`wrapper_values`], each with what else gives the chart values.
fn wrapper_values_with<'a>(
    obj: &Object,
    stream: &'a YamlStream,
) -> Vec<(Values<'a>, Elsewhere<'a>)> {
    let node = obj.node(stream);
    let mut out = Vec::new();
    match (obj.kind.as_str(), obj.group()) {
        ("HelmRelease", g) if g.starts_with("helm.toolkit.fluxcd.io") => {
            let chart = node
                .path(&["spec", "chart", "spec", "chart"])
                .and_then(|c| c.as_str())
                .or_else(|| {
                    node.path(&["spec", "chartRef", "name"])
                        .and_then(|c| c.as_str())
                });
            if chart.is_some_and(is_airflow_chart)
                && let Some(v) = node.path(&["spec", "values"])
                && v.is_mapping()
            {
                let files = node
                    .path(&["spec", "valuesFrom"])
                    .is_some_and(|l| l.items().next().is_some());
                out.push((Values::Tree(v), Elsewhere { files, helm: None }));
            }
        }
        ("Application", "argoproj.io") => {
            let spec = node.get("spec");
            let mut sources: Vec<NodeRef<'a>> = Vec::new();
            if let Some(s) = spec.and_then(|s| s.get("source")) {
                sources.push(s);
            }
            if let Some(list) = spec.and_then(|s| s.get("sources")) {
                sources.extend(list.items().map(|i| i.deref()));
            }
            for src in sources {
                let name = src
                    .get("chart")
                    .and_then(|c| c.as_str())
                    .or_else(|| src.get("path").and_then(|c| c.as_str()))
                    .unwrap_or("");
                if !is_airflow_chart(name) {
                    continue;
                }
                let helm = src.get("helm");
                let elsewhere = Elsewhere {
                    files: helm
                        .and_then(|h| h.get("valueFiles"))
                        .is_some_and(|l| l.items().next().is_some()),
                    helm,
                };
                if let Some(v) = src.path(&["helm", "valuesObject"])
                    && v.is_mapping()
                {
                    out.push((Values::Tree(v), elsewhere));
                } else if let Some(helm) = helm
                    && let Some((k, v)) = helm.entry("values")
                    && v.as_str().is_some()
                {
                    out.push((Values::Text(v, k.span()), elsewhere));
                }
            }
        }
        _ => {}
    }
    out
}

/// Settings of a GitOps wrapper's inline values; false when `obj` is not one.
pub fn from_wrapper(obj: &Object, stream: &YamlStream, text: &str, out: &mut Vec<Setting>) -> bool {
    let vals = wrapper_values_with(obj, stream);
    if vals.is_empty() {
        return false;
    }
    let unit = super::sources::object_unit(
        &obj.kind,
        obj.namespace.as_deref(),
        obj.name.as_deref().unwrap_or(""),
    );
    for (v, elsewhere) in vals {
        let start = out.len();
        match v {
            Values::Tree(root) => read(root, text, &unit, out),
            Values::Text(n, key) => {
                let Some(e) = Embedded::new(n, key, text) else {
                    continue;
                };
                let Some(root) = e.root() else { continue };
                read(root, &e.body, &unit, out);
                // Spans of the embedded text, mapped to the file; offsets
                // inside a value are not kept.
                for s in &mut out[start..] {
                    s.key_span = e.locate(s.key_span, text).unwrap_or(e.key);
                    s.value_span = e.locate(s.value_span, text).unwrap_or(e.node);
                    s.value_map = None;
                }
            }
        }
        // A `config:` option an Argo CD parameter sets: the parameter's
        // value is what the chart gets (afcheck does not read it).
        let mut idx = 0;
        out.retain(|s| {
            let keep = idx < start
                || !(s.source == super::sources::SourceKind::HelmConfig
                    && s.marker.is_none()
                    && elsewhere.sets(&["config", &s.section, &s.name]));
            idx += 1;
            keep
        });
    }
    true
}

fn read(root: NodeRef<'_>, text: &str, unit: &str, out: &mut Vec<Setting>) {
    match community_root(root) {
        Some(a) => from_community_values(a, text, unit, out),
        None => from_helm_root(root, text, unit, out),
    }
}

/// Keys only the official Apache Airflow chart uses at the top level.
const CHART_KEYS: &[&str] = &[
    "airflowVersion",
    "defaultAirflowTag",
    "defaultAirflowRepository",
    "fernetKey",
    "fernetKeySecretName",
    "webserverSecretKey",
    "webserverSecretKeySecretName",
    "apiSecretKey",
    "apiSecretKeySecretName",
    "jwtSecret",
    "jwtSecretName",
    "createUserJob",
    "migrateDatabaseJob",
    "dagProcessor",
    "triggerer",
    "pgbouncer",
    "airflowHome",
    "enableBuiltInSecretEnvVars",
    "apiServer",
];

/// `root` when it holds the official chart's values (not the community
/// chart's, which keeps its settings under `airflow:`).
pub fn official_root(root: NodeRef<'_>) -> Option<NodeRef<'_>> {
    if !root.is_mapping() || super::sources::community_root(root).is_some() {
        return None;
    }
    let chart = root
        .entries()
        .any(|(k, _)| k.as_str().is_some_and(|k| CHART_KEYS.contains(&k)))
        || root.path(&["images", "airflow"]).is_some()
        || root.path(&["config", "core"]).is_some()
        || (root
            .get("executor")
            .and_then(|e| e.as_str())
            .is_some_and(|e| e.ends_with("Executor")));
    chart.then_some(root)
}

/// A non-empty literal string value.
pub fn literal(n: Option<NodeRef<'_>>) -> Option<(&str, crate::source::Span)> {
    let n = n?;
    let s = n.as_str()?;
    (!s.trim().is_empty() && n.is_scalar()).then(|| (s, n.span()))
}

/// True for a non-empty string value (a Secret name is set).
pub fn is_set(n: Option<NodeRef<'_>>) -> bool {
    literal(n).is_some()
}

/// The largest quoted `values` string searched for a finding's text.
const MAX_SEARCHED: usize = 64 << 10;

/// An Argo CD `helm.values` string of an Airflow chart, parsed once (when
/// the document is built) as the YAML it holds.
#[derive(Debug)]
pub struct Embedded {
    /// The span of the string node in the file.
    node: Span,
    /// The span of its `values:` key.
    key: Span,
    /// The string's text; the spans of `stream` index it.
    body: String,
    stream: YamlStream,
    /// Maps offsets of `body` to the file.
    map: SpanMap,
    /// True when `map` is exact (a plain, verbatim quoted or block
    /// scalar); false when every offset maps to the string's start (a
    /// quoted string with escapes or line folding).
    exact: bool,
}

impl Embedded {
    /// The `values` string node `n` (its key at `key`) of a file's `text`,
    /// parsed.
    fn new(n: NodeRef<'_>, key: Span, text: &str) -> Option<Embedded> {
        let body = n.as_str()?;
        let map = n.scalar_map(text);
        let exact = map_is_exact(&map, body);
        Some(Embedded {
            node: n.span(),
            key,
            body: body.to_string(),
            stream: crate::yaml::parse(body),
            map,
            exact,
        })
    }
    /// Where `span` (of `body`) is in the file `text`, if known: mapped
    /// into the string's lines (a block or verbatim scalar); in a string
    /// with escapes or line folding, the one place its text is written
    /// verbatim, if there is one.
    fn locate(&self, span: Span, file: &str) -> Option<Span> {
        if self.exact {
            return Some(self.map.map_span(span));
        }
        let needle = self.body.get(span.start()..span.end())?;
        let raw = file.get(self.node.start()..self.node.end())?;
        // A search per finding: bounded to strings of a sensible size.
        if needle.is_empty() || raw.len() > MAX_SEARCHED {
            return None;
        }
        let mut hits = raw.match_indices(needle).map(|(at, _)| at);
        match (hits.next(), hits.next()) {
            (Some(at), None) => Some(Span::new(
                self.node.start() + at,
                self.node.start() + at + needle.len(),
            )),
            _ => None,
        }
    }
    /// The root mapping of the values the string holds, if it holds one.
    fn root(&self) -> Option<NodeRef<'_>> {
        self.stream.first_root().filter(|r| r.is_mapping())
    }
}

/// Every `helm.values` string of the GitOps objects of a file, parsed.
pub fn embedded_values(stream: &YamlStream, objects: &[Object], text: &str) -> Vec<Embedded> {
    let mut out = Vec::new();
    for obj in objects {
        for v in wrapper_values(obj, stream) {
            let Values::Text(n, key) = v else { continue };
            out.extend(Embedded::new(n, key, text));
        }
    }
    out
}

/// False for a map that sends different offsets of a text of two or more
/// characters to one place ([`SpanMap::point`]).
fn map_is_exact(map: &SpanMap, body: &str) -> bool {
    let mut chars = body.char_indices().map(|(i, _)| i);
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) => map.map(a) != map.map(b),
        _ => true,
    }
}

/// One Helm values root of a file, with the text its spans index and, for
/// values held in a string, how they map to the file.
#[derive(Clone, Copy, Debug)]
pub struct ChartRoot<'a> {
    pub root: NodeRef<'a>,
    /// The text `root`'s spans index: the file's, or the `values` string's.
    pub text: &'a str,
    embedded: Option<&'a Embedded>,
    elsewhere: Elsewhere<'a>,
}

impl<'a> ChartRoot<'a> {
    fn tree(root: NodeRef<'a>, text: &'a str) -> ChartRoot<'a> {
        ChartRoot {
            root,
            text,
            embedded: None,
            elsewhere: Elsewhere::default(),
        }
    }
    /// Is a key these values leave unset really unset? Not when values
    /// files or objects afcheck does not read are merged under them, or
    /// an Argo CD parameter sets it (or a key above or below it).
    pub fn unset_known(&self, path: &[&str]) -> bool {
        !self.elsewhere.files && !self.elsewhere.sets(path)
    }
    /// Does an Argo CD parameter override what these values set at `path`?
    pub fn overridden(&self, path: &[&str]) -> bool {
        self.elsewhere.sets(path)
    }
    /// Where `span` (of [`ChartRoot::text`]) is in the file, if known: the
    /// same span for a values tree; mapped into the `values` string's lines
    /// (a block or verbatim scalar); in a string with escapes or line
    /// folding, the one place its text is written verbatim, if there is one.
    fn locate(&self, span: Span, file: &str) -> Option<Span> {
        match self.embedded {
            None => Some(span),
            Some(e) => e.locate(span, file),
        }
    }
    /// `span` in the file: see [`ChartRoot::locate`]; else the `values:`
    /// key.
    pub fn span(&self, span: Span, file: &str) -> Span {
        self.locate(span, file)
            .unwrap_or_else(|| self.embedded.map_or(span, |e| e.key))
    }
    /// A secret's `span` in the file: see [`ChartRoot::locate`]; else the
    /// whole `values` string (masked rather than shown).
    pub fn secret(&self, span: Span, file: &str) -> Span {
        self.locate(span, file)
            .unwrap_or_else(|| self.embedded.map_or(span, |e| e.node))
    }
    /// A finding at `span`; when its place in a `values` string cannot be
    /// given, at the `values:` key, and the message says so.
    pub fn finding(&self, span: Span, file: &str, message: impl Into<String>) -> Finding {
        let message = message.into();
        match self.locate(span, file) {
            Some(at) => Finding::new(at, message),
            None => Finding::new(
                self.span(span, file),
                format!(
                    "{message} (in the `values` string, whose escapes or line folding hide the exact line)"
                ),
            ),
        }
    }
    /// A span of a node inside a scalar of the values (an offset range of
    /// the scalar's value), as a span of [`ChartRoot::text`].
    pub fn in_scalar(&self, scalar: NodeRef<'_>, inner: Span) -> Span {
        scalar.scalar_map(self.text).map_span(inner)
    }
    /// The span of the whole values root in the file.
    pub fn whole(&self) -> Span {
        match self.embedded {
            Some(e) => e.node,
            None => self.root.span(),
        }
    }
}

/// Every Helm values root of a YAML file: the file's own root (a Helm values
/// file), or the inline values of each Flux `HelmRelease` / Argo CD
/// `Application` for an Airflow chart in it (`values`, `valuesObject`, and
/// the `values` string through `embedded`).
fn values_roots<'a>(
    stream: &'a YamlStream,
    kind: crate::classify::YamlKind,
    objects: &[Object],
    embedded: &'a [Embedded],
    text: &'a str,
) -> Vec<ChartRoot<'a>> {
    if kind == crate::classify::YamlKind::HelmValues {
        return stream
            .first_root()
            .filter(|r| r.is_mapping())
            .map(|r| ChartRoot::tree(r, text))
            .into_iter()
            .collect();
    }
    let mut out = Vec::new();
    for obj in objects {
        for (v, elsewhere) in wrapper_values_with(obj, stream) {
            match v {
                Values::Tree(n) => out.push(ChartRoot {
                    elsewhere,
                    ..ChartRoot::tree(n, text)
                }),
                Values::Text(n, _) => {
                    let span = n.span();
                    if let Some(e) = embedded.iter().find(|e| e.node == span)
                        && let Some(root) = e.root()
                    {
                        out.push(ChartRoot {
                            root,
                            text: &e.body,
                            embedded: Some(e),
                            elsewhere,
                        });
                    }
                }
            }
        }
    }
    out
}

/// Every official-chart values root of a YAML file (see [`values_roots`]).
pub fn chart_values_roots<'a>(
    stream: &'a YamlStream,
    kind: crate::classify::YamlKind,
    objects: &[Object],
    embedded: &'a [Embedded],
    text: &'a str,
) -> Vec<ChartRoot<'a>> {
    let mut v = values_roots(stream, kind, objects, embedded, text);
    v.retain(|r| official_root(r.root).is_some());
    v
}

/// Every community-chart (airflow-helm/charts) values root of a YAML file,
/// as its `airflow:` mapping (see [`values_roots`]).
pub fn community_values_roots<'a>(
    stream: &'a YamlStream,
    kind: crate::classify::YamlKind,
    objects: &[Object],
    embedded: &'a [Embedded],
    text: &'a str,
) -> Vec<ChartRoot<'a>> {
    values_roots(stream, kind, objects, embedded, text)
        .into_iter()
        .filter_map(|r| community_root(r.root).map(|a| ChartRoot { root: a, ..r }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::YamlKind;
    use crate::source::SourceFile;

    const HEAD: &str = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  source:\n    chart: airflow\n    helm:\n";

    /// (line, column) in the file of `needle`'s `nth` occurrence in the
    /// values string, found through the values root of `text`, and the
    /// message a finding there gets.
    fn locate(text: &str, path: &[&str]) -> ((u32, u32), String) {
        let file = SourceFile::new("a.yaml", text);
        let stream = crate::yaml::parse(&file.text);
        let objects = crate::k8s::objects(&stream);
        let emb = embedded_values(&stream, &objects, &file.text);
        let roots = chart_values_roots(&stream, YamlKind::Manifests, &objects, &emb, &file.text);
        assert_eq!(roots.len(), 1, "{text}");
        let cr = roots[0];
        let n = cr.root.path(path).expect("path");
        let f = cr.finding(n.span(), &file.text, "m");
        let p = file.position(f.span.start());
        ((p.line, p.column), f.message)
    }

    #[test]
    fn literal_block_maps_line_and_indentation() {
        assert_block_locations(&format!("{HEAD}{BLOCK}"));
    }

    #[test]
    fn crlf_block_maps_the_same_lines() {
        assert_block_locations(&format!("{HEAD}{BLOCK}").replace('\n', "\r\n"));
    }

    /// A `values: |` block under [`HEAD`].
    const BLOCK: &str = "      values: |\n        executor: CeleryExecutor\n        postgresql:\n          enabled: true\n";

    /// Where the keys of [`BLOCK`] are found, whatever the line endings.
    fn assert_block_locations(text: &str) {
        assert_eq!(
            locate(text, &["postgresql", "enabled"]),
            ((12, 20), "m".into())
        );
        assert_eq!(locate(text, &["executor"]), ((10, 19), "m".into()));
    }

    #[test]
    fn indentation_indicator_and_tabs() {
        // `|2`: the content's indentation is the key's plus two; deeper
        // lines keep their extra spaces (in the value: `  executor: ...`).
        // A tab inside a value is content, as is one in a nested block.
        let text = format!(
            "{HEAD}      values: |2\n          team: a\tb\n          executor: CeleryExecutor\n          webserver:\n            webserverConfig: |\n              \t# tab\n              AUTH_ROLE_PUBLIC = 'Admin'\n"
        );
        assert_eq!(locate(&text, &["team"]), ((10, 17), "m".into()));
        assert_eq!(locate(&text, &["executor"]), ((11, 21), "m".into()));
        assert_eq!(
            locate(&text, &["webserver", "webserverConfig"]),
            ((13, 30), "m".into())
        );
        // A blank line and a comment inside the block do not shift lines.
        let text = format!(
            "{HEAD}      values: |\n        # values\n\n        executor: CeleryExecutor\n        postgresql:\n\n          enabled: true\n"
        );
        assert_eq!(
            locate(&text, &["postgresql", "enabled"]),
            ((15, 20), "m".into())
        );
    }

    #[test]
    fn quoted_string_with_escapes() {
        // Escapes: a node written verbatim once in the string is found.
        let text = format!(
            "{HEAD}      values: \"executor: SequentialExecutor\\npostgresql:\\n  enabled: true\\n\"\n"
        );
        assert_eq!(
            locate(&text, &["postgresql", "enabled"]),
            ((9, 70), "m".into())
        );
        // Written twice: the finding is at the `values:` key, and says so.
        let text = format!(
            "{HEAD}      values: \"executor: LocalExecutor\\nworkers:\\n  executor: LocalExecutor\\n\"\n"
        );
        let ((line, col), msg) = locate(&text, &["executor"]);
        assert_eq!((line, col), (9, 7));
        assert!(msg.starts_with("m (in the `values` string"), "{msg}");
        // Non-ASCII text before and in the value.
        let text = format!(
            "{HEAD}      values: \"labels:\\n  team: \u{e9}quipe\\nexecutor: LocalExecutor\\nfernetKey: \u{e9}\u{e9}\\n\"\n"
        );
        assert_eq!(locate(&text, &["fernetKey"]), ((9, 77), "m".into()));
        // Single-quoted, folded over two lines.
        let text =
            format!("{HEAD}      values: 'executor: LocalExecutor\n\n        fernetKey: abc'\n");
        assert_eq!(locate(&text, &["fernetKey"]), ((11, 20), "m".into()));
    }

    #[test]
    fn values_object_and_flux_values_are_the_tree() {
        let text = format!("{HEAD}      valuesObject:\n        executor: SequentialExecutor\n");
        assert_eq!(locate(&text, &["executor"]), ((10, 19), "m".into()));
        let text = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: a\nspec:\n  chart:\n    spec:\n      chart: airflow\n  values:\n    executor: SequentialExecutor\n";
        assert_eq!(locate(text, &["executor"]), ((10, 15), "m".into()));
    }
}
