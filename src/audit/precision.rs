//! Refines what the parser reported before the rules add theirs: `parser findings ──▶
//! audit findings`.
//!
//! The parser reports every unmarked run of text of a classified document (DCL001, DCL007)
//! and a missing banner (DCL005) from what its model holds. The audit knows more through
//! its [`View`]: which runs are portions at all ([`judge`](super::view::judge)), and the
//! banner lines a memo or a pdftotext dump carries at the top and bottom of each page.
//! A definite portion stays an error; a definite non-portion is dropped; what cannot be
//! told apart becomes DCL080 (warning). A classified document with no portion mark at all
//! is one DCL081 at its first line, not one error per paragraph.

use super::view::{Judgement, View, judge::judge};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Document, Paragraph};

/// Returns the parser's findings about `doc` as the audit reports them.
pub fn refine(doc: &Document, view: &View<'_>, parsed: &[Diagnostic]) -> Vec<Diagnostic> {
    let no_marks = view.marked().next().is_none();
    let mut out = Vec::with_capacity(parsed.len());
    let mut folded = false;
    for d in parsed {
        match d.code {
            Code::UnmarkedParagraph | Code::UnmarkedHeading => {
                let Some(p) = paragraph_at(doc, d.line) else {
                    out.push(d.clone());
                    continue;
                };
                let banner = view.banners.iter().any(|b| b.line == d.line);
                match judge(doc.line(d.line), &p.text, banner) {
                    Judgement::NotPortion(_) | Judgement::Marked => {}
                    _ if no_marks => folded = true,
                    Judgement::Portion => out.push(d.clone()),
                    Judgement::Ambiguous(why) => out.push(Diagnostic::new(
                        Code::UnmarkedText,
                        d.line,
                        d.column,
                        format!("unmarked text, {why}: mark it if it is a portion"),
                    )),
                }
            }
            Code::MissingBanner if !view.banners.is_empty() => {}
            _ => out.push(d.clone()),
        }
    }
    if folded {
        out.push(Diagnostic::new(
            Code::NoPortionMarks,
            1,
            1,
            "classified document without a single readable portion mark: every unmarked \
             paragraph is withheld",
        ));
    }
    out
}

/// The paragraph that starts at `line`, found by binary search (paragraphs are in order).
fn paragraph_at(doc: &Document, line: usize) -> Option<&Paragraph> {
    let i = doc.paragraphs.partition_point(|p| p.lines.first < line);
    doc.paragraphs.get(i).filter(|p| p.lines.first == line)
}
