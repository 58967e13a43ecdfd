//! Unit tests of how the segmenter cuts older agency memos: a marked list item runs over
//! its unmarked sub-items and double-spaced lines to the next mark, a `(1) (U)` item sits
//! under its parent, and a page's running header repeating the subject is furniture.

use crate::document::ElementKind;
use crate::parse::parse_str;

fn spans(text: &str) -> Vec<(usize, usize, Option<usize>)> {
    parse_str(text)
        .expect("parses")
        .paragraphs
        .iter()
        .map(|p| (p.lines.first, p.lines.last, p.parent))
        .collect()
}

#[test]
fn a_marked_item_runs_over_its_unmarked_sub_items() {
    let text = "SECRET\n\n(U) The following is the status of the requests.\n\n\
                a. (U) Files before the event.\n\n(1).\n\n\
                Given that he was a subject of the operation, there was\n\n\
                a file.\n\n\
                We destroyed all of those files under\n\n\
                court order.\n\n\
                b. (S) Contact with journalists.\n\n\
                f. (s) The appeal.\n";
    let got = spans(text);
    assert_eq!(got[1], (5, 15, Some(0)), "{got:?}");
    assert_eq!(got[2], (17, 17, Some(0)), "{got:?}");
    // A damaged mark after the next label: not taken under the (S) item.
    assert_eq!((got[3].0, got[3].1), (19, 19), "{got:?}");
}

#[test]
fn a_caption_after_an_item_stands_alone() {
    let text = "SECRET\n\n(S) The conditions.\n\n\
                3) (S) Provide assurances of the layout.\n\n\
                OGC requirements:\n(S) Except in exigent circumstances.\n";
    let got = spans(text);
    assert_eq!((got[1].0, got[1].1), (5, 5), "{got:?}");
    assert_eq!(got[2].0, 7, "{got:?}");
}

#[test]
fn a_parenthesised_number_before_a_mark_is_a_sub_item() {
    let got = spans("SECRET\n\n1. (S) The sites.\n\n(1) (U) The first site.\n");
    assert_eq!(got[1], (5, 5, Some(0)));
}

#[test]
fn a_running_header_repeating_the_subject_is_furniture() {
    let text = "SECRET\n\n(U) Status of Outstanding Issues\n\n\
                a. (U) The files were reviewed and\n\nSECRET\n\n\
                SUBJECT: (U) Status of Outstanding Issues\n\n\
                the documents were transferred.\n";
    let doc = parse_str(text).expect("parses");
    let header = doc
        .elements
        .iter()
        .find(|e| e.lines.contains(9))
        .map(|e| e.kind);
    assert_eq!(header, Some(ElementKind::Furniture));
    let item = &doc.paragraphs[1];
    assert_eq!((item.lines.first, item.lines.last), (5, 11));
    assert!(!item.text.contains("SUBJECT"));
}

#[test]
fn a_letter_after_a_memo_starts_its_own_portions() {
    let text = "SECRET\n\n1. (S) The request was validated.\n\n\
                Rodger S. Gabrielson\n\n\
                Dear Mr. Blakey:\n\n\
                I have received your letter of 6 March requesting\n\naccess.\n\n\
                I have transmitted your request.\n\n\
                Sincerely,\n\nPatrick L. Carpentier\n";
    let doc = parse_str(text).expect("parses");
    assert!(doc.check_tiling().is_ok());
    let got: Vec<(usize, usize)> = doc
        .paragraphs
        .iter()
        .map(|p| (p.lines.first, p.lines.last))
        .collect();
    // The memo's paragraph (and its signature, a heading of its own here), then the
    // letter's two paragraphs; the salutation and the closing are no portion's.
    assert_eq!(got[0].0, 3, "{got:?}");
    assert_eq!(got[got.len() - 2..], [(9, 11), (13, 13)], "{got:?}");
    for line in [7, 15, 17] {
        assert!(got.iter().all(|p| !(p.0..=p.1).contains(&line)), "{got:?}");
    }
}

#[test]
fn a_letter_quoted_by_a_portion_stays_its_text() {
    // A cable quoting a letter (`Begin text`, or a lead-in ending in a colon): the
    // salutation starts no letter, the letter is the quoting portion's text.
    for lead in ["Begin text of the letter:", "The letter follows below:"] {
        let text = format!(
            "CONFIDENTIAL\n\n1. (C) The meeting.\n\n2. (C) {lead}\n\n\
             Dear Commissioner Ali:\n\nWe trust that you will act.\n\nEnd text.\n"
        );
        let got = spans(&text);
        assert_eq!(got.len(), 2, "{lead}: {got:?}");
        assert_eq!((got[1].0, got[1].1), (5, 11), "{lead}: {got:?}");
        // Under a lead-in marked U in the classified cable, the letter (salutation and
        // all) stands alone, unmarked: withheld, never released under the U mark.
        let got = spans(&text.replace("2. (C)", "2. (U)"));
        assert_eq!(got.len(), 3, "{lead}: {got:?}");
        assert_eq!((got[1].0, got[1].1), (5, 5), "{lead}: {got:?}");
        assert_eq!((got[2].0, got[2].1), (7, 11), "{lead}: {got:?}");
    }
}

#[test]
fn a_heading_does_not_run_on_in_a_sub_item() {
    // Lettered items of a cable's reporting form, then a section heading between rules:
    // the heading is no text of the (U) item above it.
    let text = "SECRET\n\nSUBJECT: (U) FORM\n\n(U) The replies follow.\n\n\
                ¶C.  (U) N/A\n\n¶D.  (U) N/A\n\n-----------------------\n\
                TRANSNATIONAL TERRORISM\n-----------------------\n\n\
                ¶I.  (S/NF)  Indicators\n";
    let got = spans(text);
    let item = got.iter().find(|p| p.0 == 9).expect("the D item");
    assert_eq!(item.1, 9, "{got:?}");
}

#[test]
fn a_running_header_repeats_a_subject_printed_under_cover_lines() {
    // OCR'd cover lines before the marked subject line push it past the first portions.
    let text = "SECRET\n\ne\n\n<y\n\nMEMORANDUM FOR:\n\nFROM:\n\nnoise 12\n\n\
                (U) Status of Outstanding Issues\n\n\
                a. (U) The files were reviewed and\n\nSECRET\n\n\
                SUBJECT: (U) Status of Outstanding Issues\n\n\
                the documents were transferred.\n";
    let doc = parse_str(text).expect("parses");
    let kind = doc
        .elements
        .iter()
        .find(|e| e.lines.contains(19))
        .map(|e| e.kind);
    assert_eq!(kind, Some(ElementKind::Furniture));
    let item = doc.paragraphs.last().expect("a portion");
    assert_eq!((item.lines.first, item.lines.last), (15, 21));
    assert!(!item.text.contains("SUBJECT"));
}

/// `(8)` after a list label, in a memo whose portions carry marks, is OCR's `(S)`: the
/// item is a portion of its own under its parent, read as S (damaged); not before a word
/// in lower case (a citation), nor in a document with no mark before it.
#[test]
fn a_damaged_s_after_a_list_label_starts_a_sub_portion() {
    let text = "MEMORANDUM FOR THE RECORD\n\n\
                4. (S) Following are the possible topics for hearings.\n\n\
                (1) (S) Possible Topics for Public Hearings\n\n\
                (a) Results of the visit.\n\n\
                (2) (8) Issues:\n\n\
                No major issues at this moment.\n";
    let doc = parse_str(text).expect("parses");
    let got = spans(text);
    assert_eq!(got[2], (9, 11, Some(0)), "{got:?}");
    let m = doc.paragraphs[2].marking.as_ref().expect("marked");
    assert_eq!((m.level, m.damaged), (crate::marking::Level::S, true));
    let marked_at_9 = |text: &str| {
        parse_str(text)
            .expect("parses")
            .paragraphs
            .iter()
            .any(|p| p.lines.first == 9 && p.marking.is_some())
    };
    assert!(!marked_at_9(
        &text.replace("(8) Issues:", "(8) of the Act applies.")
    ));
    assert!(!marked_at_9(&text.replace("(S)", "")));
}
