//! The byte pre-filter of the line scan ([`super::scan`]): which lines may hold a token
//! at all. A line needs a close look only when it has a `(` before something that could
//! start a mark, a character that folds (look-alikes, invisible characters, exotic spaces
//! and parentheses), or starts like a banner. Most lines of a release have none of these,
//! so the scan tests whole texts and lines eight bytes at a time before it reads tokens.
//! Everything here only decides what to skip: a skipped line is one where the full token
//! reading could find nothing.

use super::fold::fold;
use super::scan::is_opener;
use super::token::OCR_SPECKS;

/// From the start of a line: where it ends, and whether the pre-filter ([`prefilter`])
/// must look at it. It need not when the line has no `(` before something that could
/// start a mark, no character that folds (look-alikes, invisible characters, exotic
/// spaces and parentheses are all such), and does not start with `S`, `C`, `T` or `U`
/// after ASCII spaces: the pre-filter would find neither a mark nor a banner there.
pub(super) fn line_end(text: &str, start: usize) -> (usize, bool) {
    let b = text.as_bytes();
    let head = b[start..]
        .iter()
        .find(|c| !matches!(c, b' ' | b'\t' | b'\x0B' | b'\x0C' | b'\r'));
    let mut maybe = matches!(head, Some(b'S' | b'C' | b'T' | b'U'));
    let mut at = start;
    loop {
        at = next_notable(b, at, !maybe);
        match b.get(at) {
            None => return (b.len(), maybe),
            Some(b'\n') => return (at, maybe),
            Some(b'(' | b'{' | b'[') => {
                let next = b[at + 1..].iter().find(|c| **c != b' ');
                maybe = next.is_some_and(|c| *c != b'\n' && (*c >= 0x80 || mark_start(*c)));
                at += 1;
            }
            Some(_) => {
                let c = text[at..].chars().next().unwrap_or(' ');
                maybe = super::fold::changes(c);
                at += c.len_utf8();
            }
        }
    }
}

/// Whether the line scan could read a token in `line` (one line, without its `\n`): the
/// two tests `scan::lines` puts before reading tokens, [`line_end`]'s flag and then
/// [`prefilter`]. A line for which this is false gets no token from the scan and is no
/// boundary; it can only end what a token before it governs, by being blank. Callers
/// outside the guard (the audit's DCL060 screen) use it to know that a part of a text
/// cannot change what the guard finds before that part.
pub(crate) fn line_may_hold_token(line: &str) -> bool {
    let (_, maybe) = line_end(line, 0);
    maybe && {
        let (marks, banner) = prefilter(line);
        marks || banner
    }
}

/// Whether [`line_end`] would say that some line of `text` needs the pre-filter, in one
/// pass over the whole text rather than line by line: only `(`, non-ASCII bytes and the
/// letters a banner starts with can make a line need it, and most bytes are none of these.
pub(super) fn any_line_needs_a_look(text: &str) -> bool {
    next_look(text, 0).is_some()
}

/// The first byte at or after `from` (a character boundary) that makes its line need the
/// pre-filter in [`line_end`]'s terms: a `(`, `{` or `[` followed (after ASCII spaces) by
/// what may start a mark, a non-ASCII character that folds, or a banner letter that heads
/// its line. A line with no such byte is one [`line_end`] says needs no look, so a reader
/// of the lines that need one may skip from line to line by this, eight bytes at a time.
pub(super) fn next_look(text: &str, from: usize) -> Option<usize> {
    let b = text.as_bytes();
    let spaces = |c: &u8| matches!(c, b' ' | b'\t' | b'\x0B' | b'\x0C' | b'\r');
    let mut i = from;
    while i < b.len() {
        while i + 8 <= b.len() && !may_matter(word(b, i)) {
            i += 8;
        }
        let end = (i + 8).min(b.len());
        let Some(k) = b[i..end].iter().position(|&c| {
            c >= 0x80 || matches!(c, b'(' | b'{' | b'[' | b'S' | b'C' | b'T' | b'U')
        }) else {
            // Eight ASCII bytes, none of interest: `end` is a character boundary.
            i = end;
            continue;
        };
        let at = i + k;
        match b[at] {
            b'(' | b'{' | b'[' => {
                let next = b[at + 1..].iter().find(|c| **c != b' ');
                if next.is_some_and(|c| *c != b'\n' && (*c >= 0x80 || mark_start(*c))) {
                    return Some(at);
                }
                i = at + 1;
            }
            c if c >= 0x80 => {
                let ch = text[at..].chars().next().unwrap_or(' ');
                if super::fold::changes(ch) {
                    return Some(at);
                }
                i = at + ch.len_utf8();
            }
            // A banner letter: it matters when only ASCII spaces stand before it on its line.
            _ => {
                let lead = b[..at].iter().rev().take_while(|c| spaces(c)).count();
                if at == lead || b[at - lead - 1] == b'\n' {
                    return Some(at);
                }
                i = at + 1;
            }
        }
    }
    None
}

fn word(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

/// Non-zero when some byte of `w` is `c` (exact as a test for presence).
fn has_byte(w: u64, c: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let x = w ^ (ONES * u64::from(c));
    x.wrapping_sub(ONES) & !x & 0x8080_8080_8080_8080
}

/// Whether the eight bytes in `w` hold a `(`, a non-ASCII byte or a banner letter.
fn may_matter(w: u64) -> bool {
    (w & 0x8080_8080_8080_8080)
        | has_byte(w, b'(')
        | has_byte(w, b'{')
        | has_byte(w, b'[')
        | has_byte(w, b'S')
        | has_byte(w, b'C')
        | has_byte(w, b'T')
        | has_byte(w, b'U')
        != 0
}

/// The first `\n` in `b` at or after `from`, or (when `all`) the first `\n`, `(` or
/// non-ASCII byte; `b.len()` when there is none. Eight bytes at a time: most bytes of a
/// release are none of these.
fn next_notable(b: &[u8], from: usize, all: bool) -> usize {
    // Only the line's end is wanted once the line needs a look: `memchr` finds it a vector
    // at a time (bulk's paragraphs are single lines of hundreds of bytes).
    if !all {
        return memchr::memchr(b'\n', &b[from..]).map_or(b.len(), |k| from + k);
    }
    let wanted = |c: u8| c == b'\n' || is_opener(c) || c >= 0x80;
    let mut i = from;
    while i + 8 <= b.len() {
        let w = word(b, i);
        let hit = has_byte(w, b'\n')
            | (w & 0x8080_8080_8080_8080)
            | has_byte(w, b'(')
            | has_byte(w, b'{')
            | has_byte(w, b'[');
        if hit != 0 {
            // The lowest flagged byte is a wanted one: `has_byte` can flag a byte that is
            // not `c` only above a byte that is `c` (the borrow runs upwards), which is
            // flagged too, and the high-bit mask is exact. So no byte below it is wanted.
            return i + (hit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&c| wanted(c))
        .map_or(b.len(), |k| i + k)
}

/// Whether `head` starts with one of [`BANNER_STARTS`] (all begin with `S`, `C`, `T` or
/// `U`, which most lines do not).
fn banner_start(head: &str) -> bool {
    matches!(head.as_bytes().first(), Some(b'S' | b'C' | b'T' | b'U'))
        && BANNER_STARTS.iter().any(|p| head.starts_with(p))
}

/// Level words as a banner line starts, spelled or letter-spaced.
const BANNER_STARTS: [&str; 9] = [
    "SEC", "CONFID", "UNCLAS", "TOP S", "TOPS", "S E C", "C O N", "T O P", "U N C",
];

fn head_spaced(head: &[u8]) -> bool {
    head.len() >= 4 && head[1] == b' ' && head[3] == b' '
}

/// The pre-filter: (may hold a mark, may be a banner). A line may hold a mark when a `(`
/// is followed by something that could start one (see [`plausible`]; any non-ASCII
/// character counts, as look-alikes and invisible characters are non-ASCII), or when it
/// has a look-alike parenthesis. It may be a banner when it starts with the first letters
/// of a level word (after folding the first characters) and has no lowercase letter.
/// Word-at-a-time and `memchr` searches keep this to a fraction of a pass.
pub(super) fn prefilter(line: &str) -> (bool, bool) {
    let b = line.as_bytes();
    let ascii = line.is_ascii();
    // Letter-spaced levels are banners whatever follows them on the line.
    let lower =
        || !head_spaced(line.trim_start().as_bytes()) && b.iter().any(u8::is_ascii_lowercase);
    let head = line.trim_start();
    // The first character that folds to something visible and not a space: unless it
    // reads as `S`, `C`, `T` or `U`, no banner word can start the folded line, and the
    // fold below is not needed.
    let first = head
        .chars()
        .filter_map(super::fold::folded_char)
        .find(|c| !c.is_whitespace());
    let banner = if !first.is_some_and(|c| matches!(c, 'S' | 'C' | 'T' | 'U')) {
        false
    } else if ascii {
        banner_start(head) && !lower()
    } else {
        let end = head.char_indices().nth(24).map_or(head.len(), |(k, _)| k);
        let folded = fold(&head[..end]);
        BANNER_STARTS
            .iter()
            .any(|p| folded.text.trim_start().starts_with(p))
            && !lower()
    };
    let mut marks = false;
    let mut at = 0;
    while let Some(k) = memchr::memchr3(b'(', b'{', b'[', &b[at..]) {
        at += k + 1;
        let next = b[at..].iter().find(|c| **c != b' ');
        if next.is_some_and(|c| *c >= 0x80 || mark_start(*c)) {
            marks = true;
            break;
        }
    }
    if !marks && !ascii {
        marks = line.chars().any(super::fold::is_paren_like);
    }
    (marks, banner)
}

/// A cheap first look: a mark starts with a level or control letter, `//`, a digit OCR
/// makes of `S`, or a letter that did not fold to ASCII.
pub(super) fn plausible(content: &str) -> bool {
    content
        .trim_start()
        .chars()
        .next()
        .is_some_and(|c| !c.is_ascii() || mark_start(c as u8))
}

/// The ASCII bytes a mark's content can start with: a level or control letter (`N` of
/// NATO's bare `(NS)`), `//`, a
/// digit OCR makes of `S`, or a speck OCR puts before a level (`(^S#SI//NF)`: the token
/// reader decides).
fn mark_start(c: u8) -> bool {
    matches!(
        c,
        b'T' | b'S'
            | b'N'
            | b'n'
            | b'C'
            | b'U'
            | b'F'
            | b'L'
            | b'O'
            | b't'
            | b's'
            | b'c'
            | b'u'
            | b'f'
            | b'l'
            | b'o'
            | b'/'
            | b'8'
            | b'5'
    ) || OCR_SPECKS.contains(&char::from(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: the first `\n`, opener or non-ASCII byte at or after `from`.
    fn reference(b: &[u8], from: usize) -> usize {
        b[from..]
            .iter()
            .position(|&c| c == b'\n' || is_opener(c) || c >= 0x80)
            .map_or(b.len(), |k| from + k)
    }

    /// [`next_look`] from a line's start lands in that line exactly when [`line_end`] says
    /// the line needs a look: the screen skips the other lines on its word.
    #[test]
    fn next_look_finds_exactly_the_lines_that_need_a_look() {
        let lines = [
            "SECRET//NOFORN",
            "  S",
            "\tUNCLASSIFIED",
            "\x0b\x0cC",
            "x S",
            "Text with a capital T",
            "( S",
            "(",
            "(  ",
            "( x",
            "(\u{0405})",
            "{S//NF}",
            "[C]",
            "a (b) c",
            "prose ((",
            "\u{ff08}S\u{ff09}",
            "caf\u{e9}",
            "\u{2028}",
            "\u{200B}2. (S) x",
            "\u{0421}ECRET",
            "\u{b6}4. (U) text",
            "aaaaaaa(aaaaaaaa",
            "12345678901234567(8",
            "",
            " ",
            "lower case only",
            "1. (U) Open",
            "2. (5//NF) damaged",
        ];
        // Every line after every other, so that each starts at every offset mod 8 and
        // follows every kind of line.
        for a in lines {
            for b in lines {
                let text = format!("{a}\n{b}\n{a}");
                let t = text.as_str();
                let mut start = 0;
                loop {
                    let (end, maybe) = line_end(t, start);
                    let found = next_look(t, start).is_some_and(|p| p < end);
                    assert_eq!(found, maybe, "{t:?} line from {start}");
                    if end == t.len() {
                        break;
                    }
                    start = end + 1;
                }
            }
        }
    }

    #[test]
    fn next_notable_finds_the_first_wanted_byte_from_every_start() {
        // Bytes next to the wanted ones (`\x01` after a wanted byte is what makes the
        // borrow of the word test flag a byte that is not wanted), damaged marks,
        // non-ASCII look-alikes, and every length around the 8-byte word.
        let texts = [
            "plain words with no mark at all, long enough for several words",
            "(\x01(\x01\n\x01{\x01[\x01",
            "\x0b\x0b\n\x0b(\x01)\x01\x01\x01\x01\x01\x01\x01\x01\x01(\x02",
            "1. (U) The text. 2. {S//NF} and [C] then \u{ff08}S\u{ff09} and \u{2028} end",
            "UNCLASSIFIED\nSECRET//NOFORN\n(S/1Nf1 damaged\n\u{0421}ECRET (\u{0405}) x",
            "aaaaaaa(aaaaaaaa\naaaaaaaa{aaaaaaa[\u{e9}aaaaaa",
            "",
            "(",
            "\n",
            "abcdefg\u{80}",
        ];
        for t in texts {
            let b = t.as_bytes();
            for from in 0..=b.len() {
                assert_eq!(
                    next_notable(b, from, true),
                    reference(b, from),
                    "{t:?} from {from}"
                );
            }
        }
        // Every byte value at every position of a 17-byte window over a background of
        // bytes one above a wanted one.
        for c in 0..=255u8 {
            for at in 0..17 {
                let mut b = vec![0x01u8; 17];
                b[at] = c;
                for from in 0..=b.len() {
                    assert_eq!(next_notable(&b, from, true), reference(&b, from));
                }
            }
        }
    }
}
