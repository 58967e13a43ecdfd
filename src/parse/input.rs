//! Bytes to lines: the first step of parsing. Detects binary input, strips a BOM, reads
//! UTF-8 or falls back to Latin-1 (where byte 0xB6 is `¶`), splits on CRLF, LF and lone CR,
//! and undoes the Markdown export form of the seed (`[PREL](#)`, `\$`, two-space breaks).

use super::ParseError;
use crate::document::{Encoding, Lines};

/// Inputs larger than this are refused: the largest real cable is well under 1 MB, and a
/// bound keeps a hostile input from exhausting memory in a batch.
pub const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;

pub fn decode(bytes: &[u8]) -> Result<(Lines, Encoding), ParseError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ParseError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let mut encoding = Encoding::default();
    let body = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            encoding.bom = true;
            rest
        }
        None => bytes,
    };
    let text: std::borrow::Cow<'_, str> = match std::str::from_utf8(body) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            encoding.latin1 = true;
            std::borrow::Cow::Owned(body.iter().map(|&b| char::from(b)).collect())
        }
    };
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    encoding.markdown = text.contains("](#)");
    // One pass over the bytes: line breaks, and control bytes other than whitespace (a
    // text document has next to none). Only control bytes stop the scan.
    let b = text.as_bytes();
    // Cleaning never lengthens a line, so the text fits in the input's length.
    let mut lines = Lines::with_capacity(b.len(), b.len() / 48 + 1);
    let mut controls = 0usize;
    let mut first_control = None;
    let mut start = 0;
    let mut i = 0;
    // Whether the current line holds a tab or form feed, which clean_line replaces.
    let mut odd = false;
    // Whether the current line may hold a mark (see next_control).
    let mut maybe = false;
    while let Some(at) = next_control(b, i, &mut maybe) {
        i = at;
        match b[i] {
            b'\n' => {
                clean_line(&mut lines, &text[start..i], odd, encoding.markdown, maybe);
                odd = false;
                maybe = false;
                start = i + 1;
            }
            b'\r' => {
                clean_line(&mut lines, &text[start..i], odd, encoding.markdown, maybe);
                odd = false;
                maybe = false;
                if b.get(i + 1) == Some(&b'\n') {
                    encoding.crlf = true;
                    i += 1;
                } else {
                    encoding.lone_cr = true;
                }
                start = i + 1;
            }
            b'\t' | 0x0c => odd = true,
            // A NUL byte: not a text document. The scan stops at every control byte, so
            // it meets the first NUL; the offset is counted in the input as given
            // (before the BOM was cut and Latin-1 widened).
            0 => return Err(first_nul(bytes)),
            _ => {
                controls += 1;
                first_control.get_or_insert(i);
            }
        }
        i += 1;
    }
    if start < b.len() {
        clean_line(&mut lines, &text[start..], odd, encoding.markdown, maybe);
    }
    if let Some(offset) = first_control
        && controls * 100 > b.len()
    {
        return Err(ParseError::Binary { offset });
    }
    Ok((lines, encoding))
}

fn first_nul(bytes: &[u8]) -> ParseError {
    let offset = bytes.iter().position(|&b| b == 0).unwrap_or(0);
    ParseError::Binary { offset }
}

/// Is this a control byte (below space, or DEL)?
fn is_control(c: u8) -> bool {
    c < 0x20 || c == 0x7f
}

/// The index of the first control byte at or after `from`. Text is scanned eight bytes
/// at a time: most of a line has none, and the word test costs a few instructions where a
/// byte loop costs several per byte.
///
/// On the way it sets `maybe_mark` when a byte it passed is `(` or non-ASCII (which
/// covers the first byte of every look-alike parenthesis): a line without
/// one holds no portion mark, look-alike or not, and the segmenter skips its mark tests. It may also be set by bytes just past the control
/// byte (the rest of its word): a false "maybe" costs only the tests it would have saved.
fn next_control(b: &[u8], from: usize, maybe_mark: &mut bool) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(word) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // `(`, or any non-ASCII byte (a superset of the look-alike parentheses' first
        // bytes, and cheaper to test than them).
        let paren = x ^ (u64::from(b'(') * LO);
        *maybe_mark |= ((paren.wrapping_sub(LO) & !paren & HI) | (x & HI)) != 0;
        // The classic "has a byte below n" test: the lowest flagged byte is exact (false
        // flags only ever sit above a true one), for bytes below 0x20 and for 0x7f.
        let below_space = x.wrapping_sub(0x20 * LO) & !x & HI;
        let del = x ^ (0x7f * LO);
        let is_del = del.wrapping_sub(LO) & !del & HI;
        let hits = below_space | is_del;
        if hits != 0 {
            return Some(i + (hits.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    let tail = &b[i.min(b.len())..];
    let found = tail.iter().position(|&c| is_control(c));
    let passed = &tail[..found.unwrap_or(tail.len())];
    *maybe_mark |= passed.iter().any(|&c| c == b'(' || !c.is_ascii());
    found.map(|k| i + k)
}

/// Appends `line` to `lines`, cleaned: trailing blanks go (they carry Markdown hard
/// breaks and page-width padding, never content); tabs and form feeds become spaces;
/// Markdown escapes are undone. A line that needs none of it is copied as it is.
fn clean_line(lines: &mut Lines, line: &str, has_tabs: bool, markdown: bool, maybe_mark: bool) {
    // Most lines end in a visible ASCII byte other than `\`: nothing to trim or cut
    // (every blank `trim_end` removes is an ASCII control or space, or non-ASCII).
    let line = match line.as_bytes().last() {
        Some(&c) if c.is_ascii_graphic() && c != b'\\' => line,
        _ => {
            let line = line.trim_end();
            // Some exports end lines with ` \` (a continuation mark of the source system).
            line.strip_suffix(" \\").map_or(line, str::trim_end)
        }
    };
    let out = lines.open_line();
    // Only a link or an escape needs undoing; most lines of an export have neither.
    if markdown && line.contains(['[', '\\']) {
        let replaced;
        let line = if has_tabs {
            replaced = line.replace(['\t', '\u{c}'], " ");
            replaced.as_str()
        } else {
            line
        };
        undo_markdown(line, out);
    } else if has_tabs {
        for (k, part) in line.split(['\t', '\u{c}']).enumerate() {
            if k > 0 {
                out.push(' ');
            }
            out.push_str(part);
        }
    } else {
        out.push_str(line);
    }
    lines.close_line_marked(maybe_mark);
}

/// Writes `line` to `unescaped` with `[X](#)` links reduced to `X` and `\$`-style escapes
/// undone.
fn undo_markdown(line: &str, unescaped: &mut String) {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let tail = &rest[open + 1..];
        match tail.find("](#)") {
            Some(close) if !tail[..close].contains(['[', ']']) => {
                out.push_str(&rest[..open]);
                out.push_str(&tail[..close]);
                rest = &tail[close + 4..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    let mut chars = out.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && "$*_[]()#`\\".contains(n)
        {
            unescaped.push(n);
            chars.next();
            continue;
        }
        unescaped.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_and_bom() {
        let (lines, enc) = decode(b"\xEF\xBB\xBFa\r\nb\rc\nd").unwrap();
        assert_eq!(lines.iter().collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        assert!(enc.bom && enc.crlf && enc.lone_cr);
    }

    #[test]
    fn latin1_paragraph_sign() {
        let (lines, enc) = decode(b"\xB61. (C) Text").unwrap();
        assert_eq!(lines.iter().collect::<Vec<_>>(), ["¶1. (C) Text"]);
        assert!(enc.latin1);
    }

    #[test]
    fn markdown_export_form() {
        let (lines, enc) = decode(b"TAGS: [PREL](#) [PGOV](#)  \nnearly \\$2 billion").unwrap();
        assert!(enc.markdown);
        assert_eq!(
            lines.iter().collect::<Vec<_>>(),
            ["TAGS: PREL PGOV", "nearly $2 billion"]
        );
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert!(matches!(
            decode(b"abc\0def"),
            Err(ParseError::Binary { offset: 3 })
        ));
        assert!(matches!(decode(b"  \n\n"), Err(ParseError::Empty)));
        // The offset is in the input as given, whatever the BOM and the encoding.
        assert!(matches!(
            decode(b"\xEF\xBB\xBFab\xB6\xB6\0"),
            Err(ParseError::Binary { offset: 7 })
        ));
        assert!(matches!(
            decode(b"\0"),
            Err(ParseError::Binary { offset: 0 })
        ));
        assert!(matches!(
            decode(b" \n\0\n"),
            Err(ParseError::Binary { offset: 2 })
        ));
        assert!(matches!(
            decode(b"\x01\x02\x03\x04abc"),
            Err(ParseError::Binary { .. })
        ));
    }

    #[test]
    fn word_scan_finds_the_first_control_byte() {
        let naive = |b: &[u8], from: usize| {
            b[from..]
                .iter()
                .position(|&c| is_control(c))
                .map(|k| from + k)
        };
        let mut text: Vec<u8> = b"plain \xC2\xB6 text, words and \x7f more ~ here".to_vec();
        for control in [0u8, b'\t', b'\n', 0x1f, 0x7f] {
            for at in 0..text.len() {
                let mut t = text.clone();
                t[at] = control;
                for from in 0..t.len() {
                    let mut maybe = false;
                    let found = next_control(&t, from, &mut maybe);
                    assert_eq!(found, naive(&t, from), "{t:?} from {from}");
                    let passed = &t[from..found.unwrap_or(t.len())];
                    if passed.iter().any(|&c| c == b'(' || !c.is_ascii()) {
                        assert!(maybe, "{t:?} from {from}");
                    }
                }
            }
        }
        text.retain(|&c| !is_control(c));
        assert_eq!(next_control(&text, 0, &mut false), None);
        assert_eq!(next_control(b"", 0, &mut false), None);
    }

    #[test]
    fn tabs_and_escapes_in_one_line() {
        let (lines, _) = decode(b"a\tb\x0cc \\\n[X](#)\t\\$1  ").unwrap();
        assert_eq!(lines.iter().collect::<Vec<_>>(), ["a b c", "X $1"]);
    }

    #[test]
    fn lines_that_may_hold_a_mark_are_flagged() {
        let (lines, _) = decode(
            "plain words only here\nanother plain line\n1. (C) a mark\n\u{B6}2. text\nx(\nlong plain line with no parenthesis at all, none\nend".as_bytes(),
        )
        .unwrap();
        let flags: Vec<bool> = (0..lines.len()).map(|i| lines.may_hold_mark(i)).collect();
        for (i, line) in lines.iter().enumerate() {
            if line.bytes().any(|c| c == b'(' || !c.is_ascii()) {
                assert!(flags[i], "{line:?}");
            }
        }
        // A line may be flagged by the start of the next one (its scan reads whole
        // words); one followed by plain text is not.
        assert!(!flags[0] && !flags[5], "{flags:?}");
    }

    #[test]
    fn line_ends_are_trimmed_as_trim_end_does() {
        // The cleaner skips `trim_end` on lines ending in a visible ASCII byte; the
        // result must be the full definition's on every kind of line end.
        for line in [
            "a",
            "a ",
            "a \\",
            "a  \\  ",
            "a\\",
            "x\u{a0}",
            "x\u{3000}",
            "tab\t",
            "ff\u{c}",
            "q.",
            "",
            " ",
            "\u{e9}",
            "a \\b",
            "del\u{7f}",
            "~",
            "a\u{85}",
        ] {
            let mut lines = Lines::default();
            clean_line(
                &mut lines,
                line,
                line.contains(['\t', '\u{c}']),
                false,
                true,
            );
            let t = line.trim_end();
            let expected = t
                .strip_suffix(" \\")
                .map_or(t, str::trim_end)
                .replace(['\t', '\u{c}'], " ");
            assert_eq!(&lines[0], expected, "{line:?}");
        }
    }

    #[test]
    fn trailing_newline_adds_no_line() {
        let (lines, _) = decode(b"a\nb\n").unwrap();
        assert_eq!(lines.iter().collect::<Vec<_>>(), ["a", "b"]);
    }
}
