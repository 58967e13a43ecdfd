//! A PDF release read for every place its text can be.
//!
//! Place in `verify`: [`super::reading`] hands PDFs here. With `lopdf` the file is read the
//! way a viewer reads it — every page's content streams through [`content::Interpreter`]
//! (fonts' encodings and widths, Form XObjects to a depth limit), every annotation (its
//! strings and appearance streams), the Info dictionary, metadata streams, the strings of
//! every object (outlines, form fields, object streams included) and other streams'
//! decoded bytes — and then [`raw::scan`] reads the bytes again without the structure. Each
//! page gives two pieces: rows top to bottom, and the order the streams show the text in.
//!
//! The file is loaded from its `%PDF` header (viewers accept bytes before it), falling back
//! to the whole file. A file that cannot be loaded at all is still scanned byte by byte; the
//! caller reports that the structure could not be read.

pub(crate) mod content;
pub mod cover;
mod raw;

pub(crate) use raw::{take_inflated, with_kept};

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::reading::{Piece, Place, pdf_header};
use content::{Fragment, Image, Interpreter, MAX_STREAM, Resources, reading_order, stream_order};
use cover::Covered;

/// A PDF as `verify` reads it.
#[derive(Debug, Default)]
pub struct PdfReading {
    pub pieces: Vec<Piece>,
    /// What could not be read.
    pub notes: Vec<String>,
    /// Boxes with text under them.
    pub covered: Vec<Covered>,
    /// What each page's content drew, in page order.
    pub pages: Vec<Drawn>,
}

/// The text and images one page's content streams drew.
#[derive(Debug, Default)]
pub struct Drawn {
    pub fragments: Vec<Fragment>,
    pub images: Vec<Image>,
}

/// Reads a PDF. `Err` when the file is encrypted (nothing in it can be checked).
pub fn read(bytes: &[u8]) -> Result<PdfReading, String> {
    let start = pdf_header(bytes).unwrap_or(0);
    let doc = Document::load_mem(&bytes[start..]).or_else(|_| Document::load_mem(bytes));
    match doc {
        Ok(doc) => read_doc(&doc, bytes),
        Err(e) => {
            let mut reading = PdfReading::default();
            reading.notes.push(format!(
                "the PDF structure could not be read ({e}); only a byte scan was made"
            ));
            reading.pieces.extend(raw::scan(bytes));
            Ok(reading)
        }
    }
}

/// Reads a PDF already loaded from `bytes` (the structure from `doc`, the byte scan from
/// `bytes`).
pub fn read_doc(doc: &Document, bytes: &[u8]) -> Result<PdfReading, String> {
    if doc.is_encrypted() || doc.trailer.get(b"Encrypt").is_ok() {
        return Err("the PDF is encrypted: its text cannot be checked".into());
    }
    let mut reading = PdfReading::default();
    structured(doc, &mut reading);
    reading.pieces.extend(raw::scan(bytes));
    Ok(reading)
}

fn id_name(id: ObjectId) -> String {
    format!("{} {} R", id.0, id.1)
}

fn structured(doc: &Document, reading: &mut PdfReading) {
    let pieces = &mut reading.pieces;
    let notes = &mut reading.notes;
    let mut seen_streams: HashSet<ObjectId> = HashSet::new();
    // One interpreter for all pages: fonts shared by pages are loaded once.
    let mut it = Interpreter::new(doc);
    for (number, page_id) in doc.get_pages() {
        let page = number as usize;
        it.next_page();
        let (own, inherited) = doc
            .get_page_resources(page_id)
            .unwrap_or((None, Vec::new()));
        let mut dicts: Vec<&Dictionary> = own.into_iter().collect();
        dicts.extend(
            inherited
                .iter()
                .filter_map(|id| doc.get_dictionary(*id).ok()),
        );
        let resources = Resources { dicts };
        for stream_id in doc.get_page_contents(page_id) {
            seen_streams.insert(stream_id);
            let content = match doc.get_object(stream_id) {
                Ok(Object::Stream(s)) => s.decompressed_content_with_limit(MAX_STREAM),
                _ => continue,
            };
            match content {
                Ok(c) => it.run(
                    &c,
                    &id_name(stream_id),
                    &resources,
                    [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
                    0,
                    &mut Vec::new(),
                ),
                Err(_) => notes.push(format!(
                    "page {page}: content stream {} cannot be decompressed",
                    id_name(stream_id)
                )),
            }
        }
        push_page(pieces, page, &it);
        reading.covered.extend(cover::covered(
            page,
            &cover::Painted {
                glyphs: &it.glyphs,
                fills: &it.fills,
                images: &it.images,
                shadings: &it.shadings,
            },
        ));
        reading.pages.push(Drawn {
            fragments: std::mem::take(&mut it.fragments),
            images: std::mem::take(&mut it.images),
        });
        seen_streams.extend(it.forms_drawn.iter().copied());
        notes.append(&mut it.notes);

        if let Ok(Object::Array(annots)) = doc
            .get_dictionary(page_id)
            .and_then(|d| d.get(b"Annots"))
            .map(|o| doc.dereference(o).map_or(o, |(_, o)| o))
        {
            for a in annots {
                let (object, dict) = match a {
                    Object::Reference(id) => match doc.get_dictionary(*id) {
                        Ok(d) => (id_name(*id), d),
                        Err(_) => continue,
                    },
                    Object::Dictionary(d) => ("(inline)".to_string(), d),
                    _ => continue,
                };
                let mut text = String::new();
                dict_strings(dict, &mut text);
                let mut ap = Interpreter::new(doc);
                if let Ok(Object::Dictionary(appearances)) = dict
                    .get(b"AP")
                    .map(|o| doc.dereference(o).map_or(o, |(_, o)| o))
                {
                    for (_, state) in appearances {
                        let mut forms = Vec::new();
                        match state {
                            Object::Reference(id) => forms.push(*id),
                            Object::Dictionary(d) => {
                                forms.extend(d.iter().filter_map(|(_, o)| o.as_reference().ok()))
                            }
                            _ => {}
                        }
                        for id in forms {
                            ap.draw_form_id(
                                id,
                                &resources,
                                [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
                                None,
                                0,
                                &mut Vec::new(),
                            );
                        }
                    }
                }
                seen_streams.extend(ap.forms_drawn.iter().copied());
                notes.append(&mut ap.notes);
                text.push_str(&reading_order(&ap.fragments).0);
                text.push_str(&stream_order(&ap.fragments).0);
                pieces.push(Piece::new(Place::Annotation { page, object }, &text, false));
            }
        }
    }

    let info_id = match doc.trailer.get(b"Info") {
        Ok(Object::Reference(id)) => Some(*id),
        _ => None,
    };
    let info = match doc
        .trailer
        .get(b"Info")
        .map(|o| doc.dereference(o).map_or(o, |(_, o)| o))
    {
        Ok(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    for (key, value) in info.into_iter().flatten() {
        let mut text = String::new();
        object_strings(doc, value, &mut text, 0);
        pieces.push(Piece::new(
            Place::Info(String::from_utf8_lossy(key).into_owned()),
            &text,
            false,
        ));
    }

    for (&id, object) in &doc.objects {
        if Some(id) == info_id {
            continue;
        }
        let mut text = String::new();
        match object {
            Object::Stream(stream) => {
                dict_strings(&stream.dict, &mut text);
                let name = |n: &[u8]| {
                    stream
                        .dict
                        .get(n)
                        .and_then(Object::as_name)
                        .ok()
                        .map(<[u8]>::to_vec)
                };
                let metadata = name(b"Type").as_deref() == Some(b"Metadata")
                    || name(b"Subtype").as_deref() == Some(b"XML");
                let skip = seen_streams.contains(&id)
                    || name(b"Subtype").as_deref() == Some(b"Image")
                    || name(b"Type").as_deref() == Some(b"XRef")
                    || name(b"Type").as_deref() == Some(b"ObjStm")
                    || stream.dict.has(b"Length1")
                    || stream.dict.has(b"Length2");
                if metadata || !skip {
                    match stream.decompressed_content_with_limit(MAX_STREAM) {
                        Ok(data) => {
                            let decoded = String::from_utf8(data).unwrap_or_else(|e| {
                                e.into_bytes().iter().map(|&b| char::from(b)).collect()
                            });
                            let place = if metadata {
                                Place::Metadata(id_name(id))
                            } else {
                                Place::Stream(id_name(id))
                            };
                            pieces.push(Piece::new(place, &raw::xml_unescape(&decoded), false));
                        }
                        Err(_) if stream.dict.has(b"Filter") => notes.push(format!(
                            "stream {} cannot be decompressed; its raw bytes are scanned",
                            id_name(id)
                        )),
                        Err(_) => {}
                    }
                }
            }
            // Every object is visited here, so references need not be followed.
            other => local_strings(other, &mut text),
        }
        if !text.trim().is_empty() {
            pieces.push(Piece::new(Place::Object(id_name(id)), &text, false));
        }
    }
}

fn push_page(pieces: &mut Vec<Piece>, page: usize, it: &Interpreter<'_>) {
    let (text, streams) = reading_order(&it.fragments);
    let mut p = Piece::new(Place::Page(page), &text, true);
    p.line_streams = streams;
    pieces.push(p);
    let (text, streams) = stream_order(&it.fragments);
    let mut p = Piece::new(Place::PageStream(page), &text, false);
    p.line_streams = streams;
    pieces.push(p);
}

/// The strings of a dictionary, one a line (references not followed: each object is read
/// on its own).
fn dict_strings(dict: &Dictionary, out: &mut String) {
    for (_, v) in dict {
        local_strings(v, out);
    }
}

fn local_strings(o: &Object, out: &mut String) {
    match o {
        Object::String(bytes, _) => {
            out.push_str(&text_string(bytes));
            out.push('\n');
        }
        Object::Array(items) => items.iter().for_each(|i| local_strings(i, out)),
        Object::Dictionary(d) => dict_strings(d, out),
        Object::Stream(s) => dict_strings(&s.dict, out),
        _ => {}
    }
}

/// The strings of an object, following references a few levels (Info values).
fn object_strings(doc: &Document, o: &Object, out: &mut String, depth: usize) {
    match o {
        Object::Reference(id) if depth < 4 => {
            if let Ok(inner) = doc.get_object(*id) {
                object_strings(doc, inner, out, depth + 1);
            }
        }
        Object::Name(n) => {
            out.push_str(&String::from_utf8_lossy(n));
            out.push('\n');
        }
        Object::Array(items) => items
            .iter()
            .for_each(|i| object_strings(doc, i, out, depth)),
        Object::Dictionary(d) => d
            .iter()
            .for_each(|(_, v)| object_strings(doc, v, out, depth)),
        other => local_strings(other, out),
    }
}

/// A PDF text string: UTF-16 (either order) or UTF-8 with a byte-order mark, otherwise
/// PDFDocEncoding, read as Latin-1 (they agree on letters).
pub fn text_string(bytes: &[u8]) -> String {
    let utf16 = |be: bool| {
        let units = bytes[2..].chunks(2).map(|p| {
            let pair = [p[0], p.get(1).copied().unwrap_or(0)];
            if be {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    match bytes {
        [0xFE, 0xFF, ..] => utf16(true),
        [0xFF, 0xFE, ..] => utf16(false),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        _ => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}
