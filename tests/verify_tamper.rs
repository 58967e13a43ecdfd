//! `declass verify` against hand-made releases that carry withheld text in forms a word
//! check misses: re-encoded text, invisible characters, ligatures, PDFs with text split
//! per glyph or kerned, hidden in a Form XObject, an annotation or the Info dictionary, a
//! byte before `%PDF`, and an unredacted cable checked against the wrong source. Each must
//! fail (exit 1) without printing the withheld words; releases made by `declass release`
//! must still pass.
//!
//! The tampered releases start from the seed's own release (`samples/07PRAGUE486.release.txt`)
//! with one withheld sentence of ¶5 or ¶6 planted in it; the PDFs are built here with lopdf.

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat, dictionary};
use std::collections::BTreeSet;
use std::path::Path;

use crate::common;
use common::{declass, read, root, stderr, stdout};

const SEED: &str = "samples/07PRAGUE486.txt";
const GOLDEN: &str = "samples/07PRAGUE486.release.txt";
const SECRET_CABLE: &str = "tests/fixtures/verify/06THEHAGUE2139.txt";
const GLUED: &str = "tests/fixtures/verify/08BUDAPEST821.txt";
const AS_OF: &str = "2026-01-01";
/// A sentence of ¶5 (C), withheld by the default policy.
const PLANTED: &str = "Pojar noted that the Russian officials who raised MD at the different meetings did so using identical talking points.";

fn golden() -> String {
    String::from_utf8(read(GOLDEN)).unwrap()
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Words of the planted sentence that the clean release does not carry.
fn planted_only_words(planted: &str) -> BTreeSet<String> {
    let released = words(&golden());
    words(planted)
        .difference(&released)
        .filter(|w| w.len() > 3)
        .cloned()
        .collect()
}

/// Runs `verify` on `release` (bytes, written to a temporary file) against `source`.
fn verify(release: &[u8], file: &str, source: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    std::fs::write(&path, release).unwrap();
    let o = declass(&[
        "verify",
        path.to_str().unwrap(),
        "--source",
        source,
        "--as-of",
        AS_OF,
    ]);
    (o.status.code(), format!("{}{}", stdout(&o), stderr(&o)))
}

/// `verify` fails on `release`, naming the withheld paragraph and printing none of the
/// planted words.
fn fails_naming_the_paragraph(what: &str, release: &[u8], file: &str) {
    let (code, said) = verify(release, file, SEED);
    assert_eq!(code, Some(1), "{what}: {said}");
    assert!(
        said.contains("LEAK: withheld material found: ¶5"),
        "{what}: {said}"
    );
    let shown: Vec<String> = words(&said)
        .intersection(&planted_only_words(PLANTED))
        .cloned()
        .collect();
    assert!(
        shown.is_empty(),
        "{what}: the report repeats {shown:?}: {said}"
    );
}

/// The seed's release with `planted` put in after ¶5's placeholder.
fn planted_text(planted: &str) -> String {
    let golden = golden();
    let at = golden.find("¶5. (C) [B1, 1.4(B), 1.4(D)]").unwrap();
    let at = at + golden[at..].find('\n').unwrap() + 1;
    format!("{}{planted}\n{}", &golden[..at], &golden[at..])
}

// ───────────────────────────── text releases ─────────────────────────────

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
    }
    for u in text.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn utf16_releases_are_read() {
    let text = planted_text(PLANTED);
    fails_naming_the_paragraph("UTF-16LE with BOM", &utf16(&text, true, true), "r.txt");
    fails_naming_the_paragraph("UTF-16BE with BOM", &utf16(&text, false, true), "r.txt");
    fails_naming_the_paragraph("UTF-16LE without BOM", &utf16(&text, true, false), "r.txt");
    fails_naming_the_paragraph("UTF-16BE without BOM", &utf16(&text, false, false), "r.txt");
}

/// Puts `mark` between the letters of every word (or, with `every` 0, after the first).
fn interleave(text: &str, mark: char) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        out.push(c);
        if c.is_alphabetic() && i % 2 == 0 {
            out.push(mark);
        }
    }
    out
}

#[test]
fn invisible_characters_inside_words_do_not_hide_them() {
    fails_naming_the_paragraph(
        "soft hyphens",
        planted_text(&interleave(PLANTED, '\u{ad}')).as_bytes(),
        "r.txt",
    );
    fails_naming_the_paragraph(
        "zero-width spaces",
        planted_text(&interleave(PLANTED, '\u{200b}')).as_bytes(),
        "r.txt",
    );
}

#[test]
fn ligatures_and_full_width_letters_read_as_letters() {
    let ligatures = PLANTED.replace("ffi", "\u{fb03}").replace("ff", "\u{fb00}");
    assert_ne!(ligatures, PLANTED);
    fails_naming_the_paragraph("ligatures", planted_text(&ligatures).as_bytes(), "r.txt");
    let wide: String = PLANTED
        .chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(u32::from(c) + 0xfee0).unwrap(),
            c => c,
        })
        .collect();
    fails_naming_the_paragraph("full-width", planted_text(&wide).as_bytes(), "r.txt");
}

#[test]
fn an_unredacted_cable_against_the_wrong_source_fails() {
    let secret = read(SECRET_CABLE);
    let (code, said) = verify(&secret, "r.txt", SEED);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("does not match source"), "{said}");
    let released = words(&golden());
    let secret_words: Vec<String> = words(&String::from_utf8_lossy(&secret))
        .difference(&released)
        .filter(|w| w.len() > 4)
        .cloned()
        .collect();
    let shown: Vec<&String> = secret_words
        .iter()
        .filter(|w| words(&said).contains(*w))
        .collect();
    assert!(shown.is_empty(), "the report repeats {shown:?}: {said}");
    // Against its own source it fails too: every paragraph is SECRET.
    let (code, said) = verify(&secret, "r.txt", SECRET_CABLE);
    assert_eq!(code, Some(1), "{said}");
}

#[test]
fn marked_text_is_found_without_the_parser() {
    // A source whose (C) paragraph is glued onto a (U) line, and a "release" that prints the
    // line whole: whatever the parser reads, the mark in the line is found.
    let source = "UNCLASSIFIED\n\nSUBJECT: (U) TALKS\n\n1. (U) The talks opened on Monday in the capital. 2. (C) The minister privately admitted that the government would abandon the pipeline project next spring.\n";
    let release = "UNCLASSIFIED                              RELEASE IN FULL\n\nSUBJECT: (U) TALKS\n\n¶1. (U) The talks opened on Monday in the capital. 2. (C) The minister privately admitted that the government would abandon the pipeline project next spring.\n";
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("glued.txt");
    std::fs::write(&src, source).unwrap();
    let (code, said) = verify(release.as_bytes(), "r.txt", src.to_str().unwrap());
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("text under a (C) mark at source line 5"),
        "{said}"
    );
    assert!(!said.contains("pipeline"), "{said}");
}

#[test]
fn the_glued_summary_of_a_real_cable_never_verifies_when_printed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.txt");
    let o = declass(&[
        "release",
        GLUED,
        "--as-of",
        AS_OF,
        "-o",
        out.to_str().unwrap(),
    ]);
    if o.status.code() != Some(0) {
        return; // refused: nothing printed
    }
    let release = std::fs::read_to_string(&out).unwrap();
    let printed = release.contains("Ref points were delivered on 14 August");
    let (code, said) = verify(release.as_bytes(), "r.txt", GLUED);
    if printed {
        assert_eq!(code, Some(1), "the (C) summary is printed: {said}");
    } else {
        assert_eq!(code, Some(0), "{said}");
    }
}

// ───────────────────────────── clean releases ─────────────────────────────

fn release_of(source: &str, format: &str, file: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(file);
    let o = declass(&[
        "release",
        source,
        "--as-of",
        AS_OF,
        "--format",
        format,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::read(&out).unwrap()
}

#[test]
fn releases_made_by_declass_verify_clean() {
    for source in [SEED, SECRET_CABLE] {
        for (format, file) in [("text", "r.txt"), ("json", "r.json"), ("pdf", "r.pdf")] {
            let bytes = release_of(source, format, file);
            let (code, said) = verify(&bytes, file, source);
            assert_eq!(code, Some(0), "{source} {format}: {said}");
            assert!(said.ends_with("no withheld material found\n"), "{said}");
        }
    }
}

#[test]
fn a_manifest_of_another_source_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.txt");
    let manifest = dir.path().join("m.json");
    let o = declass(&[
        "release",
        SECRET_CABLE,
        "--as-of",
        AS_OF,
        "-o",
        out.to_str().unwrap(),
        "--manifest",
        manifest.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let run = |release: &Path, source: &str| {
        let o = declass(&[
            "verify",
            release.to_str().unwrap(),
            "--source",
            source,
            "--manifest",
            manifest.to_str().unwrap(),
            "--as-of",
            AS_OF,
        ]);
        (o.status.code(), stdout(&o))
    };
    assert_eq!(run(&out, SECRET_CABLE).0, Some(0));
    let (code, said) = run(&root().join(GOLDEN), SEED);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("manifest"), "{said}");
}

// ───────────────────────────── PDF releases ─────────────────────────────

/// A one-page PDF: the golden release's lines in Helvetica, then whatever `extra` adds to
/// the page's content, resources, page dictionary and document.
struct PdfBuilder {
    doc: Document,
    ops: Vec<Operation>,
    resources: Dictionary,
    page_extra: Dictionary,
}

fn literal(text: &str) -> Object {
    Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
}

impl PdfBuilder {
    fn new() -> PdfBuilder {
        let mut doc = Document::with_version("1.5");
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 9.into()]),
        ];
        for (i, line) in golden().lines().enumerate() {
            let y = 760 - 10 * i as i64;
            ops.push(Operation::new(
                "Tm",
                vec![1.into(), 0.into(), 0.into(), 1.into(), 30.into(), y.into()],
            ));
            let latin1: Vec<u8> = line
                .chars()
                .map(|c| if (c as u32) < 256 { c as u8 } else { b'?' })
                .collect();
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(latin1, StringFormat::Literal)],
            ));
        }
        ops.push(Operation::new("ET", vec![]));
        PdfBuilder {
            doc,
            ops,
            resources: dictionary! { "Font" => dictionary! { "F1" => font } },
            page_extra: Dictionary::new(),
        }
    }

    fn text_ops(&mut self, ops: Vec<Operation>) {
        self.ops.push(Operation::new("BT", vec![]));
        self.ops
            .push(Operation::new("Tf", vec!["F1".into(), 9.into()]));
        self.ops.extend(ops);
        self.ops.push(Operation::new("ET", vec![]));
    }

    fn bytes(mut self) -> Vec<u8> {
        let content = Content {
            operations: self.ops,
        }
        .encode()
        .unwrap();
        let content = self.doc.add_object(Stream::new(Dictionary::new(), content));
        let pages = self.doc.new_object_id();
        let mut page = dictionary! {
            "Type" => "Page", "Parent" => pages, "Contents" => content,
            "Resources" => self.resources,
        };
        for (k, v) in self.page_extra {
            page.set(k, v);
        }
        let page = self.doc.add_object(page);
        self.doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            }),
        );
        let catalog = self
            .doc
            .add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        self.doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        self.doc.save_to(&mut out).unwrap();
        out
    }
}

fn at(x: i64, y: i64) -> Operation {
    Operation::new(
        "Tm",
        vec![1.into(), 0.into(), 0.into(), 1.into(), x.into(), y.into()],
    )
}

#[test]
fn a_clean_hand_made_pdf_passes() {
    let (code, said) = verify(&PdfBuilder::new().bytes(), "r.pdf", SEED);
    assert_eq!(code, Some(0), "{said}");
}

#[test]
fn a_byte_before_the_header_does_not_hide_the_pdf() {
    let mut b = PdfBuilder::new();
    b.text_ops(vec![
        at(30, 40),
        Operation::new("Tj", vec![literal(PLANTED)]),
    ]);
    let bytes = [b"\n".as_slice(), &b.bytes()].concat();
    fails_naming_the_paragraph("byte before %PDF", &bytes, "r.pdf");
}

#[test]
fn one_glyph_per_text_operator_is_read_as_words() {
    let mut b = PdfBuilder::new();
    let mut ops = vec![at(30, 40)];
    for c in PLANTED.chars() {
        ops.push(Operation::new("Tj", vec![literal(&c.to_string())]));
        // Helvetica-ish advances, with the words' spaces drawn as moves only.
        let advance = if c == ' ' { 3 } else { 5 };
        ops.push(Operation::new("Td", vec![advance.into(), 0.into()]));
    }
    b.text_ops(ops);
    fails_naming_the_paragraph("one Tj per glyph", &b.bytes(), "r.pdf");
}

#[test]
fn kerned_glyph_arrays_are_read_as_words() {
    let mut b = PdfBuilder::new();
    let mut items = Vec::new();
    for c in PLANTED.chars() {
        if c == ' ' {
            items.push((-400).into());
        } else {
            items.push(literal(&c.to_string()));
            items.push((-15).into());
        }
    }
    b.text_ops(vec![
        at(30, 40),
        Operation::new("TJ", vec![Object::Array(items)]),
    ]);
    fails_naming_the_paragraph("kerned TJ", &b.bytes(), "r.pdf");
}

#[test]
fn text_inside_a_form_xobject_is_read() {
    let mut b = PdfBuilder::new();
    let form_content = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 9.into()]),
            at(0, 0),
            Operation::new("Tj", vec![literal(PLANTED)]),
            Operation::new("ET", vec![]),
        ],
    }
    .encode()
    .unwrap();
    let font = b.resources.get(b"Font").unwrap().clone();
    let mut form = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 600.into(), 20.into()],
            "Resources" => dictionary! { "Font" => font },
        },
        form_content,
    );
    // Compressed, so that a plain byte search of the file does not see it either.
    form.compress().unwrap();
    let form = b.doc.add_object(form);
    b.resources.set("XObject", dictionary! { "Fx" => form });
    b.ops.extend([
        Operation::new("q", vec![]),
        Operation::new(
            "cm",
            vec![1.into(), 0.into(), 0.into(), 1.into(), 30.into(), 40.into()],
        ),
        Operation::new("Do", vec!["Fx".into()]),
        Operation::new("Q", vec![]),
    ]);
    let bytes = b.bytes();
    assert!(!String::from_utf8_lossy(&bytes).contains("talking"));
    fails_naming_the_paragraph("Form XObject", &bytes, "r.pdf");
}

fn utf16be_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

#[test]
fn text_only_in_an_annotation_is_read() {
    let mut b = PdfBuilder::new();
    let annot = b.doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Text",
        "Rect" => vec![30.into(), 30.into(), 60.into(), 60.into()],
        "Contents" => utf16be_string(PLANTED),
    });
    b.page_extra.set("Annots", vec![annot.into()]);
    fails_naming_the_paragraph("annotation", &b.bytes(), "r.pdf");
}

#[test]
fn text_only_in_the_info_dictionary_is_read() {
    let mut b = PdfBuilder::new();
    let info = b
        .doc
        .add_object(dictionary! { "Title" => literal(PLANTED) });
    b.doc.trailer.set("Info", info);
    fails_naming_the_paragraph("Info /Title", &b.bytes(), "r.pdf");
}

#[test]
fn text_only_in_an_outline_or_an_unreferenced_object_is_read() {
    let mut b = PdfBuilder::new();
    let outline_item = b.doc.new_object_id();
    let outlines = b.doc.add_object(dictionary! {
        "Type" => "Outlines", "First" => outline_item, "Last" => outline_item, "Count" => 1,
    });
    b.doc.objects.insert(
        outline_item,
        Object::Dictionary(
            dictionary! { "Title" => utf16be_string(PLANTED), "Parent" => outlines },
        ),
    );
    let bytes = b.bytes();
    fails_naming_the_paragraph("outline title", &bytes, "r.pdf");

    // A compressed stream no object refers to, put in before the end of the file: no
    // viewer shows it, but the bytes are there for anyone to read.
    let mut hidden = Stream::new(Dictionary::new(), [PLANTED; 4].join(" ").into_bytes());
    hidden.compress().unwrap();
    assert!(
        hidden.dict.has(b"Filter"),
        "the hidden stream is compressed"
    );
    let mut object = b"\n99 0 obj\n<</Length ".to_vec();
    object.extend_from_slice(
        format!("{}/Filter/FlateDecode>>\nstream\n", hidden.content.len()).as_bytes(),
    );
    object.extend_from_slice(&hidden.content);
    object.extend_from_slice(b"\nendstream\nendobj\n");
    let clean = PdfBuilder::new().bytes();
    let at = clean.windows(9).rposition(|w| w == b"startxref").unwrap();
    let tampered = [&clean[..at], &object, &clean[at..]].concat();
    fails_naming_the_paragraph("unreferenced stream", &tampered, "r.pdf");
}
