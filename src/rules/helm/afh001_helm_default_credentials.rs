use super::common::{ChartRoot, airflow_values_all, community_values_all, literal};
use crate::mask::mask;
use crate::rules::{FileCx, Findings};

/// The community chart (airflow-helm/charts): `airflow.users` keeps its
/// published `admin`/`admin` user unless changed.
fn community(cr: ChartRoot<'_>, t: &str, out: &mut Findings<'_>) {
    let Some(users) = cr.root.get("users") else {
        return;
    };
    // An Argo CD parameter that sets the users replaces these.
    if cr.overridden(&["airflow", "users"]) {
        return;
    }
    for (i, u) in users.items().enumerate() {
        let u = u.deref();
        if let Some((pw, span)) = literal(u.get("password"))
            && (pw == "admin" || pw == "airflow")
        {
            out.push(
                cr.finding(span, t, format!("`airflow.users[{i}].password` is the community chart's default `{}`: anyone reaching the UI can log in as {}", mask(pw), u.get("role").and_then(|r| r.as_str()).unwrap_or("this user")))
                    .with_secret(cr.secret(span, t))
                    .with_fingerprint(format!("airflow.users[{i}].password"))
                    .with_help("Set the password from a Secret with `airflow.usersTemplates` (`password: ${MY_PASSWORD}`), or remove the user from `airflow.users`."),
            );
        }
    }
}

fn check(cr: ChartRoot<'_>, t: &str, out: &mut Findings<'_>) {
    let root = cr.root;
    // Admin user (createUserJob.defaultUser; webserver.defaultUser in older charts).
    for path in [
        &["createUserJob", "defaultUser"][..],
        &["webserver", "defaultUser"][..],
    ] {
        let Some(u) = root.path(path) else { continue };
        let enabled = u.get("enabled").and_then(|e| e.as_bool()).unwrap_or(true);
        if let Some((pw, span)) = literal(u.get("password"))
            && pw == "admin"
            && enabled
            && !cr.overridden(&[path[0], path[1], "password"])
        {
            out.push(
                cr.finding(span, t, format!("`{}.password` is the chart's default `{}`: anyone reaching the UI can log in as {}", path.join("."), mask(pw), u.get("role").and_then(|r| r.as_str()).unwrap_or("Admin")))
                    .with_secret(cr.secret(span, t))
                    .with_fingerprint(format!("{}.password", path.join(".")))
                    .with_help("Set a strong password (from a secret store at install time) or disable the user-creation job and manage users otherwise."),
            );
        }
    }
    // Not overridden at all: the chart's user-creation job (on by
    // default) creates admin/admin.
    let job_enabled = root
        .path(&["createUserJob", "enabled"])
        .and_then(|e| e.as_bool())
        != Some(false);
    let pw_set = |path: &[&str]| root.path(path).is_some_and(|p| !p.is_null());
    // Unset only when nothing else (a values file merged under these, an
    // Argo CD parameter) may set it.
    if job_enabled
        && cr.unset_known(&["createUserJob"])
        && cr.unset_known(&["webserver", "defaultUser"])
        && !pw_set(&["createUserJob", "defaultUser", "password"])
        && !pw_set(&["webserver", "defaultUser", "password"])
        && root
            .path(&["webserver", "defaultUser", "enabled"])
            .and_then(|e| e.as_bool())
            != Some(false)
    {
        let span = root
            .key_span("createUserJob")
            .unwrap_or_else(|| super::common::first_key(root));
        out.push(
            cr.finding(span, t, "no `createUserJob.defaultUser.password` is set: the chart's user-creation job creates the Admin user `admin` with password `admin`")
                .with_help("Set `createUserJob.defaultUser.password` (from a secret store at install time), or set `createUserJob.enabled: false` and manage users otherwise."),
        );
    }
    // Metadata database connection: the password defaults to `postgres`.
    let Some(data) = root.get("data") else { return };
    if super::common::is_set(data.get("metadataSecretName")) {
        return;
    }
    let Some((mc_key, mc)) = data.entry("metadataConnection") else {
        return;
    };
    if !mc.is_mapping() {
        return;
    }
    if cr.overridden(&["data", "metadataSecretName"])
        || cr.overridden(&["data", "metadataConnection", "pass"])
    {
        return;
    }
    match literal(mc.get("pass")) {
        Some((pw, span)) if pw == "postgres" => out.push(
            cr.finding(
                span,
                t,
                format!(
                    "`data.metadataConnection.pass` is the default `{}`",
                    mask(pw)
                ),
            )
            .with_secret(cr.secret(span, t))
            .with_fingerprint("data.metadataConnection.pass")
            .with_help(
                "Create a Secret with the connection string and set `data.metadataSecretName`.",
            ),
        ),
        None if cr.unset_known(&["data", "metadataSecretName"])
            && cr.unset_known(&["data", "metadataConnection", "pass"]) =>
        {
            out.push(
            cr.finding(mc_key.span(), t, "`data.metadataConnection` sets no `pass`: the chart uses its default password `postgres`")
                .with_help("Create a Secret with the connection string and set `data.metadataSecretName`."),
            );
        }
        _ => {}
    }
}

crate::rule!(Afh001, "AFH001", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for cr in community_values_all(cx.analyzed) {
            community(cr, &cx.file.text, out);
        }
        for cr in airflow_values_all(cx.analyzed) {
            check(cr, &cx.file.text, out);
        }
    }
});
