//! Docker Compose projects (`docker-compose*.y*ml`, `compose*.y*ml`): each
//! service is one Airflow process. Its `environment` (map or list form,
//! YAML anchors and merge keys resolved, spans at the text that sets each
//! value), its `image` (the Airflow version) and its `build` (a link to the
//! Dockerfile it builds) become [`Setting`]s of unit `service/<name>`.

use super::docker::{dir_of, join_path};
use super::sources::{Link, Marker, Setting, SourceKind, airflow_image_version, merged_entries};
use crate::source::{Span, SpanMap};
use crate::yaml::{NodeRef, YamlStream};

/// A Compose file by name (`docker-compose*.yml`, `compose*.yaml`, ...)
/// with a top-level `services` mapping.
pub fn is_compose(path: &str, stream: &YamlStream) -> bool {
    crate::classify::is_compose_name(std::path::Path::new(path))
        && root(stream)
            .and_then(|r| r.get("services"))
            .is_some_and(|s| s.is_mapping())
}

fn root(stream: &YamlStream) -> Option<NodeRef<'_>> {
    stream.first_root().filter(|r| r.is_mapping())
}

/// One service: its name (and the span of the name) and its mapping.
#[derive(Clone, Copy, Debug)]
pub struct Service<'a> {
    pub name: &'a str,
    pub name_span: Span,
    pub node: NodeRef<'a>,
}

/// The services of a Compose file, in source order.
pub fn services(stream: &YamlStream) -> Vec<Service<'_>> {
    let Some(s) = root(stream).and_then(|r| r.get("services")) else {
        return Vec::new();
    };
    s.entries()
        .filter_map(|(k, v)| {
            let v = v.deref();
            Some(Service {
                name: k.as_str()?,
                name_span: k.span(),
                node: v.is_mapping().then_some(v)?,
            })
        })
        .collect()
}

/// Compose interpolation with no variable set: `${VAR:-default}` and
/// `${VAR-default}` give the default; `$$` is `$`; other references stay
/// as written (Airflow's rules treat them as references). Returns the value
/// and, when the whole value is one defaulted reference, the default's range.
pub fn interpolate(v: &str) -> (String, Option<(usize, usize)>) {
    if !v.contains('$') {
        return (v.to_string(), None);
    }
    let mut out = String::with_capacity(v.len());
    let mut whole = None;
    let mut i = 0;
    let b = v.as_bytes();
    while i < b.len() {
        if b[i] == b'$' && b.get(i + 1) == Some(&b'$') {
            out.push('$');
            i += 2;
            continue;
        }
        if b[i] == b'$'
            && b.get(i + 1) == Some(&b'{')
            && let Some(end) = v[i..].find('}').map(|e| i + e)
        {
            let inner = &v[i + 2..end];
            let name_len = inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inner.len());
            let rest = &inner[name_len..];
            let def = rest
                .strip_prefix(":-")
                .map(|d| (d, 2))
                .or_else(|| rest.strip_prefix('-').map(|d| (d, 1)));
            if let Some((d, skip)) = def
                && !d.contains(['$', '{'])
            {
                let start = i + 2 + name_len + skip;
                if i == 0 && end + 1 == v.len() {
                    whole = Some((start, start + d.len()));
                }
                out.push_str(d);
                i = end + 1;
                continue;
            }
            out.push_str(&v[i..=end]);
            i = end + 1;
            continue;
        }
        let ch = v[i..].chars().next().map(char::len_utf8).unwrap_or(1);
        out.push_str(&v[i..i + ch]);
        i += ch;
    }
    (out, whole)
}

/// The image a service runs, interpolated (`${IMAGE:-apache/airflow:2.9.3}`).
pub fn image_of(svc: NodeRef<'_>) -> Option<(String, Span)> {
    let n = svc.get("image")?;
    Some((interpolate(n.as_str()?).0, n.span()))
}

/// Largest `env_file` read.
const MAX_ENV_FILE: u64 = 256 << 10;

/// The lines of an `env_file` Compose would read: a relative path without
/// `..`, inside the Compose file's directory (symbolic links resolved, none
/// leaving that directory or leading into a `.git` directory), a regular
/// file (opened without blocking, so a FIFO cannot hang the run) of at most
/// [`MAX_ENV_FILE`] bytes, UTF-8. Anything else is not read.
fn read_env_file(compose: &std::path::Path, rel: &str) -> Option<String> {
    let rel_path = std::path::Path::new(rel);
    if rel_path.is_absolute()
        || rel_path.components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
    {
        return None;
    }
    let base = compose.parent()?.canonicalize().ok()?;
    let full = base.join(rel_path);
    // Confined to the Compose directory (itself inside the scan root), and
    // never into `.git` (`.git/config` may hold the CI's token), whether
    // named directly or through a link.
    crate::safe_read::check_confined(&full, &base).ok()?;
    let bytes = crate::safe_read::read_regular(&full, MAX_ENV_FILE).ok()?;
    String::from_utf8(bytes).ok()
}

/// `KEY=VALUE` lines of an env file (comments, blank lines and `export `
/// skipped; surrounding quotes removed).
pub fn env_file_pairs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let l = l.strip_prefix("export ").unwrap_or(l);
        let Some((k, v)) = l.split_once('=') else {
            continue;
        };
        let v = v.trim();
        let v = if v.len() >= 2
            && ((v.starts_with('"') && v.ends_with('"'))
                || (v.starts_with('\'') && v.ends_with('\'')))
        {
            &v[1..v.len() - 1]
        } else {
            v.split(" #").next().unwrap_or(v).trim_end()
        };
        out.push((k.trim().to_string(), v.to_string()));
    }
    out
}

/// Settings from a service's `env_file`s (later files win; `environment`
/// wins over all). They point at the `env_file` entry; their values are
/// known but kept out of the committed file, so they are treated like a
/// secret store's (never reported as plaintext).
fn from_env_files(
    svc: NodeRef<'_>,
    compose: &std::path::Path,
    unit: &str,
    origin: &str,
    set_in_env: &std::collections::HashSet<String>,
    out: &mut Vec<Setting>,
) {
    let Some(ef) = svc.get("env_file") else {
        return;
    };
    let entries: Vec<NodeRef<'_>> = if ef.is_sequence() {
        ef.items().map(|i| i.deref()).collect()
    } else {
        vec![ef]
    };
    let mut vars: Vec<(String, String, Span, String)> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for e in entries {
        let p = if e.is_mapping() {
            e.get("path").and_then(|p| p.as_str())
        } else {
            e.as_str()
        };
        let Some(p) = p else { continue };
        let rel = interpolate(p).0;
        if rel.contains('$') {
            continue;
        }
        let Some(body) = read_env_file(compose, &rel) else {
            continue;
        };
        for (k, v) in env_file_pairs(&body) {
            // A later definition wins.
            match at.get(&k) {
                Some(&i) => vars[i] = (k, v, e.span(), rel.clone()),
                None => {
                    at.insert(k.clone(), vars.len());
                    vars.push((k, v, e.span(), rel.clone()));
                }
            }
        }
    }
    for (k, v, span, rel) in vars {
        if set_in_env.contains(&k) {
            continue;
        }
        let mut s = Setting::new(
            SourceKind::ComposeEnv,
            unit,
            &format!("{origin} env_file {rel}"),
        );
        if !s.set_env_name(&k) {
            continue;
        }
        s.key_span = span;
        s.value_span = span;
        s.value_map = Some(SpanMap::point(span.start()));
        s.value = Some(v);
        s.from_secret = true;
        out.push(s);
    }
}

pub fn from_compose(
    stream: &YamlStream,
    text: &str,
    path: &str,
    fs_path: Option<&std::path::Path>,
    out: &mut Vec<Setting>,
) {
    let dir = dir_of(path);
    for svc in services(stream) {
        let unit = format!("service/{}", svc.name);
        let origin = format!("Compose service {}", svc.name);
        let new = || Setting::new(SourceKind::ComposeEnv, &unit, &origin);
        if let Some((img, span)) = image_of(svc.node)
            && let Some(v) = airflow_image_version(&img)
        {
            let mut s = new();
            s.marker = Some(Marker::Image);
            s.value = Some(v.to_string());
            s.key_span = span;
            s.value_span = span;
            out.push(s);
        }
        if let Some(b) = svc.node.get("build") {
            let (ctx, file) = if let Some(c) = b.as_str() {
                (Some(c), None)
            } else {
                (
                    b.get("context").and_then(|c| c.as_str()),
                    b.get("dockerfile").and_then(|d| d.as_str()),
                )
            };
            let ctx = interpolate(ctx.unwrap_or(".")).0;
            let file = interpolate(file.unwrap_or("Dockerfile")).0;
            if !ctx.contains("://") && !ctx.contains('$') && !file.contains('$') {
                let mut s = new();
                let target = join_path(&join_path(dir, &ctx), &file);
                s.marker = Some(Marker::Link(Link::File(target)));
                s.key_span = b.span();
                s.value_span = b.span();
                out.push(s);
            }
        }
        let env = svc.node.get("environment");
        if let Some(fs) = fs_path {
            let set: std::collections::HashSet<String> = match env {
                Some(e) if e.is_mapping() => merged_entries(e)
                    .iter()
                    .filter_map(|(k, _)| k.as_str().map(String::from))
                    .collect(),
                Some(e) => e
                    .items()
                    .filter_map(|i| i.deref().scalar())
                    .map(|l| l.split('=').next().unwrap_or("").trim().to_string())
                    .collect(),
                None => Default::default(),
            };
            from_env_files(svc.node, fs, &unit, &origin, &set, out);
        }
        let Some(env) = env else {
            continue;
        };
        if env.is_mapping() {
            for (k, v) in merged_entries(env) {
                let Some(name) = k.as_str() else { continue };
                let mut s = new();
                if !s.set_env_name(name) {
                    continue;
                }
                s.key_span = k.span();
                let Some(raw) = v.deref().scalar().filter(|_| !v.is_null()) else {
                    // `KEY:` with no value passes the shell's variable.
                    continue;
                };
                set_value(&mut s, raw, v.span(), v.scalar_map(text));
                out.push(s);
            }
        } else {
            for item in env.items() {
                let Some(line) = item.deref().scalar() else {
                    continue;
                };
                let Some((name, value)) = line.split_once('=') else {
                    continue;
                };
                let mut s = new();
                if !s.set_env_name(name.trim()) {
                    continue;
                }
                let map = item.scalar_map(text);
                let key_end = name.len();
                s.key_span = map.map_span(Span::new(0, key_end));
                let vstart = key_end + 1;
                let vspan = map.map_span(Span::new(vstart, line.len()));
                let inner = SpanMap::identity(vspan.start());
                set_value(&mut s, value, vspan, inner);
                out.push(s);
            }
        }
    }
}

fn set_value(s: &mut Setting, raw: &str, span: Span, map: SpanMap) {
    let (value, whole) = interpolate(raw);
    match whole {
        Some((a, b)) => {
            let start = map.map(a);
            let end = if b > a { map.map(b - 1) + 1 } else { start };
            s.value_span = Span::new(start, end.max(start));
            s.value_map = Some(SpanMap::identity(start));
        }
        None if value == raw => {
            s.value_span = span;
            s.value_map = Some(map);
        }
        None => {
            s.value_span = span;
            s.value_map = Some(SpanMap::point(span.start()));
        }
    }
    s.value = Some(value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_file_lines() {
        let p = env_file_pairs("# c\nexport A=1\nB=\"x y\"\nC=z # note\n\nbad\n");
        assert_eq!(
            p,
            vec![
                ("A".to_string(), "1".to_string()),
                ("B".to_string(), "x y".to_string()),
                ("C".to_string(), "z".to_string())
            ]
        );
    }

    #[test]
    fn interpolation() {
        assert_eq!(interpolate("plain").0, "plain");
        let (v, w) = interpolate("${X:-airflow}");
        assert_eq!((v.as_str(), w), ("airflow", Some((5, 12))));
        assert_eq!(interpolate("${X}").0, "${X}");
        assert_eq!(interpolate("a$$b").0, "a$b");
        assert_eq!(
            interpolate("postgresql://${U-u}:${P:-p}@db").0,
            "postgresql://u:p@db"
        );
    }

    #[test]
    fn environment_with_anchors_and_lists() {
        let text = "x-common: &common\n  image: ${IMG:-apache/airflow:2.9.3}\n  environment: &env\n    AIRFLOW__CORE__LOAD_EXAMPLES: 'true'\n    AIRFLOW__CORE__FERNET_KEY: ''\nservices:\n  web:\n    <<: *common\n  init:\n    <<: *common\n    environment:\n      <<: *env\n      AIRFLOW__CORE__LOAD_EXAMPLES: 'false'\n  other:\n    image: busybox\n    environment:\n      - AIRFLOW__WEBSERVER__EXPOSE_CONFIG=True\n";
        let stream = crate::yaml::parse(text);
        assert!(is_compose("docker-compose.yaml", &stream));
        let mut out = Vec::new();
        from_compose(&stream, text, "docker-compose.yaml", None, &mut out);
        let web: Vec<_> = out
            .iter()
            .filter(|s| s.unit == "service/web" && s.is_option())
            .collect();
        assert_eq!(web.len(), 2);
        assert_eq!(
            &text[web[0].value_span.start()..web[0].value_span.end()],
            "'true'"
        );
        let init: Vec<_> = out
            .iter()
            .filter(|s| s.unit == "service/init" && s.is_option())
            .collect();
        assert_eq!(init[0].value.as_deref(), Some("false"));
        assert_eq!(init.len(), 2);
        let img = out
            .iter()
            .find(|s| s.unit == "service/web" && s.marker == Some(Marker::Image))
            .unwrap();
        assert_eq!(img.value.as_deref(), Some("2.9.3"));
        let other = out
            .iter()
            .find(|s| s.unit == "service/other" && s.is_option())
            .unwrap();
        assert_eq!(
            &text[other.key_span.start()..other.key_span.end()],
            "AIRFLOW__WEBSERVER__EXPOSE_CONFIG"
        );
        assert_eq!(
            &text[other.value_span.start()..other.value_span.end()],
            "True"
        );
    }
}
