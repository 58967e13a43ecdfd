//! The parser's structural causes of leaks (issue 13, item 2): a line whose lead carries a
//! mark starts a portion of its own; marked sub-items are portions decided on their own mark;
//! a mark glued mid-line holds its line; an unreadable mark is withheld, never "no mark";
//! section banners and ENTIRE TEXT never lower the document; header parts end where the
//! first marked portion begins.
//!
//! Each case asserts the model (where the portion starts, its mark) and that a release
//! under the default policy does not carry the classified words. Real cables are copies in
//! `tests/fixtures/structure/` (see its INDEX.md); crafted cases are built here from a
//! small cable template.

use crate::common;

use declass::document::{Date, Document, Origin};
use declass::job::{self, Format};
use declass::marking::Level;
use declass::parse;
use declass::policy::{Context, Policy};

fn fixture(name: &str) -> Vec<u8> {
    common::read(format!("tests/fixtures/structure/{name}"))
}

pub(crate) fn parsed(bytes: &[u8], name: &str) -> Document {
    let doc = parse::parse(bytes, Some(name)).expect("parses");
    assert_eq!(
        doc.check_tiling(),
        Ok(()),
        "{name}: every line in one element"
    );
    doc
}

/// The text release under the default policy, whitespace collapsed.
pub(crate) fn released(bytes: &[u8], name: &str) -> String {
    let policy = Policy::default_policy();
    let context = Context::new(Date::new(2026, 1, 1).unwrap());
    let job = common::job(&policy, &context, Format::Text);
    let out = job::produce(bytes, name, &job).unwrap_or_else(|e| panic!("{name}: {e}"));
    collapse(&String::from_utf8(out.bytes).unwrap())
}

pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[track_caller]
fn absent(out: &str, words: &str, what: &str) {
    assert!(
        !out.contains(&collapse(words)),
        "{what}: classified words released: {words:?}\n{out}"
    );
}

#[track_caller]
fn present(out: &str, words: &str, what: &str) {
    assert!(
        out.contains(&collapse(words)),
        "{what}: unclassified words not released: {words:?}\n{out}"
    );
}

/// The portion that starts on `line` (1-based): its level, or TS for an unreadable mark.
#[track_caller]
fn portion_at(doc: &Document, line: usize) -> (usize, Option<Level>, Origin) {
    let (i, p) = doc
        .paragraphs
        .iter()
        .enumerate()
        .find(|(_, p)| p.lines.first == line)
        .unwrap_or_else(|| {
            let starts: Vec<_> = doc.paragraphs.iter().map(|p| p.lines.first).collect();
            panic!("no portion starts on line {line}; starts: {starts:?}")
        });
    (i, p.marking.as_ref().map(|m| m.level), p.origin)
}

// ---- real cables ----------------------------------------------------------------------

#[test]
fn numbered_questions_under_a_lettered_unclassified_paragraph() {
    let bytes = fixture("09STATE6423.txt");
    let doc = parsed(&bytes, "09STATE6423.txt");
    for line in [39, 54, 63, 70] {
        let (_, level, origin) = portion_at(&doc, line);
        assert_eq!(
            (level, origin),
            (Some(Level::S), Origin::Explicit),
            "L{line}"
        );
    }
    let out = released(&bytes, "09STATE6423.txt");
    absent(
        &out,
        "BEYOND IRAN'S OVERT POLICY TO INCREASE ITS",
        "1) (S/NF)",
    );
    absent(
        &out,
        "WHO IN TEHRAN IS PUSHING IRAN'S OUTREACH",
        "2) (S/NF)",
    );
}

#[test]
fn a_mark_glued_mid_line_into_an_unclassified_paragraph() {
    let bytes = fixture("08BUDAPEST821.txt");
    let doc = parsed(&bytes, "08BUDAPEST821.txt");
    let (_, level, _) = portion_at(&doc, 13);
    assert_eq!(
        level,
        Some(Level::C),
        "¶1 (U) with `2. (C)` glued is held at C"
    );
    absent(
        &released(&bytes, "08BUDAPEST821.txt"),
        "Ref points were delivered on 14 August",
        "glued 2. (C)",
    );

    let bytes = fixture("04BRUSSELS4944.txt");
    let doc = parsed(&bytes, "04BRUSSELS4944.txt");
    let held = doc
        .paragraphs
        .iter()
        .find(|p| p.lines.contains(18))
        .expect("line 18 in a portion");
    assert!(held.marking.as_ref().unwrap().level >= Level::C);
    absent(
        &released(&bytes, "04BRUSSELS4944.txt"),
        "of the Council Secretariat said the EU looked forward",
        "heading ---- 2. (C)",
    );

    let bytes = fixture("10BUENOSAIRES91.txt");
    parsed(&bytes, "10BUENOSAIRES91.txt");
    absent(
        &released(&bytes, "10BUENOSAIRES91.txt"),
        "Castells espouses no clear ideology, but has flirted",
        "glued 9. (C)",
    );
}

#[test]
fn a_flattened_body_is_not_the_classified_by_line() {
    let bytes = fixture("08BAKU761.txt");
    let doc = parsed(&bytes, "08BAKU761.txt");
    let (_, level, _) = portion_at(&doc, 18);
    assert_eq!(level, Some(Level::C));
    let cab = doc.header.classified_by.as_ref().expect("authority read");
    assert_eq!(cab.reasons, ['b', 'd']);
    let out = released(&bytes, "08BAKU761.txt");
    absent(&out, "BP and SOCAR acknowledged sharp declines", "body");
    absent(&out, "EKIMOFF", "B6 name in the flattened header copy");

    let bytes = fixture("08LONDON1967.txt");
    let doc = parsed(&bytes, "08LONDON1967.txt");
    assert!(
        doc.paragraphs.iter().any(
            |p| p.lines.contains(16) && p.marking.as_ref().is_some_and(|m| m.level == Level::C)
        )
    );
    absent(
        &released(&bytes, "08LONDON1967.txt"),
        "As reported ref a, HMG is currently engaged",
        "Classified By … 1. (C)",
    );
}

#[test]
fn a_damaged_number_before_a_mark() {
    let bytes = fixture("06MADRID621.txt");
    let doc = parsed(&bytes, "06MADRID621.txt");
    assert_eq!(portion_at(&doc, 131).1, Some(Level::C));
    let out = released(&bytes, "06MADRID621.txt");
    absent(
        &out,
        "The Spanish restated their desire that there be no",
        "10, (C)",
    );
    present(
        &out,
        "Ambassador Tahir-Kheli laid out the US approach",
        "¶3 (U)",
    );
}

#[test]
fn marked_items_under_a_heading() {
    let bytes = fixture("06BUENOSAIRES109.txt");
    let doc = parsed(&bytes, "06BUENOSAIRES109.txt");
    assert_eq!(portion_at(&doc, 764).1, Some(Level::C));
    absent(
        &released(&bytes, "06BUENOSAIRES109.txt"),
        "Local police or neighborhood associations are",
        "(C) item",
    );
}

#[test]
fn marked_bullets_inside_an_sbu_paragraph_are_sub_portions() {
    let bytes = fixture("08LONDON2785.txt");
    let doc = parsed(&bytes, "08LONDON2785.txt");
    let parent = doc
        .paragraphs
        .iter()
        .position(|p| p.number == Some(2))
        .expect("¶2");
    let subs: Vec<_> = doc
        .paragraphs
        .iter()
        .filter(|p| p.parent == Some(parent))
        .collect();
    let levels: Vec<_> = subs
        .iter()
        .map(|p| p.marking.as_ref().unwrap().canonical())
        .collect();
    assert_eq!(levels, ["C", "C", "C", "C", "C", "U//SBU", "U//SBU"]);
    assert_eq!(doc.paragraphs[parent].subparagraphs.len(), subs.len());
    let out = released(&bytes, "08LONDON2785.txt");
    absent(
        &out,
        "FS Miliband put Bosnia on the agenda",
        "-- (C) Bosnia",
    );
    absent(
        &out,
        "Cautioning that the UK's view on the EU-Russia PCA",
        "-- (C) Russia",
    );
    present(
        &out,
        "provided the following readout of UK goals",
        "¶2 (SBU)",
    );
}

#[test]
fn a_mark_after_a_caption_word() {
    let bytes = fixture("09BAKU575.txt");
    parsed(&bytes, "09BAKU575.txt");
    let out = released(&bytes, "09BAKU575.txt");
    absent(
        &out,
        "Baku commentators (including one who attended",
        "Answer: (C)",
    );
    absent(
        &out,
        "Najaf-based Ayatollah Sistani, originally from",
        "Answer: (S)",
    );
}

// ---- crafted cases --------------------------------------------------------------------

const SECRET_WORDS: &str = "the hidden plan names agent Kestrel at the northern depot";

/// A cable with an UNCLASSIFIED banner, an unclassified ¶1 and ¶3, and `case` between.
fn cable(case: &str) -> String {
    format!(
        "UNCLASSIFIED\n\nSUBJECT: (U) TEST CABLE\n\n1. (U) The meeting was routine and the \
         minister spoke openly.\n{case}\n\n3. (U) Closing remarks were public.\n"
    )
}

/// The line (1-based) of `text` holding `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

#[track_caller]
fn withheld_case(text: &str, what: &str) -> Document {
    let doc = parsed(text.as_bytes(), "09TEST1.txt");
    let line = line_of(text, "hidden plan");
    let p = doc
        .paragraphs
        .iter()
        .find(|p| p.lines.contains(line))
        .unwrap_or_else(|| panic!("{what}: line {line} in no portion"));
    let rank = match (p.origin, &p.marking) {
        (Origin::Unknown, _) => Level::TS,
        (_, Some(m)) => m.level,
        (_, None) => Level::TS,
    };
    assert!(rank > Level::U, "{what}: line {line} in a U portion: {p:?}");
    absent(
        &released(text.as_bytes(), "09TEST1.txt"),
        SECRET_WORDS,
        what,
    );
    doc
}

#[test]
fn damaged_leads_start_a_portion() {
    for lead in [
        "2 (S)",
        "2) (S)",
        "2: (S)",
        "(2) (S)",
        "- 2. (S)",
        "l. (S)",
        "10, (S)",
        "\u{FF12}. (S)",
        "2. (S)",
    ] {
        for sep in ["\n", ""] {
            let text = cable(&format!("{sep}{lead} {SECRET_WORDS}."));
            let doc = withheld_case(&text, lead);
            let line = line_of(&text, "hidden plan");
            let (_, level, _) = portion_at(&doc, line);
            assert_eq!(level, Some(Level::S), "{lead:?} sep {sep:?}");
            // ¶1 and ¶3 stay releasable: the mark does not swallow what is around it.
            present(
                &released(text.as_bytes(), "09TEST1.txt"),
                "Closing remarks were public",
                lead,
            );
        }
    }
}

#[test]
fn invisible_characters_before_the_number() {
    for invisible in [
        "\u{200B}", "\u{FEFF}", "\u{AD}", "\u{85}", "\u{2028}", "\u{2060}",
    ] {
        for sep in ["\n", ""] {
            let text = cable(&format!("{sep}{invisible}2. (S) {SECRET_WORDS}."));
            let doc = withheld_case(&text, &format!("{invisible:?}"));
            let line = line_of(&text, "hidden plan");
            assert_eq!(portion_at(&doc, line).1, Some(Level::S), "{invisible:?}");
        }
    }
}

#[test]
fn marked_sub_items_are_portions_of_their_own() {
    for lead in [
        "a. (S)",
        "-- (S)",
        "(a) (S)",
        "\u{2022} (S)",
        "- (S)",
        "A) (S)",
    ] {
        let case = format!("The minister listed the items:\n{lead} {SECRET_WORDS}.");
        let text = cable(&case);
        let doc = withheld_case(&text, lead);
        let line = line_of(&text, "hidden plan");
        let (i, level, _) = portion_at(&doc, line);
        assert_eq!(level, Some(Level::S), "{lead}");
        assert_eq!(doc.paragraphs[i].parent, Some(0), "{lead}: nested under ¶1");
        assert_eq!(doc.paragraphs[0].subparagraphs.len(), 1, "{lead}");
        let out = released(text.as_bytes(), "09TEST1.txt");
        present(&out, "The minister listed the items", lead);
    }
}

#[test]
fn the_parents_text_after_a_lower_sub_portion_is_not_released_with_it() {
    let text = "SECRET\n\nSUBJECT: (U) TEST\n\n1. (S) The secret parent text.\n\na. (U) An open item.\n\nThe hidden plan names agent Kestrel at the northern depot again.\n\n2. (U) Open.\n";
    let doc = parsed(text.as_bytes(), "09TEST1.txt");
    let (_, level, _) = portion_at(&doc, 7);
    assert_eq!(level, Some(Level::U));
    let (i, level, _) = portion_at(&doc, 9);
    assert_eq!((level, doc.paragraphs[i].parent), (None, Some(0)));
    let out = released(text.as_bytes(), "09TEST1.txt");
    absent(
        &out,
        "names agent Kestrel at the northern depot again",
        "after a (U) item",
    );
    present(&out, "An open item", "a. (U)");
}

#[test]
fn lookalike_marks_are_unreadable_and_withheld() {
    for mark in [
        "(\u{421})",
        "\u{FF08}C\u{FF09}",
        "(C\u{200B})",
        "(\u{405})",
        "(\u{FF33})",
    ] {
        for lead in ["2. ", ""] {
            let text = cable(&format!("\n{lead}{mark} {SECRET_WORDS}."));
            let doc = withheld_case(&text, mark);
            let line = line_of(&text, "hidden plan");
            let (_, _, origin) = portion_at(&doc, line);
            assert_eq!(origin, Origin::Unknown, "{mark:?} after {lead:?}");
            assert!(
                doc.diagnostics
                    .iter()
                    .any(|d| d.line == line && d.code.id() == "DCL003"),
                "{mark:?}: reported"
            );
        }
    }
}

#[test]
fn glued_marks_hold_the_line() {
    // On the paragraph's first line, and on a later line of it.
    for case in [
        format!("\n2. (U) Open words. 3. (S) {SECRET_WORDS}."),
        format!("\n2. (U) Open words go on\nand on. 3. (S) {SECRET_WORDS}."),
    ] {
        withheld_case(&cable(&case), "glued");
    }
}

#[test]
fn entire_text_never_lowers_the_banner_or_a_printed_mark() {
    let text = format!(
        "SECRET\n\nSUBJECT: TEST\n\n1. UNCLASSIFIED - ENTIRE TEXT.\n\n2. {SECRET_WORDS}.\n\n3. (S) Explicit secret words stay withheld here.\n"
    );
    let doc = parsed(text.as_bytes(), "09TEST1.txt");
    assert!(doc.header.entire_text.is_none());
    assert_eq!(doc.paragraphs[1].origin, Origin::None);
    let out = released(text.as_bytes(), "09TEST1.txt");
    absent(&out, SECRET_WORDS, "unmarked under SECRET");
    absent(&out, "Explicit secret words stay withheld here", "(S)");
}

#[test]
fn a_classified_section_banner_or_appended_cable_makes_the_document_classified() {
    for banner in [
        "SECRET SECTION 02 OF 02 STATE 001234",
        "S E C R E T STATE 005678",
        "SECRET",
    ] {
        let text = format!(
            "UNCLASSIFIED\n\nSUBJECT: TEST\n\n1. The open words of paragraph one.\n\n{banner}\n\n2. {SECRET_WORDS}.\n"
        );
        let doc = parsed(text.as_bytes(), "09TEST1.txt");
        assert!(doc.is_classified(), "{banner}");
        assert!(
            doc.paragraphs.iter().all(|p| p.origin == Origin::None),
            "{banner}: nothing inherits the UNCLASSIFIED banner"
        );
        absent(
            &released(text.as_bytes(), "09TEST1.txt"),
            SECRET_WORDS,
            banner,
        );
    }
}

#[test]
fn a_wrapped_marked_line_is_never_a_header_field() {
    for start in ["reference to", "tags along with", "E.O. 12958 was cited as"] {
        let text = format!(
            "SECRET\n\nSUBJECT: (U) TEST\n\n(U) The opening paragraph is public.\n\n(S) The minister said that the\n{start} {SECRET_WORDS}.\n"
        );
        let doc = withheld_case(&text, start);
        assert!(doc.header.refs.is_empty() && doc.header.tags.is_empty());
    }
}

#[test]
fn text_around_the_header_fields_is_not_a_header_part() {
    let cases = [
        // Under the Classified By line.
        format!(
            "CONFIDENTIAL\n\nSUBJECT: (U) TEST\n\nClassified By: Ambassador X for reasons 1.4 (b) and (d).\n{SECRET_WORDS}.\n\n1. (U) Open text.\n"
        ),
        // Between SUBJECT and E.O.
        format!(
            "CONFIDENTIAL\n\nSUBJECT: (U) TEST CABLE\n{SECRET_WORDS}.\nE.O. 12958: DECL: 01/01/2030\nTAGS: PREL\n\n1. (U) Open text.\n"
        ),
        // After the signature.
        format!(
            "CONFIDENTIAL\n\nSUBJECT: (U) TEST\n\n1. (U) Open text.\n\nRICE\n\n(C) {SECRET_WORDS}.\n"
        ),
    ];
    for text in cases {
        let doc = parsed(text.as_bytes(), "09TEST1.txt");
        absent(
            &released(text.as_bytes(), "09TEST1.txt"),
            SECRET_WORDS,
            &text,
        );
        present(
            &released(text.as_bytes(), "09TEST1.txt"),
            "Open text",
            &text,
        );
        let _ = doc;
    }
    // The E.O. line below the prose is still read.
    let doc = parsed(cases_eo().as_bytes(), "09TEST1.txt");
    assert!(doc.header.eo.is_some());
}

fn cases_eo() -> String {
    format!(
        "CONFIDENTIAL\n\nSUBJECT: (U) TEST CABLE\n{SECRET_WORDS}.\nE.O. 12958: DECL: 01/01/2030\nTAGS: PREL\n\n1. (U) Open text.\n"
    )
}

/// The paragraph whose first line is `line` (1-based).
fn starting_at(doc: &Document, line: usize) -> &declass::document::Paragraph {
    doc.paragraphs
        .iter()
        .find(|p| p.lines.first == line)
        .unwrap_or_else(|| panic!("no portion starts at line {line}"))
}

#[test]
fn a_row_after_a_page_banner_is_not_the_row_above() {
    // An OCR'd table of a classification guide: a U//FOUO row, the page's bottom and top
    // banners, a caption, then an S//NF row whose `)` OCR lost (`tl.7. (S/1Nf1 …`).
    let bytes = fixture("tarex-page-break.txt");
    let name = "tarex-page-break.txt";
    let doc = parsed(&bytes, name);
    let row = starting_at(&doc, 3);
    // Line 7 (`Centers in Hawaii …` / `require`) starts in the columns of line 6 above
    // it, a capital in its first cell: read as a row of its own whose first cell prints
    // no mark (hsafe2, fail closed), unmarked and withheld, not more of the U//FOUO row;
    // the caption after the banners goes on in that unmarked portion, withheld with it.
    assert_eq!(
        row.lines.last, 6,
        "the U//FOUO row ends above a row of its own"
    );
    assert_eq!(row.marking.as_ref().map(|m| m.level), Some(Level::U));
    let own = starting_at(&doc, 7);
    assert!(
        own.marking.is_none() && own.lines.last == 18,
        "{:?}",
        own.lines
    );
    // The damaged mark starts a portion, unreadable, so withheld.
    let damaged = starting_at(&doc, 19);
    assert!(damaged.marking.as_ref().is_some_and(|m| m.is_unknown()));
    assert_eq!(damaged.lines.last, 28);
    let out = released(&bytes, name);
    absent(&out, "The rac.t that TARJ!X personnel", name);
    absent(&out, "Doscripliaa", name);
    present(&out, "Octails may require", name);
}

#[test]
fn text_after_a_page_banner_joins_only_what_it_continues() {
    let page = "\n\nCONFIDENTIAL\n\u{c}CONFIDENTIAL\n\n";
    // A new sentence after the page boundary, under a (U) paragraph: not the paragraph's.
    let split = format!(
        "CONFIDENTIAL\n\nSUBJECT: (U) TEST\n\n1. (U) Open text ends here.{page}Then {SECRET_WORDS}.\n\n2. (U) More open text.\n"
    );
    let doc = parsed(split.as_bytes(), "09TEST1.txt");
    assert_eq!(doc.paragraphs[0].lines.last, 5);
    let out = released(split.as_bytes(), "09TEST1.txt");
    absent(&out, SECRET_WORDS, &split);
    present(&out, "Open text ends here", &split);
    present(&out, "More open text", &split);
    // A sentence that runs on over the page boundary is the paragraph's.
    let runs_on = format!(
        "CONFIDENTIAL\n\nSUBJECT: (U) TEST\n\n1. (U) Open text runs{page}on to the next page.\n"
    );
    let doc = parsed(runs_on.as_bytes(), "09TEST1.txt");
    assert_eq!(doc.paragraphs.len(), 1, "{:?}", doc.paragraphs);
    present(
        &released(runs_on.as_bytes(), "09TEST1.txt"),
        "Open text runs on to the next page",
        &runs_on,
    );
    // A portion marked at the banner's level cannot be held too low: it goes on.
    let at_banner = format!(
        "CONFIDENTIAL\n\nSUBJECT: (U) TEST\n\n1. (C) Held text ends here.{page}Held text goes on.\n"
    );
    let doc = parsed(at_banner.as_bytes(), "09TEST1.txt");
    assert_eq!(doc.paragraphs.len(), 1, "{:?}", doc.paragraphs);
}

#[test]
fn long_and_last_page_banners_are_banners() {
    let banner = "TOP SECRET//COMINT//REL TO USA, AUS, CAN, GBR, NZL//20291123";
    let text = format!(
        "{banner}\n\n(U) Open text ends here.\n\n{banner}\n\u{c}{banner}\n\n(U) More open text.\n\n{banner}\n"
    );
    let doc = parsed(text.as_bytes(), "memo.txt");
    assert_eq!(doc.header.section_banners, vec![5, 6, 10]);
    assert!(doc.header.section_levels.iter().all(|&l| l == Level::TS));
    let out = released(text.as_bytes(), "memo.txt");
    present(&out, "Open text ends here", &text);
    present(&out, "More open text", &text);
}

#[test]
fn a_running_subjects_wrapped_line_is_not_released() {
    // A cable printed twice (the archive's header, then the cable): the second SUBJECT
    // repeats the first over two lines and is running furniture. Its wrapped line is the
    // subject's too; an unmarked subject of a SECRET cable is withheld, so the wrapped line
    // must not fall into the header text that is released.
    let name = "running-subject-wrapped.txt";
    let bytes = fixture(name);
    let out = released(&bytes, name);
    absent(&out, "RIVERLAND COVERT LIAISON CHANNEL", name);
    present(
        &out,
        "The open part of the meeting was about the weather.",
        name,
    );
}

#[test]
fn unmarked_text_never_runs_on_under_a_lower_mark() {
    let name = "unmarked-runons.txt";
    let bytes = fixture(name);
    let out = released(&bytes, name);
    // Prose under an open REF block ends it: it is body, unmarked, withheld.
    absent(&out, "inflict as much damage as possible", name);
    // A heading over a rule is a heading even when it asks a question.
    absent(&out, "What Will the Ministry Do About the Pipeline", name);
    // What follows a mark above the target glued mid-line is withheld to the portion's end.
    absent(&out, "northern militia keeps a depot", name);
    // A caption portion in a numbered cable does not take the blocks after it.
    absent(&out, "harbor master takes payments", name);
    present(
        &out,
        "The delegation arrived on Monday and met the press.",
        name,
    );
    present(&out, "Contacts gave two explanations:", name);
    present(
        &out,
        "The visit ended with a reception for local students.",
        name,
    );
    present(&out, "REF: A. STATE 1234", name);
}

#[test]
fn a_page_title_repeating_a_withheld_subject_is_withheld() {
    let name = "page-title-repeats-subject.txt";
    let bytes = fixture(name);
    let out = released(&bytes, name);
    absent(&out, "MINISTER AGREES TO QUIET PIPELINE", name);
    present(&out, "Key: 08RIVERLAND123", name);
    present(
        &out,
        "The embassy hosted a reception for local students.",
        name,
    );
}
