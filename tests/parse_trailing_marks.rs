//! Portions marked at their end (issue 16): legal procedures, older agency memos and their
//! subject lines print the mark after the text (`… as amended ("the Act"). (U)`,
//! `SUBJECT: Request for Records (U)`). A line ending in a portion mark closes that portion
//! and gives it the mark; the next line starts a new one. A page foot that runs a ceiling
//! statement, the banner and the authority block into one line is a banner. Checked on a
//! labelled fixture (the Section 702 minimization procedures, `tests/fixtures/modern/`)
//! and on small documents written here for the fail-closed cases.

use declass::document::Document;
use declass::parse::parse_str;

fn parse(text: &str) -> Document {
    let doc = parse_str(text).expect("a fixture parses");
    assert_eq!(doc.check_tiling(), Ok(()), "every line accounted for");
    doc
}

/// (first line, last line, canonical mark or "" when unmarked) of every portion.
fn portions(doc: &Document) -> Vec<(usize, usize, String)> {
    doc.paragraphs
        .iter()
        .map(|p| {
            let mark = p
                .marking
                .as_ref()
                .map(|m| m.canonical())
                .unwrap_or_default();
            (p.lines.first, p.lines.last, mark)
        })
        .collect()
}

fn has(doc: &Document, first: usize, last: usize, mark: &str) -> bool {
    portions(doc).contains(&(first, last, mark.to_string()))
}

#[test]
fn a_trailing_mark_closes_its_portion_in_the_minimization_procedures() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/modern/docs/legal__2013-theguardian-702-minimization-procedures.txt"
    );
    let doc = parse(&std::fs::read_to_string(path).expect("fixture"));
    // The labelled spans: a section title, the paragraphs under it, lettered definitions,
    // each ending in its own mark, across a page break.
    for (first, last, mark) in [
        (13, 13, "U"),
        (14, 18, "U"),
        (19, 25, "U"),
        (31, 33, "U"),
        (49, 52, "S//SI"),
        (53, 57, "S//SI"),
        (58, 59, "U"),
        (93, 98, "S//SI"),
    ] {
        assert!(
            has(&doc, first, last, mark),
            "{first}-{last} {mark}: {:?}",
            portions(&doc)
        );
    }
    // No line ending in a mark is left in the header as an addressee.
    assert!(
        doc.header
            .addressees
            .iter()
            .all(|a| !a.text.ends_with("(U)"))
    );
}

#[test]
fn text_after_a_trailing_mark_is_never_taken_under_it() {
    let doc = parse(
        "SECRET\n\n(U) An opening portion.\n\nThe next portion runs on\nto its end here. (U)\n\
         this line follows the mark.\nThe secret part goes on without a mark.\n\n\
         A last portion, marked. (S)\n",
    );
    assert!(has(&doc, 5, 6, "U"), "{:?}", portions(&doc));
    // Lower case or not, the text after the mark is a new portion: unmarked (withheld).
    assert!(has(&doc, 7, 8, ""), "{:?}", portions(&doc));
    assert!(has(&doc, 10, 10, "S"), "{:?}", portions(&doc));
}

#[test]
fn a_trailing_mark_above_the_leading_one_holds_the_portion() {
    let doc = parse("SECRET\n\n(U) A heading of a site (S)\n\n(S) Text.\n");
    assert!(has(&doc, 3, 3, "S"), "{:?}", portions(&doc));
    // A lower trailing mark never lowers the portion.
    let doc = parse("SECRET\n\n(S) The secret text\nends with a lower mark. (U)\n");
    assert!(has(&doc, 3, 4, "S"), "{:?}", portions(&doc));
}

#[test]
fn prose_and_reason_letters_are_no_trailing_marks() {
    // A plural, an abbreviation, an authority block's reason letter.
    let doc = parse(
        "SECRET\n\n(S) The list of AGENDA(S)\nand the agreement (MOA/MOU)\n\
         went on, citing 1.4 (C)\nto the end.\n",
    );
    assert!(has(&doc, 3, 6, "S"), "{:?}", portions(&doc));
}

#[test]
fn a_memo_subject_marked_at_its_end_is_read() {
    // In the header, and below a line of prose the header scanner stops at (the body
    // reads the subject then, with its continuation line).
    for (text, first) in [
        (
            "SECRET\n\nMEMORANDUM FOR THE RECORD\n\n\
             SUBJECT: Meeting With the Deputy Staff Chief,\nHouse Select Committee (U)\n\n\
             1. (S) The meeting began.\n",
            5,
        ),
        (
            "SECRET\n\n1 June 1978\n\n\
             This memorandum was written after the meeting, for the record of it.\n\n\
             SUBJECT: Meeting With the Deputy Staff Chief,\nHouse Select Committee (U)\n\n\
             1. (S) The meeting began.\n",
            7,
        ),
    ] {
        let doc = parse(text);
        let subject = doc.header.subject.as_ref().expect("subject read");
        assert_eq!(
            (subject.lines.first, subject.lines.last),
            (first, first + 1)
        );
        assert_eq!(
            subject.marking.as_ref().map(|m| m.canonical()).as_deref(),
            Some("U")
        );
        assert!(subject.text.starts_with("Meeting With"), "{}", subject.text);
    }
}

/// A newsletter's page foot runs the ceiling statement, the banner and the authority block
/// into one line: the line is a banner (its level counts for the document), never an
/// unmarked portion, and its `Declassify On` is still read.
#[test]
fn a_run_in_ceiling_statement_is_a_banner() {
    let doc = parse(
        "# (U) A headline\n\n(U) The article.\n\n\
         DYNAMIC PAGE -- HIGHEST POSSIBLE CLASSIFICATION IS TOP SECRET // SI / TK // REL TO \
         USA AUS CAN GBR NZL DERIVED FROM: NSA/CSSM 1-52, DATED 08 JAN 2007 DECLASSIFY ON: \
         20320108\n",
    );
    assert_eq!(doc.header.section_banners, [5]);
    assert_eq!(doc.header.section_levels, [declass::marking::Level::TS]);
    assert!(doc.paragraphs.iter().all(|p| !p.lines.contains(5)));
    assert_eq!(doc.declassify().map(|d| d.raw.as_str()), Some("20320108"));
}
