//! Layouts of intelligence-community and legal documents (issue 16): where a portion ends
//! without a blank line (a marked heading over its text, an unmarked bullet after marked
//! ones, the text under a quoted e-mail header), where it goes on across blanks (a list
//! under an unmarked lead-in, an answer under a numbered question, a sentence across a
//! printed page break), and which lone numbers are page furniture. Each case is a small
//! written fixture in `tests/fixtures/structure/` (`written-*.txt`, see its INDEX.md); each
//! asserts the model and, where a reading could release text, the release under the
//! default policy.

use crate::parse_structure::{collapse, parsed, released};

use declass::document::{Document, ElementKind};
use declass::marking::Level;

fn fixture(name: &str) -> Vec<u8> {
    crate::common::read(format!("tests/fixtures/structure/{name}"))
}

/// The portions as (first line, last line, level): what each case asserts on.
fn spans(doc: &Document) -> Vec<(usize, usize, Option<Level>)> {
    doc.paragraphs
        .iter()
        .map(|p| {
            (
                p.lines.first,
                p.lines.last,
                p.marking.as_ref().map(|m| m.level),
            )
        })
        .collect()
}

fn furniture_lines(doc: &Document) -> Vec<usize> {
    doc.elements
        .iter()
        .filter(|e| e.kind == ElementKind::Furniture)
        .map(|e| e.lines.first)
        .collect()
}

#[test]
fn wiki_headings_bullets_footnotes_and_page_breaks() {
    let name = "written-wiki-layout.txt";
    let bytes = fixture(name);
    let doc = parsed(&bytes, name);
    let got = spans(&doc);
    let has = |span: (usize, usize, Option<Level>), what: &str| {
        assert!(got.contains(&span), "{what}: {span:?} not in {got:?}");
    };
    // `SUBJECT (S//REL) …` without a colon: the mark starts the portion.
    has((3, 4, Some(Level::S)), "a subject field without its colon");
    // A marked heading ends at its line; the line under it is a portion of its own.
    has((6, 6, Some(Level::U)), "a marked title over a byline");
    has((7, 7, None), "the byline under the title");
    has(
        (14, 14, Some(Level::U)),
        "a marked heading over a template line",
    );
    has((15, 15, None), "the template line under the heading");
    // An unmarked bullet after marked ones is the next item, not text of the one before.
    has((11, 11, Some(Level::U)), "a marked bullet");
    has((12, 12, None), "an unmarked bullet after it");
    // A footnote's number over its marked text, and a page number over the foot banner,
    // are furniture.
    has((21, 21, Some(Level::S)), "a marked footnote");
    let furniture = furniture_lines(&doc);
    assert!(furniture.contains(&20), "footnote number: {furniture:?}");
    assert!(furniture.contains(&25), "page number: {furniture:?}");
    // A sentence open at the page foot goes on after the banner in its S portion.
    has((23, 29, Some(Level::S)), "a sentence across a page break");
    // Under a U portion it does not: the next page's text stands alone, unmarked.
    has((31, 31, Some(Level::U)), "a U portion at the page foot");
    has((36, 36, None), "the next page's unmarked text");
    let out = released(&bytes, name);
    for withheld in [
        "Archive Division, which is not marked here",
        "See the archive project page",
        "{{{metrics}}}",
        "Intelligence Organization and the partner service",
    ] {
        assert!(
            !out.contains(&collapse(withheld)),
            "released: {withheld}\n{out}"
        );
    }
    assert!(out.contains("Output Channel(s): doneJob"), "{out}");
}

#[test]
fn a_list_under_an_unmarked_lead_in_takes_the_mark_that_ends_it() {
    let name = "written-procedures.txt";
    let bytes = fixture(name);
    let doc = parsed(&bytes, name);
    let got = spans(&doc);
    assert!(got.contains(&(3, 8, Some(Level::S))), "{got:?}");
    assert!(got.contains(&(10, 10, Some(Level::S))), "{got:?}");
    let out = released(&bytes, name);
    assert!(!out.contains("foreign intelligence information"), "{out}");
    assert!(!out.contains("Nonpublicly"), "{out}");
}

#[test]
fn an_answer_indented_under_a_numbered_question_is_its_text() {
    let name = "written-questions.txt";
    let doc = parsed(&fixture(name), name);
    let got = spans(&doc);
    assert_eq!(got[..2], [(3, 5, None), (7, 9, None)], "{got:?}");
    // A heading a space in from the margin, between rules, is no answer (a cable's
    // section heading after its numbered paragraph): a portion of its own.
    let heading = doc.paragraphs.iter().find(|p| p.lines.first == 14);
    assert!(
        heading.is_some_and(|p| p.heading && p.lines.last == 14),
        "{got:?}"
    );
}

#[test]
fn mail_header_fields_and_the_quoted_text_under_them() {
    let name = "written-mail-thread.txt";
    let doc = parsed(&fixture(name), name);
    let subject = doc.header.subject.as_ref().expect("a subject");
    assert_eq!((subject.lines.first, subject.lines.last), (4, 4));
    assert!(!subject.text.contains("Signed"), "{}", subject.text);
    let got = spans(&doc);
    assert!(got.iter().any(|s| s.0 == 17 && s.1 == 19), "{got:?}");
}
