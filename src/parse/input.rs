//! Bytes to lines: the first step of parsing. Detects binary input, strips a BOM, reads
//! UTF-8 or falls back to Latin-1 (where byte 0xB6 is `¶`), splits on CRLF, LF and lone CR,
//! and undoes the Markdown export form of the seed (`[PREL](#)`, `\$`, two-space breaks).

use super::ParseError;
use crate::document::Encoding;

/// Inputs larger than this are refused: the largest real cable is well under 1 MB, and a
/// bound keeps a hostile input from exhausting memory in a batch.
pub const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;

pub fn decode(bytes: &[u8]) -> Result<(Vec<String>, Encoding), ParseError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ParseError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(ParseError::Binary { offset });
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
    // text document has next to none).
    let b = text.as_bytes();
    let mut lines = Vec::with_capacity(b.len() / 48 + 1);
    let mut controls = 0usize;
    let mut first_control = None;
    let mut start = 0;
    let mut i = 0;
    // Whether the current line holds a tab or form feed, which clean_line replaces.
    let mut odd = false;
    while i < b.len() {
        let c = b[i];
        if c < 0x20 || c == 0x7f {
            match c {
                b'\n' => {
                    lines.push(clean_line(&text[start..i], odd, encoding.markdown));
                    odd = false;
                    start = i + 1;
                }
                b'\r' => {
                    lines.push(clean_line(&text[start..i], odd, encoding.markdown));
                    odd = false;
                    if b.get(i + 1) == Some(&b'\n') {
                        encoding.crlf = true;
                        i += 1;
                    } else {
                        encoding.lone_cr = true;
                    }
                    start = i + 1;
                }
                b'\t' | 0x0c => odd = true,
                _ => {
                    controls += 1;
                    first_control.get_or_insert(i);
                }
            }
        }
        i += 1;
    }
    if start < b.len() {
        lines.push(clean_line(&text[start..], odd, encoding.markdown));
    }
    if let Some(offset) = first_control
        && controls * 100 > b.len()
    {
        return Err(ParseError::Binary { offset });
    }
    Ok((lines, encoding))
}

/// Trailing blanks go (they carry Markdown hard breaks and page-width padding, never
/// content); tabs and form feeds become spaces; Markdown escapes are undone.
fn clean_line(line: &str, has_tabs: bool, markdown: bool) -> String {
    let line = line.trim_end();
    // Some exports end lines with ` \` (a continuation mark of the source system).
    let line = line.strip_suffix(" \\").map_or(line, str::trim_end);
    let mut out: String = if has_tabs {
        line.chars()
            .map(|c| if c == '\t' || c == '\u{c}' { ' ' } else { c })
            .collect()
    } else {
        line.to_string()
    };
    if markdown {
        out = undo_markdown(&out);
    }
    out
}

fn undo_markdown(line: &str) -> String {
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
    let mut unescaped = String::with_capacity(out.len());
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
    unescaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_and_bom() {
        let (lines, enc) = decode(b"\xEF\xBB\xBFa\r\nb\rc\nd").unwrap();
        assert_eq!(lines, ["a", "b", "c", "d"]);
        assert!(enc.bom && enc.crlf && enc.lone_cr);
    }

    #[test]
    fn latin1_paragraph_sign() {
        let (lines, enc) = decode(b"\xB61. (C) Text").unwrap();
        assert_eq!(lines, ["¶1. (C) Text"]);
        assert!(enc.latin1);
    }

    #[test]
    fn markdown_export_form() {
        let (lines, enc) = decode(b"TAGS: [PREL](#) [PGOV](#)  \nnearly \\$2 billion").unwrap();
        assert!(enc.markdown);
        assert_eq!(lines, ["TAGS: PREL PGOV", "nearly $2 billion"]);
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert!(matches!(
            decode(b"abc\0def"),
            Err(ParseError::Binary { offset: 3 })
        ));
        assert!(matches!(decode(b"  \n\n"), Err(ParseError::Empty)));
        assert!(matches!(
            decode(b"\x01\x02\x03\x04abc"),
            Err(ParseError::Binary { .. })
        ));
    }

    #[test]
    fn trailing_newline_adds_no_line() {
        let (lines, _) = decode(b"a\nb\n").unwrap();
        assert_eq!(lines, ["a", "b"]);
    }
}
