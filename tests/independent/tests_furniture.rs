//! Tests of the unmarked rule's furniture allowances (`stamps`, the header run, the
//! context-read furniture of `unmarked`) and of the damaged-mark reader (`damaged`): each
//! allowance lets its furniture through, and the same place with a sentence in it is
//! still a hit. The sources are written for the tests (fixtures, not real documents).

use super::unmarked::Kind;
use super::*;

/// The unmarked rule's leak hits (line, kind) when the release prints the source whole.
fn leaks(src: &str) -> Vec<(usize, Kind)> {
    report(src, src, Level::U)
        .unmarked
        .hits
        .into_iter()
        .filter(|h| !h.repeat)
        .map(|h| (h.line, h.kind))
        .collect()
}

const PROSE: &str = "The minister said the convoy would cross the border at dawn with troops";

#[test]
fn a_cable_header_run_onto_its_banner_line_is_furniture() {
    let src = "C O N F I D E N T I A L SECTION 01 OF 02 MOSCOW 001537 SIPDIS SIPDIS E.O. 12958: DECL: 04/06/2017 TAGS: PINR MARR PREL RS\n\n1. (C) one two three four five six seven eight nine\n";
    assert_eq!(leaks(src), []);
    let src = "C O N F I D E N T I A L DUSHANBE 001648 SIPDIS STATE FOR T, EUR/CACEN, SA E.O. 12958: DECL: 10/10/2015 TAGS: PREL TI\n\n1. (C) one two three four five six seven eight nine\n";
    assert_eq!(leaks(src), []);
    // prose after the banner, or a subject run into it, is no header
    let src = format!(
        "C O N F I D E N T I A L MOSCOW 001537 SIPDIS {}\n\n1. (C) one two three four five six seven eight nine\n",
        PROSE.to_uppercase()
    );
    assert_eq!(leaks(&src), [(1, Kind::NoMark)]);
    let src = "C O N F I D E N T I A L MOSCOW 001537 SIPDIS E.O. 12958: DECL: 04/06/2017 SUBJECT: THE CONVOY CROSSES AT DAWN\n\n1. (C) one two three four five six seven eight nine\n";
    assert_eq!(leaks(src), [(1, Kind::NoMark)]);
}

#[test]
fn addressees_above_the_header_fields_are_furniture_when_no_subject_stands_above_the_first_mark() {
    let src = "S E C R E T MANAMA 000795\n\nNOFORN\n\nDEFENSE FOR OSD\nCENTCOM FOR GENERAL PETREAUS\n\nFROM AMBASSADOR ADAM ERELI\n\nE.O. 12958: DECL: 12/02/2038\nTAGS: PREL MARR\nSUBJECT: (U) SCENESETTER FOR THE DIALOGUE\n\n1. (S) one two three four five six seven eight nine\n";
    assert_eq!(leaks(src), []);
    // below the header fields, a line in capitals is content
    let src = "S E C R E T MANAMA 000795\n\nE.O. 12958: DECL: 12/02/2038\nTAGS: PREL MARR\n\nFROM AMBASSADOR ADAM ERELI\n\n1. (S) one two three four five six seven eight nine\n";
    assert_eq!(leaks(src), [(6, Kind::NoMark)]);
}

#[test]
fn a_sections_repeated_addressees_are_furniture_but_its_prose_is_not() {
    let src = "C O N F I D E N T I A L SECTION 01 OF 02 ROME 001196\n\n1. (C) one two three four five six seven eight nine\n\nC O N F I D E N T I A L SECTION 02 OF 02 ROME 001196\nSIPDIS\nDEPARTMENT FOR EUR/WE, EUR/PPD AND DRL\nE.O. 12958: DECL: 03/05/2007\n\n2. (C) ten eleven twelve thirteen fourteen fifteen sixteen\n";
    assert_eq!(leaks(src), []);
    let src = format!(
        "C O N F I D E N T I A L SECTION 01 OF 02 ROME 001196\n\n1. (C) one two three four five six seven eight nine\n\nC O N F I D E N T I A L SECTION 02 OF 02 ROME 001196\nSIPDIS\n{}\n",
        PROSE.to_uppercase()
    );
    assert_eq!(leaks(&src), [(7, Kind::AfterWithheld)]);
}

#[test]
fn dump_metadata_and_page_stamps_are_furniture() {
    let src = ">\n2/22/2008 14:46\n08KINSHASA189\nEmbassy Kinshasa\nSECRET//NOFORN\n07KINSHASA798|07KINSHASA801\n\nid: 114649\ndate: 7/6/2007 23:31\nrefid: 07LIMA2323\ndestination: 07LIMA2000|07LIMA2009\nheader:\nThis record is a partial extract of the original cable. The full text of the original cable is not available.\n\nINFO  LOG-00   AID-00   AMAD-00\n      DINT-00  DODE-00  WHA-00\n\n1. (S) one two three four five six seven eight nine\n\n14-0000\n\n104-10427-10052\n\nNW 47055 DocId:32271017 Page 1\n\n## Page 2\n\n2. (S) ten eleven twelve thirteen fourteen fifteen sixteen\n";
    assert_eq!(leaks(src), []);
    // the origin line only right under a message id; a number line with words is prose
    let src = "SECRET\n\nEmbassy Kinshasa reports the convoy crossed\n\n14-0000 troops crossed the border\n\n1. (S) one two three four five six seven eight nine\n";
    assert_eq!(leaks(src), [(3, Kind::NoMark), (5, Kind::NoMark)]);
}

#[test]
fn the_jfk_release_stamps_and_a_damaged_identification_form_are_furniture() {
    let src = "## Page 1\n\n198-10004-10207) | 2025 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT OF 1992 |\n; JFK Assassination System Date: 6/24/201\n\nidentification Form\n\nAgency Information\n\nAGENCY: ARMY\nCOMMENTS : Califano Papers, Box 6, Folder 10. Army memo on the status of actions\n\nHW 50955 Bocld:32276192 Page 1\n\nSECRET\n\nReleased under the John F. Kennedy\nAssassination Records Collection Act of\n1992 (44 USC 2107 Note). Case#:NW\n88613 Date: 09-18-2025\n\n1. (S) one two three four five six seven eight nine\n";
    assert_eq!(leaks(src), []);
    // the form ends at its page stamp: prose after it is the document's
    let src = format!(
        "## Page 1\n\nJFK Assassination System\n\nAgency Information\n\nHW 50955 Docld:32276192 Page 1\n\n{PROSE}\n\nSECRET\n"
    );
    assert_eq!(leaks(&src), [(9, Kind::NoMark)]);
}

#[test]
fn a_one_page_record_goes_on_after_its_identification_form() {
    // no page stamp below the form: its fields end it, and the report after them is
    // the document's text
    let src = format!(
        "JFK ASSASSINATION SYSTEM\nIDENTIFICATION FORM\nAGENCY : NARA\nRECORD NUMBER : 176-10037-10440\nCOMMENTS : Goodwin Papers, Box 4.\nCOUNTRY\n\n{PROSE}\n\nSECRET\n"
    );
    assert_eq!(leaks(&src), [(8, Kind::NoMark)]);
}

#[test]
fn ic_system_banners_version_lines_and_running_heads_are_furniture() {
    let head = "TemplaterPOISONNUT Product - Wikilnfo";
    let src = format!(
        "{head}\n\n  T h e a c c r e d i t e d s e c u r i t y l e v e l of t h i s s y s t e m is: T O P S E C R E T\n                  TOP SECRET//SI//REL TO USA, FVEY\nVersion 17 (Final)\nLast Updated 09/07/11\n\n  DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION IS\n\n(TS//SI) one two three four five six seven eight nine\n\n{head}\n\n(TS//SI) ten eleven twelve thirteen fourteen fifteen sixteen\n\n{head}\n"
    );
    assert_eq!(leaks(&src), []);
    // a sentence twice is no running head
    let src = format!("TOP SECRET\n\n{PROSE}\n\n(TS) one two three four\n\n{PROSE}\n");
    assert_eq!(leaks(&src), [(3, Kind::NoMark), (7, Kind::AfterWithheld)]);
}

#[test]
fn a_refs_wrapped_lines_are_furniture() {
    let src = "CONFIDENTIAL\n\nREF: A. A) BERN 1253 \\\n \\\n     B. B) GENEVA 1633 \\\n\nREF: A) PARAMARIBO 175 B) PARAMARIBO 286\nD) 05 PARAMARIBO 723 E) 05 PARAMARIBO 414 F) 05 PARAMARIBO\n527 G) 05 PARAMARIBO 687 H) 05 PARAMARIBO 783\n\nREF: HAVANA 490 (\"CUBA'S ECONOMY: WHERE TWO PLUS TWO\nEQUALS THREE\"\n\nClassified  By: DCM Robert Silverman for reasons 1.4(b) and (d).\n\n1. (C) one two three four five six seven eight nine\n";
    assert_eq!(leaks(src), []);
}

#[test]
fn damaged_marks_that_could_be_classified_make_their_paragraph_classified() {
    for mark in [
        "(^S#SI//NF)",
        "(TQ//0I//Nrt",
        "(S#SI//RCb)",
        "{SIISU/",
        "( T S / / S I / / N F )",
    ] {
        let src = format!("{mark} one two three four five six seven eight nine\n");
        let p = portions(&src);
        assert_eq!(p.len(), 1, "{mark}");
        assert!(p[0].level > Level::U, "{mark}");
        assert_eq!(p[0].words[0], "one", "{mark}");
    }
    // `(8)` opens a paragraph as `(S)`, unless the document numbers items up to `(7)`
    let p = portions("(8) one two three four five six seven eight nine\n");
    assert_eq!(p.iter().map(|p| p.level).collect::<Vec<_>>(), [Level::S]);
    assert!(portions("(7) one two three four\n(8) five six seven eight nine\n").is_empty());
    // `(CIA/DDO)`, `(SIPDIS)` and a date in parentheses are no marks
    assert!(portions("(CIA/DDO) one two three four five\n(SIPDIS) six seven\n").is_empty());
    assert!(portions("(5/20/27), one two three four five\n(8/91) six seven eight\n").is_empty());
}

#[test]
fn damaged_unclassified_marks_and_quoted_marks_read_as_u() {
    for line in [
        "( U / / F 0 U 0 ) one two three four",
        "(UIIFOUO) one two three four",
        "(U/IFOUO) one two three four",
        "<U) one two three four",
        "\"(U//FOUO) one two three four",
    ] {
        let p = portions(line);
        assert_eq!(p.len(), 1, "{line}");
        assert_eq!(p[0].level, Level::U, "{line}");
    }
}
