use super::common::{apt_sub, dockerfile, has_yes, rpm_sub, runs};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

crate::rule!(Afd008, "AFD008", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for r in runs(df) {
            for (i, c) in r.script.commands.iter().enumerate() {
                // `yes | apt-get install` answers the prompts.
                let fed_yes = c.piped_from_prev
                    && i > 0
                    && r.script.commands.get(i - 1).and_then(|p| p.program()) == Some("yes");
                if fed_yes {
                    continue;
                }
                let (tool, needs) = if let Some((sub, _)) = apt_sub(c) {
                    let p = c.program().unwrap_or("apt-get");
                    (
                        p,
                        matches!(
                            sub,
                            "install"
                                | "upgrade"
                                | "dist-upgrade"
                                | "full-upgrade"
                                | "remove"
                                | "purge"
                                | "autoremove"
                                | "build-dep"
                        ) && p != "aptitude",
                    )
                } else if let Some((prog, sub, _)) = rpm_sub(c) {
                    let needs = match prog {
                        "zypper" => matches!(
                            sub,
                            "install" | "in" | "remove" | "rm" | "update" | "up" | "patch"
                        ),
                        _ => matches!(
                            sub,
                            "install"
                                | "groupinstall"
                                | "localinstall"
                                | "update"
                                | "upgrade"
                                | "remove"
                                | "erase"
                                | "reinstall"
                                | "downgrade"
                        ),
                    };
                    (prog, needs && prog != "microdnf")
                } else {
                    continue;
                };
                let dry = c.args().iter().any(|w| {
                    matches!(
                        w.text.as_str(),
                        "-s" | "--simulate"
                            | "--dry-run"
                            | "--just-print"
                            | "--no-act"
                            | "--recon"
                            | "--assumeno"
                            | "--help"
                            | "-h"
                    )
                });
                if !needs || dry {
                    continue;
                }
                let ok = if tool == "zypper" {
                    c.args().iter().any(|w| {
                        matches!(
                            w.text.as_str(),
                            "-n" | "--non-interactive" | "-y" | "--no-confirm"
                        )
                    })
                } else {
                    has_yes(c.args())
                };
                if !ok {
                    out.push(
                        Finding::new(c.span, format!("`{tool}` without `-y` waits for confirmation and fails the non-interactive build"))
                            .with_help(format!("Add `-y` to the `{tool}` command.")),
                    );
                }
            }
        }
    }
});
