//! The Docker Compose services of a file, for the Compose rules
//! (AFD028–AFD032).

use crate::airflow::compose::{self, Service};
use crate::document::Parsed;
use crate::rules::FileCx;
use crate::yaml::NodeRef;

/// The services of a Compose file, or nothing for other files.
pub fn services<'a>(cx: &FileCx<'a>) -> Vec<Service<'a>> {
    let Parsed::Yaml(y) = cx.parsed() else {
        return Vec::new();
    };
    if !compose::is_compose(&cx.file.path, &y.stream) {
        return Vec::new();
    }
    compose::services(&y.stream)
}

/// A scalar with Compose interpolation defaults applied, lower-cased.
pub fn text(n: NodeRef<'_>) -> Option<String> {
    let s = n.deref();
    let raw = if let Some(b) = s.as_bool() {
        b.to_string()
    } else {
        s.scalar()?.to_string()
    };
    Some(compose::interpolate(raw.trim()).0.to_ascii_lowercase())
}

/// The entries of a list-valued key (`cap_add`, `volumes`), as nodes.
pub fn list<'a>(svc: &Service<'a>, key: &str) -> Vec<NodeRef<'a>> {
    svc.node
        .get(key)
        .map(|l| l.items().map(|i| i.deref()).collect())
        .unwrap_or_default()
}
