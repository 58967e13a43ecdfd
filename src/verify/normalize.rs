//! Text as a reader sees it: invisible characters gone, look-alike forms folded.
//!
//! Place in `verify`: between reading a release ([`super::decode`], [`super::pdf`]) and
//! the checks. A soft hyphen or a zero-width space inside a word is not shown, so a reader
//! reads the word whole while a word-based check reads two words; a ligature, a full-width
//! letter or a Cyrillic look-alike reads as the Latin letter. [`normalize`] gives the text a
//! human reads (line breaks of every kind as `\n`); [`fold_char`] maps one character to the
//! lower-case letters it reads as, for the letter-stream comparison of [`super::needles`].

/// The text with format characters dropped, ligatures and full-width forms spelled out,
/// every line break as `\n` and every space as ` `.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{b}' | '\u{c}' => out.push('\n'),
            '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => {
                out.push(' ')
            }
            c if is_invisible(c) => {}
            c => match spelled(c) {
                Some(s) => out.push_str(s),
                None => out.push(fullwidth(c)),
            },
        }
    }
    out
}

/// The text with words broken by a hyphen at the end of a line joined (`classi-\nfied`).
pub fn join_hyphenated(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("-\n") {
        let (before, after) = rest.split_at(at);
        let after = &after[2..];
        let next = after.trim_start_matches([' ', '\t']);
        let joins = before.chars().next_back().is_some_and(char::is_alphabetic)
            && next.chars().next().is_some_and(char::is_alphabetic);
        out.push_str(before);
        if joins {
            rest = next;
        } else {
            out.push_str("-\n");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Characters that take no room on the page: Unicode format characters (soft hyphen,
/// zero-width space and joiners, word joiner, bidirectional controls, BOM, tags), combining
/// marks that only decorate a letter, and variation selectors.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
        | '\u{ffa0}' | '\u{fff9}'..='\u{fffb}' | '\u{600}'..='\u{605}' | '\u{6dd}' | '\u{70f}'
        | '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}' | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e007f}' | '\u{e0100}'..='\u{e01ef}')
}

/// Ligatures and other one-character spellings of several letters.
fn spelled(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{fb00}' => "ff",
        '\u{fb01}' => "fi",
        '\u{fb02}' => "fl",
        '\u{fb03}' => "ffi",
        '\u{fb04}' => "ffl",
        '\u{fb05}' | '\u{fb06}' => "st",
        '\u{132}' => "IJ",
        '\u{133}' => "ij",
        '\u{152}' => "OE",
        '\u{153}' => "oe",
        '\u{c6}' => "AE",
        '\u{e6}' => "ae",
        '\u{df}' => "ss",
        '\u{17f}' => "s",
        _ => return None,
    })
}

/// Full-width ASCII forms (`（Ｃ）`, `ＳＥＣＲＥＴ`) as ASCII.
fn fullwidth(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
        _ => c,
    }
}

/// Cyrillic and Greek letters drawn like Latin ones, as the Latin letter (upper case kept).
pub fn latin_lookalike(c: char) -> char {
    match c {
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'С' | 'Ϲ' => 'C',
        'Е' | 'Ε' => 'E',
        'Н' | 'Η' => 'H',
        'І' | 'Ι' | 'Ӏ' => 'I',
        'Ј' => 'J',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'Ѕ' => 'S',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'Υ' | 'Ү' => 'Y',
        'Ζ' => 'Z',
        'а' | 'α' => 'a',
        'с' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' => 'e',
        'һ' => 'h',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'ԛ' => 'q',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'υ' | 'ս' => 'u',
        'ν' | 'ѵ' => 'v',
        'ԝ' | 'ѡ' => 'w',
        'х' | 'χ' => 'x',
        'у' | 'γ' => 'y',
        _ => c,
    }
}

/// The lower-case letters and digits `c` reads as (none for punctuation, space and invisible
/// characters): what the letter-stream comparison sees.
pub fn fold_char(c: char, mut push: impl FnMut(char)) {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            push(c.to_ascii_lowercase());
        }
        return;
    }
    if is_invisible(c) {
        return;
    }
    if let Some(s) = spelled(c) {
        s.chars().for_each(|l| push(l.to_ascii_lowercase()));
        return;
    }
    let c = latin_lookalike(fullwidth(c));
    let c = strip_accent(c);
    if c.is_alphanumeric() {
        for l in c.to_lowercase() {
            push(l);
        }
    }
}

/// Latin-1 and Latin Extended-A letters without their accent, so that a word re-typed with
/// accents on its letters still reads as the word.
fn strip_accent(c: char) -> char {
    const FROM: &str = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ";
    const TO: &str = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyy";
    match FROM.chars().position(|f| f == c) {
        Some(i) => TO.chars().nth(i).unwrap_or(c),
        None => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> String {
        let mut out = String::new();
        text.chars().for_each(|c| fold_char(c, |l| out.push(l)));
        out
    }

    #[test]
    fn invisible_characters_and_lookalikes_read_as_the_plain_word() {
        assert_eq!(normalize("Po\u{ad}jar sa\u{200b}id"), "Pojar said");
        assert_eq!(
            normalize("of\u{fb01}cial ＳＥＣＲＥＴ（C）"),
            "official SECRET(C)"
        );
        assert_eq!(normalize("a\u{2028}b\u{85}c\r\nd\re"), "a\nb\nc\nd\ne");
        assert_eq!(folded("Pојаr ＳＡＩＤ é\u{301}"), "pojarsaide");
    }

    #[test]
    fn hyphens_at_line_ends_join_words_only() {
        assert_eq!(
            join_hyphenated("classi-\n  fied 1990-\n2000"),
            "classified 1990-\n2000"
        );
    }
}
