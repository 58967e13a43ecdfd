//! `verify` finds text under a box in a released PDF from the drawing alone: a release made
//! in place passes; the same release with words put back under one of its boxes (drawn
//! before the box, drawn on it in its colour, or drawn invisibly as an OCR layer is) fails
//! with exit 1, naming the page and the box and never the words. The tampering is done here
//! with lopdf; the words are not withheld ones, so only this check can find them.

use crate::pdf_common;

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, StringFormat};
use pdf_common::{make, memo, release, verify};

/// Words put under the box: in no withheld portion, so no leak check looks for them.
const HIDDEN: &str = "Quartermaster ledger overflow";

/// A released memo and its source.
fn released() -> (Vec<u8>, Vec<u8>) {
    let lines = memo("Dmitri Kuznetsov");
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let source = make(&lines, None);
    let (o, out) = release(&source, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (source, out.expect("a released PDF"))
}

/// Text operations showing [`HIDDEN`] at `(x, y)` in the label font, in gray `gray`, with
/// text render mode `mode`.
fn words_at(x: f32, y: f32, gray: f32, mode: i64) -> Vec<Operation> {
    vec![
        Operation::new("q", vec![]),
        Operation::new("g", vec![gray.into()]),
        Operation::new("BT", vec![]),
        Operation::new("Tr", vec![mode.into()]),
        Operation::new("Tf", vec![Object::Name(b"DeclassLabel".to_vec()), 9.into()]),
        Operation::new("Td", vec![x.into(), y.into()]),
        Operation::new(
            "Tj",
            vec![Object::String(
                HIDDEN.as_bytes().to_vec(),
                StringFormat::Literal,
            )],
        ),
        Operation::new("ET", vec![]),
        Operation::new("Q", vec![]),
    ]
}

/// Where `tamper` puts the words relative to the page's drawing.
enum At {
    /// Before everything: the box is painted over them.
    Before,
    /// After everything: on top of the box.
    After,
}

/// `release` with [`HIDDEN`] drawn at the middle of the left part of its first box.
fn tamper(release: &[u8], at: At, gray: f32, mode: i64) -> Vec<u8> {
    let mut doc = Document::load_mem(release).unwrap();
    let (_, page) = doc.get_pages().into_iter().next().unwrap();
    let mut ops = Content::decode(&doc.get_page_content(page))
        .unwrap()
        .operations;
    let rect = ops
        .iter()
        .find(|op| op.operator == "re")
        .map(|op| {
            let n: Vec<f32> = op.operands.iter().map(|o| o.as_float().unwrap()).collect();
            [n[0], n[1], n[2], n[3]]
        })
        .expect("a box on page 1");
    let words = words_at(rect[0] + 60.0, rect[1] + rect[3] / 2.0 - 3.0, gray, mode);
    match at {
        At::Before => {
            ops.splice(0..0, words);
        }
        At::After => ops.extend(words),
    }
    let bytes = Content { operations: ops }.encode().unwrap();
    doc.change_page_content(page, bytes).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn fails_naming_page_and_box(what: &str, tampered: &[u8], source: &[u8]) {
    let (code, said) = verify(tampered, source);
    assert_eq!(code, Some(1), "{what}: {said}");
    assert!(
        said.contains("text under a box at page 1, box x "),
        "{what}: {said}"
    );
    assert!(said.contains("LEAK: text under a box"), "{what}: {said}");
    for word in HIDDEN.split(' ') {
        assert!(
            !said.contains(word),
            "{what}: the report repeats {word}: {said}"
        );
    }
}

#[test]
fn a_release_made_in_place_has_no_text_under_its_boxes() {
    let (source, out) = released();
    let (code, said) = verify(&out, &source);
    assert_eq!(code, Some(0), "{said}");
    assert!(!said.contains("text under a box"), "{said}");
}

#[test]
fn words_painted_over_by_a_box_are_found() {
    let (source, out) = released();
    fails_naming_page_and_box("before the box", &tamper(&out, At::Before, 0.0, 0), &source);
}

#[test]
fn words_on_a_box_in_its_colour_or_invisible_are_found() {
    let (source, out) = released();
    fails_naming_page_and_box("black on black", &tamper(&out, At::After, 0.0, 0), &source);
    fails_naming_page_and_box("invisible", &tamper(&out, At::After, 1.0, 3), &source);
}

#[test]
fn words_shown_on_a_box_in_another_colour_are_not_hidden() {
    // White on the black box, as the box's own label is: visible, so no finding of this
    // kind (the words belong to no withheld portion either).
    let (source, out) = released();
    let (_, said) = verify(&tamper(&out, At::After, 1.0, 0), &source);
    assert!(!said.contains("text under a box"), "{said}");
}
