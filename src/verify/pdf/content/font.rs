//! Fonts for the content interpreter ([`super`]): how shown bytes become text (the font's
//! encoding, ToUnicode maps cached per thread) and how far each glyph advances (widths).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Encoding, Object};

use super::cmap::ToUnicode;
use super::std14;
use super::{MAX_STREAM, deref, number};

/// What a font needs to turn shown bytes into text and advances.
pub(super) struct Font<'a> {
    pub(super) encoding: Option<Rc<Text<'a>>>,
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
            && let Some(s) = enc.text(bytes)
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

/// How a font's shown bytes become text: its ToUnicode map read by [`ToUnicode`], or an
/// encoding as lopdf reads it (a map [`ToUnicode::read`] declines included).
pub(super) enum Text<'a> {
    Map(ToUnicode),
    Lopdf(Encoding<'a>),
}

impl Text<'_> {
    /// The text of shown bytes, when the encoding has one.
    fn text(&self, bytes: &[u8]) -> Option<String> {
        match self {
            Text::Map(map) => Some(map.decode(bytes)),
            Text::Lopdf(encoding) => encoding.bytes_to_string(bytes).ok(),
        }
    }
}

/// ToUnicode maps kept for this thread, by the map's bytes, with an upper bound on how many.
/// Parsing these maps was most of the time spent reading a PDF (lopdf's reverse maps, now
/// not built: [`ToUnicode`]), and a release reads
/// the same fonts four times (the input, the redaction pass, and the output's two
/// read-backs), and the same bytes always give the same map.
const UNICODE_MAPS_KEPT: usize = 256;

thread_local! {
    static UNICODE_MAPS: RefCell<HashMap<Vec<u8>, Rc<Text<'static>>>> =
        RefCell::new(HashMap::new());
}

/// The font's encoding as lopdf reads it, with ToUnicode maps taken from [`UNICODE_MAPS`].
fn font_encoding<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<Rc<Text<'a>>> {
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
        .map(|e| Rc::new(Text::Lopdf(e)))
}

/// The font's ToUnicode map, when it has one that parses.
fn unicode_map(doc: &Document, dict: &Dictionary) -> Option<Rc<Text<'static>>> {
    let to_unicode = dict.get(b"ToUnicode").ok()?;
    let Object::Stream(stream) = deref(doc, to_unicode) else {
        return None;
    };
    let bytes = stream.get_plain_content_with_limit(MAX_STREAM).ok()?;
    if let Some(map) = UNICODE_MAPS.with(|m| m.borrow().get(&bytes).cloned()) {
        return Some(map);
    }
    let map = match ToUnicode::read(&bytes) {
        Some(map) => Text::Map(map),
        None => {
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
            Text::Lopdf(Encoding::UnicodeMapEncoding(map))
        }
    };
    let map = Rc::new(map);
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
    let plain_fails = encoding.as_ref().is_none_or(|e| e.text(b"AZ").is_none());
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
    if two_byte && let Some((cid_widths, dw)) = cid_widths(doc, dict) {
        return Font {
            encoding,
            widths: cid_widths,
            first: 0,
            default_width: dw,
            two_byte,
        };
    }
    let default_width = if two_byte {
        1000.0
    } else if base.contains("courier") {
        600.0
    } else {
        500.0
    };
    let mut font = Font {
        encoding,
        widths,
        first,
        default_width,
        two_byte,
    };
    if !two_byte
        && font.widths.is_empty()
        && let Some(table) = standard_widths(&base)
    {
        // A standard font given without widths: each code's width is its character's
        // in the standard metrics (codes whose character is not there keep the default).
        font.widths = (0..=255u8)
            .map(|code| {
                let text = font.decode(&[code]);
                let mut chars = text.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => table
                        .binary_search_by_key(&c, |&(k, _)| k)
                        .map_or(0.0, |i| f32::from(table[i].1)),
                    _ => 0.0,
                }
            })
            .collect();
        font.first = 0;
    }
    font
}

/// The standard metrics a font named `base` (lower-cased) is drawn with when it gives no
/// widths, as viewers substitute it: Times for Times (and Times New Roman), Helvetica for
/// Helvetica and Arial, in the weight and slant the name says. A subset tag (`ABCDEF+`)
/// is ignored. Courier has no table (its default width is right for every glyph).
fn standard_widths(base: &str) -> Option<&'static [(char, u16)]> {
    let name = base.split_once('+').map_or(base, |(_, n)| n);
    let bold = name.contains("bold");
    let slanted = name.contains("italic") || name.contains("oblique");
    if name.starts_with("times") {
        Some(match (bold, slanted) {
            (false, false) => std14::TIMES_ROMAN,
            (true, false) => std14::TIMES_BOLD,
            (false, true) => std14::TIMES_ITALIC,
            (true, true) => std14::TIMES_BOLD_ITALIC,
        })
    } else if name.starts_with("helvetica") || name.starts_with("arial") {
        Some(match (bold, slanted) {
            (false, false) => std14::HELVETICA,
            (true, false) => std14::HELVETICA_BOLD,
            (false, true) => std14::HELVETICA_OBLIQUE,
            (true, true) => std14::HELVETICA_BOLD_OBLIQUE,
        })
    } else {
        None
    }
}

/// Codes a composite font's widths are kept for (all two-byte codes).
const MAX_CID: usize = 1 << 16;

/// A composite font's glyph widths by code, from its descendant's `W` and `DW`, when its
/// encoding is `Identity-H` or `Identity-V` (the code is the CID the widths are given by);
/// `None` otherwise. Without them every glyph was taken to be an em wide, which puts the
/// glyphs of a proportional font far to the right of where a viewer draws them.
fn cid_widths(doc: &Document, dict: &Dictionary) -> Option<(Vec<f32>, f32)> {
    let identity = matches!(
        dict.get(b"Encoding").and_then(Object::as_name),
        Ok(b"Identity-H" | b"Identity-V")
    );
    if !identity {
        return None;
    }
    let descendant = match dict.get(b"DescendantFonts").map(|o| deref(doc, o)) {
        Ok(Object::Array(a)) => match a.first().map(|o| deref(doc, o)) {
            Some(Object::Dictionary(d)) => d,
            _ => return None,
        },
        _ => return None,
    };
    let dw = match descendant.get(b"DW") {
        Ok(o) => number(Some(deref(doc, o))),
        Err(_) => 1000.0,
    };
    let mut widths: Vec<f32> = Vec::new();
    let mut set = |cid: f32, w: f32| {
        if cid >= 0.0 && (cid as usize) < MAX_CID {
            let cid = cid as usize;
            if widths.len() <= cid {
                widths.resize(cid + 1, 0.0);
            }
            widths[cid] = w;
        }
    };
    if let Ok(Object::Array(w)) = descendant.get(b"W").map(|o| deref(doc, o)) {
        let w: Vec<&Object> = w.iter().map(|o| deref(doc, o)).collect();
        let mut i = 0;
        // `c [w1 w2 …]` gives consecutive codes from c; `c1 c2 w` one width for a range.
        while i + 1 < w.len() {
            let first = number(Some(w[i]));
            match w[i + 1] {
                Object::Array(list) => {
                    for (k, o) in list.iter().enumerate() {
                        set(first + k as f32, number(Some(deref(doc, o))));
                    }
                    i += 2;
                }
                last if i + 2 < w.len() => {
                    let last = number(Some(last)).min(first + MAX_CID as f32);
                    let width = number(Some(w[i + 2]));
                    let mut cid = first;
                    while cid <= last {
                        set(cid, width);
                        cid += 1.0;
                    }
                    i += 3;
                }
                _ => break,
            }
        }
    }
    Some((widths, if dw > 0.0 { dw } else { 1000.0 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn type0(encoding: &str, w: Vec<Object>) -> (Document, Dictionary) {
        let mut doc = Document::with_version("1.5");
        let descendant = doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"CIDFontType2".to_vec())),
            ("DW", Object::Integer(700)),
            ("W", Object::Array(w)),
        ]));
        let font = Dictionary::from_iter([
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"Type0".to_vec())),
            ("Encoding", Object::Name(encoding.as_bytes().to_vec())),
            (
                "DescendantFonts",
                Object::Array(vec![Object::Reference(descendant)]),
            ),
        ]);
        (doc, font)
    }

    #[test]
    fn a_composite_fonts_widths_come_from_its_descendants_w_and_dw() {
        let w = vec![
            Object::Integer(1),
            Object::Array(vec![Object::Integer(992), Object::Real(348.5)]),
            Object::Integer(10),
            Object::Integer(12),
            Object::Integer(600),
        ];
        let (doc, dict) = type0("Identity-H", w.clone());
        let font = load_font(&doc, &dict);
        assert!(font.two_byte);
        let got: Vec<f32> = [0, 1, 2, 3, 10, 12, 13, 60_000]
            .map(|c| font.width(c))
            .to_vec();
        assert_eq!(
            got,
            [700.0, 992.0, 348.5, 700.0, 600.0, 600.0, 700.0, 700.0]
        );
        // Another CMap maps codes to CIDs in ways not read here: an em, as before.
        let (doc, dict) = type0("UniJIS-UCS2-H", w);
        assert_eq!(load_font(&doc, &dict).width(1), 1000.0);
    }

    fn simple(base: &str, widths: Option<Vec<Object>>) -> Dictionary {
        let mut font = Dictionary::from_iter([
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"Type1".to_vec())),
            ("BaseFont", Object::Name(base.as_bytes().to_vec())),
            ("Encoding", Object::Name(b"WinAnsiEncoding".to_vec())),
        ]);
        if let Some(w) = widths {
            font.set("FirstChar", Object::Integer(97));
            font.set("Widths", Object::Array(w));
        }
        font
    }

    #[test]
    fn a_standard_font_without_widths_takes_the_standard_metrics() {
        let doc = Document::with_version("1.5");
        // Times-Roman: a 444, v 500, space 250, a right quote 333, a bullet 350.
        let times = simple("Times-Roman", None);
        let font = load_font(&doc, &times);
        let got = [b'a', b'v', b' ', 0x92, 0x95].map(|c| font.width(u32::from(c)));
        assert_eq!(got, [444.0, 500.0, 250.0, 333.0, 350.0]);
        // The weight and slant the name says; a subset tag and Arial for Helvetica.
        let arial = simple("ABCDEF+Arial,Bold", None);
        let bold = load_font(&doc, &arial);
        assert_eq!(bold.width(u32::from(b'a')), 556.0);
        assert_eq!(bold.width(u32::from(b'm')), 889.0);
        let times_italic = simple("Times-Italic", None);
        let italic = load_font(&doc, &times_italic);
        assert_eq!(italic.width(u32::from(b'v')), 444.0);
        // Widths given are kept; another font without them keeps the default.
        let with_widths = simple("Times-Roman", Some(vec![Object::Integer(610)]));
        let given = load_font(&doc, &with_widths);
        assert_eq!(given.width(u32::from(b'a')), 610.0);
        let garamond = simple("Garamond", None);
        let other = load_font(&doc, &garamond);
        assert_eq!(other.width(u32::from(b'a')), 500.0);
    }
}
