//! Unmarked runs that are the rest of something else, asked by [`precision`](super::precision)
//! before it reports an unmarked portion as an error: `parser findings ──▶ judged runs`.
//!
//! The parser cuts a new paragraph wherever its layout reading loses the thread, and fails
//! closed: the run it cuts off is unmarked, so release withholds it (which stays right).
//! Some of those runs are no portion of their own, and calling them an unmarked portion
//! (DCL001, error) is a false alarm on a clean document:
//! - *a wrapped cell or sub-row of a table row* ([`wrapped_cell`]): a classification
//!   guide's row whose first cell runs on over lines the parser cut as a row of their own;
//! - *the tail of a portion whose start is not in the file* ([`excerpt_tail`]): a text
//!   that opens inside a document begins with the end of a row from the page before;
//! - *a cover sheet's entries* ([`cover_sheet`]): an OCR'd routing and record sheet or fax
//!   transmittal form above a memo, whose printed instructions and filled-in boxes read
//!   as words.
//!
//! Each is a warning (DCL080) with its reason, never silence: whether the run is the rest
//! of a marked portion cannot be told for sure from the text.

use crate::document::{Document, Origin, Paragraph};
use regex::Regex;
use std::sync::LazyLock;

/// Why a run whose cells line up under the marked table row above is a warning.
pub const WRAPPED_CELL: &str = "it reads as a wrapped cell or sub-row of the marked table row above (its cells line up under that row's columns, the row's text left open)";

/// Why the first run of an excerpt, before its first marked portion, is a warning.
pub const EXCERPT_TAIL: &str = "it reads as the tail of a portion whose start is on a page not in the file (the text opens inside a document)";

/// Why a run inside a routing slip or fax cover sheet above the memo is a warning.
pub const COVER_SHEET: &str = "it reads as a printed instruction or entry of a routing slip or fax cover sheet above the memo";

/// Every reason this module gives, for the caller's count of unmarked portions.
pub const ALL: [&str; 3] = [WRAPPED_CELL, EXCERPT_TAIL, COVER_SHEET];

/// How far (in columns) a cell may stand from the column it lines up under: OCR and
/// pdftotext shift a cell by one or two.
const ALIGN: usize = 2;

/// The cells of a line laid out in columns: (1-based start column, text), split at runs
/// of three blanks or more.
fn cells(line: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while i < chars.len() {
            if chars[i].is_whitespace() {
                let gap = chars[i..].iter().take_while(|c| c.is_whitespace()).count();
                if gap >= 3 || i + gap == chars.len() {
                    break;
                }
                i += gap;
            } else {
                i += 1;
                end = i;
            }
        }
        out.push((start + 1, chars[start..end].iter().collect()));
    }
    out
}

/// A label of its own opening a cell: a row or item number (`F5.`, `21.`, `b.`, `(3)`)
/// or a bullet. A row with one is a row of the table, not a wrapped cell.
static OWN_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z]?\d{1,3}[.),]|[A-Za-z][.),]|\(\w{1,3}\)|[•*▪◦●>-])(?:\s|$)")
        .expect("static regex")
});

/// Does a first cell hold a row's key of its own: a number, time or date alone
/// (`1115-1130`, `12.3`), or one upper-case term alone (a glossary's `COMSEC`)? A row
/// with a key is a row of the table, not the wrapped text of the row above. (A term
/// alone may also be a wrapped word, `NOFORN`: such a run stays an error, fail closed.)
fn row_key(cell: &str) -> bool {
    let alone = !cell.contains(char::is_whitespace);
    let number = cell.starts_with(|c: char| c.is_ascii_digit())
        && cell
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '–' | ':' | '.' | '/'));
    let term = cell.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !cell.chars().any(char::is_lowercase);
    alone && (number || term)
}

/// Only blanks or lines `skip` accepts between `from` (exclusive) and `to` (exclusive).
pub(super) fn only_between(
    doc: &Document,
    from: usize,
    to: usize,
    skip: &dyn Fn(usize) -> bool,
) -> bool {
    (from + 1..to).all(|l| doc.line(l).trim().is_empty() || skip(l))
}

/// Is the unmarked run starting at `line` a wrapped cell or sub-row of the marked table
/// row right above it? That row is laid out in columns; the run's first line has two
/// cells or more, each starting under a cell of the row (within [`ALIGN`] columns); its
/// first cell has no label of its own (`F5.`, `b.`); and the row's cell in that column
/// is left open (no full stop, question or exclamation mark ends it), so the text runs
/// on. Only blanks, banners, authority lines and furniture (`skip`) may stand between.
/// A row whose mark was removed keeps its label, or follows a row whose text ends a
/// sentence: it stays an error.
pub fn wrapped_cell(doc: &Document, line: usize, skip: &dyn Fn(usize) -> bool) -> bool {
    let Some(i) = super::precision::paragraph_index(doc, line).filter(|&i| i > 0) else {
        return false;
    };
    let above: &Paragraph = &doc.paragraphs[i - 1];
    if above.origin != Origin::Explicit || !only_between(doc, above.lines.last, line, skip) {
        return false;
    }
    let rows: Vec<&str> = (above.lines.first..=above.lines.last.min(doc.lines.len()))
        .map(|l| doc.line(l))
        .collect();
    wraps_under(&rows, doc.line(line))
}

/// Does `run` (a line) read as the wrapped cells of the row whose lines are `row`: two
/// cells or more, each under a cell of the row, the first with no label or key of its
/// own, the row's cell in that column left open?
fn wraps_under(row: &[&str], run: &str) -> bool {
    let own = cells(run);
    if own.len() < 2 || OWN_LABEL.is_match(&own[0].1) || row_key(&own[0].1) {
        return false;
    }
    let rows: Vec<Vec<(usize, String)>> = row.iter().map(|l| cells(l)).collect();
    if !rows.iter().any(|r| r.len() >= 2) {
        return false;
    }
    let under = |col: usize| {
        rows.iter()
            .any(|r| r.iter().any(|(c, _)| c.abs_diff(col) <= ALIGN))
    };
    if !own.iter().all(|(c, _)| under(*c)) {
        return false;
    }
    // The row's last cell in the run's first column, left open.
    let first = own[0].0;
    rows.iter()
        .rev()
        .find_map(|r| r.iter().find(|(c, _)| c.abs_diff(first) <= ALIGN))
        .is_some_and(|(_, text)| !text.trim_end().ends_with(['.', '!', '?']))
}

/// Is the unmarked run starting at `line` the tail of a portion whose start is not in the
/// file? The text opens inside a document (`excerpt`, the first marked portion a later
/// item of a list, among the first lines, no memo subject), the run stands above that
/// portion with nothing but blanks, banners and furniture (`skip`) above it, and its
/// first word (after a dash or bullet the cut left) opens in lower case: the rest of a
/// sentence, not a heading or a portion of its own.
pub fn excerpt_tail(
    doc: &Document,
    line: usize,
    excerpt: Option<usize>,
    skip: &dyn Fn(usize) -> bool,
) -> bool {
    let Some(first_marked) = excerpt else {
        return false;
    };
    if line >= first_marked || !only_between(doc, 0, line, skip) {
        return false;
    }
    let text = doc
        .line(line)
        .trim_start()
        .trim_start_matches(['-', '–', '—', '•', '*', ' ', '\t']);
    text.starts_with(char::is_lowercase)
}

/// The printed title or caption of a routing slip, routing and record sheet or fax
/// transmittal form (OCR keeps these lines legible: they are large print).
static SHEET_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)routing\s+and\s+record\s+sheet|routing\s+slip|transmittal\s+(?:form|slip|sheet)|",
        r"facsimile\s+(?:transmittal|cover)|fax\s+cover\s+sheet|number\s+each\s+comment"
    ))
    .expect("static regex")
});

/// How far below its title a cover sheet's entries may stand, in lines (one page).
const SHEET_REACH: usize = 40;

/// Is the unmarked run starting at `line` an entry of a cover sheet: below a routing
/// slip's or fax transmittal form's title (within [`SHEET_REACH`] lines, the title not
/// inside a marked portion) and above the
/// memo it covers (its subject, or its first marked portion, whichever comes first below
/// the title), with no list label of its own? The sheet's printed instructions
/// (`Please enter time of receipt …`) and OCR'd boxes are no portion of the memo. A
/// numbered or lettered paragraph stays a portion.
pub fn cover_sheet(doc: &Document, line: usize) -> bool {
    let from = line.saturating_sub(SHEET_REACH).max(1);
    // A title printed on the sheet, not words of a marked portion (`(8) Routing slips,
    // routing and record sheets (Form 610) and …` in a records schedule).
    let in_marked = |l: usize| {
        doc.paragraphs
            .iter()
            .any(|p| p.origin == Origin::Explicit && p.lines.contains(l))
    };
    let Some(title) = (from..line)
        .rev()
        .find(|&l| SHEET_TITLE.is_match(doc.line(l)) && !in_marked(l))
    else {
        return false;
    };
    let subject = doc
        .header
        .subject
        .as_ref()
        .map(|s| s.lines.first)
        .filter(|&s| s > title);
    let marked = doc
        .paragraphs
        .iter()
        .find(|p| p.lines.first > title && p.origin == Origin::Explicit)
        .map(|p| p.lines.first);
    let Some(memo) = [subject, marked].into_iter().flatten().min() else {
        return false;
    };
    line < memo && !OWN_LABEL.is_match(doc.line(line).trim_start())
}

#[cfg(test)]
mod tests {
    use super::cells;
    use crate::audit::{lines_of, unmarked_lines};
    use crate::diagnostic::Code;

    /// A classification guide's table (a published guide's page, trimmed): row 31's first
    /// cell runs on over four lines, which the parser cuts off as a row of their own.
    const GUIDE: &str = "SECRET//REL TO USA, AUS, CAN, GBR, NZL\n\
        \n\
        30. (U) The association of a       SECRET//                    1.4 (c)   25 years*\n\
        specific ELINT intercept during    REL TO USA, AUS, CAN,\n\
        and related to the crisis with a   GBR, NZL\n\
        specific type of collection.\n\
        31. (U) The association of a       SECRET//                    1.4 (c)   25 years*\n\
        Circular Error of Probability      REL TO USA, AUS, CAN,\n\
        (CEP) or a confidence ellipse      GBR, NZL\n\
        with an ELINT intercept during\n\
        and related to the crisis.         At a minimum.\n\
        32. (U) Parametric data derived    SECRET//                    1.4 (c)   25 years*\n\
        from ELINT intercept during        REL TO USA, AUS, CAN,\n\
        and related to the crisis.         GBR, NZL\n\
        \n\
                                           At a minimum.\n";

    #[test]
    fn a_wrapped_table_cell_is_a_warning() {
        assert!(
            unmarked_lines(GUIDE).is_empty(),
            "{:?}",
            unmarked_lines(GUIDE)
        );
        assert_eq!(lines_of(GUIDE, Code::UnmarkedText), [8]);
        // A key of its own opening the first cell (a glossary's term): a row, unmarked.
        let keyed = GUIDE.replace(
            "Circular Error of Probability ",
            "CIRCULAR                      ",
        );
        assert_eq!(unmarked_lines(&keyed), [8]);
    }

    #[test]
    fn a_wrap_needs_aligned_cells_an_open_row_and_no_label() {
        let row =
            ["31. (U) The association of a       SECRET//                    1.4 (c)   25 years*"];
        let run = "Circular Error of Probability      REL TO USA, AUS, CAN,";
        assert!(super::wraps_under(&row, run));
        // The row's cell ends its sentence.
        let closed = [row[0].replacen("of a ", "of a.", 1)];
        let closed: Vec<&str> = closed.iter().map(String::as_str).collect();
        assert!(!super::wraps_under(&closed, run));
        // A cell not under the row's columns, one cell only, a label, a key.
        for other in [
            "Circular Error of Probability   REL TO USA, AUS, CAN,",
            "Circular Error of Probability",
            "b. Circular Error of Probab        REL TO USA, AUS, CAN,",
            "1115-1130                          Break",
            "COMSEC                             Communications Security",
        ] {
            assert!(!super::wraps_under(&row, other), "{other}");
        }
        // A sub-row under the row's sub-row (`--country` left open).
        let sub = [
            "   b. Technical reports (TACREPs                         20291123   May be TOP",
            "       --country                     SECRET              depending on the",
        ];
        assert!(super::wraps_under(
            &sub,
            "       --city                        SECRET              source."
        ));
    }

    #[test]
    fn an_excerpts_opening_tail_is_a_warning() {
        let text = "SECRET//REL TO USA, FVEY\n\n-    by ELNOT and by\n     identification of the\n\
                    \x20    associated system.\n\
                    21. (S//REL) The fact of land-based ELINT collection during the crisis.\n\
                    22. (U) The fact of airborne ELINT collection during the crisis.\n\n\
                    SECRET//REL TO USA, FVEY\n";
        assert!(
            unmarked_lines(text).is_empty(),
            "{:?}",
            unmarked_lines(text)
        );
        assert_eq!(lines_of(text, Code::UnmarkedText), [3]);
        // A capitalised sentence there is a portion without its mark.
        let sentence = text.replace("-    by ELNOT and by", "The officer met him and by");
        assert_eq!(unmarked_lines(&sentence), [3]);
        // Not an excerpt (the list starts at 1): the run stays an error.
        let whole = text
            .replace("21. (S//REL)", "1. (S//REL)")
            .replace("22. (U)", "2. (U)");
        assert_eq!(unmarked_lines(&whole), [3]);
    }

    #[test]
    fn a_cover_sheets_entries_are_warnings() {
        let text = "SECRET\n\nUNCLASSIFIED FACSIMILE TRANSMITTAL FORM\n\n\
                    SENDING TELEPHONE NUMBER: 1234\n\n\
                    Please enter time of receipt/signature and transmit back to sending station.\n\n\
                    FORM 10-93\n\n\
                    MEMORANDUM FOR RECORD\n\nSUBJECT: (U) Staff Meeting\n\n\
                    1. (S) The officer met the source twice in May and reported both meetings.\n\n\
                    SECRET\n";
        assert!(
            unmarked_lines(text).is_empty(),
            "{:?}",
            unmarked_lines(text)
        );
        assert!(lines_of(text, Code::UnmarkedText).contains(&7));
        // Without the sheet's title the instruction is a sentence, unmarked.
        let bare = text.replace("UNCLASSIFIED FACSIMILE TRANSMITTAL FORM", "NOTICE");
        assert_eq!(unmarked_lines(&bare), [7]);
        // Below the memo's subject: a paragraph of the memo, unmarked.
        let below = text.replace(
            "1. (S) The officer",
            "Please enter time of receipt and send it back.\n\n1. (S) The officer",
        );
        assert_eq!(unmarked_lines(&below), [15]);
    }

    #[test]
    fn cells_split_at_wide_gaps() {
        assert_eq!(
            cells("31. (U) The association of a       SECRET//   1.4 (c)"),
            [
                (1, "31. (U) The association of a".to_owned()),
                (36, "SECRET//".to_owned()),
                (47, "1.4 (c)".to_owned())
            ]
        );
        assert_eq!(cells("   --city  x"), [(4, "--city  x".to_owned())]);
    }
}
