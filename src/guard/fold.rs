//! Look-alike folding: one line of text to the plain ASCII a reader sees.
//!
//! A mark can be disguised without changing what a reader takes it to be: Cyrillic or
//! Greek letters that look Latin (`(С)`), full-width or small forms (`（Ｓ）`, `﹙C﹚`),
//! mathematical letters, exotic spaces, dashes and slashes, and invisible characters (zero
//! width space and joiners, BOM, soft hyphen, word joiner, NEL, line and paragraph
//! separators, bidi controls, tag characters) inside or before it. [`fold`] maps each
//! character to what it looks like and drops the invisible ones, keeping for every
//! folded character the byte offset of the character it came from, so that a hit can be
//! located and cut in the original text.

/// One line after folding. An ASCII line is its own folding and is borrowed.
pub struct Folded<'a> {
    /// The folded line.
    pub text: std::borrow::Cow<'a, str>,
    /// Byte offset in the original line of each byte of `text`; `None` when `text` is the
    /// line itself.
    offsets: Option<Vec<usize>>,
    /// For each byte of `text`, whether its character (or an invisible character right
    /// before it) was a look-alike rather than itself; `None` when nothing was.
    disguised: Option<Vec<bool>>,
    /// Byte length of the original line.
    len: usize,
}

impl Folded<'_> {
    /// Byte offset in the original line where folded byte `i` starts (the line's length
    /// past the end).
    pub fn byte(&self, i: usize) -> usize {
        match &self.offsets {
            Some(o) => o.get(i).copied().unwrap_or(self.len),
            None => i.min(self.len),
        }
    }

    /// Whether any of folded bytes `from..to` was disguised.
    pub fn any_disguised(&self, from: usize, to: usize) -> bool {
        self.disguised.as_ref().is_some_and(|d| {
            d[from.min(to).min(d.len())..to.min(d.len())]
                .iter()
                .any(|x| *x)
        })
    }
}

/// Whether folding changes `c` (a look-alike or an invisible character).
pub fn changes(c: char) -> bool {
    !matches!(look(c), Look::Same)
}

/// Whether `c` folds to a parenthesis: full-width, small, superscript and other
/// look-alike forms that the pre-filter must not miss.
pub fn is_paren_like(c: char) -> bool {
    matches!(look(c), Look::As('(' | ')'))
}

/// What `c` folds to; `None` for an invisible character.
pub fn folded_char(c: char) -> Option<char> {
    match look(c) {
        Look::Same => Some(c),
        Look::As(a) => Some(a),
        Look::Invisible => None,
    }
}

/// Folds `line`.
pub fn fold(line: &str) -> Folded<'_> {
    // A line of printable ASCII and characters that fold to themselves (`¶`, `§`, accented
    // letters) is its own folding too: nothing to copy or map.
    let identity = || {
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            // Eight printable ASCII bytes at a time (a byte below 0x20, or 0x7F and above,
            // sets a high bit in one of the three terms).
            if i + 8 <= b.len() {
                let mut w = [0u8; 8];
                w.copy_from_slice(&b[i..i + 8]);
                let w = u64::from_le_bytes(w);
                let odd = (w.wrapping_sub(0x2020_2020_2020_2020)
                    | w
                    | w.wrapping_add(0x0101_0101_0101_0101))
                    & 0x8080_8080_8080_8080;
                if odd == 0 {
                    i += 8;
                    continue;
                }
            }
            if (0x20..0x7F).contains(&b[i]) {
                i += 1;
                continue;
            }
            let c = line[i..].chars().next().unwrap_or('\0');
            if c.is_ascii() || !matches!(look(c), Look::Same) {
                return false;
            }
            i += c.len_utf8();
        }
        true
    };
    if line.is_ascii() || identity() {
        return Folded {
            text: std::borrow::Cow::Borrowed(line),
            offsets: None,
            disguised: None,
            len: line.len(),
        };
    }
    let mut text = String::with_capacity(line.len());
    let mut offsets = Vec::with_capacity(line.len());
    let mut disguised = Vec::with_capacity(line.len());
    let mut pending_invisible = false;
    let mut at = 0;
    while at < line.len() {
        // A run of printable ASCII is copied as it is.
        let run = line.as_bytes()[at..]
            .iter()
            .position(|b| !(0x20..0x7F).contains(b))
            .unwrap_or(line.len() - at);
        if run > 0 {
            text.push_str(&line[at..at + run]);
            offsets.extend(at..at + run);
            disguised.push(pending_invisible);
            disguised.extend(std::iter::repeat_n(false, run - 1));
            pending_invisible = false;
            at += run;
            continue;
        }
        let c = line[at..].chars().next().unwrap_or(' ');
        let (folded, d) = match look(c) {
            Look::Same => (Some(c), pending_invisible),
            Look::As(a) => (Some(a), true),
            Look::Invisible => (None, false),
        };
        match folded {
            Some(f) => {
                text.push(f);
                offsets.extend(std::iter::repeat_n(at, f.len_utf8()));
                disguised.extend(std::iter::repeat_n(d, f.len_utf8()));
                pending_invisible = false;
            }
            None => pending_invisible = true,
        }
        at += c.len_utf8();
    }
    let any = disguised.iter().any(|d| *d);
    Folded {
        text: std::borrow::Cow::Owned(text),
        offsets: Some(offsets),
        disguised: any.then_some(disguised),
        len: line.len(),
    }
}

enum Look {
    Same,
    As(char),
    Invisible,
}

fn look(c: char) -> Look {
    let u = c as u32;
    if c.is_ascii() {
        return match c {
            '\t' => Look::As(' '),
            c if c.is_ascii_control() => Look::Invisible,
            _ => Look::Same,
        };
    }
    if is_invisible(u) {
        return Look::Invisible;
    }
    // Full-width ASCII.
    if (0xFF01..=0xFF5E).contains(&u) {
        return Look::As(char::from_u32(u - 0xFEE0).unwrap_or(c));
    }
    // Mathematical alphanumeric letters: 13 alphabets of 52 letters from U+1D400.
    if (0x1D400..=0x1D6A3).contains(&u) {
        let k = (u - 0x1D400) % 52;
        let a = if k < 26 {
            b'A' + k as u8
        } else {
            b'a' + (k - 26) as u8
        };
        return Look::As(a as char);
    }
    if let Some(a) = homoglyph(c) {
        return Look::As(a);
    }
    Look::Same
}

fn is_invisible(u: u32) -> bool {
    matches!(u,
        0x0080..=0x009F // C1 controls, NEL among them
        | 0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180E
        | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF9..=0xFFFB | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

fn homoglyph(c: char) -> Option<char> {
    Some(match c {
        // Spaces.
        '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            ' '
        }
        // Parentheses: small, superscript, subscript, ornamental, full-width variants.
        '\u{FE59}' | '\u{207D}' | '\u{208D}' | '\u{2768}' | '\u{276A}' | '\u{FF5F}'
        | '\u{2E28}' | '\u{27EE}' => '(',
        '\u{FE5A}' | '\u{207E}' | '\u{208E}' | '\u{2769}' | '\u{276B}' | '\u{FF60}'
        | '\u{2E29}' | '\u{27EF}' => ')',
        // Slashes and dashes.
        '\u{2215}' | '\u{2044}' | '\u{29F8}' | '\u{FE68}' => '/',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => '-',
        // Cyrillic.
        'А' => 'A',
        'В' => 'B',
        'С' => 'C',
        'Е' => 'E',
        'Н' => 'H',
        'І' => 'I',
        'Ј' => 'J',
        'К' => 'K',
        'М' => 'M',
        'О' => 'O',
        'Р' => 'P',
        'Ѕ' => 'S',
        'Т' => 'T',
        'Х' => 'X',
        'У' => 'Y',
        'Ԁ' => 'D',
        'Ԛ' => 'Q',
        'Ԝ' => 'W',
        'Ү' => 'Y',
        'Ӏ' => 'I',
        'а' => 'a',
        'с' => 'c',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'ѕ' => 's',
        'х' => 'x',
        'у' => 'y',
        'і' => 'i',
        'ј' => 'j',
        'ԁ' => 'd',
        'һ' => 'h',
        'ԛ' => 'q',
        'ԝ' => 'w',
        // Greek.
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        'ο' => 'o',
        'ν' => 'v',
        'ϲ' => 'c',
        'Ϲ' => 'C',
        'ϳ' => 'j',
        // Letterlike, Roman numerals, Cherokee and small capitals that read as Latin.
        'ℂ' => 'C',
        'Ⅽ' => 'C',
        'ⅽ' => 'c',
        'Ⅼ' => 'L',
        'Ⅰ' => 'I',
        'Ⅴ' => 'V',
        'Ⅹ' => 'X',
        'Ꮯ' => 'C',
        'Ꮪ' => 'S',
        'Ꭲ' => 'T',
        'Ꮃ' => 'W',
        'Ꭺ' => 'A',
        'Ꭼ' => 'E',
        'ᴄ' => 'c',
        'ꜱ' => 's',
        'ᴛ' => 't',
        'ᴜ' => 'u',
        'ᴏ' => 'o',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(line: &str) -> String {
        fold(line).text.into_owned()
    }

    #[test]
    fn look_alikes_read_as_what_they_look_like() {
        assert_eq!(s("(С)"), "(C)");
        assert_eq!(s("（Ｓ//ＮＦ）"), "(S//NF)");
        assert_eq!(s("﹙Ѕ﹚"), "(S)");
        assert_eq!(s("(Τ\u{200B}S)"), "(TS)");
        assert_eq!(s("\u{FEFF}\u{AD}2.\u{2028} (C)"), "2. (C)");
        assert_eq!(s("(\u{1D412})"), "(S)");
    }

    #[test]
    fn lines_of_characters_that_fold_to_themselves_are_borrowed() {
        let line = "¶2. (C) Café";
        let f = fold(line);
        assert!(matches!(f.text, std::borrow::Cow::Borrowed(_)));
        let at = f.text.find('(').unwrap();
        assert_eq!(&line[f.byte(at)..f.byte(at + 3)], "(C)");
        assert!(!f.any_disguised(0, f.text.len()));
        // A tab in a non-ASCII line still reads as a space.
        assert_eq!(s("¶2.\t(C)"), "¶2. (C)");
    }

    #[test]
    fn offsets_point_into_the_original() {
        let line = "a\u{200B}(С)";
        let f = fold(line);
        assert_eq!(f.text, "a(C)");
        assert_eq!(&line[f.byte(1)..f.byte(3)], "(С");
        assert!(f.any_disguised(1, 2) && f.any_disguised(2, 3) && !f.any_disguised(0, 1));
        assert_eq!(f.byte(4), line.len());
    }
}
