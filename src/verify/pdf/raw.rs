//! A byte scan of a PDF: every string in the file and in every stream, whether or not the
//! file's structure leads to it.
//!
//! Place in `verify::pdf`: the safety net under the structured reading. An object left out
//! of the cross-reference table, a stream a viewer never draws, a file the PDF library reads
//! only in part: the bytes are still there for anyone to read. The scan finds each
//! `stream … endstream`, inflates it when it is Flate-compressed (within a size limit), and
//! lexes literal `( … )` and hex `< … >` strings from the file and from every inflated
//! stream; the strings of each region, in order, make one piece. Inflated streams are also
//! kept whole as text (XMP, attachments).

use std::cell::RefCell;

use lopdf::{Dictionary, Object, Stream};

use super::super::reading::{Piece, Place};
use super::text_string;

/// The shortest run of printable bytes in binary data read as text.
const MIN_RUN: usize = 16;

/// Total bytes the scan inflates, over all streams.
const MAX_INFLATED: usize = 128 << 20;

pub fn scan(bytes: &[u8]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut budget = MAX_INFLATED;
    let mut outside = Vec::new();
    let mut at = 0;
    let mut region_start = 0;
    while let Some(found) = find(bytes, b"stream", at) {
        // `endstream` also contains `stream`; a stream keyword is followed by an end of line.
        let after = found + 6;
        let data_start = match bytes.get(after..after + 2) {
            Some([b'\r', b'\n', ..]) => after + 2,
            Some([b'\n', ..]) | Some([b'\r', ..]) => after + 1,
            _ => {
                at = after;
                continue;
            }
        };
        if found >= 3 && &bytes[found - 3..found] == b"end" {
            at = after;
            continue;
        }
        let Some(end) = find(bytes, b"endstream", data_start) else {
            break;
        };
        outside.extend_from_slice(&bytes[region_start..found]);
        let raw = &bytes[data_start..end];
        at = end + 9;
        region_start = at;
        // A stream that claims a filter it does not have inflates to nothing (or garbage):
        // the raw bytes are read as well as the inflated ones.
        let (inflated, whole) = match inflate(raw, &mut budget) {
            Some((d, whole)) if !d.is_empty() && d != raw => (Some(d), whole),
            _ => (None, false),
        };
        for data in inflated.iter().map(Vec::as_slice).chain([raw]) {
            stream_pieces(data, data_start, &mut pieces);
        }
        if let Some(data) = inflated
            && whole
            && !mostly_text(&data)
        {
            keep(raw, data);
        }
    }
    outside.extend_from_slice(&bytes[region_start.min(bytes.len())..]);
    let strings = strings_of(&outside);
    if !strings.is_empty() {
        pieces.insert(0, Piece::new(Place::Bytes(0), &strings, false));
    }
    pieces
}

/// Whether the start of `data` is text (content operators, XML, a text attachment): at
/// least nine bytes in ten printable ASCII or whitespace, or valid UTF-8.
fn mostly_text(data: &[u8]) -> bool {
    let head = &data[..data.len().min(4096)];
    let printable = head
        .iter()
        .filter(|&&b| (0x20..0x7f).contains(&b) || b"\n\r\t\x0c".contains(&b))
        .count();
    let utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        // Cut inside a character at the end of the sample.
        Err(e) => e.error_len().is_none(),
    };
    printable * 10 >= head.len() * 9 || utf8
}

/// Runs of at least [`MIN_RUN`] printable ASCII bytes, one a line.
fn printable_runs(data: &[u8]) -> String {
    let printable = |b: u8| (0x20..0x7f).contains(&b);
    let mut out = String::new();
    let mut i = 0;
    // Every run of MIN_RUN bytes starting in `i..i + MIN_RUN` holds the byte at
    // `i + MIN_RUN - 1`: when that byte is not printable no such run starts there, and the
    // scan skips MIN_RUN bytes (binary data is read a sixteenth of a byte at a time).
    while i + MIN_RUN <= data.len() {
        let probe = i + MIN_RUN - 1;
        if !printable(data[probe]) {
            i = probe + 1;
            continue;
        }
        let mut start = probe;
        while start > i && printable(data[start - 1]) {
            start -= 1;
        }
        let mut end = probe + 1;
        while end < data.len() && printable(data[end]) {
            end += 1;
        }
        if end - start >= MIN_RUN {
            out.extend(data[start..end].iter().map(|&b| char::from(b)));
            out.push('\n');
        }
        // `end` is past the data or at a byte that is not printable.
        i = end + 1;
    }
    out
}

/// The pieces of one stream's bytes: its strings, and its text whole (XMP, attachments), or
/// for binary data (images, font programs) only its runs of printable text, as the
/// `strings` tool shows them: binary bytes read as letters would only be noise to compare
/// against, and slow.
fn stream_pieces(data: &[u8], offset: usize, pieces: &mut Vec<Piece>) {
    let place = || Place::Stream(format!("at byte {offset}"));
    if !mostly_text(data) {
        let runs = printable_runs(data);
        if !runs.is_empty() {
            pieces.push(Piece::new(place(), &runs, false));
        }
        return;
    }
    let strings = strings_of(data);
    if !strings.is_empty() {
        pieces.push(Piece::new(Place::Bytes(offset), &strings, false));
    }
    if data.iter().any(u8::is_ascii_alphabetic) {
        let text = String::from_utf8(data.to_vec())
            .unwrap_or_else(|_| data.iter().map(|&b| char::from(b)).collect());
        pieces.push(Piece::new(place(), &xml_unescape(&text), false));
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|i| from + i)
}

/// `raw` inflated as lopdf's Flate decoder inflates it, within `budget` bytes (spent), and
/// whether it was a whole zlib stream.
fn inflate(raw: &[u8], budget: &mut usize) -> Option<(Vec<u8>, bool)> {
    if *budget == 0 {
        return None;
    }
    // A whole zlib stream is inflated here in one pass into a growing buffer; lopdf gives
    // the same bytes for it (the same inflater; what follows the stream's end is ignored by
    // both) but zeroes and copies its buffer as it grows. Anything else (damaged data, a
    // raw deflate stream) is read by lopdf, which keeps what it could inflate.
    match inflate_whole(raw, *budget) {
        Inflation::Whole(out) => {
            *budget -= out.len();
            return Some((out, true));
        }
        Inflation::OverBudget => return None,
        Inflation::Partial => {}
    }
    let mut dict = Dictionary::new();
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    let stream = Stream::new(dict, raw.to_vec());
    let out = stream.decompressed_content_with_limit(*budget).ok()?;
    *budget = budget.saturating_sub(out.len());
    Some((out, false))
}

enum Inflation {
    /// The whole stream, to its end, checksum checked, within the budget.
    Whole(Vec<u8>),
    /// A whole stream (or its start) longer than the budget: lopdf refuses it too.
    OverBudget,
    /// Not a whole zlib stream: damaged, cut short, or not zlib.
    Partial,
}

fn inflate_whole(raw: &[u8], budget: usize) -> Inflation {
    let mut z = flate2::Decompress::new(true);
    let mut out: Vec<u8> = Vec::with_capacity(
        raw.len()
            .saturating_mul(4)
            .max(64)
            .min(budget.saturating_add(1)),
    );
    loop {
        let consumed = z.total_in() as usize;
        let Some(input) = raw.get(consumed..) else {
            return Inflation::Partial;
        };
        let before = (z.total_in(), z.total_out());
        match z.decompress_vec(input, &mut out, flate2::FlushDecompress::Finish) {
            Ok(flate2::Status::StreamEnd) => {
                return if out.len() > budget {
                    Inflation::OverBudget
                } else {
                    Inflation::Whole(out)
                };
            }
            Ok(_) if out.len() > budget => return Inflation::OverBudget,
            // The output is full: grow it (never past one byte over the budget).
            Ok(_) if out.len() == out.capacity() => {
                let more = out.len().max(64).min(budget + 1 - out.len());
                out.reserve_exact(more);
            }
            // No progress with room to write: the input ended before the stream did.
            Ok(_) if (z.total_in(), z.total_out()) == before => return Inflation::Partial,
            Ok(_) => {}
            Err(_) => return Inflation::Partial,
        }
    }
}

/// Inflated binary streams with their compressed bytes.
type Kept = Vec<(Vec<u8>, Vec<u8>)>;

thread_local! {
    /// Binary streams (images, font programs) the scan inflated whole, with their
    /// compressed bytes, while a [`with_kept`] reading runs: the read-back of a release
    /// checks the pixels of the images under its boxes, which the scan has just inflated.
    static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
}

/// Runs `f` with the binary streams the byte scan inflates kept for [`take_inflated`];
/// they are dropped when `f` returns.
pub fn with_kept<T>(f: impl FnOnce() -> T) -> T {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            KEPT.with(|k| *k.borrow_mut() = None);
        }
    }
    KEPT.with(|k| *k.borrow_mut() = Some(Vec::new()));
    let _reset = Reset;
    f()
}

/// The bytes between `stream` and `endstream` end with the line break the writer puts
/// before `endstream`, which the stream's data (as lopdf reads it) does not hold.
fn keep(raw: &[u8], data: Vec<u8>) {
    let key = raw
        .strip_suffix(b"\r\n")
        .or_else(|| raw.strip_suffix(b"\n"))
        .or_else(|| raw.strip_suffix(b"\r"))
        .unwrap_or(raw);
    KEPT.with(|k| {
        if let Some(kept) = k.borrow_mut().as_mut() {
            kept.push((key.to_vec(), data));
        }
    });
}

/// The inflation of the whole zlib stream `compressed` (a stream's data), if the byte scan
/// of a [`with_kept`] reading inflated exactly these bytes (compared whole); taken, not
/// copied. Inflating the same bytes again would give the same bytes: the scan kept only
/// streams that ended cleanly, and a whole stream inflates the same whatever follows it.
pub fn take_inflated(compressed: &[u8]) -> Option<Vec<u8>> {
    KEPT.with(|k| {
        let mut k = k.borrow_mut();
        let kept = k.as_mut()?;
        let at = kept
            .iter()
            .position(|(key, _)| key.len() == compressed.len() && key == compressed)?;
        Some(kept.swap_remove(at).1)
    })
}

/// Every literal and hex string in `data`, decoded, one a line.
fn strings_of(data: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'%' => {
                // A comment runs to the end of the line (outside strings).
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                let (s, next) = literal(data, i + 1);
                out.push_str(&text_string(&s));
                out.push('\n');
                i = next;
            }
            b'<' if data.get(i + 1) != Some(&b'<') => {
                let end = data[i + 1..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(data.len(), |p| i + 1 + p);
                let digits: Vec<u8> = data[i + 1..end]
                    .iter()
                    .copied()
                    .filter(u8::is_ascii_hexdigit)
                    .collect();
                if digits.len()
                    + data[i + 1..end]
                        .iter()
                        .filter(|b| b.is_ascii_whitespace())
                        .count()
                    == end - i - 1
                {
                    let mut s = Vec::with_capacity(digits.len() / 2 + 1);
                    for pair in digits.chunks(2) {
                        let hi = hex(pair[0]);
                        let lo = pair.get(1).map_or(0, |&d| hex(d));
                        s.push(hi << 4 | lo);
                    }
                    out.push_str(&text_string(&s));
                    out.push('\n');
                }
                i = end + 1;
            }
            b'<' => i += 2,
            _ => i += 1,
        }
    }
    out
}

fn hex(d: u8) -> u8 {
    match d {
        b'0'..=b'9' => d - b'0',
        b'a'..=b'f' => d - b'a' + 10,
        b'A'..=b'F' => d - b'A' + 10,
        _ => 0,
    }
}

/// A literal string from just after its `(`: escapes and balanced parentheses as the PDF
/// syntax has them. Returns the bytes and the index after the closing `)`.
fn literal(data: &[u8], mut i: usize) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    let mut depth = 0usize;
    while i < data.len() {
        let b = data[i];
        i += 1;
        match b {
            b'\\' => {
                let Some(&e) = data.get(i) else { break };
                i += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'0'..=b'7' => {
                        let mut n = u32::from(e - b'0');
                        for _ in 0..2 {
                            match data.get(i) {
                                Some(&d @ b'0'..=b'7') => {
                                    n = n * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push((n & 0xff) as u8);
                    }
                    b'\r' => {
                        if data.get(i) == Some(&b'\n') {
                            i += 1;
                        }
                    }
                    b'\n' => {}
                    other => out.push(other),
                }
            }
            b'(' => {
                depth += 1;
                out.push(b);
            }
            b')' => {
                if depth == 0 {
                    return (out, i);
                }
                depth -= 1;
                out.push(b);
            }
            _ => out.push(b),
        }
    }
    (out, i)
}

/// XML character references and the five named entities, as text (XMP packets).
pub fn xml_unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(semi) = rest.bytes().take(12).position(|b| b == b';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_found_in_any_syntax() {
        let s =
            strings_of(b"BT (P) Tj [(o) -20 (j\\141r)] TJ <73 61 69 64> Tj << /A (x\\)y) >> ET");
        assert_eq!(s, "P\no\njar\nsaid\nx)y\n");
        assert_eq!(strings_of(b"<FEFF00500069>"), "Pi\n");
    }

    #[test]
    fn printable_runs_are_those_of_sixteen_bytes_or_more() {
        // The old reading, byte by byte: the skip must find the same runs.
        let slow = |data: &[u8]| {
            let mut out = String::new();
            for run in data.split(|b| !(0x20..0x7f).contains(b)) {
                if run.len() >= MIN_RUN {
                    out.extend(run.iter().map(|&b| char::from(b)));
                    out.push('\n');
                }
            }
            out
        };
        let mut data = Vec::new();
        let mut x: u32 = 7;
        for n in 0..20_000u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            // Binary noise with printable stretches of every length from 0 to 40.
            if n % 97 == 0 {
                data.extend(std::iter::repeat_n(
                    b'a' + (n % 26) as u8,
                    (n % 41) as usize,
                ));
            }
            data.push((x >> 16) as u8);
        }
        for cut in [0, 1, 15, 16, 17, 1000, data.len()] {
            assert_eq!(printable_runs(&data[..cut]), slow(&data[..cut]));
            assert_eq!(printable_runs(&data[cut..]), slow(&data[cut..]));
        }
        assert_eq!(printable_runs(b"0123456789abcdef"), "0123456789abcdef\n");
        assert_eq!(printable_runs(b"0123456789abcde"), "");
        assert!(!slow(&data).is_empty());
    }

    fn lopdf_inflate(raw: &[u8], limit: usize) -> Option<Vec<u8>> {
        let mut dict = Dictionary::new();
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        Stream::new(dict, raw.to_vec())
            .decompressed_content_with_limit(limit)
            .ok()
    }

    fn deflated(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(data).unwrap();
        z.finish().unwrap()
    }

    #[test]
    fn whole_streams_inflate_as_lopdf_inflates_them() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let z = deflated(&data);
        for raw in [
            z.clone(),
            [z.as_slice(), b"\n"].concat(),
            [z.as_slice(), b"junk"].concat(),
        ] {
            let mut budget = 1 << 20;
            let (out, whole) = inflate(&raw, &mut budget).unwrap();
            assert!(whole);
            assert_eq!(out, data);
            assert_eq!(Some(out), lopdf_inflate(&raw, 1 << 20));
            assert_eq!(budget, (1 << 20) - data.len());
        }
        // Over the budget: refused, as lopdf refuses it.
        let mut budget = data.len() - 1;
        assert_eq!(inflate(&z, &mut budget), None);
        assert_eq!(lopdf_inflate(&z, data.len() - 1), None);
        // Cut short: lopdf's reading (what it could inflate), not a whole stream.
        let cut = &z[..z.len() / 2];
        let mut budget = 1 << 20;
        let (out, whole) = inflate(cut, &mut budget).unwrap();
        assert!(!whole);
        assert_eq!(Some(out), lopdf_inflate(cut, 1 << 20));
    }

    #[test]
    fn binary_streams_are_kept_only_inside_with_kept() {
        // Not text (bytes above 0x7f, not UTF-8): an image's samples.
        let data: Vec<u8> = (0..5000u32).map(|i| (0x80 + i % 7) as u8).collect();
        let z = deflated(&data);
        let file = [
            b"1 0 obj\n<< /Length 1 >>\nstream\n".as_slice(),
            &z,
            b"\nendstream\n",
        ]
        .concat();
        scan(&file);
        assert_eq!(take_inflated(&z), None);
        let taken = with_kept(|| {
            scan(&file);
            // Compared whole: a prefix of the data is not the stream.
            assert_eq!(take_inflated(&z[..z.len() - 1]), None);
            take_inflated(&z)
        });
        assert_eq!(taken, Some(data));
        assert_eq!(take_inflated(&z), None);
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(xml_unescape("P&#111;j&#x61;r &amp; x"), "Pojar & x");
        assert_eq!(xml_unescape("a &éééééééé; b"), "a &éééééééé; b");
    }
}
