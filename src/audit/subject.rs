//! The memo subject's unmarked-subject finding (DCL002) as the audit reports it, after
//! the parser's: `parser DCL002 ──▶ error, warning or nothing`. Called by
//! [`super::precision::refine`]. The parser reads a subject from its caption to the first
//! blank line; this module looks at what stands around it when the subject reads unmarked:
//! a mark damaged by OCR at its start, a trailing mark on a last line past a blank, or an
//! empty caption in a column of bare labels whose values OCR printed further down.

use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use regex::Regex;
use std::sync::LazyLock;

/// An unmarked-subject finding as the audit reports it: a warning when the subject opens
/// with what may be its mark, damaged by OCR (`(SJJREL TO USA, FVEY)`), none for an empty
/// `SUBJECT:` in a column of bare labels ([`in_label_column`]), else the error (also for
/// another empty `SUBJECT:`: a cable's subject text may stand on the lines below).
pub(super) fn refine(doc: &Document, d: &Diagnostic) -> Option<Diagnostic> {
    let text = doc.header.subject.as_ref().map_or("", |s| s.text.trim());
    if (text.is_empty() && in_label_column(doc, d.line)) || mark_below(doc) {
        return None;
    }
    if !super::view::judge::opens_with_damaged_mark(text) {
        return Some(d.clone());
    }
    let why = "subject opens with what may be a damaged portion mark: mark it if it is not one";
    Some(Diagnostic::new(Code::UnmarkedText, d.line, d.column, why))
}

/// Does the subject go on past a blank line to a short last line that ends in a readable
/// portion mark (`SUBJECT : House Select Committee on Assassinations` / blank / `Follow-up
/// Request (U)`)? That trailing mark is the subject's; the parser stopped at the blank.
fn mark_below(doc: &Document) -> bool {
    let Some(s) = &doc.header.subject else {
        return false;
    };
    let Some(next) =
        (s.lines.last + 1..=s.lines.last + 2).find(|&l| !doc.line(l).trim().is_empty())
    else {
        return false;
    };
    let t = doc.line(next).trim();
    let Some(open) = t.rfind('(') else {
        return false;
    };
    // One parenthesis, at the end, on a line with no caption: not a `REF: (A) … (C)` list.
    t.ends_with(')')
        && !t[..open].contains(['(', ':'])
        && t[..open].split_whitespace().count() <= 8
        && !LABEL_START.is_match(t)
        && crate::marking::portion::parse(&t[open..], crate::marking::portion::Place::LineStart)
            .is_some_and(|m| !m.is_unknown())
}

/// A paragraph number or letter opening a line (`1.`, `a.`, `(2)`): a paragraph, not a
/// subject's last line.
static LABEL_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,2}[.,)]|[a-z][.)]|\(\d{1,2}\))\s").expect("static regex")
});

/// Does the caption at `line` stand in a column of bare labels (`MEMORANDUM FOR:` /
/// `FROM:` / `SUBJECT:`, each with nothing after its colon)? OCR of a memo whose values
/// are printed in a column of their own puts them below the labels, so the subject's
/// text is not on the lines under its caption but further down, where it is judged as
/// the portion it is. A lone `SUBJECT:` under a field with a value (a cable's `TAGS:`
/// line) keeps its finding: a cable's subject text may stand on the lines below it.
fn in_label_column(doc: &Document, line: usize) -> bool {
    let bare = |l: usize| {
        let t = doc.line(l).trim();
        t.ends_with(':')
            && t.len() > 1
            && t[..t.len() - 1]
                .trim_end()
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == ' ')
    };
    let above = (1..line).rev().find(|&l| !doc.line(l).trim().is_empty());
    bare(line) && above.is_some_and(bare)
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;

    #[test]
    fn an_empty_subject_in_a_column_of_labels_is_not_reported() {
        let column = "SECRET\n\nMEMORANDUM FOR:\n\nFROM:\n\nSUBJECT:\n\nChief, Project\n\n\
                      (U) Status of Outstanding Issues\n\n(S) The following represents the status.\n";
        let found = crate::audit::audit_text(column);
        assert!(
            found.iter().all(|d| d.code != Code::UnmarkedSubject),
            "{found:?}"
        );
    }

    #[test]
    fn a_subject_marked_at_the_end_of_its_last_line_is_marked() {
        let memo = "SECRET\n\nFROM : Mr. Gabrielson\nSUBJECT : House Select Committee on Assassinations\n\n\
                    Follow-up Request (U)\n\n1. (S) As a result of reviewing the files.\n";
        let found = crate::audit::audit_text(memo);
        assert!(
            found.iter().all(|d| d.code != Code::UnmarkedSubject),
            "{found:?}"
        );
        let unmarked = memo.replace("Request (U)", "Request");
        assert!(
            crate::audit::audit_text(&unmarked)
                .iter()
                .any(|d| d.code == Code::UnmarkedSubject)
        );
    }
}
