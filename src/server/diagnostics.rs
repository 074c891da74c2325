//! From a run's findings to LSP diagnostics, in one place
//! ([`file_items`]): exact ranges in the negotiated encoding, severity,
//! rule ID as `code`, the rule's docs page as `codeDescription`, and every
//! text passed through the run's [`Cleaner`] so that no secret any rule
//! knows leaves the server. Each diagnostic keeps its fix and suppression
//! edits, converted once, for the code actions.

use std::collections::HashMap;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    Location, NumberOrString, TextEdit, Uri,
};

use super::encoding::{Encoding, Text};
use crate::engine::Run;
use crate::finding::{Applicability, Finding, Severity};
use crate::report::Cleaner;

/// One diagnostic with what the code actions need.
#[derive(Clone, Debug)]
pub struct Item {
    pub diagnostic: Diagnostic,
    pub rule: &'static str,
    /// The finding's fix, as edits of the document.
    pub fix: Option<(Applicability, Vec<TextEdit>)>,
    /// The same fix in afcheck offsets, for "fix all" to choose the fixes
    /// of one pass as `afcheck --fix` does ([`crate::fix::select`]).
    pub source_fix: Option<crate::finding::Fix>,
    /// The edit that suppresses this finding on its line.
    pub suppress: Option<TextEdit>,
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
    }
}

/// The diagnostics of file `idx` of `run`, whose text the editor holds as
/// `editor_text` (the run's text, maybe with a BOM). `uri_of` names the
/// other files of the run, for related locations.
pub fn file_items(
    run: &Run,
    clean: &Cleaner,
    idx: u32,
    editor_text: &str,
    enc: Encoding,
    uri_of: &dyn Fn(u32) -> Option<Uri>,
) -> Vec<Item> {
    let Some(af) = run.files.get(idx as usize) else {
        return Vec::new();
    };
    let text = Text::new(editor_text, enc);
    // The editor's text and the run's must be the same document (a file
    // afcheck could not read keeps only the prefix it decoded).
    let unreadable = af.kind == crate::document::Kind::Unreadable;
    let run_text: &str = &af.source().text;
    if !unreadable && text.body() != run_text || unreadable && !text.body().starts_with(run_text) {
        return Vec::new();
    }
    let findings: Vec<&Finding> = run.findings.iter().filter(|f| f.file == idx).collect();
    // A run keeps summaries, not trees: the suppression edits read the
    // document of the editor's text (the same text, checked above).
    let doc = (!findings.is_empty() && !unreadable)
        .then(|| {
            crate::engine::analyze(
                &crate::engine::Input::Text {
                    name: af.file.path.clone(),
                    bytes: editor_text.as_bytes().to_vec(),
                },
                u64::MAX,
            )
        })
        .flatten();
    let suppress: Vec<Option<crate::finding::Edit>> = findings
        .iter()
        .map(|f| {
            doc.as_ref()
                .and_then(|d| super::actions::suppress_edit(d, f.span, f.rule))
        })
        .collect();
    // Every offset this file needs, converted in one pass.
    let mut offsets = Vec::new();
    for (f, s) in findings.iter().zip(&suppress) {
        offsets.extend([f.span.start(), f.span.end()]);
        for r in f.related.iter().filter(|r| r.file == idx) {
            offsets.extend([r.span.start(), r.span.end()]);
        }
        for e in f.fix.iter().flat_map(|fx| &fx.edits) {
            offsets.extend([e.range.start(), e.range.end()]);
        }
        if let Some(e) = s {
            offsets.extend([e.range.start(), e.range.end()]);
        }
    }
    let pos = text.positions(&offsets);
    // Related locations in other files: their texts as the run read them.
    let mut others: HashMap<u32, Text<'_>> = HashMap::new();
    let mut items = Vec::with_capacity(findings.len());
    for (f, s) in findings.iter().zip(suppress) {
        let mut related = Vec::new();
        for r in &f.related {
            let range = if r.file == idx {
                text.range(r.span, &pos)
            } else {
                let Some(other) = run.files.get(r.file as usize) else {
                    continue;
                };
                let t = others
                    .entry(r.file)
                    .or_insert_with(|| Text::new(&other.source().text, enc));
                let p = t.positions(&[r.span.start(), r.span.end()]);
                t.range(r.span, &p)
            };
            let Some(uri) = uri_of(r.file) else { continue };
            related.push(DiagnosticRelatedInformation {
                location: Location { uri, range },
                message: clean.text_in(r.file, &r.message),
            });
        }
        let mut message = clean.text_in(idx, f.message.trim());
        if let Some(h) = f.help.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
            message.push('\n');
            message.push_str(&clean.text_in(idx, h));
        }
        let diagnostic = Diagnostic {
            range: text.range(f.span, &pos),
            severity: Some(severity(f.severity)),
            code: Some(NumberOrString::String(f.rule.to_string())),
            code_description: crate::report::docs_url(f.rule)
                .parse()
                .ok()
                .map(|href| CodeDescription { href }),
            source: Some("afcheck".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: (f.rule == "AFY004").then(|| vec![DiagnosticTag::UNNECESSARY]),
            data: None,
        };
        let to_edit = |e: &crate::finding::Edit| TextEdit {
            range: text.range(e.range, &pos),
            new_text: e.content.clone(),
        };
        let fix = f
            .fix
            .as_ref()
            .filter(|fx| !fx.edits.is_empty())
            .map(|fx| (fx.applicability, fx.edits.iter().map(to_edit).collect()));
        items.push(Item {
            diagnostic,
            rule: f.rule,
            fix,
            source_fix: f.fix.clone(),
            suppress: s.as_ref().map(to_edit),
        });
    }
    items
}
