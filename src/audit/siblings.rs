//! Unmarked items among marked siblings: part of the audit's precision pass (`parser
//! findings ──▶ precision ──▶ rules`), beside [`precision`](super::precision).
//!
//! A list whose items print a mark each is portion-marked item by item, so an item of it
//! without a mark lacks one. The parser's model hides such an item when it joins the
//! bulleted line to the marked portion above it (a lead-in or the previous bullet),
//! although the bullets next to it, at its indentation and with its glyph, print a mark
//! each.
//!
//! The same holds for a Markdown pipe table whose rows print a mark in their first cell
//! each (a SIDtoday schedule: `| (U) Access to … | 1st QTR | SID |`): a row without one
//! lacks it, whatever paragraph the parser put the table in.

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
    report_unmarked(
        doc,
        out,
        found,
        "bullet has no portion mark in a classified document (joined to the marked \
             portion above it; the bullets beside it are marked)",
    );
}

/// A list label opening a trimmed line, split into its form and its ordinal: `(e)` →
/// (`(`, `)`, 'a', 5), `2.` → (``, `.`, '1', 2), `b)` → (``, `)`, 'a', 2). Single letters
/// and numbers of two digits at most, followed by a blank; the third part tells letters
/// (`a`) from numbers (`1`), so that `c.` does not follow `2.`.
fn item_label(t: &str) -> Option<(&str, char, char, u32)> {
    let (open, rest) = match t.strip_prefix('(') {
        Some(rest) => ("(", rest),
        None => ("", t),
    };
    let end = rest.find([')', '.'])?;
    let (body, close) = (&rest[..end], rest[end..].chars().next()?);
    if open == "(" && close != ')' {
        return None;
    }
    if !rest[end + 1..].starts_with(' ') {
        return None;
    }
    let (kind, ordinal) = match body.as_bytes() {
        [c @ b'a'..=b'z'] => ('a', u32::from(c - b'a' + 1)),
        [b'0'..=b'9'] | [b'0'..=b'9', b'0'..=b'9'] => ('1', body.parse().ok()?),
        _ => return None,
    };
    Some((open, close, kind, ordinal))
}

/// Reports, in a portion-marked classified document, a labelled item that the parser
/// joined with the item that follows it into one marked paragraph: the paragraph's first
/// line opens with a label (`(e)`), and a later line, after a line that ends a sentence,
/// opens with the next label of the same form (`(f)`). One mark stands for two items,
/// so one of them has none: the second when the mark leads the first line, the first
/// when it trails the paragraph (the trailing mark is the second item's own).
pub fn joined_items(doc: &Document, out: &mut Vec<Diagnostic>) {
    if out.iter().any(|d| d.code == Code::NoPortionMarks) {
        return;
    }
    let count = doc.lines.len();
    let mut found = Vec::new();
    for p in doc
        .paragraphs
        .iter()
        .filter(|p| p.origin == Origin::Explicit && p.lines.last > p.lines.first)
    {
        let first = doc.line(p.lines.first).trim();
        let Some((open, close, kind, n)) = item_label(first) else {
            continue;
        };
        // The paragraph prints its mark itself, after the first line's label or at its
        // end: items that take a lead-in's mark (`2. (S) … as follows:` / `a. …` / `b. …`)
        // print none and are the lead-in's, as the labels have them.
        let label_end = first.find(close).map_or(0, |i| i + 1);
        let leads = mark_at_start(first[label_end..].trim_start());
        let last = (p.lines.first..=p.lines.last.min(count))
            .rev()
            .map(|l| doc.line(l).trim())
            .find(|t| !t.is_empty())
            .unwrap_or("");
        if !leads && !mark_at_end(last) {
            continue;
        }
        let mut previous = first;
        for l in p.lines.first + 1..=p.lines.last.min(count) {
            let t = doc.line(l).trim();
            if t.is_empty() {
                continue;
            }
            // Siblings stand at one indentation: a label further right is a cell of
            // another column (a guide's `c. SECRET//NOFORN` beside the row `b.`).
            let aligned = crate::audit::first_column(doc.line(l))
                .abs_diff(crate::audit::first_column(doc.line(p.lines.first)))
                <= 1;
            if aligned
                && previous.ends_with(['.', ';'])
                && item_label(t) == Some((open, close, kind, n + 1))
            {
                found.push(if leads { l } else { p.lines.first });
                break;
            }
            previous = t;
        }
    }
    report_unmarked(
        doc,
        out,
        found,
        "list item has no portion mark in a classified document (joined to the next \
             item, whose mark is the only one the two print)",
    );
}

/// Does the text open with a readable portion mark (`(S//SI) Text`)?
fn mark_at_start(t: &str) -> bool {
    t.starts_with('(')
        && t.find(')').is_some_and(|end| {
            crate::marking::portion::parse(&t[..=end], crate::marking::portion::Place::LineStart)
                .is_some_and(|m| !m.is_unknown())
        })
}

/// Does the trimmed line end with a readable portion mark (`… communications. (S//SI)`)?
fn mark_at_end(t: &str) -> bool {
    t.ends_with(')')
        && t.rfind('(').is_some_and(|start| {
            crate::marking::portion::parse(&t[start..], crate::marking::portion::Place::LineStart)
                .is_some_and(|m| !m.is_unknown())
        })
}

/// Is the trimmed line a Markdown table's alignment row (`| :-- | :--: |`)?
fn alignment_row(t: &str) -> bool {
    t.starts_with('|')
        && t.contains('-')
        && t.trim_matches('|').split('|').all(|c| {
            let c = c.trim();
            !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':'))
        })
}

/// The first cell of a trimmed pipe-table row: `| (U) Access … | 1st QTR |` →
/// `(U) Access …`.
fn first_cell(t: &str) -> &str {
    t[1..].split('|').next().unwrap_or("").trim()
}

/// Does a cell open with a readable portion mark, or with what may be a damaged one (an
/// unreadable mark is the parser's DCL003, not an unmarked row)?
fn marked_cell(cell: &str) -> bool {
    cell.starts_with('(')
        && (cell.find(')').is_some_and(|end| {
            crate::marking::portion::parse(&cell[..=end], crate::marking::portion::Place::LineStart)
                .is_some_and(|m| !m.is_unknown())
        }) || super::view::judge::opens_with_damaged_mark(cell))
}

/// Reports, in a portion-marked classified document, a body row of a Markdown pipe table
/// (below its alignment row) whose first cell has text but no mark, when more of the
/// table's body rows print a mark in their first cell than do not. The header row (above
/// the alignment row) names columns and is no portion; a row whose first cell is empty
/// or holds no letter continues the row above.
pub fn unmarked_rows(doc: &Document, out: &mut Vec<Diagnostic>) {
    if out.iter().any(|d| d.code == Code::NoPortionMarks) {
        return;
    }
    let count = doc.lines.len();
    let mut found = Vec::new();
    let mut l = 1;
    while l <= count {
        if !alignment_row(doc.line(l).trim()) {
            l += 1;
            continue;
        }
        let body: Vec<usize> = (l + 1..=count)
            .take_while(|&k| doc.line(k).trim_start().starts_with('|'))
            .filter(|&k| !alignment_row(doc.line(k).trim()))
            .collect();
        let rows: Vec<(usize, bool)> = body
            .iter()
            .map(|&k| (k, first_cell(doc.line(k).trim())))
            .filter(|(_, cell)| cell.chars().any(char::is_alphabetic))
            .map(|(k, cell)| (k, marked_cell(cell)))
            .collect();
        let marked = rows.iter().filter(|r| r.1).count();
        if marked >= 2 && marked > rows.len() - marked {
            found.extend(rows.iter().filter(|r| !r.1).map(|r| r.0));
        }
        l = body.last().map_or(l + 1, |&k| k + 1);
    }
    report_unmarked(
        doc,
        out,
        found,
        "table row has no portion mark in a classified document (the other rows of its \
             table print one in their first cell)",
    );
}

/// One DCL001 error at each line of `found` that has no finding yet.
fn report_unmarked(doc: &Document, out: &mut Vec<Diagnostic>, found: Vec<usize>, message: &str) {
    for l in found {
        if out.iter().any(|d| d.line == l) {
            continue;
        }
        out.push(Diagnostic::new(
            Code::UnmarkedParagraph,
            l,
            crate::audit::first_column(doc.line(l)),
            message,
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

    #[test]
    fn a_labelled_item_joined_to_the_next_one_is_reported() {
        let text = "SECRET\n\n(d) Consent is the agreement by a person to the acquisition. (U)\n\n\
                    (e) Foreign communication means a communication with one end abroad.\n\
                    All other communications are domestic communications.\n\
                    (f) Identification of a person means the name or title of the person. (U)\n\n\
                    (g) Processing means any step to render the data intelligible. (S)\n\nSECRET\n";
        assert_eq!(unmarked(text), [5]);
        let marked = text.replace("communications.\n", "communications. (S)\n");
        assert!(unmarked(&marked).is_empty(), "{:?}", unmarked(&marked));
        // A lettered item inside a numbered one is no sibling: `(e)` under `1.`.
        assert_eq!(super::item_label("(e) Foreign"), Some(("(", ')', 'a', 5)));
        assert_eq!(super::item_label("12. Twelve"), Some(("", '.', '1', 12)));
        assert_eq!(super::item_label("c. Third"), Some(("", '.', 'a', 3)));
        assert_eq!(super::item_label("e.g. the"), None);
        assert_eq!(super::item_label("(10)"), None);
        // Lettered items under a marked lead-in print no mark: the lead-in's list.
        let under = "SECRET\n\n2. (S) Results of the search are as follows:\n\
                     a. 19 June request--material is available on the man.\n\
                     b. 30 June request--no record was located on the man.\n\
                     c. 6 July request--for information regarding the man.\n\nSECRET\n";
        assert!(unmarked(under).is_empty(), "{:?}", unmarked(under));
    }

    const TABLE: &str = "SECRET\n\n(U) Intelligence Oversight:\n\n\
                         | Title | Planned <br> Start Date | OPI |\n\
                         | :-- | :--: | :--: |\n\
                         | (U) Access to Signals Intelligence Databases | 1st QTR | SID |\n\
                         | (S) Clandestine SIGINT (Special Study) | 2nd QTR | SID |\n\
                         | (S) F6 Sites (South America) (Special Study) | 3rd QTR | SID |\n\
                         \nSECRET\n";

    #[test]
    fn an_unmarked_row_of_a_table_of_marked_rows_is_reported() {
        assert!(unmarked(TABLE).is_empty(), "{:?}", unmarked(TABLE));
        let removed = TABLE.replace("| (S) Clandestine", "|  Clandestine");
        assert_eq!(unmarked(&removed), [8]);
        // The same row in a table whose rows carry no marks (a table under its marked
        // caption, the caption's): no finding.
        let bare = TABLE.replace("| (U) ", "| ").replace("| (S) ", "| ");
        assert!(unmarked(&bare).is_empty(), "{:?}", unmarked(&bare));
        // A row with an empty first cell continues the row above.
        let cont = TABLE.replace(
            "| 3rd QTR | SID |\n",
            "| 3rd QTR | SID |\n|  | (Special) | |\n",
        );
        assert!(unmarked(&cont).is_empty(), "{:?}", unmarked(&cont));
    }
}
