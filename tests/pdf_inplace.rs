//! In-place release of a real PDF: the page count stays, and no withheld words remain in any
//! decompressed stream or string of the output (checked with lopdf's object reader, not
//! declass's text extractor).

use crate::common;

use lopdf::{Document, Object};

fn all_bytes(doc: &Document) -> Vec<u8> {
    let mut out = Vec::new();
    for object in doc.objects.values() {
        match object {
            Object::Stream(s) => {
                out.extend(
                    s.decompressed_content()
                        .unwrap_or_else(|_| s.content.clone()),
                );
            }
            Object::String(b, _) => out.extend(b),
            _ => {}
        }
        out.push(b'\n');
    }
    out
}

#[test]
fn withheld_words_are_gone_and_pages_stay() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::root().join("tests/fixtures/pdf/rainfall-real.pdf");
    let out = dir.path().join("out.pdf");
    let o = common::declass(&[
        "release",
        input.to_str().unwrap(),
        "--format",
        "pdf",
        "--as-of",
        "2026-01-01",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let before = Document::load(&input).unwrap();
    let after = Document::load(&out).unwrap();
    assert_eq!(before.get_pages().len(), after.get_pages().len());
    let source = all_bytes(&before);
    let source = String::from_utf8_lossy(&source);
    let bytes = all_bytes(&after);
    let text = String::from_utf8_lossy(&bytes);
    // Words of an (S//TK//REL) portion of page 1.
    for withheld in ["primary responsibility", "Mission 7600", "AMGS"] {
        assert!(source.contains(withheld), "{withheld} not in the input");
        assert!(!text.contains(withheld), "{withheld} left in the output");
    }
    assert!(after.trailer.get(b"Info").is_err(), "Info dictionary kept");
}
