//! Look-alike characters in a portion mark: full-width forms, Cyrillic and Greek letters
//! that print as Latin ones, invisible characters. A mark written so cannot be read as
//! printed, and the parser asks here whether it would read as a mark once folded to ASCII,
//! so that it is withheld rather than taken for text.

use super::{MAX_MARK, Place, parse};
use crate::marking::Marking;

/// A parenthesis that reads as a portion mark only once look-alike characters are folded
/// to ASCII: full-width forms (`（C）`, `(Ｓ)`), Cyrillic or Greek letters that print like
/// Latin ones (`(С)`, `(Ѕ//NF)`), or invisible characters inside (`(S\u{200B})`). Such a
/// mark cannot be read as printed, and must never be taken for text: the caller withholds
/// what follows it. `raw` runs from the opening to the closing parenthesis (either form).
/// Returns the marking it would read as; `None` when the folded text is no mark either, or
/// when nothing needed folding (an ordinary mark is [`parse`]'s business).
pub fn lookalike(raw: &str, place: Place) -> Option<Marking> {
    if raw.is_ascii() || raw.chars().count() > MAX_MARK + 2 {
        return None;
    }
    let mut folded = String::with_capacity(raw.len());
    for c in raw.chars() {
        if crate::marking::is_invisible(c) {
            continue;
        }
        folded.push(fold_char(c)?);
    }
    parse(&folded, place)
}

/// The ASCII character a look-alike prints as; `None` for a character no mark holds.
fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    let folded = match c {
        // Full-width ASCII block (`（`, `Ｓ`, `／`).
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)?,
        '\u{3000}' => ' ',
        '\u{FE59}' | '\u{207D}' | '\u{208D}' | '\u{2768}' | '\u{276A}' | '\u{27EE}' => '(',
        '\u{FE5A}' | '\u{207E}' | '\u{208E}' | '\u{2769}' | '\u{276B}' | '\u{27EF}' => ')',
        '\u{2044}' | '\u{2215}' | '\u{29F8}' => '/',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        // Cyrillic and Greek capitals and small letters that print as Latin ones.
        'С' | 'с' | 'Ϲ' | 'ϲ' => 'C',
        'Ѕ' | 'ѕ' => 'S',
        'Т' | 'т' | 'Τ' => 'T',
        'О' | 'о' | 'Ο' | 'ο' => 'O',
        'Е' | 'е' | 'Ε' => 'E',
        'А' | 'а' | 'Α' => 'A',
        'Н' | 'Η' => 'H',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Р' | 'р' | 'Ρ' => 'P',
        'Х' | 'х' | 'Χ' => 'X',
        'В' | 'Β' => 'B',
        'І' | 'і' | 'Ι' => 'I',
        'Ј' | 'ј' => 'J',
        'Ν' => 'N',
        'Ζ' => 'Z',
        'Υ' | 'У' => 'Y',
        'Ս' | 'Ꮪ' => 'S',
        'Ꮯ' => 'C',
        _ if c.is_whitespace() => ' ',
        _ => return None,
    };
    Some(folded)
}
