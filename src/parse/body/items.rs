//! What a body line's label and layout say about list items and headings, for the
//! segmenter ([`super::segmenter`]): how deep a label sits, whether an item ends in a mark
//! of its own or goes on, which labelled portion a sub-item sits under, whether a short
//! line stands alone as a heading, and when double-spaced text still runs on.

use super::segmenter::{Join, Segmenter};
use crate::document::Paragraph;
use crate::parse::lead::{LeadKind, LeadMark};
use crate::parse::lines::*;

impl Segmenter<'_> {
    /// Does the list item starting on line `i` end in a mark of its own, before a blank
    /// line or the next item's label? (`(a) Acquisition means … of a non-` / `public
    /// communication … party. (U)`; not `A. OG/EIB/NRS surfaced the following:`, whose
    /// items run on to one mark at the paragraph's end.)
    pub(super) fn item_ends_marked(&self, i: usize) -> bool {
        for k in i..self.lines.len().min(i + MAX_ITEM_SCAN) {
            let t = self.lines[k].trim();
            let label = t.split_whitespace().next().and_then(label_depth);
            if k > i && (t.is_empty() || label.is_some()) {
                return false;
            }
            if self.lines.may_hold_mark(k) && crate::parse::kind::trailing_mark(t).is_some() {
                return true;
            }
        }
        false
    }

    /// Is line `i` the next line of double-spaced text (a court order's `… the Application
    /// of the Federal Bureau of` / blank / `Investigation (FBI) for an Order …`)? One blank
    /// above it, under a full line of an unmarked portion's prose in mixed case, and not
    /// indented past that line; after a finished sentence only where the portion indents
    /// its first line and this line does not (such text starts each paragraph indented).
    /// Both are unmarked; a mark printed at the paragraph's end (the document's first such
    /// mark: the rule stops once one is seen) takes the joined lines under it, as it takes
    /// the lines of a single-spaced paragraph.
    pub(super) fn double_spaced(&self, i: usize, join: Join) -> bool {
        let Some(p) = self.paragraphs.last() else {
            return false;
        };
        // Not where portions are marked at their ends: a mark further down would take the
        // joined lines under it.
        if self.trailing_seen
            || p.marking.is_some()
            || i < 2
            || p.lines.last != i - 1
            || !self.lines[i - 1].trim().is_empty()
            || self.lines[i - 2].trim().chars().count() < FULL_LINE
            // Prose in capitals (a cable's `… END SUMMARY`) gives no sign of a sentence
            // running on.
            || !self.lines[i - 2].chars().any(char::is_lowercase)
        {
            return false;
        }
        let indent = leading_ws(&self.lines[i]);
        indent <= leading_ws(&self.lines[i - 2])
            && (join == Join::Repair || indent < leading_ws(&self.lines[p.lines.first - 1]))
    }

    /// Is line `i`, a mark alone (`          (S//SI)`), the end mark of the portion right
    /// above it? In a document that marks its portions at their ends, under the last line
    /// of an unmarked portion that ends a sentence, with a new item, a mark or a blank
    /// line (or nothing) after it: the minimization procedures print `… of these
    /// procedures.` / `(S//SI)` / `(5) Magnetic tapes …`. A mark alone above its text
    /// (after a blank, or before a line that goes on) stays that text's.
    pub(super) fn lone_trailing_mark(&self, i: usize, lm: &LeadMark) -> bool {
        let line = &self.lines[i];
        if !self.trailing_seen
            || lm.kind != LeadKind::Bare
            || lm.marking.is_unknown()
            || !line[lm.text_start..].trim().is_empty()
        {
            return false;
        }
        let Some(p) = self.paragraphs.last() else {
            return false;
        };
        if p.marking.is_some()
            || p.lines.last != i
            || !p.text.trim_end().ends_with(['.', '!', '?', ';', ':'])
        {
            return false;
        }
        let next = self.lines.get(i + 1).map_or("", str::trim_start);
        let first = next.split_whitespace().next().unwrap_or("");
        next.is_empty()
            || next.starts_with('(')
            || label_depth(first).is_some()
            || numbered_start(next).is_some()
    }

    /// Does a block after a blank (first line `t`, trimmed at its start) go on in the last
    /// portion of an unnumbered document? It does under a marked sub-item printed with a
    /// list label (`a. (U) Oswald's files.`, then its unmarked `(1)` items and their
    /// double-spaced lines), as a numbered paragraph runs to the next number; not when the
    /// block opens with a label of the item's rank or above (the next item), a caption
    /// (`OGC requirements:`) or a parenthesis that may be a damaged mark (`f. (s) …`):
    /// such a block stands alone, unmarked (withheld in a classified document).
    pub(super) fn item_goes_on(&self, t: &str) -> bool {
        let Some(p) = self.paragraphs.last() else {
            return false;
        };
        let Some(depth) = p
            .parent
            .and(p.marking.as_ref())
            .and_then(|_| label_depth(label_of(p)))
        else {
            return false;
        };
        let t = t.trim_end();
        if t.ends_with(':') && t.chars().count() <= 40 {
            return false;
        }
        let (first, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
        let label = first.chars().count() <= 4 && first.ends_with(['.', ')']);
        // Only under an item that leads into a list (`… these files:`): elsewhere `A.`
        // after `a.` may be a section of its own, and stands alone (withheld).
        let lead_in = self.lines[p.lines.last - 1].trim_end().ends_with(':');
        if label
            && !(lead_in && super::start::nested_list(label_of(p), first))
            && label_depth(first).is_none_or(|d| d <= depth)
            && !first.starts_with('(')
        {
            return false;
        }
        let after = if label { rest.trim_start() } else { t };
        // `(s)`, `(Ss)`, `(8)`: a parenthesis of a few chars at the lead may be a mark
        // OCR damaged; `(1).`, a list label, holds digits only.
        if let Some(inner) = after.strip_prefix('(')
            && let Some(close) = inner.find(')')
            && close <= 12
            && inner[..close].chars().any(|c| !c.is_ascii_digit())
        {
            return false;
        }
        true
    }

    /// The portion a labelled sub-item sits under: the nearest one up the chain of the last
    /// portion's parents whose label ranks above this one's (`a.` under `1.`, `(1)` under
    /// `a.`, `(a)` under `(1)`); the last top-level portion when no label ranks it.
    pub(super) fn labelled_parent(&self, label: &str, top: Option<usize>) -> Option<usize> {
        let Some(depth) = label_depth(label) else {
            return top;
        };
        let mut k = self.paragraphs.len().checked_sub(1)?;
        loop {
            let p = &self.paragraphs[k];
            let own = match p.parent {
                None => Some(0),
                Some(_) => label_depth(label_of(p)),
            };
            if own.is_some_and(|d| d < depth) {
                return Some(k);
            }
            match p.parent {
                Some(up) if up < k => k = up,
                _ => return top,
            }
        }
    }

    /// A short title line standing alone: no sentence end, followed by a blank or a rule.
    pub(super) fn is_heading(&self, i: usize) -> bool {
        let t = self.lines[i].trim();
        let core = t.trim_matches(|c: char| matches!(c, '-' | '=' | '_' | '*' | ' '));
        let followed_by_break = self
            .lines
            .get(i + 1)
            .is_none_or(|n| n.trim().is_empty() || is_rule(n));
        let bullet = t.starts_with('-') && !t.ends_with('-');
        // A line underlined by a rule is a heading whatever it ends with (`What Will the
        // U.S. Do About Iran?` over dashes): it never runs on in the portion before, where
        // it would be released under that portion's mark.
        let underlined = self.lines.get(i + 1).is_some_and(is_rule);
        !core.is_empty()
            && !bullet
            && core.chars().count() <= 70
            && (underlined || !ends_sentence(core))
            && !core.ends_with(',')
            && core.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
            && followed_by_break
    }
}

/// The most lines a list item is read ahead for its end mark.
const MAX_ITEM_SCAN: usize = 24;

/// The chars of a full line of prose: double-spaced text runs on only under one.
const FULL_LINE: usize = 60;

/// How deep a list label sits: `a.`/`A.`/`a)` 1, `(1)`/`1)` 2, `(a)` 3, `(i)`… 4. A bullet,
/// a caption or anything else: `None` (the sub-item goes under the top-level portion).
pub(super) fn label_depth(label: &str) -> Option<u8> {
    let t = label.trim_matches(|c: char| c.is_whitespace() || crate::marking::is_invisible(c));
    let t = t.trim_start_matches('\u{b6}');
    let paren = t.starts_with('(');
    let body = t.trim_start_matches('(').strip_suffix(['.', ')'])?;
    // `£.`: OCR's reading of the list label `f.` (as `lead::lead_mark` reads it).
    let letter = (body.len() == 1 && body.bytes().all(|b| b.is_ascii_alphabetic())) || body == "£";
    let digits = !body.is_empty() && body.len() <= 2 && body.bytes().all(|b| b.is_ascii_digit());
    let roman = !body.is_empty() && body.len() <= 4 && body.bytes().all(|b| b"ivx".contains(&b));
    match (paren, letter, digits) {
        (false, true, _) => Some(1),
        (_, _, true) if paren || t.ends_with(')') => Some(2),
        (true, true, _) if roman && body != "i" && body != "v" && body != "x" => Some(3),
        (true, _, _) if roman => Some(4),
        (true, true, _) => Some(3),
        _ => None,
    }
}

/// The label a portion's lead prints before its mark (`a.` of `a. (S) …`).
fn label_of(p: &Paragraph) -> &str {
    let lead = p.lead.as_str();
    let cut = if p.marking.is_some() {
        lead.rfind('(').unwrap_or(lead.len())
    } else {
        lead.len()
    };
    &lead[..cut]
}
