use super::common::{at, groups, name_of};
use crate::airflow::knowledge;
use crate::airflow::sources::{SourceKind, Via};
use crate::rules::{Findings, ProjectCx};

fn norm(section: &str, key: &str, v: &str) -> String {
    let ty_bool = knowledge::option(section, key)
        .is_some_and(|o| o.ty == crate::airflow::tables_types::Ty::Bool);
    if ty_bool && let Some(b) = knowledge::parse_bool(v) {
        return b.to_string();
    }
    v.trim().to_string()
}

crate::rule!(Afc019, "AFC019", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            // The official chart's built-in env vars (from the Secrets it
            // manages) silently win over `config:`.
            for a in g.options() {
                if a.s.source != SourceKind::HelmConfig || a.s.via != Via::Value || !a.s.case_ok {
                    continue;
                }
                if a.s.value.as_deref().is_none_or(|v| v.trim().is_empty()) {
                    continue;
                }
                let Some(e) = g.effective(&a.s.section, &a.s.key) else {
                    continue;
                };
                if !e.s.implicit {
                    continue;
                }
                let mut f = at(a, a.s.key_span, format!("`config.{}.{}` is ignored: {} is set in every Airflow pod and wins over `config:`", a.s.section, a.s.name, e.s.origin))
                    .with_help(format!("Set the value where the chart reads it (its Secret), or disable `enableBuiltInSecretEnvVars.{}` if this value is meant to be used.", e.s.name));
                if !e.s.key_span.is_empty() {
                    f = f.with_related(e.file, e.s.key_span, "the chart's value comes from here");
                }
                out.push(f);
            }
            for ((sec, key), cands) in g.by_option() {
                let Some(win) = cands.first() else { continue };
                let Some(wv) = win.s.value.as_deref().filter(|_| win.s.via == Via::Value) else {
                    continue;
                };
                let wn = norm(sec, key, wv);
                let sensitive = knowledge::is_sensitive(sec, key);
                for lose in cands.iter().skip(1) {
                    if lose.s.section != sec {
                        continue; // a [DEFAULT] fallback
                    }
                    let Some(lv) = lose.s.value.as_deref().filter(|_| lose.s.via == Via::Value)
                    else {
                        continue;
                    };
                    if norm(sec, key, lv) == wn {
                        continue;
                    }
                    let wpos = cx
                        .files
                        .get(win.file as usize)
                        .map(|f| (f.file.path.clone(), f.line_of(win.s.key_span.start())));
                    let (wpath, wline) = wpos.unwrap_or_default();
                    let values = if sensitive {
                        String::new()
                    } else {
                        format!(" (`{}` here, `{}` there)", lv.trim(), wv.trim())
                    };
                    out.push(
                        at(*lose, lose.s.key_span, format!("`[{sec}] {key}` is set differently in two sources{values}: {} in {} ({wpath}:{wline}) wins, so this {} is ignored", name_of(win.s), win.s.source.describe(), lose.s.source.describe()))
                            .with_related(win.file, win.s.key_span, "the value Airflow uses")
                            .with_help("Set the option in one place only, or give both the same value."),
                    );
                }
            }
        }
    }
});
