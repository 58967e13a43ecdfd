//! Portions of OCR'd agency memos and of newsletters printed a paragraph to a line (issue
//! 16): paragraph numbers behind OCR specks (`*7.`, `7 5.`, `1,`), marks OCR damaged at a
//! portion's end (`(C`, `(8)`, `(Cc)`) or after its label (`2. (8)`, `£. (s)`), a list
//! lettered in the other case under a marked item, a signature OCR read as lower-case
//! words, and SIDtoday's one-line paragraphs.
//!
//! The fixtures are written for these tests (see `tests/fixtures/structure/INDEX.md`).
//! Each case asserts where the portion starts and ends and its mark, and, where a rule
//! could release text, what a release under the default policy keeps out.

use crate::common;
use crate::parse_structure::{parsed, released};

use declass::document::Document;

fn fixture(name: &str) -> Vec<u8> {
    common::read(format!("tests/fixtures/structure/{name}"))
}

/// The portion starting on line `first`: its last line and its mark (canonical).
fn portion(doc: &Document, first: usize) -> (usize, Option<String>) {
    let p = doc
        .paragraphs
        .iter()
        .find(|p| p.lines.first == first)
        .unwrap_or_else(|| panic!("no portion starts at line {first}"));
    (p.lines.last, p.marking.as_ref().map(|m| m.canonical()))
}

const STAFF: &str = "ocr-staff-notes.txt";

#[test]
fn specked_numbers_start_their_paragraphs() {
    let doc = parsed(&fixture(STAFF), STAFF);
    // `1,` (comma for the point), `7 5.` (a speck and a blank), `*7.` (a speck glued).
    assert_eq!(portion(&doc, 7), (8, Some("C".into())));
    assert_eq!(portion(&doc, 19).1, Some("S".into()));
    assert_eq!(portion(&doc, 25), (26, Some("S".into())));
    let numbers: Vec<u32> = doc.paragraphs.iter().filter_map(|p| p.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8]);
}

#[test]
fn damaged_marks_are_read_only_upward() {
    let doc = parsed(&fixture(STAFF), STAFF);
    // `2. (8)` after a number, where the portions carry marks: S.
    assert_eq!(portion(&doc, 10), (11, Some("S".into())));
    // Trailing `(Cc)` and an unclosed `(C` after the sentence: C.
    assert_eq!(portion(&doc, 13), (14, Some("C".into())));
    assert_eq!(portion(&doc, 16), (17, Some("C".into())));
    // `7 5. … (8)`: S, and the next number starts a portion of its own.
    assert_eq!(portion(&doc, 19), (20, Some("S".into())));
    // `6.` ends no sentence with a mark: unmarked, withheld.
    assert_eq!(portion(&doc, 22), (23, None));
    let out = released(&fixture(STAFF), STAFF);
    for withheld in [
        "budget hearing",
        "archive is",
        "Congressional",
        "tasking list",
    ] {
        assert!(!out.contains(withheld), "{withheld} released: {out}");
    }
}

#[test]
fn a_list_in_the_other_case_stays_under_its_item() {
    let doc = parsed(&fixture(STAFF), STAFF);
    // `a. (S) … files:` then `A.` … `C.`: the item's own list.
    assert_eq!(portion(&doc, 28), (32, Some("S".into())));
    assert_eq!(portion(&doc, 34), (34, Some("U".into())));
    // `£. (s)`: OCR's `f. (S)`, a sub-item of its own, and the block under it goes on in
    // it as under any marked sub-item (not an unmarked portion of its own).
    assert_eq!(portion(&doc, 36), (38, Some("S".into())));
    let out = released(&fixture(STAFF), STAFF);
    assert!(out.contains("arrived by telephone"), "{out}");
    for withheld in ["ALPHA FILE", "CHARLIE FILE", "second item"] {
        assert!(!out.contains(withheld), "{withheld} released: {out}");
    }
}

#[test]
fn a_scrawled_signature_is_not_the_last_paragraph() {
    let doc = parsed(&fixture(STAFF), STAFF);
    assert_eq!(portion(&doc, 40), (40, Some("U".into())));
    let out = released(&fixture(STAFF), STAFF);
    assert!(out.contains("All notes will be kept"), "{out}");
    assert!(!out.contains("Mibonl"), "{out}");
}

const SID: &str = "sidtoday-line-paragraphs.md.txt";

#[test]
fn one_line_paragraphs_are_portions_of_their_own() {
    let doc = parsed(&fixture(SID), SID);
    assert_eq!(portion(&doc, 9), (9, Some("C".into())));
    // The unmarked line under a marked one: a portion of its own, withheld.
    assert_eq!(portion(&doc, 10), (10, None));
    assert_eq!(portion(&doc, 19), (19, Some("U".into())));
    assert_eq!(portion(&doc, 20), (20, None));
    let out = released(&fixture(SID), SID);
    assert!(out.contains("Questions go to"), "{out}");
    for withheld in ["never seen the lists", "hidden message"] {
        assert!(!out.contains(withheld), "{withheld} released: {out}");
    }
}

#[test]
fn the_list_under_a_lead_in_stands_alone() {
    let doc = parsed(&fixture(SID), SID);
    // `(U) Here is the schedule …:` and its indented, unmarked dates: the dates are not
    // taken under the lead-in's mark (an unmarked block after a blank may be text whose
    // mark the page lost), so they are withheld with the classified document.
    assert_eq!(portion(&doc, 12), (12, Some("U".into())));
    assert_eq!(portion(&doc, 14), (15, None));
    let out = released(&fixture(SID), SID);
    assert!(out.contains("Here is the schedule"), "{out}");
    assert!(!out.contains("Lists due from"), "{out}");
}
