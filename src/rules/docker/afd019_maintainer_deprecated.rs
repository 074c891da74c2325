use super::common::dockerfile;
use crate::finding::{Applicability, Edit, Finding};
use crate::rules::{FileCx, Findings};

/// `value` as the inside of a double-quoted Dockerfile word, with `escape`
/// the file's escape character: quotes, the escape character and `$` (a
/// LABEL expands variables, MAINTAINER does not) are escaped.
fn quoted(value: &str, escape: char) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '$' || c == escape {
            out.push(escape);
        }
        out.push(c);
    }
    out.push('"');
    out
}

crate::rule!(Afd019, "AFD019", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for ins in &df.instructions {
            if ins.is("MAINTAINER") {
                let word = ins.shell_text();
                let who = word.map(|w| w.value.as_str()).unwrap_or("");
                // The help shows the label the fix writes, quoted for the
                // file's escape character.
                let mut f =
                    Finding::new(ins.keyword_span, "MAINTAINER is deprecated").with_help(format!(
                        "Use a label: `LABEL org.opencontainers.image.authors={}`.",
                        quoted(who, df.escape)
                    ));
                // The same author as an OCI label, when the instruction is
                // on one line (a continuation could hold comments).
                if let Some(w) = word
                    && !who.trim().is_empty()
                    && !cx.file.slice(ins.span).contains(['\n', '\r'])
                    && ins.keyword_span.end <= w.span.start
                {
                    f = f.with_edits(
                        Applicability::Safe,
                        vec![
                            Edit::replace(ins.keyword_span, "LABEL"),
                            Edit::replace(
                                w.span,
                                format!(
                                    "org.opencontainers.image.authors={}",
                                    quoted(who, df.escape)
                                ),
                            ),
                        ],
                    );
                }
                out.push(f);
            }
        }
    }
});

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn quotes_for_a_label() {
        assert_eq!(quoted("Jane <j@x>", '\\'), "\"Jane <j@x>\"");
        assert_eq!(
            quoted("a \"b\" $HOME c\\d", '\\'),
            "\"a \\\"b\\\" \\$HOME c\\\\d\""
        );
        assert_eq!(quoted("c\\d $x", '`'), "\"c\\d `$x\"");
    }
}
