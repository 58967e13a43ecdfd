//! PDF serialization for the typesetter.
//!
//! Place in the pipeline: release model → `render::pdf` (`layout` positions everything, this
//! module turns the positioned pages into content streams and the file) → bytes.
//!
//! Content streams are written straight into a byte buffer: the page vocabulary is tiny (filled
//! and stroked rectangles, `Tm`/`Tj` text), and formatting integers by hand is several times
//! faster than building `lopdf` operation objects. `lopdf` still assembles the object graph and
//! writes the classic cross-reference table. Nothing that varies between runs goes in: there is
//! no creation date, the only Info entry is a fixed `/Producer`, and the trailer `/ID` is a hash
//! of the page contents, so identical input gives identical bytes.

use lopdf::xref::XrefType;
use lopdf::{Dictionary, Document, Object, Stream, StringFormat};
use sha2::{Digest, Sha256};

use super::PdfError;
use super::layout::{FONT_SIZE, PAGE_HEIGHT, PAGE_WIDTH, PageDraw};

/// The one Info entry: says which program made the file and nothing about who, where or when.
pub(crate) const PRODUCER: &str = "declass";

/// Resource name of the Courier font in every page.
const FONT_NAME: &str = "F1";

/// Append the decimal form of `n` (no allocation: this runs a few hundred times per page).
fn push_int(out: &mut Vec<u8>, n: i32) {
    let mut digits = [0u8; 11];
    let mut i = digits.len();
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        digits[i] = b'0' + u8::try_from(v % 10).unwrap_or(0);
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[i..]);
}

fn push_ints(out: &mut Vec<u8>, ns: &[i32]) {
    for &n in ns {
        push_int(out, n);
        out.push(b' ');
    }
}

/// Append `bytes` as a PDF literal string. Parentheses and backslashes are escaped; the other
/// bytes are WinAnsi glyph codes (0x20..=0xFF), which may stand in a literal string as they are.
pub(crate) fn push_literal(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'(');
    for &b in bytes {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
}

/// The content stream of one page.
pub(crate) fn content_stream(page: &PageDraw, out: &mut Vec<u8>) {
    // Boxes first, so text never ends up underneath one.
    if !page.fills.is_empty() {
        out.extend_from_slice(b"0 g\n");
        for r in &page.fills {
            push_ints(out, &[r.x, r.y, r.w, r.h]);
            out.extend_from_slice(b"re\n");
        }
        out.extend_from_slice(b"f\n");
    }
    if !page.frames.is_empty() {
        out.extend_from_slice(b"0 G 0.75 w\n");
        for r in &page.frames {
            push_ints(out, &[r.x, r.y, r.w, r.h]);
            out.extend_from_slice(b"re\n");
        }
        out.extend_from_slice(b"S\n");
    }
    out.extend_from_slice(b"BT\n/");
    out.extend_from_slice(FONT_NAME.as_bytes());
    out.push(b' ');
    push_int(out, FONT_SIZE);
    out.extend_from_slice(b" Tf\n0 g\n");
    let mut white = false;
    for t in &page.texts {
        if t.white != white {
            out.extend_from_slice(if t.white { b"1 g\n" } else { b"0 g\n" });
            white = t.white;
        }
        // An absolute text matrix per run: each run stands alone, which keeps `extract` simple.
        out.extend_from_slice(b"1 0 0 1 ");
        push_ints(out, &[t.x, t.y]);
        out.extend_from_slice(b"Tm ");
        push_literal(out, &t.bytes);
        out.extend_from_slice(b" Tj\n");
    }
    out.extend_from_slice(b"ET\n");
}

/// Assemble the file from the pages' content streams.
pub(crate) fn document(contents: Vec<Vec<u8>>, compress: bool) -> Result<Vec<u8>, PdfError> {
    // The file identifier is derived from what is on the pages (with each page's length so
    // that page boundaries count), never from time or place.
    let mut hasher = Sha256::new();
    for c in &contents {
        hasher.update((c.len() as u64).to_le_bytes());
        hasher.update(c);
    }
    let digest = hasher.finalize();
    let file_id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);

    let mut doc = Document::with_version("1.4");
    // A classic cross-reference table: readable by every tool, and PDF 1.4 needs no more.
    doc.reference_table.cross_reference_type = XrefType::CrossReferenceTable;
    let catalog_id = doc.new_object_id();
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type1".to_vec())),
        ("BaseFont", Object::Name(b"Courier".to_vec())),
        ("Encoding", Object::Name(b"WinAnsiEncoding".to_vec())),
    ]));
    let info_id = doc.add_object(Dictionary::from_iter([(
        "Producer",
        Object::String(PRODUCER.as_bytes().to_vec(), StringFormat::Literal),
    )]));

    let mut kids = Vec::with_capacity(contents.len());
    for content in contents {
        let mut stream = Stream::new(Dictionary::new(), content);
        if compress {
            stream.compress()?;
        }
        let content_id = doc.add_object(stream);
        let page_id = doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages_id)),
            ("Contents", Object::Reference(content_id)),
        ]));
        kids.push(Object::Reference(page_id));
    }
    let count = i64::try_from(kids.len()).unwrap_or(i64::MAX);
    // Page size and font are inherited from the page tree root rather than repeated per page.
    doc.set_object(
        pages_id,
        Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(kids)),
            ("Count", Object::Integer(count)),
            (
                "MediaBox",
                Object::Array(vec![
                    0.into(),
                    0.into(),
                    PAGE_WIDTH.into(),
                    PAGE_HEIGHT.into(),
                ]),
            ),
            (
                "Resources",
                Object::Dictionary(Dictionary::from_iter([(
                    "Font",
                    Object::Dictionary(Dictionary::from_iter([(
                        FONT_NAME,
                        Object::Reference(font_id),
                    )])),
                )])),
            ),
        ]),
    );
    doc.set_object(
        catalog_id,
        Dictionary::from_iter([
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(pages_id)),
        ]),
    );
    doc.trailer.set("Root", Object::Reference(catalog_id));
    doc.trailer.set("Info", Object::Reference(info_id));
    doc.trailer
        .set("ID", Object::Array(vec![file_id.clone(), file_id]));

    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).map_err(PdfError::Write)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_integers() {
        for n in [0, 7, -3, 10, 720, -2_147_483_648, 2_147_483_647] {
            let mut out = Vec::new();
            push_int(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
    }

    #[test]
    fn escapes_literal_strings() {
        let mut out = Vec::new();
        push_literal(&mut out, br"a(b)c\d");
        assert_eq!(out, br"(a\(b\)c\\d)");
    }
}
