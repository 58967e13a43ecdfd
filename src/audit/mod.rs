//! The audit: `Document ──audit──▶ Diagnostics`.
//!
//! The parser already records what it finds while reading (unmarked and unknown marks,
//! legacy forms, damaged numbers: DCL001–007, DCL050–056); the audit keeps those and adds
//! the findings that need the whole document: the banner against the roll-up of its
//! portions, invalid control combinations, the classification authority block and the
//! declassification line. Each rule lives in its own file under [`rules`] and is listed
//! once in [`rules::ALL`]; codes, summaries and explanations come from
//! [`crate::diagnostic::codes`]. Nothing here does I/O: "today" arrives in
//! [`AuditContext`], and [`config`] only parses text it is given.

pub mod config;
pub mod fix;
pub mod glob;
pub mod precision;
mod remnant;
pub mod rules;
mod siblings;
mod subject;
pub mod view;

use crate::diagnostic::Diagnostic;
use crate::document::{Date, Document, InheritedFrom, Origin, Paragraph, SubParagraph};
use crate::marking::{Level, Marking};
use std::fmt;

/// What the rules need besides the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditContext {
    /// The date "due for review" is measured against (`--as-of`, default today in UTC).
    pub as_of: Date,
}

/// Audits one document: the parser's diagnostics plus every rule's, sorted by line, column
/// and code.
pub fn audit(doc: &Document, ctx: &AuditContext) -> Vec<Diagnostic> {
    let facts = Facts::of(doc);
    let parsed = precision::parsed_findings(doc, facts.classified);
    let mut out = precision::refine(doc, &facts.view, &parsed);
    if facts.classified {
        precision::absorbed(doc, &facts.view, &mut out);
        siblings::joined_bullets(doc, &mut out);
        siblings::unmarked_rows(doc, &mut out);
        siblings::joined_items(doc, &mut out);
    }
    let scope = rules::Scope {
        doc,
        facts: &facts,
        ctx,
    };
    for rule in rules::ALL {
        rule.run(scope, &mut out);
    }
    out.sort_by_key(|d| (d.line, d.column, d.code));
    out
}

/// What several rules need to know about one document. It is worked out once per
/// document in [`audit`] and handed to every rule: the portions and the banner's
/// comparison with their roll-up used to be rebuilt by each rule that needed them
/// (nine and five times a document), an eighth of the audit's instructions.
pub struct Facts<'a> {
    /// The readable portions, as [`portions`] lists them.
    pub portions: Vec<Portion<'a>>,
    /// The banner beside the roll-up of `portions`, when there are both.
    pub comparison: Option<rules::Comparison<'a>>,
    /// Is the document classified by what it says of itself: its banner, or a readable
    /// classified portion? (An unreadable mark is not evidence either way.)
    pub classified: bool,
    /// The audit's view: every banner line, the authority fields, the portions.
    pub view: view::View<'a>,
    /// Is the document a classified page that prints no authority field (DCL091's)? Asked
    /// by three rules, answered once (`rules::page_without_authority::applies`): each
    /// answer searched the lines above the first marked portion with a regex, which in a
    /// document with no marked portion is every line (a fifth of an OCR audit).
    pub(crate) page_without_authority: std::cell::OnceCell<bool>,
}

impl<'a> Facts<'a> {
    pub fn of(doc: &'a Document) -> Facts<'a> {
        let portions = portions(doc);
        let classified = doc
            .header
            .banner
            .as_ref()
            .is_some_and(|b| b.marking.level.is_classified())
            || portions.iter().any(|p| p.marking.level > Level::U);
        let comparison = rules::compare(doc, &portions);
        let view = view::View::of(doc);
        let classified = classified || view.banners.iter().any(|b| b.marking.level.is_classified());
        Facts {
            portions,
            comparison,
            classified,
            view,
            page_without_authority: std::cell::OnceCell::new(),
        }
    }
}

/// A portion whose marking the rules compare: the subject, a paragraph or a sub-paragraph.
pub struct Portion<'a> {
    pub marking: &'a Marking,
    pub line: usize,
    pub column: usize,
    /// How a reader names it: `subject`, `¶3`, `¶3 a.`.
    pub label: Label<'a>,
}

/// The name of a portion, spelled out (by [`fmt::Display`]) only when a finding quotes
/// it: most portions are never named, and a `String` each cost more than the checks.
#[derive(Clone, Copy)]
pub enum Label<'a> {
    Subject,
    /// The paragraph at `index` in the body.
    Paragraph(&'a Paragraph, usize),
    /// A sub-paragraph of the paragraph at `index`.
    Sub(&'a Paragraph, usize, &'a SubParagraph),
}

impl fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::Subject => f.write_str("subject"),
            Label::Paragraph(p, i) => f.write_str(&p.label(*i)),
            Label::Sub(p, i, sub) => write!(f, "{} {}", p.label(*i), sub.label),
        }
    }
}

/// The portions of `doc` that carry a readable marking of their own (printed, or declared
/// by `ENTIRE TEXT`). Unmarked paragraphs and unreadable marks are left out: an unmarked
/// paragraph is not `U`, and an unknown mark is not `TS`, for the purpose of comparing.
pub fn portions(doc: &Document) -> Vec<Portion<'_>> {
    let mut out = Vec::new();
    if let Some(s) = &doc.header.subject
        && let Some(m) = &s.marking
        && counts(s.origin)
    {
        out.push(Portion {
            marking: m,
            line: s.lines.first,
            column: s.column,
            label: Label::Subject,
        });
    }
    for (i, p) in doc.paragraphs.iter().enumerate() {
        // A sub-portion is counted once, as its parent's sub-paragraph.
        if let Some(m) = &p.marking
            && counts(p.origin)
            && p.parent.is_none()
        {
            out.push(Portion {
                marking: m,
                line: p.lines.first,
                column: p.mark_column,
                label: Label::Paragraph(p, i),
            });
        }
        for sub in &p.subparagraphs {
            if !sub.marking.is_unknown() {
                out.push(Portion {
                    marking: &sub.marking,
                    line: sub.line,
                    column: sub.column,
                    label: Label::Sub(p, i, sub),
                });
            }
        }
    }
    out
}

fn counts(origin: Origin) -> bool {
    matches!(
        origin,
        Origin::Explicit | Origin::Inherited(InheritedFrom::EntireText(_))
    )
}

/// Does any paragraph or the subject carry a mark that could not be read?
pub fn has_unknown(doc: &Document) -> bool {
    doc.paragraphs.iter().any(|p| p.origin == Origin::Unknown)
        || doc
            .header
            .subject
            .as_ref()
            .is_some_and(|s| s.origin == Origin::Unknown)
}

/// Does any paragraph (headings included) or the subject stand without any marking?
pub fn has_unmarked(doc: &Document) -> bool {
    doc.paragraphs.iter().any(|p| p.origin == Origin::None)
        || doc
            .header
            .subject
            .as_ref()
            .is_some_and(|s| s.origin == Origin::None)
}

/// Where document-level findings point: the banner line, else the first line of text.
pub fn document_location(doc: &Document) -> (usize, usize) {
    let line = doc.header.banner.as_ref().map_or_else(
        || {
            doc.lines
                .iter()
                .position(|l| !l.trim().is_empty())
                .map_or(1, |i| i + 1)
        },
        |b| b.line,
    );
    (line, first_column(doc.line(line)))
}

/// The 1-based column of the first non-blank character of `line` (1 when blank).
pub fn first_column(line: &str) -> usize {
    line.chars().take_while(|c| c.is_whitespace()).count() + 1
}

/// The 1-based column where `needle` first occurs in `line` (case-insensitive), if it does.
pub fn find_column(line: &str, needle: &str) -> Option<usize> {
    let hay = line.to_ascii_uppercase();
    let at = hay.find(&needle.to_ascii_uppercase())?;
    Some(line[..at].chars().count() + 1)
}

/// Does the text up to the end of the first marked paragraph match `pattern`? The "missing
/// field" rules ask this before reporting: a field the parser could not cut out (glued
/// onto a REF line, `E.0.` for `E.O.` in OCR text) is there, only unread, and saying it is
/// missing would be false. Such cases are the parser's to read, not the document's fault.
pub fn header_mentions(doc: &Document, pattern: &regex::Regex) -> bool {
    let end = doc
        .paragraphs
        .iter()
        .find(|p| p.origin == Origin::Explicit)
        .map_or(doc.lines.len(), |p| p.lines.last.min(doc.lines.len()));
    doc.lines.iter().take(end).any(|l| pattern.is_match(l))
}

/// The document date as far as it is known: the full date, else 1 January of the year
/// with `exact` false (callers then compare years only).
pub fn document_date(doc: &Document) -> Option<(Date, bool)> {
    if let Some(d) = doc.header.date {
        return Some((d, true));
    }
    doc.header
        .year
        .and_then(|y| Date::new(y, 1, 1))
        .map(|d| (d, false))
}

/// A value quoted in a message, cut short: findings may land in public CI logs, so they
/// carry the marking or field value and never running text.
pub fn short(value: &str) -> String {
    const MAX: usize = 40;
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.chars().count() <= MAX {
        value
    } else {
        let cut: String = value.chars().take(MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The audit of `text` as of 2026-01-01, for the rules' unit tests.
#[cfg(test)]
pub(crate) fn audit_text(text: &str) -> Vec<Diagnostic> {
    let doc = crate::parse::parse_str(text).expect("parses");
    let ctx = AuditContext {
        as_of: Date::new(2026, 1, 1).expect("date"),
    };
    audit(&doc, &ctx)
}

/// The lines of `text` at which the audit reports `code`, for the rules' unit tests.
#[cfg(test)]
pub(crate) fn lines_of(text: &str, code: crate::diagnostic::Code) -> Vec<usize> {
    audit_text(text)
        .into_iter()
        .filter(|d| d.code == code)
        .map(|d| d.line)
        .collect()
}

/// The lines of `text` the audit reports as unmarked portions (DCL001), for unit tests.
#[cfg(test)]
pub(crate) fn unmarked_lines(text: &str) -> Vec<usize> {
    lines_of(text, crate::diagnostic::Code::UnmarkedParagraph)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_cuts_long_values() {
        assert_eq!(short("05/02/2017"), "05/02/2017");
        let long = "AFTER THE CONCLUSION OF THE NEGOTIATIONS ON THE NEW TREATY";
        let s = short(long);
        assert!(s.chars().count() <= 40 && s.ends_with('…'), "{s}");
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(find_column("¶1. (C) x", "(C)"), Some(5));
        assert_eq!(first_column("   x"), 4);
    }
}
