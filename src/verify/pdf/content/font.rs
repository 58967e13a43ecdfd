//! Fonts for the content interpreter ([`super`]): how shown bytes become text (the font's
//! encoding, ToUnicode maps cached per thread) and how far each glyph advances (widths).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Encoding, Object};

use super::{MAX_STREAM, deref, number};

/// What a font needs to turn shown bytes into text and advances.
pub(super) struct Font<'a> {
    pub(super) encoding: Option<Rc<Encoding<'a>>>,
    /// Widths in thousandths of an em, from `first`.
    pub(super) widths: Vec<f32>,
    pub(super) first: u32,
    pub(super) default_width: f32,
    pub(super) two_byte: bool,
}

impl Font<'_> {
    pub(super) fn width(&self, code: u32) -> f32 {
        code.checked_sub(self.first)
            .and_then(|i| self.widths.get(i as usize))
            .copied()
            .filter(|w| *w > 0.0)
            .unwrap_or(self.default_width)
    }

    pub(super) fn decode(&self, bytes: &[u8]) -> String {
        if let Some(enc) = &self.encoding
            && let Ok(s) = enc.bytes_to_string(bytes)
            && !s.is_empty()
        {
            return s;
        }
        if self.two_byte {
            let units = bytes
                .chunks(2)
                .map(|p| u16::from_be_bytes([p[0], p.get(1).copied().unwrap_or(0)]));
            return char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
        }
        bytes.iter().map(|&b| char::from(b)).collect()
    }
}

/// ToUnicode maps kept for this thread, by the map's bytes, with an upper bound on how many.
/// lopdf builds a reverse map of every code a map covers when it parses one, which made
/// parsing (and freeing) these maps most of the time spent reading a PDF; a release reads
/// the same fonts four times (the input, the redaction pass, and the output's two
/// read-backs), and the same bytes always give the same map.
const UNICODE_MAPS_KEPT: usize = 256;

thread_local! {
    static UNICODE_MAPS: RefCell<HashMap<Vec<u8>, Rc<Encoding<'static>>>> =
        RefCell::new(HashMap::new());
}

/// The font's encoding as lopdf reads it, with ToUnicode maps taken from [`UNICODE_MAPS`].
fn font_encoding<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<Rc<Encoding<'a>>> {
    let by_unicode = match dict.get(b"Encoding").map(|o| deref(doc, o)) {
        Err(_) => true,
        Ok(Object::Name(n)) => n == b"Identity-H" || n == b"Identity-V",
        Ok(_) => false,
    };
    if by_unicode && let Some(map) = unicode_map(doc, dict) {
        return Some(map);
    }
    dict.get_font_encoding_with_limit(doc, MAX_STREAM)
        .ok()
        .map(Rc::new)
}

/// The font's ToUnicode map, when it has one that parses.
fn unicode_map(doc: &Document, dict: &Dictionary) -> Option<Rc<Encoding<'static>>> {
    let to_unicode = dict.get(b"ToUnicode").ok()?;
    let Object::Stream(stream) = deref(doc, to_unicode) else {
        return None;
    };
    let bytes = stream.get_plain_content_with_limit(MAX_STREAM).ok()?;
    if let Some(map) = UNICODE_MAPS.with(|m| m.borrow().get(&bytes).cloned()) {
        return Some(map);
    }
    // lopdf parses a map only as part of a font: one that has nothing but the map.
    let only_map = Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("ToUnicode", to_unicode.clone()),
    ]);
    let Ok(Encoding::UnicodeMapEncoding(map)) =
        only_map.get_font_encoding_with_limit(doc, MAX_STREAM)
    else {
        return None;
    };
    let map = Rc::new(Encoding::UnicodeMapEncoding(map));
    UNICODE_MAPS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= UNICODE_MAPS_KEPT {
            m.clear();
        }
        m.insert(bytes, map.clone());
    });
    Some(map)
}

pub(super) fn load_font<'a>(doc: &'a Document, dict: &'a Dictionary) -> Font<'a> {
    let two_byte = dict
        .get(b"Subtype")
        .and_then(Object::as_name)
        .is_ok_and(|n| n == b"Type0");
    let mut encoding = font_encoding(doc, dict);
    let plain_fails = encoding
        .as_ref()
        .is_none_or(|e| e.bytes_to_string(b"AZ").is_err());
    if plain_fails && dict.has(b"ToUnicode") {
        // A font with a predefined CMap (Identity-H) and a ToUnicode map: the map is what
        // the text means.
        if let Some(map) = unicode_map(doc, dict) {
            encoding = Some(map);
        }
    }
    let widths: Vec<f32> = match dict.get(b"Widths").map(|o| deref(doc, o)) {
        Ok(Object::Array(items)) => items.iter().map(|o| number(Some(deref(doc, o)))).collect(),
        _ => Vec::new(),
    };
    let first = dict
        .get(b"FirstChar")
        .ok()
        .map_or(0, |o| number(Some(o)).max(0.0) as u32);
    let base = dict
        .get(b"BaseFont")
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).to_ascii_lowercase())
        .unwrap_or_default();
    let default_width = if two_byte {
        1000.0
    } else if base.contains("courier") {
        600.0
    } else {
        500.0
    };
    Font {
        encoding,
        widths,
        first,
        default_width,
        two_byte,
    }
}
