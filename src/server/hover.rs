//! Hover on a rule ID in a suppression comment (`# afcheck ignore=AFK015`,
//! the `afcheck.io/ignore` annotation) or anywhere in `.afcheck.yaml`: the
//! rule's summary, its fix and its documentation page.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position, Range};

use super::encoding::{Encoding, Text};
use crate::rules::meta;

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// The hover at `pos` of `text` (the file `name`), if it is on a rule ID.
pub fn hover(name: &str, text: &str, pos: Position, enc: Encoding) -> Option<Hover> {
    let t = Text::new(text, enc);
    let body = t.body();
    let at = t.offset(pos).min(body.len());
    let line = t.line_span(t.line_of(at));
    let line_text = &body[line.start()..line.end()];
    let is_config = name.rsplit(['/', '\\']).next() == Some(crate::config::FILE_NAME);
    if !is_config && !line_text.contains("afcheck") {
        return None;
    }
    let b = body.as_bytes();
    let mut s = at;
    while s > line.start() && is_word(b[s - 1]) {
        s -= 1;
    }
    let mut e = at;
    while e < line.end() && is_word(b[e]) {
        e += 1;
    }
    let word = body.get(s..e)?;
    let m = meta::get(&word.to_ascii_uppercase())?;
    let mut md = format!(
        "**{}** `{}` ({})\n\n{}\n\n**Fix:** {}",
        m.id,
        m.name,
        m.severity.as_str(),
        m.summary.trim(),
        m.fix.trim()
    );
    if let Some(f) = m.fixable {
        md.push_str(&format!(
            "\n\nAutomatic fix: {} (code action).",
            match f {
                meta::Fixable::Safe => "safe",
                meta::Fixable::Unsafe => "unsafe",
                meta::Fixable::Mixed => "safe or unsafe, per finding",
            }
        ));
    }
    md.push_str(&format!("\n\n[Documentation]({})", m.help_uri()));
    let p = t.positions(&[s, e]);
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }),
        range: Some(Range {
            start: p[&s],
            end: p[&e],
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hover_on_ids_in_suppressions_and_config() {
        let text = "image: x  # afcheck ignore=AFK022 pinned\n";
        let col = text.find("AFK022").unwrap() as u32 + 2;
        let h = hover("a.yaml", text, Position::new(0, col), Encoding::Utf16).unwrap();
        let HoverContents::Markup(m) = h.contents else {
            panic!()
        };
        assert!(m.value.starts_with("**AFK022**"), "{}", m.value);
        assert!(m.value.contains("**Fix:**"));
        // Not in a suppression: nothing.
        assert!(
            hover(
                "a.yaml",
                "x: AFK022\n",
                Position::new(0, 4),
                Encoding::Utf16
            )
            .is_none()
        );
        // In .afcheck.yaml: anywhere.
        let cfg = "ignore: [AFD002]\n";
        assert!(
            hover(
                "p/.afcheck.yaml",
                cfg,
                Position::new(0, 11),
                Encoding::Utf16
            )
            .is_some()
        );
    }
}
