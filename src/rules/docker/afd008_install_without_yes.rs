use super::common::{apt_sub_word, dockerfile, has_yes, insert_after, rpm_sub_word, runs};
use crate::finding::{Applicability, Finding};
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
                // The word after which the flag goes: the subcommand (`zypper`
                // takes `-n` before it).
                let (tool, needs, anchor) = if let Some((sub_w, _)) = apt_sub_word(c) {
                    let sub = sub_w.text.as_str();
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
                        sub_w,
                    )
                } else if let Some((prog, sub_w, _)) = rpm_sub_word(c) {
                    let sub = sub_w.text.as_str();
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
                    let anchor = if prog == "zypper" {
                        c.argv().first().unwrap_or(sub_w)
                    } else {
                        sub_w
                    };
                    (prog, needs && prog != "microdnf", anchor)
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
                    // Safe: without the flag the build fails whenever the
                    // tool asks; with it, it does what the command says.
                    let flag = if tool == "zypper" { "-n" } else { "-y" };
                    let edit = insert_after(&cx.file.text, anchor, flag);
                    out.push(
                        Finding::new(c.span, format!("`{tool}` without `-y` waits for confirmation and fails the non-interactive build"))
                            .with_edits(Applicability::Safe, edit.into_iter().collect()),
                    );
                }
            }
        }
    }
});
