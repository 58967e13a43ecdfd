//! Text recovery from PDFs, for leak verification.
//!
//! Place in the pipeline: release model → `render::pdf` → bytes → (this module) → text that the
//! release checks against what was withheld. It reads the files `render` writes — standard
//! Courier, WinAnsi, `Tm`/`Tj` text — and tolerates the usual relative text operators (`Td`,
//! `TD`, `T*`, `'`, `"`, `TJ`) so that a file touched by another tool still reads sensibly.
//! Glyph widths are taken as Courier's everywhere, which is exact for our own files.
//!
//! Beyond page text it gathers every other place text can hide in a PDF: the Info dictionary,
//! metadata streams, strings in any other object, streams that are neither page content nor
//! metadata, and signs of incremental updates (an appended revision can keep old text).
//!
//! Files exactly as `write` makes them are read by `own`, without a general parse; every other
//! file, or one of ours changed in any byte that `own` does not account for, is parsed in full
//! with `lopdf` here.

mod own;

use std::borrow::Cow;
use std::collections::HashSet;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object};

use super::winansi;
use super::{PdfError, PdfText};

/// Refuse to inflate any page beyond this: our pages are a few kilobytes.
const MAX_PAGE_CONTENT: usize = 64 << 20;

/// Courier's advance width as a fraction of the font size.
const COURIER_ADVANCE: f32 = 0.6;

pub(crate) fn extract(bytes: &[u8]) -> Result<PdfText, PdfError> {
    match own::extract(bytes) {
        Some(text) => Ok(text),
        None => extract_any(bytes),
    }
}

/// The full parse, for any PDF.
fn extract_any(bytes: &[u8]) -> Result<PdfText, PdfError> {
    let doc = Document::load_mem(bytes)?;
    if doc.is_encrypted() || doc.trailer.get(b"Encrypt").is_ok() {
        return Err(PdfError::Unsupported("the PDF is encrypted".into()));
    }

    let mut content_ids = HashSet::new();
    let mut pages = Vec::new();
    for page_id in doc.get_pages().into_values() {
        content_ids.extend(doc.get_page_contents(page_id));
        let content = doc.get_page_content_with_limit(page_id, MAX_PAGE_CONTENT)?;
        pages.push(page_text(&content)?);
    }

    let info_dict = match doc.trailer.get(b"Info") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).ok().map(|d| (Some(*id), d)),
        Ok(Object::Dictionary(d)) => Some((None, d)),
        _ => None,
    };
    let info = info_dict
        .map(|(_, d)| {
            d.iter()
                .map(|(k, v)| {
                    (
                        String::from_utf8_lossy(k).into_owned(),
                        object_text(&doc, v),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let info_id = info_dict.and_then(|(id, _)| id);

    let mut metadata = Vec::new();
    let mut other_strings = Vec::new();
    let mut other_streams = 0usize;
    for (id, object) in &doc.objects {
        if Some(*id) == info_id {
            continue;
        }
        if let Object::Stream(stream) = object {
            // A cross-reference stream's dictionary is the trailer, handled below.
            if stream.dict.has_type(b"XRef") {
                continue;
            }
            collect_dict_strings(&stream.dict, &mut other_strings);
            if is_metadata(&stream.dict) {
                let plain = stream
                    .decompressed_content_with_limit(MAX_PAGE_CONTENT)
                    .or_else(|_| Ok::<_, lopdf::Error>(stream.content.clone()))?;
                metadata.push(String::from_utf8_lossy(&plain).into_owned());
            } else if !content_ids.contains(id) {
                other_streams += 1;
            }
        } else {
            collect_strings(object, &mut other_strings);
        }
    }
    // The trailer's /ID is a hash, not text; anything else in the trailer is reported.
    for (key, value) in &doc.trailer {
        if key != b"ID" {
            collect_strings(value, &mut other_strings);
        }
    }

    let markers = Markers::scan(bytes);
    let has_xmp =
        !metadata.is_empty() || markers.xmp || metadata.iter().any(|m| m.contains("xmpmeta"));
    let has_incremental_updates = markers.incremental_updates();

    Ok(PdfText {
        pages,
        info,
        metadata,
        other_strings,
        other_streams,
        has_xmp,
        has_incremental_updates,
    })
}

fn is_metadata(dict: &Dictionary) -> bool {
    let name_is = |key: &[u8], value: &[u8]| {
        dict.get(key)
            .and_then(Object::as_name)
            .is_ok_and(|n| n == value)
    };
    name_is(b"Type", b"Metadata") || name_is(b"Subtype", b"XML")
}

fn collect_dict_strings(dict: &Dictionary, out: &mut Vec<String>) {
    for (_, value) in dict {
        collect_strings(value, out);
    }
}

fn collect_strings(object: &Object, out: &mut Vec<String>) {
    match object {
        Object::String(bytes, _) => out.push(text_string(bytes)),
        Object::Array(items) => items.iter().for_each(|o| collect_strings(o, out)),
        Object::Dictionary(dict) => collect_dict_strings(dict, out),
        Object::Stream(stream) => collect_dict_strings(&stream.dict, out),
        _ => {}
    }
}

/// A readable form of an Info value.
fn object_text(doc: &Document, object: &Object) -> String {
    match object {
        Object::String(bytes, _) => text_string(bytes),
        Object::Name(name) => String::from_utf8_lossy(name).into_owned(),
        Object::Integer(i) => i.to_string(),
        Object::Real(r) => r.to_string(),
        Object::Boolean(b) => b.to_string(),
        Object::Reference(id) => match doc.get_object(*id) {
            // One level only: Info values are plain, and this avoids reference cycles.
            Ok(Object::Reference(_)) | Err(_) => String::new(),
            Ok(inner) => object_text(doc, inner),
        },
        Object::Array(items) => items
            .iter()
            .map(|o| object_text(doc, o))
            .collect::<Vec<_>>()
            .join(" "),
        other => {
            let mut strings = Vec::new();
            collect_strings(other, &mut strings);
            strings.join(" ")
        }
    }
}

/// Decode a PDF text string: UTF-16 or UTF-8 with a byte-order mark, otherwise PDFDocEncoding,
/// which agrees with WinAnsi on every printable byte a producer plausibly writes.
fn text_string(bytes: &[u8]) -> String {
    let utf16 = |be: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|p| {
                if be {
                    u16::from_be_bytes([p[0], p[1]])
                } else {
                    u16::from_le_bytes([p[0], p[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFE, 0xFF, ..] => utf16(true),
        [0xFF, 0xFE, ..] => utf16(false),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        _ => winansi::decode(bytes),
    }
}

/// What a plain byte search of the whole file finds, wherever it is (even inside page text).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Markers {
    /// The opening of an XMP packet or of its `x:xmpmeta` element.
    xmp: bool,
    /// How many times `startxref` occurs.
    startxrefs: usize,
}

impl Markers {
    /// One pass over the file. Both markers hold a byte that is rare in text (`<`, and the `x`
    /// of `startxref`), so the file is tested a block at a time for those two bytes — a test
    /// without early exit, which compiles to vector instructions — and only blocks that have
    /// one are looked at closely.
    fn scan(bytes: &[u8]) -> Self {
        const BLOCK: usize = 32;
        let mut markers = Markers::default();
        let mut check = |i: usize| match bytes[i] {
            b'<' => {
                let rest = &bytes[i..];
                markers.xmp |= rest.starts_with(b"<x:xmpmeta") || rest.starts_with(b"<?xpacket");
            }
            b'x' if i >= 5 && bytes[i - 5..].starts_with(b"startxref") => {
                markers.startxrefs += 1;
            }
            _ => {}
        };
        let blocks = bytes.chunks_exact(BLOCK);
        let tail = bytes.len() - blocks.remainder().len();
        for (n, block) in blocks.enumerate() {
            if block
                .iter()
                .fold(false, |hit, &b| hit | (b == b'<') | (b == b'x'))
            {
                (n * BLOCK..(n + 1) * BLOCK).for_each(&mut check);
            }
        }
        (tail..bytes.len()).for_each(&mut check);
        markers
    }

    /// Each revision of a PDF ends with its own `startxref`; more than one means the file was
    /// updated incrementally and older revisions (with older text) may still be inside.
    fn incremental_updates(self) -> bool {
        self.startxrefs > 1
    }
}

/// A piece of text where the page shows it. The text borrows from the file where it reads as
/// it is stored (plain ASCII in one of our own files), and is decoded otherwise.
#[derive(Debug)]
struct Fragment<'a> {
    x: f32,
    y: f32,
    size: f32,
    text: Cow<'a, str>,
}

/// The text state `extract` follows: only what moves text around.
#[derive(Debug)]
struct TextState {
    /// Start of the current line (text line matrix translation) and the current point.
    line: (f32, f32),
    point: (f32, f32),
    /// Horizontal scale of the text matrix, applied to advances.
    scale: f32,
    size: f32,
    leading: f32,
    char_spacing: f32,
    word_spacing: f32,
}

impl TextState {
    fn new() -> Self {
        TextState {
            line: (0.0, 0.0),
            point: (0.0, 0.0),
            scale: 1.0,
            size: 10.0,
            leading: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
        }
    }

    fn move_line(&mut self, dx: f32, dy: f32) {
        self.line = (self.line.0 + dx * self.scale, self.line.1 + dy * self.scale);
        self.point = self.line;
    }

    fn show(&mut self, bytes: &[u8], out: &mut Vec<Fragment<'_>>) {
        if bytes.is_empty() {
            return;
        }
        out.push(Fragment {
            x: self.point.0,
            y: self.point.1,
            size: self.size * self.scale,
            text: Cow::Owned(winansi::decode(bytes)),
        });
        let spaces = bytes.iter().filter(|&&b| b == b' ').count();
        let advance = bytes.len() as f32 * (COURIER_ADVANCE * self.size + self.char_spacing)
            + spaces as f32 * self.word_spacing;
        self.point.0 += advance * self.scale;
    }
}

fn number(object: Option<&Object>) -> f32 {
    match object {
        Some(Object::Integer(i)) => *i as f32,
        Some(Object::Real(r)) => *r,
        _ => 0.0,
    }
}

/// The text of one page in reading order: rows top to bottom, fragments left to right, one
/// newline per text row (two where the page leaves a blank row), and spaces for horizontal gaps
/// measured in Courier cells.
fn page_text(content: &[u8]) -> Result<String, PdfError> {
    let content = Content::decode(content)?;
    let mut state = TextState::new();
    let mut fragments = Vec::new();
    for op in &content.operations {
        let args = &op.operands;
        match op.operator.as_str() {
            "BT" => {
                state.line = (0.0, 0.0);
                state.point = (0.0, 0.0);
                state.scale = 1.0;
            }
            "Tf" => state.size = number(args.get(1)),
            "Tm" => {
                state.scale = number(args.first());
                state.line = (number(args.get(4)), number(args.get(5)));
                state.point = state.line;
            }
            "Td" => state.move_line(number(args.first()), number(args.get(1))),
            "TD" => {
                state.leading = -number(args.get(1));
                state.move_line(number(args.first()), number(args.get(1)));
            }
            "TL" => state.leading = number(args.first()),
            "Tc" => state.char_spacing = number(args.first()),
            "Tw" => state.word_spacing = number(args.first()),
            "T*" => state.move_line(0.0, -state.leading),
            "Tj" | "'" | "\"" => {
                if op.operator == "\"" {
                    state.word_spacing = number(args.first());
                    state.char_spacing = number(args.get(1));
                }
                if op.operator != "Tj" {
                    state.move_line(0.0, -state.leading);
                }
                if let Some(Object::String(bytes, _)) = args.last() {
                    state.show(bytes, &mut fragments);
                }
            }
            "TJ" => {
                if let Some(Object::Array(items)) = args.first() {
                    for item in items {
                        match item {
                            Object::String(bytes, _) => state.show(bytes, &mut fragments),
                            other => {
                                let shift = number(Some(other)) / 1000.0 * state.size;
                                state.point.0 -= shift * state.scale;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(assemble(fragments))
}

fn assemble(mut fragments: Vec<Fragment<'_>>) -> String {
    if fragments.is_empty() {
        return String::new();
    }
    // Top to bottom, then left to right; stable, so same-place runs keep stream order.
    fragments.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let origin = fragments.iter().map(|f| f.x).fold(f32::INFINITY, f32::min);
    // Room for the text and some indentation, so that the page is rarely copied as it grows.
    let mut out = String::with_capacity(fragments.iter().map(|f| f.text.len() + 16).sum());
    let mut row_y: Option<f32> = None;
    let mut row_cells = 0usize;
    for f in &fragments {
        let cell = (COURIER_ADVANCE * f.size).max(0.1);
        match row_y {
            Some(y) if (y - f.y).abs() < f.size * 0.5 => {}
            Some(y) => {
                // One newline per row, a second one if at least a blank row lies between.
                let rows = ((y - f.y) / (f.size * 1.2)).round();
                out.push('\n');
                if rows >= 2.0 {
                    out.push('\n');
                }
                row_y = Some(f.y);
                row_cells = 0;
            }
            None => {
                row_y = Some(f.y);
            }
        }
        let target = ((f.x - origin) / cell).round().max(0.0) as usize;
        if target > row_cells {
            out.extend(std::iter::repeat_n(' ', target - row_cells));
            row_cells = target;
        } else if row_cells > 0 && !out.ends_with(' ') {
            // Overlapping runs: keep the words apart rather than fusing them.
            out.push(' ');
            row_cells += 1;
        }
        out.push_str(&f.text);
        row_cells += f.text.chars().count();
    }
    out.push('\n');
    out
}
