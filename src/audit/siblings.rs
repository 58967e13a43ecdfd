//! Unmarked items among marked siblings: part of the audit's precision pass (`parser
//! findings ──▶ precision ──▶ rules`), beside [`precision`](super::precision).
//!
//! A list whose items print a mark each is portion-marked item by item, so an item of it
//! without a mark lacks one. The parser's model hides such an item when it joins the
//! bulleted line to the marked portion above it (a lead-in or the previous bullet),
//! although the bullets next to it, at its indentation and with its glyph, print a mark
//! each.

use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Document, Origin};

/// How far a bullet looks for a sibling bullet, in lines.
const BULLET_REACH: usize = 24;

/// The bullet glyph opening a (trimmed) line, followed by a blank.
fn bullet(t: &str) -> Option<char> {
    let mut chars = t.chars();
    let g = chars
        .next()
        .filter(|c| matches!(c, '•' | '*' | '▪' | '◦' | '●' | '➢'))?;
    chars.next().filter(|c| c.is_whitespace()).map(|_| g)
}

/// Does the bulleted line print a readable portion mark after its glyph (not any
/// parenthesis: `• (Yahoo|Gmail)-viewAddressBook`)?
fn marked_bullet(t: &str) -> bool {
    let glyph = t.chars().next().map_or(0, char::len_utf8);
    let rest = t[glyph..].trim_start();
    rest.starts_with('(')
        && rest.find(')').is_some_and(|end| {
            crate::marking::portion::parse(&rest[..=end], crate::marking::portion::Place::LineStart)
                .is_some_and(|m| !m.is_unknown())
        })
}

/// Reports, in a portion-marked classified document, a bulleted line without a mark
/// that the parser joined to the marked portion above it, when the nearest bullet before
/// or after it with the same glyph and indentation prints a mark.
pub fn joined_bullets(doc: &Document, out: &mut Vec<Diagnostic>) {
    if out.iter().any(|d| d.code == Code::NoPortionMarks) {
        return;
    }
    let count = doc.lines.len();
    let shape = |l: usize| {
        let raw = doc.line(l);
        let t = raw.trim_start();
        bullet(t).map(|g| (g, raw.len() - t.len(), marked_bullet(t)))
    };
    let mut found = Vec::new();
    for p in doc
        .paragraphs
        .iter()
        .filter(|p| p.origin == Origin::Explicit)
    {
        for l in p.lines.first + 1..=p.lines.last.min(count) {
            let Some((g, col, false)) = shape(l) else {
                continue;
            };
            let same = |k: &usize| shape(*k).filter(|s| s.0 == g && s.1.abs_diff(col) <= 1);
            let before = (l.saturating_sub(BULLET_REACH).max(1)..l)
                .rev()
                .find_map(|k| same(&k));
            let after = (l + 1..=(l + BULLET_REACH).min(count)).find_map(|k| same(&k));
            if before.is_some_and(|s| s.2) || after.is_some_and(|s| s.2) {
                found.push(l);
            }
        }
    }
    for l in found {
        if out.iter().any(|d| d.line == l) {
            continue;
        }
        out.push(Diagnostic::new(
            Code::UnmarkedParagraph,
            l,
            crate::audit::first_column(doc.line(l)),
            "bullet has no portion mark in a classified document (joined to the marked \
             portion above it; the bullets beside it are marked)",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::unmarked_lines as unmarked;

    #[test]
    fn an_unmarked_bullet_joined_to_a_marked_one_is_reported() {
        let text = "SECRET\n\n(U) The key topic areas of the visit are these:\n\
                    \x20 • (S) Update on the legislation proposed for the service;\n\
                    \x20 • Operation FIRST LIGHT of the coming year; and\n\
                    \x20 • (U) Priorities of the two services for the year.\n\nSECRET\n";
        assert_eq!(unmarked(text), [5]);
        // Every bullet unmarked: the list is the lead-in's.
        let list = text.replace("• (S) ", "• ").replace("• (U) ", "• ");
        assert!(unmarked(&list).is_empty(), "{:?}", unmarked(&list));
    }
}
