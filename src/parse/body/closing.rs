//! The closing block of a memo or letter: the signature, the `Attachment:` / `Enclosure`
//! lines, the `Distribution:` list, `cc:` lines and the typist's initials after the last
//! paragraph. A pre-pass of the body segmenter ([`super::segment`]) finds these blocks by
//! their anchor lines before the body is cut, so that the last portion ends at its own text
//! instead of taking the names and the routing under its mark.
//!
//! The lines of a closing block become page furniture (never a portion's text, never
//! released: fail closed). Banners, page numbers and stamps inside a block keep their own
//! kinds: the segmenter reads them first. A line whose lead or end carries a portion mark,
//! or a numbered paragraph start, is never taken into a block: it starts a portion.

use super::super::lead;
use crate::document::Lines;
use crate::marking::banner as banner_grammar;
use crate::marking::portion::{self, Place};
use crate::parse::lines::*;

/// The longest line a signature block holds, in chars: a name, a title, an office.
const MAX_SIGNATURE_LINE: usize = 48;
/// The most lines a block of the signature holds (name, title, office, phone).
const MAX_SIGNATURE_BLOCK: usize = 4;
/// The most blocks before the anchor read as the signature (a scrawl, the typed name,
/// the title, OCR noise between them).
const MAX_SIGNATURE_BLOCKS: usize = 4;
/// The most lines a closing list holds after its anchor (attachments, distribution,
/// initials): a longer run of short lines is a page of something else.
const MAX_LIST_LINES: usize = 24;

/// The closing blocks of the body lines `start..end`, as 0-based inclusive line ranges in
/// order.
pub(super) fn find(lines: &Lines, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut i = start;
    while i < end {
        let t = lines[i].trim();
        if !is_anchor(t) {
            i += 1;
            continue;
        }
        let floor = out.last().map_or(start, |r| r.1 + 1);
        let Some(first) = signature_start(lines, floor, i) else {
            i += 1;
            continue;
        };
        let last = list_end(lines, i, end);
        out.push((first, last));
        i = last + 1;
    }
    out
}

/// Does this (trimmed) line open the closing list of a memo or letter: `Distribution:`,
/// `Attachment: As Stated`, `Enclosures - 2`, `cc: DCI`, `Sincerely,`, `Prepared by:`?
pub(super) fn is_anchor(t: &str) -> bool {
    let Some(&first) = t.as_bytes().first() else {
        return false;
    };
    if !matches!(
        first,
        b'D' | b'd' | b'A' | b'a' | b'E' | b'e' | b'C' | b'c' | b'S' | b's' | b'F' | b'P' | b'p'
    ) || t.len() > 40
    {
        return false;
    }
    let after = |word: &str| starts_with_ignore_case(t, word).then(|| t[word.len()..].trim_start());
    // A signing authority's line over the signature: `FOR THE COMMANDER:`.
    if let Some(rest) = t.strip_prefix("FOR THE ") {
        return rest.ends_with(':')
            && rest[..rest.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b' ');
    }
    if let Some(rest) = after("DISTRIBUTION") {
        return rest.is_empty() || rest.starts_with(':');
    }
    if let Some(rest) = after("CC") {
        return rest.starts_with(':');
    }
    // `Prepared by:   Jessica …` closing talking points and papers.
    if let Some(rest) = after("PREPARED BY") {
        return rest.starts_with(':');
    }
    for word in ["SINCERELY", "RESPECTFULLY"] {
        if let Some(rest) = after(word) {
            return rest == "," || (rest.len() == 6 && starts_with_ignore_case(rest, "YOURS,"));
        }
    }
    for word in ["ATTACHMENTS", "ATTACHMENT", "ENCLOSURES", "ENCLOSURE"] {
        if let Some(rest) = after(word) {
            // `Attachment: As Stated`, `Enclosures - 2`, `Attachment 2`, `ENCLOSURE`: the
            // word and a short reference, never a sentence (`Attachment A lists …`).
            let rest = rest.trim_start_matches([':', '-', ' ', '.']);
            return rest.split_whitespace().count() <= 2 && !rest.ends_with('.');
        }
    }
    false
}

/// Does this (trimmed) line open or go on with a classification authority block by its
/// label at the line's start: the old upper-case forms (`CL BY: 0605636`, `CL REASON:
/// 1.5(c)`, `DECL ON: X1`, `DRV FROM: SEC 5-82`, `DRV FM`, `E2 IMPDET`) or today's with a
/// colon (`Classified By:`, `Derived From:`, `Declassify On:`; `Reason:` and `Dated:` only
/// inside a block, `in_block`)? Prose never opens with such a label: an upper-case abbreviation or a
/// label and its colon.
pub(super) fn is_authority_line(t: &str, in_block: bool) -> bool {
    const OLD: &[&str] = &[
        "CL BY",
        "CL REASON",
        "CLASSIFIED BY",
        "DECL ON",
        "DECL BY",
        "DECL:",
        "DECLASSIFY ON",
        "DERIVED FROM",
        "DRV FM",
        "DRV FRM",
        "DRV FROM",
        "DV FM",
        "E2 IMPDET",
    ];
    const NEW: &[&str] = &["Classified By", "Derived From", "Declassify On"];
    const IN_BLOCK: &[&str] = &["Reason", "Dated"];
    if t.len() > MAX_AUTHORITY_LINE || !t.starts_with(['C', 'D', 'E', 'R']) {
        return false;
    }
    // The label ends the line or a word: `CL BY 0605636`, `CL BY:`, never `CL BYRNE`.
    let label_end = |rest: &str| rest.is_empty() || rest.starts_with([' ', ':', ';', '\t']);
    let old = OLD.iter().any(|l| t.strip_prefix(l).is_some_and(label_end));
    let new = NEW
        .iter()
        .chain(IN_BLOCK.iter().filter(|_| in_block))
        .any(|l| starts_with_ignore_case(t, l) && t[l.len()..].trim_start().starts_with(':'));
    old || new
}

/// The longest line an authority block's field takes: a label and a short value.
const MAX_AUTHORITY_LINE: usize = 100;

/// Lines the walks step over as they are: blanks and lines the segmenter keeps out of a
/// portion anyway (banners, page numbers, archive stamps).
fn transparent(t: &str) -> bool {
    t.is_empty()
        || super::super::furniture::is_furniture(t)
        || (t.len() <= 40 && banner_grammar::parse_line(t).is_some())
}

/// Does line `i` start or end a portion by its mark or number? Such a line is never
/// furniture.
fn holds_portion(lines: &Lines, i: usize) -> bool {
    let line = &lines[i];
    if numbered_start(line).is_some() {
        return true;
    }
    if !lines.may_hold_mark(i) {
        return false;
    }
    let t = line.trim();
    (t.starts_with('(') && mark_at(t).is_some_and(|m| portion::is_mark(m.mark, Place::LineStart)))
        || lead::lead_mark(line).is_some()
        || crate::parse::kind::trailing_mark(t).is_some()
        || lead::glued_mark(line, 0).is_some()
}

/// Where the closing block whose anchor is line `anchor` starts: the signature above it
/// (short lines in short blocks) back to the end of the last portion's text, which must
/// end a sentence (or a portion mark). A block that turns out to carry that sentence on
/// (`to the request becomes available to me.` under a double-spaced letter) is given back
/// to the text. `None` when no cut leaves the text whole (the anchor word is then text of
/// a portion, as in a page whose columns the extraction interleaved).
fn signature_start(lines: &Lines, floor: usize, anchor: usize) -> Option<usize> {
    // The blocks taken as the signature, from the anchor up: (first line, last line).
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut top = anchor;
    // Does the text kept above end at line `k`, whole?
    let whole = |k: usize| ends_sentence(lines[k].trim()) || holds_portion(lines, k);
    loop {
        // Step over the blanks, banners and page furniture above.
        let mut k = top;
        while k > floor && transparent(lines[k - 1].trim()) {
            k -= 1;
        }
        if k == floor {
            // Nothing above but the header (or the closing block before).
            return Some(top);
        }
        // The block ending at line `k - 1`: its lines up to a blank.
        let mut j = k;
        let mut size = 0;
        let mut fits = true;
        let mut lower = false;
        while j > floor && !lines[j - 1].trim().is_empty() {
            let t = lines[j - 1].trim();
            if !transparent(t) {
                size += 1;
                fits &= t.chars().count() <= MAX_SIGNATURE_LINE
                    && !holds_portion(lines, j - 1)
                    && !is_sentence(t);
                lower |= is_lower_prose(t);
            }
            j -= 1;
        }
        // Words in lower case under the text are its sentence running on, unless that
        // text ends whole above them: then they are OCR of a handwritten signature (`he
        // apes Mibonl.`, `clap S fled wlan.`), never text taken under the last mark.
        if fits && lower {
            let mut above = j;
            while above > floor && transparent(lines[above - 1].trim()) {
                above -= 1;
            }
            fits = above > floor && whole(above - 1);
        }
        if fits && size <= MAX_SIGNATURE_BLOCK && taken.len() < MAX_SIGNATURE_BLOCKS {
            taken.push((j, k - 1));
            top = j;
            continue;
        }
        // The text kept above ends at line `k - 1`; when its sentence runs on, the blocks
        // taken last are its text, given back one by one.
        let mut end = k - 1;
        loop {
            if whole(end) {
                return Some(taken.last().map_or(anchor, |b| b.0));
            }
            let (_, last) = taken.pop()?;
            end = last;
        }
    }
}

/// A line of prose ending its sentence (`I have transmitted your request.`), never a line
/// of a signature: a capital, three words or more, and a full stop after a word longer
/// than an initial or `Jr.`.
fn is_sentence(t: &str) -> bool {
    let words = t.split_whitespace().count();
    let last = t.split_whitespace().next_back().unwrap_or("");
    t.starts_with(|c: char| c.is_uppercase())
        && words >= 3
        && t.ends_with(['.', '!', '?'])
        && last.chars().count() > 4
}

/// Text running on in lower case (`court order, and no record was made`): three words or
/// more after a lower-case letter.
fn is_lower_prose(t: &str) -> bool {
    starts_lower(t) && t.split_whitespace().count() >= 3
}

/// The last line of the closing list from its anchor: the blocks after it whose lines are
/// all short list lines, up to a portion's start, a line of prose (wide, a sentence, text
/// running on in lower case) or the next memo's header; at most [`MAX_LIST_LINES`] lines.
fn list_end(lines: &Lines, anchor: usize, end: usize) -> usize {
    let mut last = anchor;
    let mut k = anchor + 1;
    let mut taken = 0;
    while k < end {
        let t = lines[k].trim();
        if t.is_empty() {
            k += 1;
            continue;
        }
        // The next block, read whole before it is taken.
        let mut j = k;
        let mut ok = true;
        while j < end && !lines[j].trim().is_empty() {
            let t = lines[j].trim();
            if !transparent(t) {
                taken += 1;
                if !is_list_line(t) || holds_portion(lines, j) || taken > MAX_LIST_LINES {
                    ok = false;
                    break;
                }
            }
            j += 1;
        }
        if !ok {
            break;
        }
        last = j - 1;
        k = j;
    }
    last
}

/// A line of a distribution list, an attachment list or the initials under them
/// (`1 - Mr. Shepanek, O/SA/DO/O`, `OLC:RSG:jms (26 Apr 78)`): short, no sentence, not
/// prose running on in lower case, not the next memo's header.
fn is_list_line(t: &str) -> bool {
    t.chars().count() <= MAX_SIGNATURE_LINE
        && !is_sentence(t)
        && !is_lower_prose(t)
        && !starts_with_ignore_case(t, "MEMORANDUM")
        && !is_subject(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors() {
        for t in [
            "Distribution:",
            "Prepared by:   Jessica Vielhuber",
            "DISTRIBUTION:",
            "Distribution: 1- OLC Chrono",
            "Attachment:",
            "Attachments",
            "Attachment: As Stated",
            "Enclosures - 2",
            "ENCLOSURE",
            "cc: DCI",
            "CC:",
            "Sincerely,",
            "FOR THE COMMANDER:",
        ] {
            assert!(is_anchor(t), "{t}");
        }
        for t in [
            "distribution of literature by",
            "Attachment A lists the sites we visited.",
            "Sincerely",
            "Central Intelligence Agency",
            "Enclosed is the report.",
            "FOR THE RECORD",
        ] {
            assert!(!is_anchor(t), "{t}");
        }
    }

    #[test]
    fn authority_lines() {
        for t in [
            "CL BY: 0605636",
            "CL BY 013978",
            "CL REASON: 1.5(c)",
            "DECL ON: X1",
            "DRV FROM: SEC 5-82",
            "DRV FM COV 1-82",
            "E2 IMPDET",
            "Classified By: J. Smith, Director",
            "Derived from: NSA/CSSM 1-52",
            "DECLASSIFY ON: 20320108",
        ] {
            assert!(is_authority_line(t, false), "{t}");
        }
        assert!(is_authority_line("Reason: 1.4(c)", true));
        assert!(is_authority_line("Dated: 20041123", true));
        for t in [
            "Reason: 1.4(c)",
            "CL BYRNE said",
            "Classified by the station as routine, the report went on.",
            "Derived from these reports, the station concluded",
            "Declassify the file.",
            "DECLINED to answer",
        ] {
            assert!(!is_authority_line(t, false), "{t}");
        }
    }

    use crate::document::ElementKind;
    use crate::parse::parse_str;

    const MEMO: &str = "SECRET\n\nMEMORANDUM FOR: Chief, FPL Group\n\n\
        SUBJECT: Trace Request\n\n\
        1. (S) The search of the files and indices was conducted on both\n\
        individuals named in the request.\n\n\
        2. (U) Please advise us when the review is done. All original notes\n\
        will be kept in this office.\n\n\
        Rodger S. Gabrielson\n\n\
        Attachment:\nAs Stated\n\n\
        Distribution:\n1 - OLC Subject\n1 - OLC Chron\n\nSECRET\n";

    #[test]
    fn the_last_paragraph_ends_before_the_signature() {
        let doc = parse_str(MEMO).expect("parses");
        assert!(doc.check_tiling().is_ok());
        let last = doc.paragraphs.last().expect("paragraphs");
        assert_eq!((last.lines.first, last.lines.last), (10, 11));
        assert!(!last.text.contains("Gabrielson"));
        // The signature, the attachment and the distribution list: furniture, dropped.
        for line in [13, 15, 16, 18, 19, 20] {
            let kind = doc
                .elements
                .iter()
                .find(|e| e.lines.contains(line))
                .map(|e| e.kind);
            assert_eq!(kind, Some(ElementKind::Furniture), "line {line}");
        }
    }

    #[test]
    fn a_marked_line_after_the_list_is_a_portion() {
        let text = MEMO.replace(
            "1 - OLC Chron\n",
            "1 - OLC Chron\n\n3. (S) A late addition.\n",
        );
        let doc = parse_str(&text).expect("parses");
        let last = doc.paragraphs.last().expect("paragraphs");
        assert_eq!(last.lines.first, 22);
        assert_eq!(
            last.marking.as_ref().map(|m| m.canonical()),
            Some("S".to_string())
        );
    }

    #[test]
    fn an_anchor_inside_running_text_is_text() {
        // Columns interleaved by the extraction: the paragraph's sentence runs on past
        // the word, which is no closing block.
        let text = "SECRET\n\n1. (S) During the meeting I said that we\nwould discuss\n\n\
                    Attachments\n\nthe priority of the request with them.\n";
        let doc = parse_str(text).expect("parses");
        let p = &doc.paragraphs[0];
        assert_eq!((p.lines.first, p.lines.last), (3, 8));
    }
}
