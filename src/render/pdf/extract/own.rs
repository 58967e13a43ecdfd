//! Reading back the files `write` makes, without a general PDF parse.
//!
//! Place in the pipeline: release model → `render::pdf` → bytes → `extract` (this module first)
//! → text that the release checks against what was withheld. The release reads back every PDF
//! it writes; a general parse (`lopdf`) of a file whose shape is known in advance cost more
//! than typesetting it.
//!
//! A file is accepted here only if it is, byte for byte, what `write::file` makes from the
//! content streams and identifier found in it: the module takes those out, writes the file
//! again and compares. Such a file holds nothing but its page content streams, the fixed
//! `/Producer` and the structure around them, so everything [`PdfText`] reports besides the page
//! text is known. The page text is read by a parser for exactly the statements
//! `write::content_stream` emits. Anything else — another producer, an edited or appended
//! file, a compressed stream, a statement or escape this parser does not know — gives `None`,
//! and the caller parses the file in full. Nothing is ever skipped: a file is either proved to
//! be of the known shape or read the general way.

use std::borrow::Cow;

use super::super::winansi;
use super::super::write::{self, FileId, PRODUCER, StoredStream};
use super::{Fragment, MAX_PAGE_CONTENT, Markers, assemble};
use crate::render::pdf::PdfText;

/// What `extract` reports for `bytes`, if they are a file exactly as `write` makes it.
pub(super) fn extract(bytes: &[u8]) -> Option<PdfText> {
    let (streams, id) = find_parts(bytes)?;
    let stored: Vec<StoredStream<'_>> = streams
        .iter()
        .map(|&data| StoredStream { data, flate: false })
        .collect();
    if write::file(&stored, &id) != bytes {
        return None;
    }
    let pages = streams
        .iter()
        .map(|data| page_text(data))
        .collect::<Option<Vec<_>>>()?;
    let markers = Markers::scan(bytes);
    Some(PdfText {
        pages,
        info: vec![("Producer".to_string(), PRODUCER.to_string())],
        metadata: Vec::new(),
        other_strings: Vec::new(),
        other_streams: 0,
        // No metadata stream: only a marker somewhere in the bytes (page text) can set these.
        has_xmp: markers.xmp,
        has_incremental_updates: markers.incremental_updates(),
    })
}

/// The page content streams and the identifier, found where `write::file` puts them. Only
/// enough is checked to find them; the comparison with the rewritten file checks the rest.
fn find_parts(bytes: &[u8]) -> Option<(Vec<&[u8]>, FileId)> {
    let mut c = Cursor { rest: bytes };
    // The fixed objects end with the Info dictionary, object 4.
    c.skip_past(b"\n4 0 obj\n")?;
    c.skip_past(b"\nendobj\n")?;
    let mut streams = Vec::new();
    while !c.rest.starts_with(b"xref\n") {
        c.uint()?;
        c.tag(b" 0 obj\n<</Length ")?;
        let len = c.uint()?;
        c.tag(b">>stream\n")?;
        let data = c.take(len)?;
        if data.len() > MAX_PAGE_CONTENT {
            // The full parse refuses such a page; let it say so.
            return None;
        }
        streams.push(data);
        c.tag(b"\nendstream \nendobj\n")?;
        // The page dictionary.
        c.skip_past(b"\nendobj\n")?;
    }
    c.skip_past(b"\ntrailer\n<</Root 1 0 R/Info 4 0 R/ID[<")?;
    let mut id = FileId::default();
    for byte in &mut id {
        let pair = c.take(2)?;
        *byte = hex_digit(pair[0])? << 4 | hex_digit(pair[1])?;
    }
    Some((streams, id))
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The text of one page, as `super::page_text` reads it, if the stream holds only the
/// statements `write::content_stream` emits, each ended by a newline:
///
/// `0 g`, `1 g`, `0 G 0.75 w`, `x y w h re`, `f`, `S`, `BT`, `ET`, `/F1 size Tf`, and
/// `1 0 0 1 x y Tm (text) Tj` with only `\(`, `\)` and `\\` escaped in the text.
///
/// Of these only `Tf` and the text line change what the text state follows, and the text line
/// sets the whole matrix before it shows anything, so each shown string is a fragment at
/// `(x, y)` in the current font size: the same fragments the general reader collects.
fn page_text(content: &[u8]) -> Option<String> {
    const NO_TEXT: [&[u8]; 7] = [
        b"0 g\n",
        b"1 g\n",
        b"f\n",
        b"S\n",
        b"BT\n",
        b"ET\n",
        b"0 G 0.75 w\n",
    ];
    let mut c = Cursor { rest: content };
    // The general reader's text state starts at 10 pt.
    let mut size = 10.0;
    let mut fragments = Vec::new();
    while !c.rest.is_empty() {
        if c.tag(b"1 0 0 1 ").is_some() {
            let x = c.int()?;
            c.tag(b" ")?;
            let y = c.int()?;
            c.tag(b" Tm (")?;
            let text = c.literal()?;
            c.tag(b" Tj\n")?;
            // An empty string shows nothing, and the general reader records nothing for it.
            if !text.is_empty() {
                fragments.push(Fragment { x, y, size, text });
            }
        } else if c.tag(b"/F1 ").is_some() {
            size = c.int()?;
            c.tag(b" Tf\n")?;
        } else if let Some(statement) = NO_TEXT.iter().find(|s| c.rest.starts_with(s)) {
            c.rest = &c.rest[statement.len()..];
        } else {
            // A rectangle: four numbers, then `re`.
            for _ in 0..4 {
                c.int()?;
                c.tag(b" ")?;
            }
            c.tag(b"re\n")?;
        }
    }
    Some(assemble(fragments))
}

/// A position in the bytes being read.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn tag(&mut self, tag: &[u8]) -> Option<()> {
        self.rest = self.rest.strip_prefix(tag)?;
        Some(())
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let taken = self.rest.get(..n)?;
        self.rest = &self.rest[n..];
        Some(taken)
    }

    fn skip_past(&mut self, needle: &[u8]) -> Option<()> {
        let at = self.rest.windows(needle.len()).position(|w| w == needle)?;
        self.rest = &self.rest[at + needle.len()..];
        Some(())
    }

    /// One to nine decimal digits (enough for any length or coordinate we write, and never
    /// near an overflow).
    fn uint(&mut self) -> Option<usize> {
        let digits = self.rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        let (number, rest) = self.rest.split_at(digits);
        self.rest = rest;
        Some(
            number
                .iter()
                .fold(0, |n, &d| n * 10 + usize::from(d - b'0')),
        )
    }

    /// An integer as a content stream number, read the way the general reader converts it.
    fn int(&mut self) -> Option<f32> {
        let negative = self.tag(b"-").is_some();
        let n = self.uint()? as f32;
        Some(if negative { -n } else { n })
    }

    /// The rest of a literal string whose `(` has been read, decoded from WinAnsi: borrowed
    /// from the stream when it is plain ASCII without escapes, as nearly all text is.
    fn literal(&mut self) -> Option<Cow<'a, str>> {
        let plain = self.plain_ascii();
        if let [b')', tail @ ..] = &self.rest[plain..] {
            let text = std::str::from_utf8(&self.rest[..plain]).ok()?;
            self.rest = tail;
            return Some(Cow::Borrowed(text));
        }
        let mut text = String::with_capacity(plain + 16);
        loop {
            let plain = self.plain_ascii();
            let (run, rest) = self.rest.split_at(plain);
            text.push_str(std::str::from_utf8(run).ok()?);
            let byte = match *rest {
                [b')', ref tail @ ..] => {
                    self.rest = tail;
                    return Some(Cow::Owned(text));
                }
                [b'\\', escaped @ (b'(' | b')' | b'\\'), ref tail @ ..] => {
                    self.rest = tail;
                    escaped
                }
                // Other escapes, unbalanced-parenthesis rules and end-of-line handling inside
                // strings are the general parser's business.
                [b'\\' | b'(' | 0..0x20, ..] | [] => return None,
                [b, ref tail @ ..] => {
                    self.rest = tail;
                    b
                }
            };
            text.push(winansi::decode_byte(byte));
        }
    }

    /// How many bytes from here are printable ASCII other than parentheses and backslash:
    /// WinAnsi that decodes to itself and needs no unescaping.
    fn plain_ascii(&self) -> usize {
        self.rest
            .iter()
            .position(|&b| matches!(b, b'(' | b')' | b'\\') || !(0x20..0x80).contains(&b))
            .unwrap_or(self.rest.len())
    }
}

#[cfg(test)]
mod tests {
    use super::super::extract_any;
    use super::*;

    fn sample() -> Vec<u8> {
        let page = |rows: usize| {
            let mut c =
                b"0 g\n126 565 414 22 re\nf\n0 G 0.75 w\n72 600 468 40 re\nS\nBT\n/F1 10 Tf\n0 g\n"
                    .to_vec();
            for i in 0..rows {
                let y = 700 - 12 * i;
                c.extend_from_slice(format!("1 0 0 1 72 {y} Tm (row {i} \\(x\\) \\\\ ").as_bytes());
                c.extend_from_slice(b"\xb6) Tj\n");
                c.extend_from_slice(
                    b"1 g\n1 0 0 1 276 500 Tm (B1) Tj\n0 g\n1 0 0 1 72 10 Tm () Tj\n",
                );
            }
            c.extend_from_slice(b"ET\n");
            c
        };
        write::document(vec![page(3), page(40), page(1)], false).unwrap()
    }

    #[test]
    fn reads_own_files_like_the_full_parse() {
        let bytes = sample();
        let fast = extract(&bytes).expect("our own shape");
        assert_eq!(fast, extract_any(&bytes).unwrap());
        assert!(
            fast.pages[1].contains("row 39 (x) \\ ¶"),
            "{}",
            fast.pages[1]
        );
    }

    #[test]
    fn any_other_shape_goes_to_the_full_parse() {
        let bytes = sample();
        let replace = |from: &[u8], to: &[u8]| {
            let at = bytes.windows(from.len()).position(|w| w == from).unwrap();
            let mut b = bytes.clone();
            b.splice(at..at + from.len(), to.iter().copied());
            b
        };
        let edited = [
            // Another Info entry, of the same length and not.
            replace(b"(declass)", b"(declasz)"),
            replace(
                b"<</Producer(declass)>>",
                b"<</Producer(declass)/Title(secret)>>",
            ),
            // An unknown statement, a stream of another length, another escape.
            replace(b"BT\n/F1", b"BT\n/F2"),
            replace(b"0 \\(x", b"0 \\nx"),
            replace(b"/Length ", b"/Length  "),
            // An appended revision, and bytes after the end.
            [
                bytes.clone(),
                b"\n1 0 obj\n<</Type/Catalog>>\nendobj\nstartxref\n9\n%%EOF".to_vec(),
            ]
            .concat(),
            [bytes.clone(), b" ".to_vec()].concat(),
            // A lower-case identifier (the writer uses upper case).
            {
                let mut b = bytes.clone();
                let at = b.windows(5).position(|w| w == b"/ID[<").unwrap() + 5;
                b[at..at + 32].make_ascii_lowercase();
                if b[at..at + 32] == bytes[at..at + 32] {
                    b[at] = b'a';
                }
                b
            },
        ];
        for bytes in &edited {
            assert!(
                extract(bytes).is_none(),
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Whatever is typeset (any characters, inline redactions, withheld boxes, enough rows
        /// for several pages), this reader accepts the file and agrees with the full parse.
        #[test]
        fn agrees_with_the_full_parse(
            lines in proptest::collection::vec(("\\PC{0,120}", proptest::option::of(1usize..90)), 0..140),
            withheld in proptest::option::of(1usize..70),
        ) {
            use crate::render::pdf::{Block, PdfInput, Span, render};
            let mut blocks: Vec<Block> = lines
                .into_iter()
                .map(|(text, redaction)| {
                    let mut spans = vec![Span::Text(text)];
                    if let Some(width_chars) = redaction {
                        spans.push(Span::Redaction { codes: "B6".into(), width_chars });
                    }
                    Block::Line(spans)
                })
                .collect();
            if let Some(height_lines) = withheld {
                blocks.insert(blocks.len() / 2, Block::Withheld {
                    lead: "¶4. (C) ".into(),
                    codes: "B1, 1.4(B)".into(),
                    height_lines,
                });
            }
            let input = PdfInput {
                header_marking: "SECRET (x) \\ <?xpacket".into(),
                header_ids: "Case No. F-1".into(),
                footer_stamp: "RELEASE IN PART B6".into(),
                declass_block: vec!["Classified By: (someone)".into()],
                blocks,
            };
            let bytes = render(&input).unwrap().bytes;
            let fast = extract(&bytes);
            proptest::prop_assert!(fast.is_some());
            proptest::prop_assert_eq!(fast.unwrap(), extract_any(&bytes).unwrap());
        }
    }

    #[test]
    fn markers_in_page_text_are_still_reported() {
        let page =
            b"BT\n/F1 10 Tf\n1 0 0 1 72 700 Tm (<?xpacket startxref startxref) Tj\nET\n".to_vec();
        let bytes = write::document(vec![page], false).unwrap();
        let fast = extract(&bytes).unwrap();
        assert!(fast.has_xmp && fast.has_incremental_updates);
        assert_eq!(fast, extract_any(&bytes).unwrap());
    }
}
