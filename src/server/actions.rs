//! Code actions: a finding's fix (safe ones preferred), every safe fix of a
//! file at once (`source.fixAll.afcheck`), and "suppress RULE on this line"
//! written in the comment syntax afcheck reads for the file type
//! ([`crate::suppress`]).

use lsp_types::{Diagnostic, TextEdit};

use super::diagnostics::Item;
use crate::engine::{AnalyzedFile, Parsed};
use crate::finding::Edit;
use crate::source::Span;
use crate::suppress::comment_start;

/// The code-action kind of "fix all safe problems in this file".
pub const FIX_ALL: &str = "source.fixAll.afcheck";

/// The edits of "fix all": every safe fix that does not touch an earlier
/// one (those wait for the next application, as `afcheck --fix` passes
/// do), with the diagnostics they fix.
pub fn fix_all(items: &[Item]) -> (Vec<TextEdit>, Vec<Diagnostic>) {
    let safe: Vec<&Item> = items
        .iter()
        .filter(|i| i.fix.is_some())
        .filter(|i| {
            i.source_fix
                .as_ref()
                .is_some_and(|f| crate::fix::wanted(f, false))
        })
        .collect();
    let fixes: Vec<&crate::finding::Fix> =
        safe.iter().filter_map(|i| i.source_fix.as_ref()).collect();
    let (taken, _) = crate::fix::select(&fixes);
    let mut edits = Vec::new();
    let mut diags = Vec::new();
    for k in taken {
        let i = safe[k];
        if let Some((_, es)) = &i.fix {
            edits.extend(es.iter().cloned());
        }
        diags.push(i.diagnostic.clone());
    }
    (edits, diags)
}

/// Rules a suppression comment makes no sense for: the unused-suppression
/// finding itself and unreadable files.
fn suppressible(rule: &str) -> bool {
    !matches!(rule, "AFY004" | "AFY005") && crate::rules::meta::get(rule).is_some()
}

/// In an `# afcheck ignore=IDS ...` comment, the offset (in `comment`)
/// just after the ID list, to append `,ID` there.
fn ignore_list_end(comment: &str) -> Option<usize> {
    let rest = comment.trim_start_matches('#').trim_start();
    let rest = rest.strip_prefix("afcheck")?;
    let rest = rest
        .strip_prefix(|c: char| c.is_whitespace() || c == ':')?
        .trim_start();
    let ids = rest.strip_prefix("ignore=")?;
    let start = comment.len() - ids.len();
    let len = ids.find(char::is_whitespace).unwrap_or(ids.len());
    (len > 0).then_some(start + len)
}

fn indent_of(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// The edit that suppresses `rule` for a finding at `span` of `af`, or None
/// when the file type has no comments (JSON, templates, unreadable files).
///
/// - Dockerfile: a comment line above the instruction (a `#` after an
///   instruction would be part of it); it covers the whole instruction.
/// - YAML: a trailing comment on the line, unless the line ends inside a
///   multi-line scalar (a block scalar's text), where a comment line above
///   it is used.
/// - airflow.cfg and .dockerignore: a comment line above (configparser does
///   not read trailing comments by default).
///
/// An existing `# afcheck ignore=...` comment on the line (or the comment
/// line above) gets `,RULE` appended instead.
pub fn suppress_edit(af: &AnalyzedFile, span: Span, rule: &str) -> Option<Edit> {
    if !suppressible(rule) {
        return None;
    }
    let file = &af.file;
    let text: &str = &file.text;
    let line_of = |o: usize| file.lines.line_of(o.min(text.len()));
    let line_text = |l: usize| file.slice(file.lines.line_span(text, l));
    let nl = file.newline();
    let mut line = line_of(span.start());
    let own_line_above = match &af.parsed {
        Parsed::Dockerfile(df) => {
            let at = df
                .instructions
                .partition_point(|i| i.span.start() <= span.start());
            if let Some(ins) = at.checked_sub(1).map(|i| &df.instructions[i])
                && span.start() < ins.span.end().max(ins.span.start() + 1)
            {
                line = line_of(ins.span.start());
            }
            true
        }
        Parsed::AirflowCfg(_) | Parsed::DockerIgnore => true,
        Parsed::Yaml(y) => {
            let path = std::path::Path::new(&file.path);
            if crate::classify::is_json(path) {
                return None;
            }
            let ls = file.lines.line_span(text, line);
            let (start, end) = (ls.start(), ls.end());
            // The line ends inside a scalar, or is the last line of one
            // that started above (a block scalar's text).
            y.stream.nodes.iter().any(|n| {
                matches!(n.kind, crate::yaml::NodeKind::Scalar { .. })
                    && (n.span.start() < end && end < n.span.end()
                        || n.span.start() < start && end <= n.span.end())
            })
        }
        Parsed::HelmTemplate { .. } | Parsed::Unreadable => return None,
    };
    let this = line_text(line);
    let base = file.lines.line_start(line);
    if own_line_above {
        // An `# afcheck ignore=` comment line right above: extend it.
        if line > 0 {
            let above = line_text(line - 1);
            if above.trim_start().starts_with('#')
                && let Some(end) = ignore_list_end(above.trim_start())
            {
                let at = file.lines.line_start(line - 1) + (above.len() - above.trim_start().len());
                return Some(Edit::insert(at + end, format!(",{rule}")));
            }
        }
        let indent = match af.parsed {
            Parsed::AirflowCfg(_) | Parsed::DockerIgnore => "",
            _ => indent_of(this),
        };
        return Some(Edit::insert(
            base,
            format!("{indent}# afcheck ignore={rule}{nl}"),
        ));
    }
    match comment_start(this) {
        Some(c) => match ignore_list_end(&this[c..]) {
            Some(end) => Some(Edit::insert(base + c + end, format!(",{rule}"))),
            // Another comment: a comment line above (the trailing one stays).
            None => Some(Edit::insert(
                base,
                format!("{}# afcheck ignore={rule}{nl}", indent_of(this)),
            )),
        },
        None => {
            let end = base + this.trim_end().len();
            Some(Edit::insert(end, format!("  # afcheck ignore={rule}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixes reach the code actions as edits in the client's encoding, and
    /// "fix all" takes the safe ones that do not conflict.
    #[test]
    fn fixes_become_edits_and_fix_all_takes_safe_disjoint_ones() {
        use crate::finding::{Applicability, Fix};
        use crate::server::encoding::Encoding;
        let text = "FROM a\nLABEL x=\"é𝄞\"\nMAINTAINER me\nRUN b\n";
        let opts = crate::engine::Options::default();
        let mut run = crate::lint::lint_document("Dockerfile", text, &opts);
        assert!(run.findings.len() >= 3);
        let at = |s: &str| text.find(s).unwrap();
        let fixes = [
            // Safe, after the non-ASCII line.
            (
                Applicability::Safe,
                vec![Edit::replace(
                    Span::new(at("MAINTAINER"), at("MAINTAINER") + 13),
                    "LABEL maintainer=\"me\"",
                )],
            ),
            // Safe, but touching the first: waits.
            (
                Applicability::Safe,
                vec![Edit::insert(at("MAINTAINER") + 13, " x")],
            ),
            // Unsafe: never in fix all.
            (
                Applicability::Unsafe,
                vec![Edit::insert(at("\"\nMAINTAINER") + 1, " y=1")],
            ),
        ];
        for (f, (applicability, edits)) in run.findings.iter_mut().zip(fixes) {
            f.fix = Some(Fix {
                edits,
                applicability,
            });
        }
        let clean = crate::report::Cleaner::new(&run);
        let items =
            crate::server::diagnostics::file_items(&run, &clean, 0, text, Encoding::Utf16, &|_| {
                None
            });
        let (_, first) = items[0].fix.as_ref().unwrap();
        assert_eq!(first[0].range.start, lsp_types::Position::new(2, 0));
        assert_eq!(first[0].range.end, lsp_types::Position::new(2, 13));
        assert_eq!(first[0].new_text, "LABEL maintainer=\"me\"");
        // After `LABEL x="é𝄞"`: 16 bytes, 13 UTF-16 units.
        let (_, third) = items[2].fix.as_ref().unwrap();
        assert_eq!(third[0].range.start, lsp_types::Position::new(1, 13));
        let (edits, diags) = fix_all(&items);
        assert_eq!(edits.len(), 1);
        assert_eq!(diags.len(), 1);
        assert_eq!(edits[0].new_text, "LABEL maintainer=\"me\"");
        // With a BOM in the editor's text, line 0 columns shift by one unit.
        let bom = format!("\u{feff}{text}");
        let items =
            crate::server::diagnostics::file_items(&run, &clean, 0, &bom, Encoding::Utf16, &|_| {
                None
            });
        assert_eq!(items.len(), run.findings.len());
        assert_eq!(
            items[0].fix.as_ref().unwrap().1[0].range.start,
            lsp_types::Position::new(2, 0)
        );
    }

    fn edit_of(path: &str, text: &str, at: &str, rule: &str) -> Option<String> {
        let af = crate::engine::analyze(
            &crate::engine::Input::Text {
                name: path.into(),
                bytes: text.as_bytes().to_vec(),
            },
            1 << 20,
        )
        .unwrap();
        let start = text.find(at).unwrap();
        let e = suppress_edit(&af, Span::new(start, start + at.len()), rule)?;
        crate::fix::apply(text, &[e])
    }

    #[test]
    fn comment_syntax_per_file_type() {
        // YAML: trailing comment.
        assert_eq!(
            edit_of("a.yaml", "a:\n  image: nginx:latest\n", "nginx", "AFK022").unwrap(),
            "a:\n  image: nginx:latest  # afcheck ignore=AFK022\n"
        );
        // YAML with an afcheck comment: extended.
        assert_eq!(
            edit_of(
                "a.yaml",
                "image: x  # afcheck ignore=AFK015 why\n",
                "x",
                "AFK022"
            )
            .unwrap(),
            "image: x  # afcheck ignore=AFK015,AFK022 why\n"
        );
        // Inside a block scalar: a comment line above, same indentation.
        assert_eq!(
            edit_of(
                "cm.yaml",
                "data:\n  airflow.cfg: |\n    [core]\n    x = 1\n",
                "x = 1",
                "AFC003"
            )
            .unwrap(),
            "data:\n  airflow.cfg: |\n    [core]\n    # afcheck ignore=AFC003\n    x = 1\n"
        );
        // Dockerfile: above the instruction, also for a continuation line.
        assert_eq!(
            edit_of(
                "Dockerfile",
                "FROM a\nRUN apt-get update && \\\n    apt-get install x\n",
                "apt-get install",
                "AFD004"
            )
            .unwrap(),
            "FROM a\n# afcheck ignore=AFD004\nRUN apt-get update && \\\n    apt-get install x\n"
        );
        // airflow.cfg, CRLF kept.
        assert_eq!(
            edit_of(
                "airflow.cfg",
                "[core]\r\nload_examples = True\r\n",
                "load_examples",
                "AFC014"
            )
            .unwrap(),
            "[core]\r\n# afcheck ignore=AFC014\r\nload_examples = True\r\n"
        );
        // JSON has no comments; AFY004 is not suppressed.
        assert_eq!(
            edit_of(
                "a.json",
                "{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}",
                "Pod",
                "AFK015"
            ),
            None
        );
        assert_eq!(edit_of("a.yaml", "a: 1\n", "a", "AFY004"), None);
    }
}
