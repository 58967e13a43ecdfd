//! Parser tests on small synthetic documents; the real cables are exercised in
//! `tests/parse_corpus.rs`.

use super::*;
use crate::document::ElementKind;

fn doc(text: &str) -> Document {
    let d = parse_str(text).expect("parses");
    assert_eq!(d.check_tiling(), Ok(()), "every line accounted for");
    d
}

#[test]
fn seed_like_document() {
    let d = doc(
        "C O N F I D E N T I A L PRAGUE 000486\n\nSIPDIS\n\nE.O. 12958: DECL: 05/02/2017\nTAGS: PREL EZ\nSUBJECT: ONE\nTWO\n\nClassified By: Someone\nfor reasons 1.4 (b) and (d).\n\n¶1. (C) First.\n\n¶2. (SBU) Second on April\n\n¶27. DCM went.\n\n¶3. (SBU) Third.\nGRABER",
    );
    assert_eq!(d.header.banner.as_ref().unwrap().marking.level, Level::C);
    assert_eq!(d.header.subject.as_ref().unwrap().text, "ONE TWO");
    assert_eq!(d.header.classified_by.as_ref().unwrap().reasons, ['b', 'd']);
    let nums: Vec<_> = d.paragraphs.iter().map(|p| p.number).collect();
    assert_eq!(nums, [Some(1), Some(2), Some(3)]);
    assert_eq!(d.paragraphs[1].text, "Second on April 27. DCM went.");
    assert_eq!(d.signature.as_ref().unwrap().text, "GRABER");
}

#[test]
fn ocr_damaged_number_read_by_sequence() {
    let d = doc(
        "S E C R E T STATE 000001\n\n1. (S) One.\n\n2. (S) Two.\n\n13. (C) Three.\n\n4. (C) Four.\n",
    );
    let nums: Vec<_> = d.paragraphs.iter().map(|p| p.number).collect();
    assert_eq!(nums, [Some(1), Some(2), Some(3), Some(4)]);
    assert_eq!(d.paragraphs[2].printed_number.as_deref(), Some("13."));
    assert!(
        d.diagnostics
            .iter()
            .any(|x| x.code == Code::ParagraphOutOfSequence)
    );
}

#[test]
fn page_break_kept_out_and_sentence_joined() {
    let d = doc(
        "C O N F I D E N T I A L SECTION 01 OF 02 KHARTOUM 000413\n\n1. (C) There was talk and there\nKHARTOUM 00000413  002 OF 002\nis even talk of cooperation.\n\n2. (C) Next.\n",
    );
    assert_eq!(d.paragraphs.len(), 2);
    assert_eq!(
        d.paragraphs[0].text,
        "There was talk and there is even talk of cooperation."
    );
    assert!(d.elements.iter().any(|e| e.kind == ElementKind::PageBreak));
}

#[test]
fn unclassified_banner_is_inherited() {
    let d = doc(
        "UNCLAS SECTION 01 OF 02 MEXICO 002160\n\nSIPDIS\nSENSITIVE\n\nE.O. 12958: N/A\nSUBJECT: X\n\n1. Welcome.\n\n2. (U) Two.\n",
    );
    let p = &d.paragraphs[0];
    assert_eq!(p.origin.as_str(), "inherited");
    assert_eq!(p.marking.as_ref().unwrap().canonical(), "U//SBU");
    assert_eq!(d.paragraphs[1].origin.as_str(), "explicit");
}

#[test]
fn unmarked_in_classified_stays_unmarked() {
    let d =
        doc("S E C R E T STATE 000001\n\nSUBJECT: (S) X\n\n1. (S) One.\n\n2. Two has no mark.\n");
    assert_eq!(d.paragraphs[1].origin, Origin::None);
    assert!(d.paragraphs[1].marking.is_none());
    assert!(
        d.diagnostics
            .iter()
            .any(|x| x.code == Code::UnmarkedParagraph && x.line == 7)
    );
}

#[test]
fn unclassified_banner_not_inherited_when_a_portion_is_classified() {
    let d = doc("UNCLASSIFIED\n\n1. (C) Classified.\n\n2. Unmarked.\n");
    assert_eq!(d.paragraphs[1].origin, Origin::None);
}

#[test]
fn entire_text_declaration() {
    let d = doc("S E C R E T STATE 000001\n\n1. SECRET - ENTIRE TEXT.\n\n2. Two.\n\n3. Three.\n");
    assert_eq!(
        d.header.entire_text.as_ref().unwrap().marking.level,
        Level::S
    );
    for p in &d.paragraphs[1..] {
        assert_eq!(p.origin.as_str(), "inherited");
        assert_eq!(p.marking.as_ref().unwrap().level, Level::S);
    }
}

#[test]
fn unknown_mark_is_reported() {
    let d = doc("SECRET\n\n1. (N/SF) Hm.\n");
    assert_eq!(d.paragraphs[0].origin, Origin::Unknown);
    assert!(d.diagnostics.iter().any(|x| x.code == Code::UnknownMarking));
}

#[test]
fn cab_inside_paragraph_one() {
    let d = doc(
        "C O N F I D E N T I A L ROME 001234\n\nSUBJECT: X\n\n1. (U) CLASSIFIED BY CHARGE X; REASON 1.5 (D).\n\n2. (C) Text.\n",
    );
    let cab = d.header.classified_by.as_ref().unwrap();
    assert_eq!(cab.reasons, ['d']);
    assert_eq!(cab.in_paragraph, Some(0));
}

#[test]
fn lettered_labels_are_not_marks() {
    let d = doc(
        "C O N F I D E N T I A L ROME 001234\n\n1. (C) Items:\n(A) first;\n(B) second;\n(C) third.\n\n2. (C) Next.\n",
    );
    assert_eq!(d.paragraphs.len(), 2);
    assert!(d.paragraphs[0].text.contains("(C) third."));
}

#[test]
fn unnumbered_marked_paragraphs() {
    let d = doc("SECRET//NOFORN\n\nSUBJECT: X\n\n(S//NF) One.\n\n(U) Two.\n");
    assert_eq!(d.paragraphs.len(), 2);
    assert_eq!(
        d.paragraphs[0].marking.as_ref().unwrap().canonical(),
        "S//NF"
    );
    assert_eq!(d.paragraphs[1].marking.as_ref().unwrap().canonical(), "U");
}

/// Found by fuzzing the release pipeline: in the body, before any numbered paragraph, a
/// header field line (REF, TAGS) took every following line as its continuation, so a
/// marked paragraph right below it was released verbatim as header material.
#[test]
fn a_portion_below_a_field_in_the_body_is_a_paragraph() {
    let d = doc(
        "SECRET\n\nSUBJECT: (U) Plans\n\n(S) First paragraph text.\n\nREF: STATE 1234\n(S) The secret plan.\n\nTAGS: PREL PGOV\nEZ RU\nThe secret prose.\n",
    );
    // Header parts end where the first marked portion begins: after `(S) First …`, a
    // `REF:` or `TAGS:` line is body text (unmarked, so withheld), never a header field.
    let texts: Vec<_> = d.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "First paragraph text.",
            "REF: STATE 1234",
            "The secret plan.",
            "TAGS: PREL PGOV\nEZ RU\nThe secret prose."
        ]
    );
    assert!(
        !d.elements
            .iter()
            .any(|e| matches!(e.kind, ElementKind::Ref | ElementKind::Tags)),
        "{:?}",
        d.elements
    );
    assert_eq!(d.paragraphs[2].marking.as_ref().unwrap().level, Level::S);
    assert!(d.paragraphs[3].marking.is_none());
}

/// Found by fuzzing: a REF field in the body went on across a section banner, so the
/// prose after the break was released as a REF line.
#[test]
fn a_field_in_the_body_ends_at_a_section_break() {
    let d = doc(
        "SECRET\n\nSUBJECT: (U) Plans\n\n(S) First paragraph text.\n\nREF: STATE 1234\nSECRET SECTION 02 OF 02 STATE 001234\nThe secret prose.\n",
    );
    // After a marked portion the REF line is body text; the prose continues it across the
    // break, unmarked (withheld in this SECRET document).
    let texts: Vec<_> = d.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        ["First paragraph text.", "REF: STATE 1234 The secret prose."]
    );
    assert!(d.paragraphs[1].marking.is_none());
    let last = d.elements.last().unwrap();
    assert_eq!(
        (last.kind, last.lines.first),
        (ElementKind::Paragraph(1), 9)
    );
}

/// Found by fuzzing: a paragraph whose number is damaged (`l.` for `1.`, or `Â¶1.`, a
/// UTF-8 `¶` in a file read as Latin-1) right under the banner was read as an addressee
/// line and released whatever its mark. A readable mark after a short lead starts a
/// portion; a REF item labelled twice (`¶C. (C) PARIS 7527`) stays a REF item.
#[test]
fn a_mark_after_a_damaged_lead_starts_the_body() {
    for lead in ["l.", "Â¶1.", "*1)", "."] {
        let d = doc(&format!(
            "SECRET\n\n{lead} (S) The secret plan.\n\n2. (S) More.\n"
        ));
        assert!(d.header.addressees.is_empty(), "{lead}");
        assert_eq!(d.paragraphs.len(), 2, "{lead}");
        assert_eq!(d.paragraphs[0].lines.first, 3, "{lead}");
    }
    assert!(lines::is_body_start("l. (S) The secret plan."));
    assert!(lines::is_body_start(". (C) Summary. The visit."));
    let padded = format!("Â¶5. (S{}) As an aside.", " ".repeat(90));
    assert!(lines::is_body_start(&padded));
    assert!(!lines::is_body_start("¶C. (C) PARIS 7527"));
    assert!(!lines::is_body_start("EUR/NCE FOR ERIC FICHTE"));
}

/// Found by fuzzing: with a garbled first classification line, the banner was looked for
/// further down, past a marked paragraph, and every line above the line taken for the
/// banner was header text, released as the header is.
#[test]
fn the_banner_is_not_looked_for_past_a_portion() {
    let d = doc(
        "C O N F I D E N T I A L VILNIUS 0007\u{cd}\u{cd}PDI GOL uses routes\n\u{b6}4. (C) We also discussed the issue.\n\nSIPDIS\n\nUNCLASSIFIED\n\n5. (U) Open.\n",
    );
    let p = d
        .paragraphs
        .iter()
        .find(|p| p.text.contains("We also discussed"))
        .expect("a paragraph");
    assert_eq!(p.marking.as_ref().unwrap().level, Level::C);
    assert!(d.header.banner.as_ref().is_none_or(|b| b.line != 6));
}

/// Found by fuzzing: a Classified By block in the body went on into a paragraph whose lead
/// was damaged (`.¶1. (C) Summary…`), released as the Classified By line.
#[test]
fn a_classified_by_block_ends_at_any_portion() {
    let d = doc(
        "SECRET\n\nSUBJECT: (U) Plans\n\n(S) First paragraph text.\n\nClassified By: Someone\nfor reasons 1.4 (b) and (d).\n.\u{b6}1. (C) Summary. The secret visit.\n",
    );
    let cab = d
        .header
        .classified_by
        .as_ref()
        .expect("a Classified By block");
    assert_eq!(cab.lines, crate::document::LineSpan::new(7, 8));
    assert!(
        d.paragraphs
            .iter()
            .any(|p| p.lines.first == 9 && p.text.contains("The secret visit"))
    );
}

#[test]
fn a_damaged_secret_stamp_keeps_a_scan_from_inheriting_unclassified() {
    // A scan whose only whole level word is a form's `Unclassified`, with the memo's own
    // SECRET stamp OCR-damaged (`SECREL`): its unmarked text must not inherit U.
    let d = doc(
        "CLASSIFICATION :\n\nUnclassified\n\nMEMO\n\n2 SECREL ee\n\nThe agent met the source in Zurich\nabout the sale of arms.\n",
    );
    let p = d
        .paragraphs
        .iter()
        .find(|p| p.text.contains("Zurich"))
        .expect("the memo's paragraph");
    assert_eq!(p.origin, Origin::None, "{:?}", d.paragraphs);
    assert!(d.paragraphs.iter().all(|p| !p.text.contains("SECREL")));
}

#[test]
fn a_sentence_opening_with_reference_is_text_not_a_ref_field() {
    let d = doc(
        "SECRET\n\nTo: Director\n\nReference is made to your communication dated\nOctober 29, 1974, about the subject.\n\nREF: A. STATE 1234\n",
    );
    assert!(
        d.paragraphs
            .iter()
            .any(|p| p.text.starts_with("Reference is made")),
        "{:?}",
        d.paragraphs
    );
    assert!(
        d.header
            .refs
            .iter()
            .all(|r| !r.text.contains("Reference is made")),
        "{:?}",
        d.header.refs
    );
}

#[test]
fn a_byline_under_a_title_wrapped_onto_two_lines() {
    // Written for this test, after a PDF newsletter reprint: the marked title wraps, the
    // byline's caption is printed `From:`. The byline is furniture (withheld), never the
    // title's text.
    let d = doc("TOP SECRET//SI//REL TO USA, FVEY\n\n\
         (S//SI//REL) GSM Tower Mapping Made Easier and More Accurate\n\
         \x20                        with New Tool\n\
         From: Menwith Hill Station (F77)\n\n\
         (TS//SI//REL) DYMO outperforms existing data sets.\n");
    let spans: Vec<_> = d
        .paragraphs
        .iter()
        .map(|p| (p.lines.first, p.lines.last))
        .collect();
    assert_eq!(spans, [(3, 4), (7, 7)]);
    assert!(
        d.elements
            .iter()
            .any(|e| e.kind == ElementKind::Furniture && e.lines.first == 5)
    );
}

#[test]
fn guide_sections_numbered_before_their_marks() {
    // Written for this test, after a classification guide's pages: a section number before
    // its mark starts a portion (`4.4 (S//TK)`), a reason citation (`1.4 (c)`) does not.
    let d = doc("SECRET//SI/TK//REL TO USA, AUS, GBR\n\n\
         \x20    4.4 (S//TK) Mission 7500 Program Overview\n\n\
         (S//TK) Mission 7500 is a satellite system.\n\n\
         \x20          4.4.1 (U) Primary System Mission\n\n\
         (S//TK) It collects signals.\n");
    let marks: Vec<_> = d
        .paragraphs
        .iter()
        .map(|p| (p.lines.first, p.marking.as_ref().map(|m| m.canonical())))
        .collect();
    assert_eq!(
        marks,
        [
            (3, Some("S//TK".to_string())),
            (5, Some("S//TK".to_string())),
            (7, Some("U".to_string())),
            (9, Some("S//TK".to_string())),
        ]
    );
}
