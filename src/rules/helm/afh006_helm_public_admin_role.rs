use super::common::airflow_values_all;
use crate::rules::{FileCx, Findings};

/// Roles that let an anonymous visitor change connections, variables or
/// users.
const POWERFUL: &[&str] = &["Admin", "Op"];

/// The role `AUTH_ROLE_PUBLIC` is set to in a webserver_config.py text, and
/// the offset of the line.
fn public_role(py: &str) -> Option<(usize, String)> {
    let mut off = 0;
    for line in py.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("AUTH_ROLE_PUBLIC")
            && let Some(v) = rest.trim_start().strip_prefix('=')
        {
            let v = v.split('#').next().unwrap_or("").trim();
            let v = v.trim_matches(['"', '\'']);
            return Some((off + (line.len() - t.len()), v.to_string()));
        }
        off += line.len();
    }
    None
}

crate::rule!(Afh006, "AFH006", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for cr in airflow_values_all(cx.analyzed) {
            let root = cr.root;
            for path in [
                &["webserver", "webserverConfig"][..],
                &["apiServer", "apiServerConfig"][..],
            ] {
                let Some(n) = root.path(path) else { continue };
                if cr.overridden(path) {
                    continue;
                }
                let Some(py) = n.as_str() else { continue };
                let Some((at, role)) = public_role(py) else {
                    continue;
                };
                if !POWERFUL.contains(&role.as_str()) {
                    continue;
                }
                let span = cr.in_scalar(
                    n,
                    crate::source::Span::new(at, at + "AUTH_ROLE_PUBLIC".len()),
                );
                out.push(
                    cr.finding(span, &cx.file.text, format!("`{}` sets `AUTH_ROLE_PUBLIC = '{role}'`: anyone reaching the UI, without logging in, has the {role} role", path.join("."))),
                );
            }
        }
    }
});

#[cfg(test)]
mod tests {
    #[test]
    fn parses_the_assignment() {
        let py = "from x import y\n  AUTH_ROLE_PUBLIC = \"Admin\"  # open\n";
        assert_eq!(super::public_role(py), Some((18, "Admin".into())));
        assert_eq!(super::public_role("# AUTH_ROLE_PUBLIC = 'Admin'\n"), None);
    }
}
