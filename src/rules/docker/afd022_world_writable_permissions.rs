use super::common::{dockerfile, runs};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

/// Does a chmod mode give write permission to others (and is not a sticky
/// directory mode such as 1777)?
pub fn world_writable(mode: &str) -> bool {
    if !mode.is_empty() && mode.bytes().all(|c| (b'0'..=b'7').contains(&c)) {
        let digits: Vec<u8> = mode.bytes().map(|c| c - b'0').collect();
        let others = digits.last().copied().unwrap_or(0);
        let special = if digits.len() >= 4 {
            digits.get(digits.len() - 4).copied().unwrap_or(0)
        } else {
            0
        };
        return others & 2 != 0 && special & 1 == 0;
    }
    // Symbolic: any clause `[ugoa]*[+=][rwxXst]*` with o or a (or no who).
    mode.split(',').any(|clause| {
        let who_len = clause.bytes().take_while(|c| b"ugoa".contains(c)).count();
        let who = &clause[..who_len];
        let rest = &clause[who_len..];
        let others = who.contains('o') || who.contains('a');
        others && (rest.starts_with('+') || rest.starts_with('=')) && rest.contains('w')
    })
}

crate::rule!(Afd022, "AFD022", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for r in runs(df) {
            for c in r.script.named("chmod") {
                let Some(mode) = c.args().iter().find(|w| !w.text.starts_with('-')) else {
                    continue;
                };
                if world_writable(&mode.text) {
                    out.push(Finding::new(
                        mode.span,
                        format!("`chmod {}` makes files writable by every user", mode.text),
                    ));
                }
            }
        }
        for ins in df.steps().map(|s| s.inst) {
            if !(ins.is("COPY") || ins.is("ADD")) {
                continue;
            }
            for f in ins.flags_named("chmod") {
                if let Some(v) = &f.value
                    && world_writable(v)
                {
                    out.push(
                        Finding::new(f.span, format!("`--chmod={v}` makes the copied files writable by every user"))
                            .with_help("Use a mode without write permission for others, for example `--chmod=755` or `--chmod=644`."),
                    );
                }
            }
        }
    }
});

#[cfg(test)]
mod tests {
    use super::world_writable;

    #[test]
    fn modes() {
        for m in ["777", "0777", "666", "o+w", "a+rwx", "u+x,o+w", "a=rw"] {
            assert!(world_writable(m), "{m}");
        }
        for m in ["755", "1777", "644", "g+w", "+x", "u+w", "0755"] {
            assert!(!world_writable(m), "{m}");
        }
    }
}
