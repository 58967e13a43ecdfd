//! Leads made of words rather than a number, label or bullet: a caption before a mark
//! (`PURPOSE: (U//FOUO)`, `PREVIOUS VISITS: (S//REL)`), a table row's first cell before the
//! next cell's mark (`Mobile Country     (U) …`), a wiki's `[edit]` tag before a heading's
//! mark. [`super::lead_mark`] falls back on [`no_lead`] when a line's start is no short lead.

use super::{LeadKind, LeadMark, after_separators, close_of};
use crate::marking::is_invisible;
use crate::marking::portion::{self, Place};

/// One caption word and a colon before a mark: `Answer: (C)`, `Comment: (S)`, `PURPOSE:
/// (U//FOUO)`. The header's own field words (SUBJECT, REF, TAGS…) are fields, not captions:
/// their marks are the header scanner's to read.
pub(super) fn is_caption(lead: &str) -> bool {
    let t = lead.trim_matches(is_invisible);
    let Some(word) = t.strip_suffix(':') else {
        return false;
    };
    let word = word.trim_end_matches(is_invisible);
    const FIELDS: &[&str] = &[
        "SUBJECT",
        "SUBJ",
        "REF",
        "REFS",
        "REFTEL",
        "REFTELS",
        "REFERENCE",
        "REFERENCES",
        "TAGS",
        "REASON",
        "REASONS",
        "DECL",
        "CLASSIFICATION",
        "CAPTION",
        "TO",
        "FROM",
        "FM",
        "INFO",
    ];
    (3..=14).contains(&word.len())
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && !FIELDS.iter().any(|f| word.eq_ignore_ascii_case(f))
}

/// The longest caption of several words read before a mark, in bytes.
const MAX_CAPTION: usize = 48;

/// A line whose start is no lead of the short kinds: a mark may still follow a long
/// caption, a table row's first cell or a wiki's edit tag.
pub(super) fn no_lead(line: &str) -> Option<LeadMark> {
    long_caption(line)
        .or_else(|| row_cell(line))
        .or_else(|| edit_tag(line))
        .or_else(|| bare_subject(line))
}

/// A form's subject field printed without its colon before the mark: `SUBJECT
/// (TS//SI//NF) Recommended Requirements for …` (a staff processing form). With a colon
/// it is the header's field; without one nothing else reads it, and a mark after it is a
/// mark like any other: the portion starts there. Only a mark read whole counts.
fn bare_subject(line: &str) -> Option<LeadMark> {
    let start = line.len() - line.trim_start().len();
    let rest = &line[start..];
    let word = ["SUBJECT", "Subject", "SUBJ"]
        .into_iter()
        .find(|w| rest.starts_with(w))?;
    let after = &rest[word.len()..];
    let open = start + word.len() + (after.len() - after.trim_start_matches(' ').len());
    if open == start + word.len() || !line[open..].starts_with('(') {
        return None;
    }
    whole_mark_at(line, open, Place::AfterNumber, LeadKind::Label)
}

/// The longest first cell of a table row read before a mark, in bytes.
const MAX_CELL: usize = 32;
/// The blanks that part two cells of a row laid out in columns (`pdftotext -layout`):
/// words of prose are one blank apart, seldom two.
pub(super) const CELL_GAP: usize = 3;

/// A table row's first cell, unmarked, then a column gap and the next cell's mark:
/// `Mobile Country     (U) A decimal digit code …`, `TADIG codes        (U) A number…`
/// (working aids, classification guides). The row starts a portion at that mark; the
/// first cell's words are its lead. A cell is short (at most [`MAX_CELL`] bytes and four
/// words, one blank apart), starts with a capital or a digit and ends no sentence or
/// clause; the gap is [`CELL_GAP`] blanks or more; only a mark read whole counts (upper
/// case, as at a line's start: `(c)` after a section number is a reason letter).
fn row_cell(line: &str) -> Option<LeadMark> {
    let start = line.len() - line.trim_start().len();
    let rest = &line.as_bytes()[start..];
    if !rest
        .first()
        .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return None;
    }
    // The cell ends at the first run of two blanks; it must come within MAX_CELL bytes.
    let cell_len = rest
        .iter()
        .take(MAX_CELL + 1)
        .zip(rest.iter().skip(1))
        .position(|(a, b)| *a == b' ' && *b == b' ')?;
    let cell = &line[start..start + cell_len];
    if cell.split(' ').count() > 4 || cell.ends_with(['.', ',', ';', ':']) || cell.contains('(') {
        return None;
    }
    let open = start + cell_len;
    let gap = line[open..].len() - line[open..].trim_start_matches(' ').len();
    let open = open + gap;
    if gap < CELL_GAP || !line[open..].starts_with('(') {
        return None;
    }
    whole_mark_at(line, open, Place::LineStart, LeadKind::Cell)
}

/// A wiki page's edit link before a heading's mark: `[edit] (U) Address Books` (MediaWiki
/// pages printed to PDF). The tag is layout, like a heading's `#`: the mark starts the
/// portion as a bare one.
fn edit_tag(line: &str) -> Option<LeadMark> {
    let start = line.len() - line.trim_start().len();
    let rest = line[start..].strip_prefix("[edit]")?;
    let open = line.len() - rest.trim_start().len();
    if open == line.len() - rest.len() || !line[open..].starts_with('(') {
        return None;
    }
    whole_mark_at(line, open, Place::LineStart, LeadKind::Bare)
}

/// A caption of two or more upper-case words and a colon before a mark, longer than a
/// lead: `PURPOSE OF THE VISIT: (U//FOUO) …`, `NSA/CSS REQUESTED: (U) None.` (visit
/// precis, forms). Only a mark read whole counts; header field words (SUBJECT, CLASSIFIED
/// BY…) are fields, not captions. Runs only on lines that may hold a mark, and stops at the
/// first char no caption word has.
fn long_caption(line: &str) -> Option<LeadMark> {
    let start = line.len() - line.trim_start().len();
    let rest = &line.as_bytes()[start..];
    if !rest.first()?.is_ascii_uppercase() {
        return None;
    }
    let colon = rest
        .iter()
        .take(MAX_CAPTION)
        .position(|&b| !(b.is_ascii_uppercase() || matches!(b, b' ' | b'/' | b'&' | b'-')))
        .filter(|&k| rest[k] == b':')?;
    let words = &line[start..start + colon];
    let first = words.split([' ', '/']).next().unwrap_or("");
    const FIELDS: &[&str] = &[
        "SUBJECT",
        "SUBJ",
        "REF",
        "REFS",
        "REFERENCE",
        "TAGS",
        "CLASSIFIED",
        "CLASSIFICATION",
        "DERIVED",
        "DECLASSIFY",
        "DECL",
        "REASON",
        "TO",
        "FROM",
        "INFO",
    ];
    // One word longer than a short lead (`MONKEYROCKET: (U//FOUO)`) is a caption as the
    // short ones are.
    let count = words.split_whitespace().count();
    let one_word = count < 2;
    // A field word opens the field's own phrase (`CLASSIFICATION:`, `CLASSIFIED BY:`,
    // `REASON FOR CLASSIFICATION:`, `DERIVED FROM:`): the header's and the authority
    // block's to read. Three words or more that go on otherwise make a caption of a form
    // that only starts with one (`CLASSIFICATION GUIDE TITLE/NUMBER: (U//FOUO)`).
    let field = FIELDS.contains(&first)
        && (count <= 2
            || matches!(
                words.split_whitespace().nth(1),
                Some("BY" | "ON" | "FROM" | "FOR" | "OF" | "TO")
            ));
    if (one_word && !is_caption(&line[start..=start + colon])) || field {
        return None;
    }
    let after = start + colon + 1;
    let open = after + (line[after..].len() - line[after..].trim_start().len());
    if !line[open..].starts_with('(') {
        return None;
    }
    whole_mark_at(line, open, Place::AfterNumber, LeadKind::Label)
}

/// The mark opening at byte `open` of `line` as the lead of kind `kind`, only when it is a
/// mark read whole at `place` (words before a mark are no evidence of damage: nothing is
/// guessed).
fn whole_mark_at(line: &str, open: usize, place: Place, kind: LeadKind) -> Option<LeadMark> {
    let end = close_of(line, open + 1)?;
    let raw = &line[open..end];
    if !portion::is_mark(raw, place) {
        return None;
    }
    Some(LeadMark {
        kind,
        mark_start: open,
        text_start: after_separators(line, end),
        marking: portion::parse(raw, place)?,
    })
}
