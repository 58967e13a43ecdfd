//! Addressee lines only where the layout has them (issue 16): the header scanner keeps a
//! line after the banner as an addressee (released with the header, unmarked) only in a
//! cable's office block or under a memo label (`MEMORANDUM FOR`, `FROM:`, …). All-capitals
//! prose (old agency messages, OCR) cannot be told from an office line by its case, so
//! anywhere else it is body: an unmarked portion, withheld in a classified document.
//!
//! The fixtures in `tests/fixtures/header/` are written for these tests, not real documents
//! (see its README).

use crate::common;
// The parse (tiling checked) and default-policy release helpers of the structure tests.
use crate::parse_structure::{parsed, released};

use declass::document::Document;

fn fixture(name: &str) -> Vec<u8> {
    common::read(format!("tests/fixtures/header/{name}"))
}

fn addressees(doc: &Document) -> Vec<&str> {
    doc.header
        .addressees
        .iter()
        .map(|a| a.text.as_str())
        .collect()
}

#[test]
fn all_capitals_prose_right_after_a_banner_is_body_and_withheld() {
    let name = "allcaps-prose-after-banner.txt";
    let bytes = fixture(name);
    let doc = parsed(&bytes, name);
    assert!(
        doc.header.addressees.is_empty(),
        "no addressee in a message without a cable layout or a label: {:?}",
        addressees(&doc)
    );
    // The prose is a portion of the body, unmarked.
    let prose = doc
        .paragraphs
        .iter()
        .find(|p| p.lines.contains(3))
        .expect("line 3 is in a portion");
    assert!(prose.marking.is_none(), "the prose prints no mark");
    assert_eq!(prose.lines.last, 5, "the three prose lines are one portion");

    let out = released(&bytes, name);
    for words in [
        "THE AGENT MET THE ASSET KESTREL",
        "MISSILE SCHEDULE",
        "REPORT AGAIN NEXT WEEK",
        "STATION WILL CONTINUE",
    ] {
        assert!(!out.contains(words), "released: {words:?}\n{out}");
    }
    assert!(
        out.contains("ROUTINE ADMINISTRATIVE MATTERS FOLLOW BY POUCH"),
        "the (U) paragraph is released\n{out}"
    );
}

#[test]
fn memo_labels_keep_their_addressees_and_only_them() {
    let name = "allcaps-memo-labels.txt";
    let bytes = fixture(name);
    let doc = parsed(&bytes, name);
    assert_eq!(
        addressees(&doc),
        [
            "MEMORANDUM FOR: CHIEF, WESTERN HEMISPHERE DIVISION",
            "DEPUTY CHIEF",
            "FROM: DIRECTOR OF SECURITY",
        ],
        "the label lines and the line wrapped under the first"
    );
    let out = released(&bytes, name);
    // The addressees are released as the header is (the default policy's name matcher
    // may redact words after `FOR`).
    for words in ["MEMORANDUM FOR: CHIEF,", "FROM: DIRECTOR OF SECURITY"] {
        assert!(out.contains(words), "not released: {words:?}\n{out}");
    }
    for words in [
        // A sentence directly under a label is not one of its lines.
        "THE SOURCE REPORTED THAT THE COURIER",
        // Capital prose after a blank line, before the first marked paragraph.
        "THE COURIER LEAVES THE EMBASSY AT NOON",
        "BY THE SIDE GATE",
        "THE STATION REQUESTS TRACES",
    ] {
        assert!(!out.contains(words), "released: {words:?}\n{out}");
    }
    assert!(
        out.contains("NO ACTION IS REQUIRED OF THE DIVISION"),
        "{out}"
    );
}

#[test]
fn a_cable_keeps_its_office_lines() {
    // A cable's office and passing lines between the banner and the E.O. line are its
    // addressees, in capitals, with no label: the cable layout (the banner's serial) has them.
    let text = "C O N F I D E N T I A L SECTION 01 OF 02 ATHENS 001917\n\
                PLEASE PASS TO S/SA JIM DOBBINS\n\
                STATE FOR EUR/SE\n\
                E.O. 12958: DECL: 04/18/02\n\
                TAGS: PREL GR\n\
                SUBJECT: ENGAGING GREECE\n\
                \n\
                1. (C) TEXT OF THE FIRST PARAGRAPH.\n";
    let doc = parsed(text.as_bytes(), "01ATHENS1.txt");
    assert_eq!(
        addressees(&doc),
        ["PLEASE PASS TO S/SA JIM DOBBINS", "STATE FOR EUR/SE"]
    );
    // The same lines under a bare banner, with the cable's E.O. and TAGS lines below: still
    // a cable's layout.
    let text = text.replace(
        "C O N F I D E N T I A L SECTION 01 OF 02 ATHENS 001917",
        "CONFIDENTIAL",
    );
    let doc = parsed(text.as_bytes(), "01ATHENS1.txt");
    assert_eq!(
        addressees(&doc),
        ["PLEASE PASS TO S/SA JIM DOBBINS", "STATE FOR EUR/SE"]
    );
}
