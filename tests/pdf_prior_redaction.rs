//! A source PDF that already hides text under its own boxes (an earlier redaction drawn
//! over words left in the content stream, or an invisible text layer under a box): the
//! in-place release takes those glyphs out as if withheld, keeps the rest of the line where
//! it was, and passes its own hidden-text check and `verify`'s. The sources are built here
//! with lopdf: a memo whose released portion has a word under a black box.

use crate::pdf_common;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat};
use pdf_common::{LEFT, baseline, make, memo, release, verify};

/// The word the source's own box hides, on the released line.
const UNDER: &str = "Zanzibar";
/// The released line (line 5 of [`memo`]'s layout, 0-based line 4), with [`UNDER`] in it.
const LINE: &str = "2. (U) The meeting was routine, Zanzibar, and ended at noon.";
/// The test font's `Widths` (`pdf_common`): every glyph advances half an em.
const SIZE: f32 = 11.0;
const ADVANCE: f32 = 0.5 * SIZE;

/// The memo with [`LINE`] as its released portion, and a black box drawn over [`UNDER`]
/// after the text; with `invisible`, the line is also drawn again in render mode 3 (as an
/// OCR layer is) before the box.
fn source(invisible: bool) -> Vec<u8> {
    let mut lines = memo("Dmitri Kuznetsov");
    lines[4] = LINE.to_string();
    // More released text, as a real page has: `verify` asks that most released lines occur
    // in the source, and the line with the word cut out is no longer one of them.
    for (i, more) in [
        "",
        "3. (U) Attendance was recorded by the desk officer on duty.",
        "",
        "4. (U) The next meeting is planned for the spring in Graz.",
    ]
    .into_iter()
    .enumerate()
    {
        lines.insert(5 + i, more.to_string());
    }
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let pdf = make(&lines, None);
    let mut doc = Document::load_mem(&pdf).unwrap();
    let (_, page) = doc.get_pages().into_iter().next().unwrap();
    let mut ops = Content::decode(&doc.get_page_content(page))
        .unwrap()
        .operations;
    let y = baseline(4);
    if invisible {
        ops.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tr", vec![3.into()]),
            Operation::new("Tf", vec![Object::Name(b"F1".to_vec()), SIZE.into()]),
            Operation::new("Td", vec![LEFT.into(), y.into()]),
            Operation::new(
                "Tj",
                vec![Object::String(
                    LINE.as_bytes().to_vec(),
                    StringFormat::Literal,
                )],
            ),
            Operation::new("ET", vec![]),
        ]);
    }
    let x0 = LEFT + LINE.find(UNDER).unwrap() as f32 * ADVANCE;
    let x1 = x0 + UNDER.len() as f32 * ADVANCE;
    ops.extend([
        Operation::new("q", vec![]),
        Operation::new("g", vec![0.into()]),
        Operation::new(
            "re",
            vec![
                (x0 - 1.0).into(),
                (y - 3.0).into(),
                (x1 - x0 + 2.0).into(),
                (SIZE + 2.0).into(),
            ],
        ),
        Operation::new("f", vec![]),
        Operation::new("Q", vec![]),
    ]);
    let bytes = Content { operations: ops }.encode().unwrap();
    doc.change_page_content(page, bytes).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Every stream of `pdf` decompressed, and every string, as one byte string.
fn all_bytes(pdf: &[u8]) -> Vec<u8> {
    let doc = Document::load_mem(pdf).unwrap();
    let mut out = Vec::new();
    for object in doc.objects.values() {
        match object {
            Object::Stream(s) => {
                out.extend(
                    s.decompressed_content()
                        .unwrap_or_else(|_| s.content.clone()),
                );
                out.push(b'\n');
            }
            Object::String(bytes, _) => out.extend(bytes),
            _ => {}
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The `TJ` arrays of the page's content that show part of [`LINE`].
fn line_arrays(pdf: &[u8]) -> Vec<Vec<Object>> {
    let doc = Document::load_mem(pdf).unwrap();
    let (_, page) = doc.get_pages().into_iter().next().unwrap();
    Content::decode(&doc.get_page_content(page))
        .unwrap()
        .operations
        .into_iter()
        .filter(|op| op.operator == "TJ")
        .filter_map(|op| match op.operands.into_iter().next() {
            Some(Object::Array(items)) => Some(items),
            _ => None,
        })
        .filter(|items| {
            items
                .iter()
                .any(|i| matches!(i, Object::String(s, _) if s.starts_with(b"2. (U)")))
        })
        .collect()
}

fn released(invisible: bool) -> (Vec<u8>, Vec<u8>) {
    let source = source(invisible);
    assert!(contains(&all_bytes(&source), UNDER), "the source holds it");
    let (o, out) = release(&source, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (source, out.expect("a released PDF"))
}

#[test]
fn words_under_the_sources_own_box_are_taken_out_and_the_line_keeps_its_places() {
    let (source, out) = released(false);
    let bytes = all_bytes(&out);
    assert!(!contains(&bytes, UNDER), "the word under the box is gone");
    for kept in ["The meeting was routine,", ", and ended at noon."] {
        assert!(contains(&bytes, kept), "{kept} is released");
    }
    // The line is one `TJ`: the text before the word, one adjustment as wide as the word's
    // glyphs (8 of half an em: -4000 thousandths), the text after it.
    let arrays = line_arrays(&out);
    assert_eq!(arrays.len(), 1, "{arrays:?}");
    let items = &arrays[0];
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(matches!(&items[0], Object::String(s, _) if s.ends_with(b"routine, ")));
    let kern = items[1].as_float().unwrap();
    assert!((kern + 4000.0).abs() < 0.5, "{kern}");
    assert!(matches!(&items[2], Object::String(s, _) if s.starts_with(b", and ended")));
    // The source's box is still drawn, and nothing is under it any more.
    let (code, said) = verify(&out, &source);
    assert_eq!(code, Some(0), "{said}");
    assert!(!said.contains("text under a box"), "{said}");
}

#[test]
fn an_invisible_layer_under_the_sources_box_loses_only_the_glyphs_there() {
    let (source, out) = released(true);
    let bytes = all_bytes(&out);
    assert!(!contains(&bytes, UNDER), "neither copy of the word is left");
    // Both the visible line and its invisible copy keep the words around the box.
    assert_eq!(line_arrays(&out).len(), 2);
    let (code, said) = verify(&out, &source);
    assert_eq!(code, Some(0), "{said}");
}

#[test]
fn a_word_under_the_sources_box_drawn_by_a_form_refuses_the_page() {
    // The word is shown by a Form XObject, which other pages may draw too: it cannot be
    // edited for this page, so nothing is written.
    let pdf = source(false);
    let mut doc = Document::load_mem(&pdf).unwrap();
    let (_, page) = doc.get_pages().into_iter().next().unwrap();
    let font = match doc
        .get_page_resources(page)
        .unwrap()
        .0
        .unwrap()
        .get(b"Font")
    {
        Ok(Object::Dictionary(d)) => d.clone(),
        other => panic!("{other:?}"),
    };
    let y = baseline(4);
    let form = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec![Object::Name(b"F1".to_vec()), SIZE.into()]),
            Operation::new("Td", vec![(LEFT + 400.0).into(), y.into()]),
            Operation::new(
                "Tj",
                vec![Object::String(
                    UNDER.as_bytes().to_vec(),
                    StringFormat::Literal,
                )],
            ),
            Operation::new("ET", vec![]),
        ],
    };
    let form = doc.add_object(Stream::new(
        Dictionary::from_iter([
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Form".to_vec())),
            (
                "BBox",
                Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()]),
            ),
            (
                "Resources",
                Object::Dictionary(Dictionary::from_iter([("Font", Object::Dictionary(font))])),
            ),
        ]),
        form.encode().unwrap(),
    ));
    let mut ops = vec![Operation::new("Do", vec![Object::Name(b"Fx1".to_vec())])];
    ops.extend(
        Content::decode(&doc.get_page_content(page))
            .unwrap()
            .operations,
    );
    ops.extend([
        Operation::new("q", vec![]),
        Operation::new("g", vec![0.into()]),
        Operation::new(
            "re",
            vec![
                (LEFT + 398.0).into(),
                (y - 3.0).into(),
                60.into(),
                (SIZE + 2.0).into(),
            ],
        ),
        Operation::new("f", vec![]),
        Operation::new("Q", vec![]),
    ]);
    doc.change_page_content(page, Content { operations: ops }.encode().unwrap())
        .unwrap();
    let page_dict = doc.get_dictionary_mut(page).unwrap();
    let mut resources = match page_dict.get(b"Resources") {
        Ok(Object::Dictionary(d)) => d.clone(),
        other => panic!("{other:?}"),
    };
    resources.set(
        "XObject",
        Dictionary::from_iter([("Fx1", Object::Reference(form))]),
    );
    page_dict.set("Resources", resources);
    let mut tampered = Vec::new();
    doc.save_to(&mut tampered).unwrap();
    let (o, out) = release(&tampered, &[]);
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{said}");
    assert!(out.is_none(), "nothing is written");
    assert!(
        said.contains("page 1: text drawn by a form lies under a box"),
        "{said}"
    );
    assert!(!said.contains(UNDER), "{said}");
}
