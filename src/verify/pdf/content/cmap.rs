//! A font's ToUnicode CMap read into a code → text table, decoding shown bytes exactly as
//! lopdf does, without the reverse map (text → codes) lopdf builds with every map.
//!
//! Place in `verify::pdf::content`: [`super::font`] reads each font's map here first and
//! falls back to lopdf only when [`ToUnicode::read`] declines the map. lopdf builds, for
//! every map it parses, a hash map from every code's text back to the code (one key per code
//! a range covers, hashed with SipHash) that declass never uses; that was about a tenth of
//! the CPU of an in-place release. The released bytes depend on the decoding (what is
//! withheld, where the boxes go), so this reader keeps every one of lopdf's rules, its odd
//! ones included:
//! - a later `bfchar`/`bfrange` overwrites an earlier one's codes; ranges with the same
//!   target that touch are one range, and a range's text counts from the start of the
//!   range as stored (lopdf keeps its ranges in a `rangemap`, which merges and splits them);
//! - a one-unit target gives consecutive text (`<01> <05> <0041>`), a longer one counts up
//!   in its last unit, an array gives each code its string, or U+FFFD past its end;
//! - codespace ranges decide where a code ends (each byte within the range's bytes), codes
//!   of no length in the codespace take up to four bytes, an unmapped code is U+FFFD;
//! - the UTF-16 text is decoded with a byte-order mark sniffed at its start, as
//!   `encoding_rs` does for lopdf.
//!
//! [`grammar`] reads a subset of lopdf's CMap syntax; the rest goes to lopdf. The test
//! `tests/pdf_cmap.rs` and `examples/pdf_cmap_sweep.rs` compare both readers font by font.

mod grammar;
#[cfg(test)]
mod tests;

use grammar::Section;

/// What a range of codes maps to (the names are lopdf's, so the two can be compared).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Text of several units, counting up in the last unit from the range's start.
    HexString(Vec<u16>),
    /// One unit: the code plus this (wrapping) offset.
    UTF16CodePoint { offset: u32 },
    /// A string per code from the range's start.
    ArrayOfHexStrings(Vec<Vec<u16>>),
}

/// Codes `start..=end` (of one byte length) and what they map to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Range {
    pub start: u32,
    pub end: u32,
    pub target: Target,
}

const REPLACEMENT: u16 = 0xFFFD;

/// A ToUnicode map: per code length (1 to 4 bytes), sorted disjoint ranges.
#[derive(Debug, Default)]
pub struct ToUnicode {
    ranges: [Vec<Range>; 4],
    codespace: Vec<(u32, u32, u8)>,
}

impl ToUnicode {
    /// lopdf's own reading of the map in `text`, parsed as the ToUnicode of a font that has
    /// nothing else: the reference [`ToUnicode::read`] is held to (its unit tests,
    /// `tests/pdf_cmap.rs`, `examples/pdf_cmap_sweep.rs`). `None` when lopdf refuses it.
    pub fn lopdf_reading(text: &[u8]) -> Option<lopdf::Encoding<'static>> {
        use lopdf::{Dictionary, Document, Encoding, Object, Stream};
        let mut doc = Document::with_version("1.5");
        let id = doc.add_object(Stream::new(Dictionary::new(), text.to_vec()));
        let font = Dictionary::from_iter([
            ("Type", Object::Name(b"Font".to_vec())),
            ("ToUnicode", Object::Reference(id)),
        ]);
        match font.get_font_encoding(&doc) {
            Ok(Encoding::UnicodeMapEncoding(map)) => Some(Encoding::UnicodeMapEncoding(map)),
            _ => None,
        }
    }

    /// The map in `text` (a ToUnicode stream's decoded bytes), or `None` when the text is
    /// outside the syntax read here or lopdf would refuse it (a range ending before it
    /// starts): lopdf is then asked instead.
    pub fn read(text: &[u8]) -> Option<ToUnicode> {
        let mut map = ToUnicode::default();
        for section in grammar::sections(text)? {
            match section {
                Section::Codespace(ranges) => map.codespace.extend(ranges),
                Section::Chars(chars) => {
                    for (code, len, text) in chars {
                        let target = match text[..] {
                            [unit] => Target::UTF16CodePoint {
                                offset: u32::from(unit).wrapping_sub(code),
                            },
                            _ => Target::HexString(text),
                        };
                        map.put(code, code, len, target);
                    }
                }
                Section::Ranges(ranges) => {
                    for (low, high, len, mut targets) in ranges {
                        if high < low {
                            return None;
                        }
                        let target = match (targets.len(), targets.first().map(Vec::len)) {
                            (1, Some(1)) => Target::UTF16CodePoint {
                                offset: u32::from(targets[0][0]).wrapping_sub(low),
                            },
                            (1, _) => Target::HexString(targets.remove(0)),
                            _ => Target::ArrayOfHexStrings(targets),
                        };
                        map.put(low, high, len, target);
                    }
                }
            }
        }
        for ranges in &mut map.ranges {
            merge_touching(ranges);
        }
        Some(map)
    }

    /// The ranges of codes `len` bytes long (1 to 4), as lopdf stores them.
    pub fn ranges(&self, len: u8) -> &[Range] {
        &self.ranges[usize::from(len.clamp(1, 4)) - 1]
    }

    /// Codes `low..=high` of `len` bytes now map to `target` (whatever mapped them before).
    fn put(&mut self, low: u32, high: u32, len: u8, target: Target) {
        let ranges = &mut self.ranges[usize::from(len) - 1];
        let new = Range {
            start: low,
            end: high,
            target,
        };
        // Maps list their codes in order, mostly: then the range goes at the end.
        if ranges.last().is_none_or(|last| last.end < low) {
            ranges.push(new);
            return;
        }
        let mut kept = Vec::with_capacity(ranges.len() + 2);
        for r in ranges.drain(..) {
            if r.end < low || r.start > high {
                kept.push(r);
                continue;
            }
            if r.start < low {
                kept.push(Range {
                    start: r.start,
                    end: low - 1,
                    target: r.target.clone(),
                });
            }
            if r.end > high {
                kept.push(Range {
                    start: high + 1,
                    end: r.end,
                    target: r.target,
                });
            }
        }
        kept.push(new);
        kept.sort_by_key(|r| r.start);
        *ranges = kept;
    }

    /// The text of `code` (`len` bytes), when a range holds it.
    fn get(&self, code: u32, len: u8, out: &mut Vec<u16>) -> bool {
        let ranges = &self.ranges[usize::from(len) - 1];
        let at = ranges.partition_point(|r| r.start <= code);
        let Some(r) = at.checked_sub(1).map(|i| &ranges[i]) else {
            return false;
        };
        if code > r.end {
            return false;
        }
        let from_start = code - r.start;
        match &r.target {
            Target::UTF16CodePoint { offset } => out.push(code.wrapping_add(*offset) as u16),
            Target::HexString(units) => {
                out.extend_from_slice(units);
                if let Some(last) = out.last_mut() {
                    *last = last.wrapping_add(from_start as u16);
                }
            }
            Target::ArrayOfHexStrings(strings) => match strings.get(from_start as usize) {
                Some(s) => out.extend_from_slice(s),
                None => out.push(REPLACEMENT),
            },
        }
        true
    }

    fn get_or_replacement(&self, code: u32, len: u8, out: &mut Vec<u16>) {
        if !self.get(code, len, out) {
            out.push(REPLACEMENT);
        }
    }

    /// Whether `code` of `len` bytes is a whole code: in a codespace range of its length,
    /// each byte within that range's bytes (or any code, without codespace ranges).
    fn complete(&self, code: u32, len: u8) -> bool {
        self.codespace.is_empty()
            || self.codespace.iter().any(|&(low, high, n)| {
                n == len
                    && (0..u32::from(len)).all(|i| {
                        let byte = (code >> (8 * i)) as u8;
                        (low >> (8 * i)) as u8 <= byte && byte <= (high >> (8 * i)) as u8
                    })
            })
    }

    /// The text of shown bytes.
    pub fn decode(&self, bytes: &[u8]) -> String {
        let mut units = Vec::with_capacity(bytes.len());
        let (mut code, mut len) = (0u32, 0u8);
        for &b in bytes {
            if len == 4 {
                self.get_or_replacement(code, 4, &mut units);
                (code, len) = (0, 0);
            }
            len += 1;
            code = (code << 8) | u32::from(b);
            // Without codespace ranges a code ends where a range holds it; with them, where
            // it is a whole code of the codespace (mapped or not).
            let ends = if self.codespace.is_empty() {
                self.get(code, len, &mut units)
            } else if self.complete(code, len) {
                self.get_or_replacement(code, len, &mut units);
                true
            } else {
                false
            };
            if ends {
                (code, len) = (0, 0);
            }
        }
        if len > 0 {
            self.get_or_replacement(code, len, &mut units);
        }
        utf16_text(&units)
    }
}

/// Neighbouring ranges (one ending just before the next starts) with the same target are
/// one range, as in lopdf's `rangemap` (which merges them as they are inserted; the result
/// depends only on which code maps to which target, so merging once at the end is the same).
fn merge_touching(ranges: &mut Vec<Range>) {
    let mut out: Vec<Range> = Vec::with_capacity(ranges.len());
    for r in ranges.drain(..) {
        match out.last_mut() {
            Some(last) if last.end.checked_add(1) == Some(r.start) && last.target == r.target => {
                last.end = r.end;
            }
            _ => out.push(r),
        }
    }
    *ranges = out;
}

/// UTF-16 text as bytes (big-endian), decoded as `encoding_rs` decodes UTF-16BE for lopdf:
/// a byte-order mark at the start chooses the encoding (UTF-8, UTF-16LE or UTF-16BE) and is
/// dropped; what does not decode becomes U+FFFD.
fn utf16_text(units: &[u16]) -> String {
    let bytes = |i: usize| units.get(i / 2).map(|u| u.to_be_bytes()[i % 2]);
    match (bytes(0), bytes(1), bytes(2)) {
        (Some(0xEF), Some(0xBB), Some(0xBF)) => {
            let raw: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).skip(3).collect();
            String::from_utf8_lossy(&raw).into_owned()
        }
        (Some(0xFF), Some(0xFE), _) => {
            let swapped = units[1..].iter().map(|u| u.swap_bytes());
            char::decode_utf16(swapped)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        }
        (Some(0xFE), Some(0xFF), _) => decode_be(&units[1..]),
        _ => decode_be(units),
    }
}

fn decode_be(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}
