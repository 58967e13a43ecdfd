//! Portion kinds: the last reading of the body, after it is cut into portions.
//!
//! The segmenter decides where portions start and end (a marked lead always starts one, and
//! so does a short line marked at its end, read by [`title_mark`]); this pass only names
//! what each portion is ([`PortionKind`]) from its lead and layout.

use crate::document::{Document, Paragraph, PortionKind};
use crate::marking::portion::{self, Place};
use crate::marking::{Level, Marking};

/// The longest title read for a trailing mark, in chars: a long block ending in `(C)` is a
/// sentence citing something, not a title.
const MAX_TITLE: usize = 160;

/// Names every portion's kind (a title marked at its end was named by the segmenter).
pub fn assign(doc: &mut Document) {
    for k in 0..doc.paragraphs.len() {
        if doc.paragraphs[k].kind == PortionKind::Title {
            continue;
        }
        let first = doc.line(doc.paragraphs[k].lines.first);
        let kind = kind_of(&doc.paragraphs[k], first);
        doc.paragraphs[k].kind = kind;
    }
}

/// The mark at the end of a short line standing as a title: `… Persons in the United
/// States (S//SI)`, `Summit Venues (U)`. Returns the byte offset of the mark in `t` (a
/// trimmed line) and the marking. Only an upper-case mark counts (`(a)` ends list
/// references), and not after a sentence's end (prose citing a mark).
pub fn title_mark(t: &str) -> Option<(usize, Marking)> {
    if t.len() > MAX_TITLE * 4 || t.chars().count() > MAX_TITLE {
        return None;
    }
    let (open, m) = end_mark(t)?;
    if t[..open].trim_end().ends_with(['.', ';', ',', ':']) {
        return None;
    }
    Some((open, m))
}

/// The mark that ends a line in documents marked at the end of each portion (legal
/// procedures, older agency memos): `… as amended ("the Act"). (U)`, `… are domestic
/// communications. (S//SI)`, `States person: (U)`. Any length, after a sentence's end or
/// not; the same mark forms as [`title_mark`] (a level or a control standing for one, read
/// whole, apart from the last word, not an authority block's reason letter). Returns the
/// byte offset of the mark in `t` (a trimmed line) and the marking.
pub fn trailing_mark(t: &str) -> Option<(usize, Marking)> {
    let Some((open, m)) = end_mark(t) else {
        return unclosed_end_mark(t);
    };
    // `… for reasons 1.4(b) and (d). 1. (SBU)`: a flattened export glues the next
    // paragraph's number and mark to the line before; that mark is the next portion's.
    let mut words = t[..open].split_whitespace().rev();
    let last = words.next().unwrap_or("");
    let label = last.trim_start_matches('¶').strip_suffix('.').unwrap_or("");
    // A number the sentence cites ends it (`… at pages 16, 17, and 21. (C)`, `… on page
    // 14. (U)`): the mark is this portion's.
    let numbered = (1..=3).contains(&label.len())
        && label.bytes().all(|b| b.is_ascii_digit())
        && !words.next().is_some_and(cites_number);
    // Lower case only: `Henry S. (U)` ends a name with an initial.
    let lettered = label.len() == 1 && label.bytes().all(|b| b.is_ascii_lowercase());
    (!(numbered || lettered)).then_some((open, m))
}

/// Does `word`, before a number, make that number one the sentence cites (a list's next
/// number, a page, a paragraph) rather than the next paragraph's own number glued on?
fn cites_number(word: &str) -> bool {
    const CITING: [&str; 16] = [
        "and",
        "or",
        "to",
        "through",
        "page",
        "pages",
        "p.",
        "pp.",
        "paragraph",
        "paragraphs",
        "para",
        "paras",
        "line",
        "lines",
        "item",
        "items",
    ];
    word.ends_with(',') || CITING.iter().any(|c| word.eq_ignore_ascii_case(c))
}

/// A mark whose `)` OCR lost at the very end of a portion (`… at the end of the meeting.
/// (C`): after a sentence's end, a bare level that withholds (`C`, `S`, `TS`), read as that
/// level and flagged damaged. A `(U` is not read: a guess must never release text (the
/// portion stays unmarked, withheld in a classified document).
///
/// So is a closed mark OCR damaged the same way: `(8)` for `(S)`, a level with its letter
/// doubled or in lower case (`(Ss)`, `(Cc)`, `(c)`, `(s)`), and a level with an OCR speck
/// after it (`(Ss) :`, `(C) - :`, `(C) E`). A lone lower-case letter after a sentence's end
/// may be the next list item's label glued on (`… as follows. (c)`): read as the level it
/// spells it withholds, never releases, and the next line starts a portion of its own.
fn unclosed_end_mark(t: &str) -> Option<(usize, Marking)> {
    let t = t.trim_end_matches([' ', ':', ',', '.']);
    let (t, specked) = without_speck(t);
    let open = t.rfind('(')?;
    let inner = &t[open + 1..];
    let inner = inner.strip_suffix(')').unwrap_or(inner);
    let closed = inner.len() < t.len() - open - 1;
    let level = match inner {
        "C" if !closed || specked => Level::C,
        "S" if !closed || specked => Level::S,
        "TS" if !closed || specked => Level::TS,
        "c" | "s" if closed => damaged_level(inner)?,
        _ if closed && (inner.len() > 1 || inner == "8") => damaged_level(inner)?,
        _ => return None,
    };
    let before = t[..open].strip_suffix(char::is_whitespace)?.trim_end();
    let before = before.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}']);
    if !before.ends_with(['.', '!', '?']) || !before.chars().any(char::is_alphabetic) {
        return None;
    }
    Some((open, damaged_mark(level, &t[open..])))
}

/// `t` without one OCR speck after its last `)` (`(C) -`, `(C) E`, `(C) x`: a word of at
/// most two characters, no parenthesis in it), and whether one was cut.
fn without_speck(t: &str) -> (&str, bool) {
    let Some(close) = t.rfind(')') else {
        return (t, false);
    };
    let tail = t[close + 1..].trim();
    let speck = !tail.is_empty()
        && tail.chars().count() <= 2
        && t[close + 1..].starts_with(' ')
        && !tail.contains(['(', ')']);
    if speck {
        (&t[..=close], true)
    } else {
        (t, false)
    }
}

/// The marking of a mark OCR damaged, read as `level`: legacy, flagged damaged, `raw` as
/// printed.
fn damaged_mark(level: Level, raw: &str) -> Marking {
    let mut m = Marking::new(level);
    m.raw = raw.to_string();
    m.damaged = true;
    m.legacy = true;
    m
}

/// The level a mark OCR damaged past the grammar still shows, when it withholds: `8` for
/// `S`; a level's letter doubled or in lower case (`Ss`, `Cc`, `s`, `ts`). `U` is never
/// read from damage (a guess must not release text).
pub fn damaged_level(inner: &str) -> Option<Level> {
    if inner == "8" {
        return Some(Level::S);
    }
    if !inner.bytes().any(|b| b.is_ascii_lowercase()) {
        return None;
    }
    // Compared without case and without a copy: this runs on every parenthesis after a
    // list label.
    let is = |level: &str| inner.eq_ignore_ascii_case(level);
    if is("S") || is("SS") {
        Some(Level::S)
    } else if is("C") || is("CC") {
        Some(Level::C)
    } else if is("TS") {
        Some(Level::TS)
    } else {
        None
    }
}

/// What [`title_mark`] and [`trailing_mark`] share: a whole mark at the end of `t`.
fn end_mark(t: &str) -> Option<(usize, Marking)> {
    // A caption marked at its end keeps its colon after a modern mark (`… TDY documents:
    // (U//FOUO):`); a bare level before a colon (`(A), (B) AND (C):`) is a list's.
    let t = match t.strip_suffix(':') {
        Some(r) if r.ends_with(')') && r.rfind('(').is_some_and(|o| r[o..].contains('/')) => r,
        _ => t,
    };
    if !t.ends_with(')') {
        return None;
    }
    let open = t.rfind('(')?;
    // A mark stands apart from the title's last word (`AGENDA(S)` is a plural).
    if !t[..open].ends_with(char::is_whitespace) {
        return None;
    }
    let before = t[..open].trim_end();
    if before.is_empty() || !before.chars().any(char::is_alphabetic) {
        return None;
    }
    // Reason letters of an authority block (`CL REASON 1.5 (C)`, `Reason: 1.4 (c)`).
    let b = before.as_bytes();
    if b.len() >= 3
        && b[b.len() - 2] == b'.'
        && b[b.len() - 3..]
            .iter()
            .all(|c| c.is_ascii_digit() || *c == b'.')
    {
        return None;
    }
    // The mark must print its level (or a control that stands for one, FOUO, SBU, CUI):
    // `(NR)`, "not recorded" in FBI files, reads as a legacy control but is no title mark.
    let inner = t[open + 1..t.len() - 1].trim_start();
    let head = inner.split(['/', '-', ' ']).next().unwrap_or("");
    if !TITLE_HEADS.contains(&head) {
        return None;
    }
    // Only a mark read whole: a parenthesised code at the end of a line (`(MOA/MOU)`,
    // `(DOE/NNSA)`) is far more often an abbreviation than a damaged title mark.
    let m = portion::parse(&t[open..], Place::LineStart).filter(|m| m.unknown.is_empty())?;
    Some(higher_mark_before(before, open, m))
}

/// Two marks end the line (`… passed to the Chilean Service (8) (U)`, a reviewer's `(U)`
/// written after the original `(S)`, here OCR-damaged): the portion is read at the higher
/// of the two, so a classified mark is never released under a `U` printed after it. `m`
/// is the last mark, at `open`; `before` is the text before it, trimmed.
fn higher_mark_before(before: &str, open: usize, m: Marking) -> (usize, Marking) {
    if m.level.is_classified() || !before.ends_with(')') {
        return (open, m);
    }
    // A mark stands apart from the word before it (`document(s) (U)` is a plural).
    let Some(inner_open) = before
        .rfind('(')
        .filter(|&o| o == 0 || before[..o].ends_with(char::is_whitespace))
    else {
        return (open, m);
    };
    let inner = &before[inner_open + 1..before.len() - 1];
    let earlier = match portion::parse(&before[inner_open..], Place::LineStart) {
        Some(e) if e.level.is_classified() => e,
        _ => match damaged_level(inner) {
            Some(level) => damaged_mark(level, &before[inner_open..]),
            None => return (open, m),
        },
    };
    (inner_open, earlier)
}

/// The first word a title's mark may start with.
const TITLE_HEADS: [&str; 10] = [
    "U",
    "C",
    "S",
    "TS",
    "CUI",
    "FOUO",
    // Administratively Internal Use Only, a CIA control that stands for U: `… back this
    // afternoon. (AIUO)`.
    "AIUO",
    "SBU",
    "LOU",
    "UNCLASSIFIED",
];

/// The kind of a portion from its first line, its lead and its place.
fn kind_of(p: &Paragraph, first: &str) -> PortionKind {
    let lead = label_part(p);
    let text = p.text.trim_start();
    if p.heading {
        return if text.trim_end().ends_with(':') {
            PortionKind::Caption
        } else {
            PortionKind::Heading
        };
    }
    if lead.ends_with(':') && lead.chars().any(char::is_alphabetic) {
        return PortionKind::Caption;
    }
    if is_bullet_lead(lead) {
        return PortionKind::Bullet;
    }
    if is_table_row(first, p.lead.len()) {
        return PortionKind::TableRow;
    }
    if text.starts_with(['"', '\u{201C}']) {
        return PortionKind::Quoted;
    }
    if p.parent.is_some() || is_item_label(lead) {
        return PortionKind::Subparagraph;
    }
    PortionKind::Paragraph
}

/// The lead before its mark, trimmed of blanks and invisible characters: `PURPOSE:`,
/// `a.`, `•`, `1.`.
fn label_part(p: &Paragraph) -> &str {
    let lead = p.lead.as_str();
    let cut = if p.marking.is_some() {
        lead.rfind(['(', '\u{FF08}']).unwrap_or(lead.len())
    } else {
        lead.len()
    };
    lead[..cut].trim_matches(|c: char| c.is_whitespace() || crate::marking::is_invisible(c))
}

fn is_bullet_lead(lead: &str) -> bool {
    match lead.chars().next() {
        Some('o') => lead == "o",
        // The same bullet characters the lead reader starts a bullet portion at.
        Some(c) => super::lead::is_bullet(c),
        None => false,
    }
}

/// A list item's label: `a.`, `a)`, `(a)`, `(1)`, `1)`, `(iv)`. A number with a full stop
/// (`1.`) is a paragraph's.
fn is_item_label(lead: &str) -> bool {
    let core = lead.trim_start_matches('(');
    let Some(body) = core.strip_suffix(['.', ')']) else {
        return false;
    };
    let paren = lead.starts_with('(') || core.ends_with(')');
    let letter = body.len() == 1 && body.bytes().all(|b| b.is_ascii_lowercase());
    let roman = !body.is_empty() && body.len() <= 4 && body.bytes().all(|b| b"ivx".contains(&b));
    let digits = !body.is_empty() && body.len() <= 2 && body.bytes().all(|b| b.is_ascii_digit());
    letter || (paren && (roman || digits))
}

/// A row laid out in columns: the first line's text has two or more gaps of three blanks
/// or more between its cells (`The fact that…   UNCLASSIFIED   N/A`).
fn is_table_row(first: &str, lead_len: usize) -> bool {
    let text = first.get(lead_len..).unwrap_or("").trim();
    text.split("   ")
        .filter(|cell| !cell.trim().is_empty())
        .count()
        >= 3
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_str;

    fn kinds(text: &str) -> Vec<(PortionKind, String)> {
        parse_str(text)
            .expect("parses")
            .paragraphs
            .iter()
            .map(|p| {
                (
                    p.kind,
                    p.marking
                        .as_ref()
                        .map(|m| m.canonical())
                        .unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn leads_name_the_kind() {
        let text = "SECRET//NOFORN\n\n\
                    1. (S//NF) The program began in 2004.\n\n\
                    a. (S//NF) First item under it.\n\n\
                    \u{2022} (U) A bullet.\n\n\
                    PURPOSE: (U//FOUO) To obtain approval.\n\n\
                    (C) \"We will not,\" he said.\n\n\
                    SECRET//NOFORN\n";
        let got: Vec<PortionKind> = kinds(text).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            got,
            [
                PortionKind::Paragraph,
                PortionKind::Subparagraph,
                PortionKind::Bullet,
                PortionKind::Caption,
                PortionKind::Quoted,
            ]
        );
    }

    #[test]
    fn two_end_marks_read_at_the_higher() {
        for (line, want) in [
            ("what could be passed to the Chilean Service (8) (U)", "S"),
            ("what could be passed to the Chilean Service (C) (U)", "C"),
            (
                "what could be passed to the Chilean Service (S//NF) (U)",
                "S//NF",
            ),
            ("Summit Venues (U)", "U"),
            ("Copies of the document(s) (U)", "U"),
            ("See the annex (a) (U)", "U"),
        ] {
            let (open, m) = title_mark(line).expect(line);
            assert_eq!(m.canonical(), want, "{line}");
            // The title's text stops before the first of the two marks.
            if want != "U" {
                assert!(!line[..open].contains('('), "{line}");
            }
        }
        let (_, m) = trailing_mark("the Chilean Service. (8) (U)").expect("trailing");
        assert_eq!(m.canonical(), "S");
    }

    #[test]
    fn a_title_is_marked_at_its_end() {
        let text = "UNCLASSIFIED\n\n1. (U) The summit opens.\n\nSummit Venues (S)\n\n\
                    2. (U) The venues are listed below.\n";
        let got = kinds(text);
        assert_eq!(got[1].0, PortionKind::Title);
        assert_eq!(got[1].1, "S");
        assert_eq!(got[2], (PortionKind::Paragraph, "U".to_string()));
    }

    #[test]
    fn a_glued_next_paragraph_lead_is_no_trailing_mark() {
        assert!(trailing_mark("as amended (\"the Act\"). (U)").is_some());
        for t in [
            "for reasons 1.4(b) and (d). 1. (SBU)",
            "REF: STATE 69691 1. (SBU)",
            "the text before. \u{b6}2. (C)",
            "the list before. b. (S)",
        ] {
            assert!(trailing_mark(t).is_none(), "{t}");
        }
        assert!(trailing_mark("SUBJECT: BEER, Henry S. (U)").is_some());
        // A number the sentence cites before the mark: the mark ends this portion.
        for t in [
            "is mentioned at pages 16, 17, and 21. (C)",
            "to this last paragraph on page 14. (U)",
        ] {
            assert!(trailing_mark(t).is_some(), "{t}");
        }
        assert!(trailing_mark("Helpful Links for TDY documents: (U//FOUO):").is_some());
        assert!(trailing_mark("PARAGRAPHS (A), (B) AND (C):").is_none());
    }

    #[test]
    fn a_damaged_trailing_mark_is_read_only_as_a_level_that_withholds() {
        let level = |t: &str| trailing_mark(t).map(|(_, m)| (m.canonical(), m.damaged));
        for (t, want) in [
            ("at the end of the meeting. (C", "C"),
            ("went out on Friday. (8)", "S"),
            ("will finish in June. (Cc)", "C"),
            ("the questions received. (Ss) :", "S"),
            ("\"as they said.\" (TS", "TS"),
            // A level in lower case, or with an OCR speck after it: read as the level it
            // spells, which withholds (a list label glued on is read so too: fail closed).
            ("his identity should be protected. (c)", "C"),
            ("the items are as follows. (s)", "S"),
            ("Footnote (64) is misplaced. (C) - :", "C"),
            ("in the area who had information. (C) E", "C"),
        ] {
            assert_eq!(level(t), Some((want.to_string(), true)), "{t}");
        }
        for t in [
            // A `U` is never guessed from damage.
            "the meeting ended. (U",
            "prior to publication. (u)",
            "the meeting ended. (U) E",
            // No sentence ends before it.
            "the cases in section (C",
            "(C",
            "the total (8)",
        ] {
            assert!(trailing_mark(t).is_none(), "{t}");
        }
        assert_eq!(damaged_level("sS"), Some(Level::S));
        assert_eq!(damaged_level("Ts"), Some(Level::TS));
        assert_eq!(damaged_level("CC"), None);
        assert_eq!(damaged_level("u"), None);
    }

    #[test]
    fn prose_ending_in_a_parenthesis_is_no_title() {
        assert_eq!(title_mark("Summit Venues (U)").map(|(at, _)| at), Some(14));
        for t in [
            "The rule is in section 3 (C).",
            "as the parties agreed. (C)",
            "(S)",
            "the list under item (a)",
            "Organisation codes (S17)",
            "THE REST OF THE AGENDA(S)",
            "an agreement (MOA/MOU)",
            "CL REASON 1.5 (C)",
            "Jones, Leonard Pete (NR)",
        ] {
            assert!(title_mark(t).is_none(), "{t}");
        }
    }

    #[test]
    fn columns_make_a_table_row() {
        let text = "SECRET\n\n1. (U) The fact that NSA exists      UNCLASSIFIED      N/A\n";
        assert_eq!(kinds(text)[0].0, PortionKind::TableRow);
    }

    #[test]
    fn item_labels() {
        for lead in ["a.", "(a)", "a)", "(1)", "(iv)"] {
            assert!(is_item_label(lead), "{lead}");
        }
        for lead in ["1.", "II.", "PURPOSE:", ""] {
            assert!(!is_item_label(lead), "{lead}");
        }
    }
}
