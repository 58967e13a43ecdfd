//! Parent links: which portion each sub-portion sits under, read once the body is cut and
//! every portion's kind is named ([`crate::parse::kind`]); the last reading of the
//! structure before inheritance settles.
//!
//! The segmenter links a sub-portion while it cuts (a label, a bullet), and uses that link
//! to decide what the text after a sub-portion marked below its parent belongs to (fail
//! closed). This pass leaves every boundary and mark as the segmenter made them and only
//! says, for the model and the audit, what sits under what:
//! - a run-in caption (`PURPOSE: (U) …`, `R E Q U I R E M E N T S : (TS//SI//NF) …`) is a
//!   portion of the top level, never an item of the portion before it;
//! - list items nest by the style of their labels (`(a)`, `(1)`, `a.`, `1)`), as printed
//!   in that document, whether the item's mark leads it or ends it (`(a) Acquisition …
//!   party. (U)`): an item of a style already open is a sibling of that item, an item of a
//!   new style a child of the last open one; a heading, title, caption or numbered
//!   paragraph closes every open list;
//! - a marked block indented under a list item (`1) (S//SI) …` then, indented deeper,
//!   `(S//SI) NSA/CSS TX has identified …`) sits under that item;
//! - numbered items after a lead-in ending in a colon (`(U) Here's a listing …:` then `1.
//!   (U) …`, `2. (S) …`) and short marked lines listed under a lead-in (`… For the
//!   following locations, …` then `(U) Bad Aibling, Germany`) sit under the lead-in.
//!
//! Each marked sub-portion is listed in its parent's `subparagraphs` (the audit compares
//! it with its parent and counts it once, there).

use super::items::label_depth;
use crate::document::{Document, Paragraph, PortionKind, SubParagraph};

/// The style of a list label: what a sibling prints the same way.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    /// `(a)`, `(B)`.
    ParenLetter(bool),
    /// `(1)`.
    ParenDigit,
    /// `(iv)`.
    ParenRoman,
    /// `a.`, `B.`, `a)`.
    Letter(bool),
    /// `1)`.
    DigitParen,
}

/// The longest text (in lines) of a marked line listed under a lead-in.
const MAX_ITEM_LINES: usize = 3;

/// Links every portion of `doc` to the portion it sits under (see the module doc).
pub(in crate::parse) fn link(doc: &mut Document) {
    let n = doc.paragraphs.len();
    if n < 2 {
        return;
    }
    let mut parents: Vec<Option<usize>> = doc.paragraphs.iter().map(|p| p.parent).collect();
    // The open list items, outermost first: (style, index, indent of the first line).
    let mut open: Vec<(Style, usize, usize)> = Vec::new();
    // What the outermost open item sits under.
    let mut root: Option<usize> = None;
    // The numbered run under a lead-in ending in a colon: (lead-in, last number).
    let mut numbered_run: Option<(usize, u32)> = None;
    // The short marked lines listed under a lead-in: the lead-in.
    let mut listed: Option<usize> = None;
    // The last portion of the top level before `k` (its link is settled by then).
    let mut top: Option<usize> = None;
    // The last portion of the top level that can lead a list ([`can_lead`]): an unmarked
    // block between (an authority block printed on the page) is no parent of the bullets
    // after it.
    let mut lead_top: Option<usize> = None;
    for k in 0..n {
        if k > 0 && parents[k - 1].is_none() {
            top = Some(k - 1);
            if can_lead(&doc.paragraphs[k - 1]) {
                lead_top = Some(k - 1);
            }
        }
        let p = &doc.paragraphs[k];
        let first = doc.lines.get(p.lines.first - 1).unwrap_or("");
        let indent = first.len() - first.trim_start().len();
        let style = item_label(p).and_then(|label| {
            // `(i)` is a letter after `(h)`, a Roman one otherwise.
            let letters_open = open.iter().any(|o| o.0 == Style::ParenLetter(false));
            match style_of(label)? {
                Style::ParenLetter(false) if !letters_open && is_roman(label) => {
                    Some(Style::ParenRoman)
                }
                s => Some(s),
            }
        });
        // A run-in caption, a heading or a title stands at the top level and closes every
        // open list; so does a numbered paragraph unless a lead-in's colon listed it.
        let caption = p.kind == PortionKind::Caption;
        // A cable's `¶A.` is a paragraph's label, as `¶1.` is: top level, as the segmenter
        // made it.
        let pilcrow = p.lead.trim_start().starts_with('\u{b6}')
            || (p.lead.trim().is_empty() && p.text.starts_with('\u{b6}'));
        if pilcrow && p.number.is_none() {
            open.clear();
            root = None;
            numbered_run = None;
            listed = None;
            continue;
        }
        let closes = caption
            || (style.is_none()
                && (p.heading || p.kind == PortionKind::Title || p.number.is_some()));
        if closes {
            open.clear();
            root = None;
        }
        if caption {
            parents[k] = None;
            numbered_run = None;
            listed = None;
            continue;
        }
        if let Some(number) = p.number {
            numbered_run = match numbered_run {
                Some((lead, last)) if number == last + 1 => Some((lead, number)),
                _ if number == 1 => top
                    .filter(|&j| is_lead_in(&doc.paragraphs[j]))
                    .map(|j| (j, 1)),
                _ => None,
            };
            if let Some((lead, _)) = numbered_run
                && p.marking.is_some()
            {
                parents[k] = Some(lead);
            }
            listed = None;
            continue;
        }
        numbered_run = None;
        if let Some(style) = style {
            parents[k] = match open.iter().position(|(s, ..)| *s == style) {
                Some(at) => {
                    open.truncate(at);
                    open.last().map(|o| o.1).or(root)
                }
                None => {
                    if open.is_empty() {
                        root = top.filter(|&j| can_lead(&doc.paragraphs[j]));
                    }
                    open.last().map(|o| o.1).or(root)
                }
            };
            open.push((style, k, indent));
            listed = None;
            continue;
        }
        // A bullet sits under the portion of the top level before it (as the segmenter
        // links it), which may be a caption read here.
        if p.kind == PortionKind::Bullet && parents[k].is_some() {
            parents[k] = lead_top.or(top);
            continue;
        }
        let bare_marked = p.marking.is_some() && p.lead.trim().starts_with(['(', '\u{FF08}']);
        if !bare_marked {
            // Prose ends a list of short lines; a fragment of one (a line cut off an item
            // at a page break) does not.
            if p.text.trim_end().ends_with(['.', '!', '?']) {
                listed = None;
            }
            continue;
        }
        // A marked block indented under the last open item's first line.
        if let Some(&(_, item, item_indent)) = open.last()
            && indent > item_indent + 1
        {
            parents[k] = Some(item);
            continue;
        }
        // Short marked lines listed under a lead-in, the first right under its text.
        if is_listed_item(p) {
            let under = match listed {
                Some(lead) => Some(lead),
                None => (k > 0).then(|| k - 1).filter(|&j| {
                    parents[j].is_none()
                        && doc.paragraphs[j].lines.last + 1 == p.lines.first
                        && doc.paragraphs[j].marking.is_some()
                        && announces_list(&doc.paragraphs[j])
                }),
            };
            if let Some(lead) = under {
                parents[k] = Some(lead);
                listed = Some(lead);
                continue;
            }
        }
        listed = None;
    }
    apply(doc, &parents);
}

/// Sets the links, names a linked paragraph a sub-paragraph, and lists every marked
/// sub-portion under its parent, in document order.
fn apply(doc: &mut Document, parents: &[Option<usize>]) {
    let changed = doc
        .paragraphs
        .iter()
        .zip(parents)
        .any(|(p, new)| p.parent != *new);
    if !changed {
        return;
    }
    for p in &mut doc.paragraphs {
        p.subparagraphs.clear();
    }
    for (k, &parent) in parents.iter().enumerate() {
        let p = &mut doc.paragraphs[k];
        if p.parent.is_some() != parent.is_some() {
            p.kind = match (p.kind, parent) {
                (PortionKind::Paragraph, Some(_)) => PortionKind::Subparagraph,
                (PortionKind::Subparagraph, None) if !p.lead.trim().is_empty() => p.kind,
                (PortionKind::Subparagraph, None) => PortionKind::Paragraph,
                (kind, _) => kind,
            };
        }
        p.parent = parent;
        let (Some(up), Some(marking)) = (parent, p.marking.clone()) else {
            continue;
        };
        let first = doc.lines.get(p.lines.first - 1).unwrap_or("");
        let label = if p.lead.trim().is_empty() {
            item_label(p).unwrap_or("").to_string()
        } else {
            first
                .chars()
                .take(p.mark_column.saturating_sub(1))
                .collect::<String>()
                .trim_matches(|c: char| crate::marking::is_invisible(c))
                .to_string()
        };
        let sub = SubParagraph {
            label,
            marking,
            line: p.lines.first,
            column: p.mark_column,
        };
        doc.paragraphs[up].subparagraphs.push(sub);
    }
}

/// The list label a portion prints first: before its mark (`a. (S)`, `1) (S//SI)`), or,
/// when its mark is not at its lead (marked at its end, or unmarked), at the start of its
/// text (`(a) Acquisition means …`).
fn item_label(p: &Paragraph) -> Option<&str> {
    let lead = p.lead.trim();
    let label = if lead.is_empty() {
        p.text.split_whitespace().next()?
    } else {
        let cut = lead
            .rfind(['(', '\u{FF08}'])
            .filter(|_| p.marking.is_some());
        let before = cut.map_or(lead, |c| lead[..c].trim_end());
        if before.is_empty() {
            return None;
        }
        before
    };
    label_depth(label).map(|_| label)
}

/// `(i)`, `(v)`, `(x)`: a label that reads as a Roman numeral.
fn is_roman(label: &str) -> bool {
    matches!(label, "(i)" | "(v)" | "(x)")
}

/// The style of a list label (`label_depth` said it is one).
fn style_of(label: &str) -> Option<Style> {
    let t = label.trim_start_matches('\u{b6}');
    let paren = t.starts_with('(');
    let body = t.trim_start_matches('(').strip_suffix(['.', ')'])?;
    let upper = body.chars().all(|c| c.is_ascii_uppercase());
    if body.bytes().all(|b| b.is_ascii_digit()) {
        return Some(if paren {
            Style::ParenDigit
        } else {
            Style::DigitParen
        });
    }
    if paren && body.len() > 1 {
        return Some(Style::ParenRoman);
    }
    Some(if paren {
        Style::ParenLetter(upper)
    } else {
        Style::Letter(upper)
    })
}

/// Can a portion of the top level have list items under it: a marked one, a heading or
/// title, or a lead-in ending in a colon? Unmarked text that ends otherwise (a memo's
/// header lines read as text, OCR noise) leads no list.
fn can_lead(p: &Paragraph) -> bool {
    p.marking.is_some()
        || p.heading
        || p.kind == PortionKind::Title
        || p.text.trim_end().ends_with(':')
}

/// A lead-in: a marked portion whose text ends in a colon (`… the most widely read
/// articles from last month:`).
fn is_lead_in(p: &Paragraph) -> bool {
    p.marking.is_some() && p.number.is_none() && p.text.trim_end().ends_with(':')
}

/// Does a marked portion announce a list under it: a colon at its end, or `the following`
/// / `as follows` in its first sentence (`For the following locations, the fact …`)?
fn announces_list(p: &Paragraph) -> bool {
    if p.text.trim_end().ends_with(':') {
        return true;
    }
    let first = p.text.split(". ").next().unwrap_or("").to_ascii_lowercase();
    first.contains("the following") || first.contains("as follows")
}

/// A short marked line that lists rather than says: at most three lines, ending in no
/// sentence or colon (`(U) Bad Aibling, Germany`, `(U) Berlin, Germany`).
fn is_listed_item(p: &Paragraph) -> bool {
    let text = p.text.trim_end();
    p.lines.last - p.lines.first < MAX_ITEM_LINES
        && !text.contains("\n\n")
        && !text.ends_with(['.', '!', '?', ':', ';'])
}

#[cfg(test)]
mod tests {
    use crate::document::PortionKind;
    use crate::parse::parse_str;

    /// (first line, parent's first line) of every portion.
    fn links(text: &str) -> Vec<(usize, Option<usize>)> {
        let doc = parse_str(text).expect("parses");
        doc.paragraphs
            .iter()
            .map(|p| {
                (
                    p.lines.first,
                    p.parent.map(|k| doc.paragraphs[k].lines.first),
                )
            })
            .collect()
    }

    #[test]
    fn a_caption_is_never_an_item_of_the_portion_before() {
        let text = "SECRET\n\n(S) CES will work to ensure clearances.\n\n\
                    REQUIREMENTS: (S) The following are requirements:\n\
                    \x20  1) (S) The creation of a coordinator position.\n\
                    \x20          (S) TX has identified a coordinator.\n\
                    \x20  2) (S) The creation of a core workforce.\n";
        assert_eq!(
            links(text),
            [
                (3, None),
                (5, None),
                (6, Some(5)),
                (7, Some(6)),
                (8, Some(5))
            ]
        );
    }

    #[test]
    fn items_marked_at_their_end_nest_by_their_labels() {
        let text = "SECRET\n\n\
                    Section 2 - Definitions (U)\n\
                    \x20  The following definitions apply:\n\
                    \x20  (a) Acquisition means collection. (U)\n\
                    \x20  (b) Consent is agreement. (S)\n\
                    \x20  (c) A person means a person. The following apply: (U)\n\
                    \x20     (1) A person in the country. (U)\n\
                    \x20     (2) A person outside it. (U)\n\
                    Section 3 - Acquisition (U)\n\
                    \x20  (a) Acquisition (U)\n";
        let got = links(text);
        assert_eq!(
            got,
            [
                (3, None),
                (4, None),
                (5, Some(4)),
                (6, Some(4)),
                (7, Some(4)),
                (8, Some(7)),
                (9, Some(7)),
                (10, None),
                (11, Some(10)),
            ]
        );
        let doc = parse_str(text).expect("parses");
        // A marked item is listed under its parent, for the audit.
        let subs: Vec<usize> = doc.paragraphs[1]
            .subparagraphs
            .iter()
            .map(|s| s.line)
            .collect();
        assert_eq!(subs, [5, 6, 7]);
        assert_eq!(doc.paragraphs[2].kind, PortionKind::Subparagraph);
    }

    #[test]
    fn numbered_items_after_a_colon_and_listed_lines_sit_under_their_lead_in() {
        let text = "UNCLASSIFIED\n\n(U) Here is a listing of the articles:\n\n\
                    1. (U) Al-Zawahiri Speaks\n2. (U) A Tour in Photos\n\n\
                    (U) SIDtoday articles may not be republished.\n";
        assert_eq!(
            links(text),
            [(3, None), (5, Some(3)), (6, Some(3)), (8, None)]
        );
        let text = "SECRET\n\n(S) For the following locations, the fact is classified\n\
                    (U) Bad Aibling, Germany\n(U) Berlin, Germany\n\n\
                    (U) The list ends here.\n";
        assert_eq!(
            links(text),
            [(3, None), (4, Some(3)), (5, Some(3)), (7, None)]
        );
    }

    #[test]
    fn consecutive_paragraphs_are_not_items() {
        let text = "UNCLASSIFIED\n\n(U) The survey is brief and easy to complete.\n\
                    (U) What challenges do you see?\n(U) Background\n";
        assert!(links(text).iter().all(|(_, parent)| parent.is_none()));
    }
}
