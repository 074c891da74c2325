use super::common::{ChartRoot, airflow_values_all, is_set, literal};
use crate::mask::mask;
use crate::rules::{FileCx, Findings};

/// (value key path, the `...SecretName` key to use instead)
const KEYS: &[(&[&str], &str)] = &[
    (&["fernetKey"], "fernetKeySecretName"),
    (&["webserverSecretKey"], "webserverSecretKeySecretName"),
    (&["apiSecretKey"], "apiSecretKeySecretName"),
    (&["jwtSecret"], "jwtSecretName"),
    (&["redis", "password"], "redis.passwordSecretName"),
    (&["data", "brokerUrl"], "data.brokerUrlSecretName"),
];

fn check(cr: ChartRoot<'_>, t: &str, out: &mut Findings<'_>) {
    let root = cr.root;
    for (path, instead) in KEYS {
        let Some((v, span)) = literal(root.path(path)) else {
            continue;
        };
        if v.contains("{{") || (path[0] == "data" && !v.contains('@')) {
            continue;
        }
        out.push(
            cr.finding(
                span,
                t,
                format!(
                    "`{}` holds a secret in plaintext (`{}`) in the values file",
                    path.join("."),
                    mask(v)
                ),
            )
            .with_secret(cr.secret(span, t))
            .with_fingerprint(path.join("."))
            .with_help(format!(
                "Create a Kubernetes Secret and set `{instead}` instead; rotate the exposed value."
            )),
        );
    }
    // A metadata password other than the default (the default is AFH001).
    if let Some(data) = root.get("data")
        && !is_set(data.get("metadataSecretName"))
        && let Some((pw, span)) = literal(data.path(&["metadataConnection", "pass"]))
        && pw != "postgres"
    {
        out.push(
            cr.finding(span, t, format!("`data.metadataConnection.pass` holds the database password in plaintext (`{}`)", mask(pw)))
                .with_secret(cr.secret(span, t))
                .with_fingerprint("data.metadataConnection.pass")
                .with_help("Create a Secret with the connection string and set `data.metadataSecretName`."),
        );
    }
}

crate::rule!(Afh002, "AFH002", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for cr in airflow_values_all(cx.analyzed) {
            check(cr, &cx.file.text, out);
        }
    }
});
