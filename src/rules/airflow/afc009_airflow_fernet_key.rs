use super::common::{at, groups, is_plaintext_source, literal, name_of};
use super::versioned::effective;
use crate::airflow::knowledge;
use crate::mask::mask;
use crate::rules::{Findings, ProjectCx};
use crate::secrets::placeholder::is_reference_or_placeholder;

crate::rule!(Afc009, "AFC009", {
    fn check_project(&self, cx: &ProjectCx<'_>, out: &mut Findings<'_>) {
        for g in groups(cx) {
            let eff = effective(g, "core", "fernet_key");
            for a in g.options() {
                let s = a.s;
                if s.section != "core" || s.key != "fernet_key" || !s.case_ok {
                    continue;
                }
                let Some(v) = literal(s) else { continue };
                // Only where this version reads the option; elsewhere the
                // generic secret rules (AFS) report a plaintext value.
                if !knowledge::reads(&s.section, &s.key, g.version) {
                    continue;
                }
                if v.trim().is_empty() {
                    let wins = eff.is_some_and(|e| std::ptr::eq(e.s, s));
                    if wins {
                        out.push(
                            at(a, s.key_span, format!("{} is empty: Airflow stores connection passwords and variables unencrypted ({})", name_of(s), g.version_label()))
                                .with_help("Generate a key (`python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\"`) and pass it from a Kubernetes Secret (AIRFLOW__CORE__FERNET_KEY via secretKeyRef, chart `fernetKeySecretName`) or `fernet_key_cmd`/`_secret`."),
                        );
                    }
                    continue;
                }
                if !is_plaintext_source(s) || is_reference_or_placeholder(v) {
                    continue;
                }
                let msg = if v.trim() == crate::airflow::sources::COMMUNITY_DEFAULT_FERNET_KEY {
                    format!(
                        "{} is the community chart's published default key (`{}`): anyone can decrypt every stored connection",
                        name_of(s),
                        mask(v)
                    )
                } else {
                    format!(
                        "{} is set in plaintext (`{}`) in {}: anyone who can read it can decrypt every stored connection",
                        name_of(s),
                        mask(v),
                        s.source.describe()
                    )
                };
                out.push(
                    at(a, s.value_span, msg)
                        .with_secret(s.value_span)
.with_fingerprint(format!("{}|{}", s.name, s.display()))
                        .with_help("Move the key to a Kubernetes Secret (AIRFLOW__CORE__FERNET_KEY from secretKeyRef, chart `fernetKeySecretName`) or use `fernet_key_cmd`/`fernet_key_secret`; rotate the exposed key."),
                );
            }
        }
    }
});
