//! PDF serialization for the typesetter.
//!
//! Place in the pipeline: release model → `render::pdf` (`layout` positions everything, this
//! module turns the positioned pages into content streams and the file) → bytes.
//!
//! Everything is written straight into a byte buffer. The page vocabulary is tiny (filled and
//! stroked rectangles, `Tm`/`Tj` text) and the file always has the same objects in the same
//! order — catalog, page tree, font, Info, then a content stream and a page per page — so
//! building a `lopdf` object graph only to serialize it again cost more than the rest of the
//! typesetting. The bytes are the ones `lopdf` 0.47 wrote for the same graph (a unit test
//! keeps the two in step), so releases made before and after read the same. `lopdf` is still
//! used to Flate-compress streams when asked. Nothing that varies between runs goes in: there
//! is no creation date, the only Info entry is a fixed `/Producer`, and the trailer `/ID` is a
//! hash of the page contents, so identical input gives identical bytes.

use lopdf::{Dictionary, Stream};
use sha2::{Digest, Sha256};

use super::PdfError;
use super::layout::{FONT_SIZE, PAGE_HEIGHT, PAGE_WIDTH, PageDraw, Rect};

/// The one Info entry: says which program made the file and nothing about who, where or when.
pub(crate) const PRODUCER: &str = "declass";

/// Resource name of the Courier font in every page.
const FONT_NAME: &str = "F1";

/// The version line and a comment of four bytes above 127, which tells transfer tools that the
/// file is binary.
const HEADER: &[u8] = b"%PDF-1.4\n%\xBB\xAD\xC0\xDE\n";

/// Object numbers of the fixed objects; page `i` (from 0) has its content stream in object
/// `FIRST_PAGE_OBJECT + 2i` and its page dictionary right after.
const CATALOG: usize = 1;
const PAGES: usize = 2;
const FONT: usize = 3;
const INFO: usize = 4;
const FIRST_PAGE_OBJECT: usize = 5;

/// The file identifier: 16 bytes of a hash of the page contents.
pub(crate) type FileId = [u8; 16];

/// A page content stream as stored in the file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StoredStream<'a> {
    pub data: &'a [u8],
    /// The data is Flate-compressed (`/Filter/FlateDecode`).
    pub flate: bool,
}

/// The decimal digits of `n`, right-aligned in `buf` (no allocation: numbers are written a
/// few hundred times per page).
fn decimal(n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    let mut v = n;
    loop {
        i -= 1;
        buf[i] = b'0' + u8::try_from(v % 10).unwrap_or(0);
        v /= 10;
        if v == 0 {
            break;
        }
    }
    &buf[i..]
}

fn push_uint(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(decimal(n, &mut [0; 20]));
}

/// `n` zero-padded to ten digits, as in a cross-reference entry.
fn push_offset(out: &mut Vec<u8>, n: usize) {
    let mut buf = [0; 20];
    let digits = decimal(u64::try_from(n).unwrap_or(u64::MAX), &mut buf);
    out.extend(std::iter::repeat_n(
        b'0',
        10usize.saturating_sub(digits.len()),
    ));
    out.extend_from_slice(digits);
}

fn push_int(out: &mut Vec<u8>, n: i32) {
    if n < 0 {
        out.push(b'-');
    }
    push_uint(out, u64::from(n.unsigned_abs()));
}

fn push_usize(out: &mut Vec<u8>, n: usize) {
    push_uint(out, u64::try_from(n).unwrap_or(u64::MAX));
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
    let mut rest = bytes;
    // Copy the stretches between bytes that need a backslash whole.
    while let Some(at) = rest.iter().position(|b| matches!(b, b'(' | b')' | b'\\')) {
        out.extend_from_slice(&rest[..at]);
        out.push(b'\\');
        out.push(rest[at]);
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b')');
}

/// The content stream of one page.
pub(crate) fn content_stream(page: &PageDraw, out: &mut Vec<u8>) {
    // Boxes first, so text never ends up underneath one.
    push_rects(out, &page.fills, b"0 g\n", b"f\n");
    push_rects(out, &page.frames, b"0 G 0.75 w\n", b"S\n");
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
    let id = file_id(&contents);
    if !compress {
        let stored: Vec<StoredStream<'_>> = contents
            .iter()
            .map(|data| StoredStream { data, flate: false })
            .collect();
        return Ok(file(&stored, &id));
    }
    let packed = contents
        .into_iter()
        .map(deflate)
        .collect::<Result<Vec<_>, _>>()?;
    let stored: Vec<StoredStream<'_>> = packed
        .iter()
        .map(|(data, flate)| StoredStream {
            data,
            flate: *flate,
        })
        .collect();
    Ok(file(&stored, &id))
}

/// The file identifier is derived from what is on the pages (with each page's length so that
/// page boundaries count), never from time or place.
fn file_id(contents: &[Vec<u8>]) -> FileId {
    let mut hasher = Sha256::new();
    for c in contents {
        hasher.update((c.len() as u64).to_le_bytes());
        hasher.update(c);
    }
    let digest = hasher.finalize();
    let mut id = FileId::default();
    id.copy_from_slice(&digest[..16]);
    id
}

/// Flate-compress one content stream the way `lopdf` does (zlib level 9), keeping it as it is
/// when compression would not save anything.
fn deflate(content: Vec<u8>) -> Result<(Vec<u8>, bool), PdfError> {
    let mut stream = Stream::new(Dictionary::new(), content);
    stream.compress()?;
    let flate = stream.dict.has(b"Filter");
    Ok((stream.content, flate))
}

/// Start indirect object `id`, remembering where it begins for the cross-reference table.
fn begin_object(out: &mut Vec<u8>, offsets: &mut Vec<usize>, id: usize) {
    offsets.push(out.len());
    push_usize(out, id);
    out.extend_from_slice(b" 0 obj\n");
}

fn end_object(out: &mut Vec<u8>) {
    out.extend_from_slice(b"\nendobj\n");
}

fn push_ref(out: &mut Vec<u8>, id: usize) {
    push_usize(out, id);
    out.extend_from_slice(b" 0 R");
}

fn push_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.push(b'<');
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 0x0F)]);
    }
    out.push(b'>');
}

/// The whole file for the given stored content streams and identifier. Also used by `extract`
/// to recognise a file of exactly this shape.
pub(crate) fn file(streams: &[StoredStream<'_>], id: &FileId) -> Vec<u8> {
    let objects = INFO + 2 * streams.len();
    let data: usize = streams.iter().map(|s| s.data.len()).sum();
    let mut out = Vec::with_capacity(data + 512 + 110 * streams.len());
    let mut offsets = Vec::with_capacity(objects);
    out.extend_from_slice(HEADER);

    begin_object(&mut out, &mut offsets, CATALOG);
    out.extend_from_slice(b"<</Type/Catalog/Pages ");
    push_ref(&mut out, PAGES);
    out.extend_from_slice(b">>");
    end_object(&mut out);

    // Page size and font are inherited from the page tree root rather than repeated per page.
    begin_object(&mut out, &mut offsets, PAGES);
    out.extend_from_slice(b"<</Type/Pages/Kids[");
    for i in 0..streams.len() {
        if i > 0 {
            out.push(b' ');
        }
        push_ref(&mut out, FIRST_PAGE_OBJECT + 2 * i + 1);
    }
    out.extend_from_slice(b"]/Count ");
    push_usize(&mut out, streams.len());
    out.extend_from_slice(b"/MediaBox[");
    push_ints(&mut out, &[0, 0, PAGE_WIDTH]);
    push_int(&mut out, PAGE_HEIGHT);
    out.extend_from_slice(b"]/Resources<</Font<</");
    out.extend_from_slice(FONT_NAME.as_bytes());
    out.push(b' ');
    push_ref(&mut out, FONT);
    out.extend_from_slice(b">>>>>>");
    end_object(&mut out);

    begin_object(&mut out, &mut offsets, FONT);
    out.extend_from_slice(
        b"<</Type/Font/Subtype/Type1/BaseFont/Courier/Encoding/WinAnsiEncoding>>",
    );
    end_object(&mut out);

    begin_object(&mut out, &mut offsets, INFO);
    out.extend_from_slice(b"<</Producer");
    push_literal(&mut out, PRODUCER.as_bytes());
    out.extend_from_slice(b">>");
    end_object(&mut out);

    for (i, stream) in streams.iter().enumerate() {
        let content_id = FIRST_PAGE_OBJECT + 2 * i;
        begin_object(&mut out, &mut offsets, content_id);
        out.extend_from_slice(b"<</Length ");
        push_usize(&mut out, stream.data.len());
        if stream.flate {
            out.extend_from_slice(b"/Filter/FlateDecode");
        }
        out.extend_from_slice(b">>stream\n");
        out.extend_from_slice(stream.data);
        // The blank after `endstream` is lopdf's separator before `endobj`.
        out.extend_from_slice(b"\nendstream ");
        end_object(&mut out);

        begin_object(&mut out, &mut offsets, content_id + 1);
        out.extend_from_slice(b"<</Type/Page/Parent ");
        push_ref(&mut out, PAGES);
        out.extend_from_slice(b"/Contents ");
        push_ref(&mut out, content_id);
        out.extend_from_slice(b">>");
        end_object(&mut out);
    }

    // A classic cross-reference table: readable by every tool, and PDF 1.4 needs no more.
    let xref_start = out.len();
    out.extend_from_slice(b"xref\n0 ");
    push_usize(&mut out, objects + 1);
    out.extend_from_slice(b"\n0000000000 65535 f \n");
    for &offset in &offsets {
        push_offset(&mut out, offset);
        out.extend_from_slice(b" 00000 n \n");
    }
    out.extend_from_slice(b"trailer\n<</Root ");
    push_ref(&mut out, CATALOG);
    out.extend_from_slice(b"/Info ");
    push_ref(&mut out, INFO);
    out.extend_from_slice(b"/ID[");
    push_hex(&mut out, id);
    push_hex(&mut out, id);
    out.extend_from_slice(b"]/Size ");
    push_usize(&mut out, objects + 1);
    out.extend_from_slice(b">>\nstartxref\n");
    push_usize(&mut out, xref_start);
    out.extend_from_slice(b"\n%%EOF");
    out
}

/// Draws `rects` as one path: `style` sets the colour (and line width), `paint` fills or
/// strokes them all at once. Nothing is written when there are none.
fn push_rects(out: &mut Vec<u8>, rects: &[Rect], style: &[u8], paint: &[u8]) {
    if rects.is_empty() {
        return;
    }
    out.extend_from_slice(style);
    for r in rects {
        push_ints(out, &[r.x, r.y, r.w, r.h]);
        out.extend_from_slice(b"re\n");
    }
    out.extend_from_slice(paint);
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::xref::XrefType;
    use lopdf::{Document, Object, StringFormat};

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
        for (plain, escaped) in [
            (&b""[..], &b"()"[..]),
            (b"((", br"(\(\()"),
            (b"x\\", br"(x\\)"),
        ] {
            let mut out = Vec::new();
            push_literal(&mut out, plain);
            assert_eq!(out, escaped);
        }
    }

    /// How the file was assembled before it was written by hand: a `lopdf` object graph,
    /// serialized by `lopdf`. The hand-written file must stay byte-identical to this.
    fn lopdf_document(contents: Vec<Vec<u8>>, compress: bool) -> Vec<u8> {
        let file_id = Object::String(file_id(&contents).to_vec(), StringFormat::Hexadecimal);
        let mut doc = Document::with_version("1.4");
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
        let mut kids = Vec::new();
        for content in contents {
            let mut stream = Stream::new(Dictionary::new(), content);
            if compress {
                stream.compress().unwrap();
            }
            let content_id = doc.add_object(stream);
            let page_id = doc.add_object(Dictionary::from_iter([
                ("Type", Object::Name(b"Page".to_vec())),
                ("Parent", Object::Reference(pages_id)),
                ("Contents", Object::Reference(content_id)),
            ]));
            kids.push(Object::Reference(page_id));
        }
        let count = i64::try_from(kids.len()).unwrap();
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
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn same_bytes_as_lopdf() {
        let page = |i: usize| {
            let mut c = b"BT\n/F1 10 Tf\n0 g\n1 0 0 1 72 700 Tm (".to_vec();
            c.extend(std::iter::repeat_n(
                b'a' + u8::try_from(i % 26).unwrap(),
                40 * i,
            ));
            c.extend_from_slice(b"\\(\xb6\\)) Tj\nET\n");
            c
        };
        // Page counts that cross one- and two-digit object numbers and offsets of every width.
        for pages in [0, 1, 2, 3, 5, 6, 12, 60] {
            let contents: Vec<Vec<u8>> = (0..pages).map(page).collect();
            for compress in [false, true] {
                assert_eq!(
                    document(contents.clone(), compress).unwrap(),
                    lopdf_document(contents.clone(), compress),
                    "{pages} pages, compress {compress}"
                );
            }
        }
    }
}
