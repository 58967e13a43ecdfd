//! Line leads: the first classification the segmenter makes of every line.
//!
//! A line's *lead* is what stands before its text: a paragraph number (`1.`, `¶12.`), a
//! label (`a.`, `II.`, `(a)`, `l.`), a bullet (`--`, `•`, `o`), a number in a damaged form
//! (`2`, `2)`, `2:`, `10,`, `(2)`, full-width digits), and any invisible characters (zero-width
//! space, BOM, soft hyphen, NEL, line separator) around them. [`lead_mark`] says whether a
//! portion mark follows the lead, read or unreadable (look-alike letters, full-width
//! parentheses). The segmenter holds to one rule with it: **a line whose lead carries a mark
//! starts a portion of its own**, and no continuation join, header field or page-break repair
//! may take it into the portion before.
//!
//! [`glued_mark`] finds the other place a flattened export leaves a mark: glued mid-line after
//! a paragraph number (`… See Paragraph 6. 2. (C) SUMMARY: …`). The line model cannot split a
//! line, so the caller gives such a line to the higher-marked portion (fail closed).
//!
//! [`words`] reads the leads made of words: a caption (`PURPOSE:`), a table row's first cell
//! before the next cell's mark, a wiki's `[edit]` tag. [`glued_mark`] also reads a later
//! cell's mark after a column gap, so that a row is held at its highest cell.

use crate::marking::portion::{self, Place};
use crate::marking::{Level, Marking, is_invisible};
use words::{CELL_GAP, is_caption, no_lead};

/// What stands before a mark at the start of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeadKind {
    /// Nothing but blanks or invisible characters: `(C) Local police …`.
    Bare,
    /// A well-formed paragraph number: `1.`, `¶12.`.
    Number,
    /// A list label: `a.`, `A)`, `II.`, `(a)`, `¶A.`, `l.` (the letter for a damaged `1.`).
    Label,
    /// A bullet: `--`, `-`, `•`, `*`, `o`, `>`.
    Bullet,
    /// A number in a form no paragraph number takes: `2 (S)`, `2) (S)`, `2: (S)`,
    /// `10, (C)`, `(2) (S)`, full-width or other non-ASCII digits, or a number behind an
    /// invisible character.
    DamagedNumber,
    /// A table row's first cell, its label unmarked, before the mark of the next cell:
    /// `Mobile Country     (U) A decimal digit code …` (see [`row_cell`]).
    Cell,
}

/// A portion mark at the start of a line, after its lead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeadMark {
    pub kind: LeadKind,
    /// Byte offset of the mark's opening parenthesis.
    pub mark_start: usize,
    /// Byte offset of the text after the mark and its separators.
    pub text_start: usize,
    /// The mark read. Look-alike characters make it unknown (level TS, the printed form in
    /// `unknown`): a mark that cannot be read is withheld, never taken for "no mark".
    pub marking: Marking,
}

/// The parentheses a mark may be printed with: ASCII, full-width, small, super- and
/// subscript, ornamental.
fn is_open(c: char) -> bool {
    matches!(
        c,
        '(' | '\u{FF08}'
            | '\u{FE59}'
            | '\u{207D}'
            | '\u{208D}'
            | '\u{2768}'
            | '\u{276A}'
            | '\u{27EE}'
    )
}

fn is_close(c: char) -> bool {
    matches!(
        c,
        ')' | '\u{FF09}'
            | '\u{FE5A}'
            | '\u{207E}'
            | '\u{208E}'
            | '\u{2769}'
            | '\u{276B}'
            | '\u{27EF}'
    )
}

pub(super) fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2013}'
            | '\u{2014}'
            | '\u{2022}'
            | '*'
            | '\u{00B7}'
            | '>'
            | '\u{25AA}'
            | '\u{25E6}'
            | '\u{25CF}'
            | '\u{F0B7}'
            | '\u{2043}'
            | '\u{25A0}'
            | '\u{2192}'
    )
}

/// What may stand before a mark without being a lead at all: a heading's `#` (`# (U) The
/// SID Design Team`, newsletters exported as Markdown), a Markdown table row's opening
/// pipe (`| (U//FOUO) Advanced Analytic Lab | 4th QTR | SID |`: the row's first cell
/// carries its mark) and an opening quote (`"(U//FOUO) SIDtoday articles may not be
/// republished…"`). The line reads as if they were not there: its mark starts a portion
/// like a bare one, with no damaged-number finding.
fn is_decoration(c: char) -> bool {
    matches!(c, '#' | '|' | '"' | '\u{201C}' | '\u{201E}')
}

/// The longest mark text between its parentheses, in chars.
const MAX_INNER: usize = 48;
/// The most visible characters a lead may have (`------¶12.` has ten).
const MAX_LEAD: usize = 12;

/// The closing parenthesis of the one opening at `open` (byte offset of the char after
/// it): within [`MAX_INNER`] chars, with no other opening parenthesis between. Returns the
/// byte offset just past the closing one.
fn close_of(line: &str, after_open: usize) -> Option<usize> {
    for (n, (k, c)) in line[after_open..].char_indices().enumerate() {
        if n > MAX_INNER || is_open(c) {
            return None;
        }
        if is_close(c) {
            return Some(after_open + k + c.len_utf8());
        }
    }
    None
}

/// Reads `raw` (parentheses included) as a mark at `place`: the marking as printed, an
/// unknown marking for a look-alike, or `None` when it is no mark.
pub fn read_mark(raw: &str, place: Place) -> Option<Marking> {
    if raw.is_ascii() {
        return portion::parse(raw, place).or_else(|| damaged(raw));
    }
    let Some(read) = portion::lookalike(raw, place) else {
        return damaged(raw);
    };
    let mut m = Marking::new(Level::TS);
    m.raw = raw.to_string();
    // Named without parentheses: the description travels into manifests and reports, and
    // a parenthesised mark there would read as a mark governing text (the guard's view).
    m.unknown
        .push(format!("look-alike of {}", read.canonical()));
    m.legacy = true;
    Some(m)
}

/// A mark damaged past reading (OCR: `(TS//S!//NF)`, `(TS/ZSIZ/NF)`, `(TS#SW/NF)`): a level
/// word, a separator (`/`, `#`), then anything. It is a mark that cannot be read, so it is
/// unknown (withheld), never text.
fn damaged(raw: &str) -> Option<Marking> {
    let inner = raw
        .get(1..raw.len() - raw.chars().next_back()?.len_utf8())?
        .trim();
    let read = match inner.find(['/', '#']) {
        Some(cut) => {
            is_level_head(&inner[..cut]) && !inner[cut..].trim_matches(['/', '#', ' ']).is_empty()
        }
        None => slashes_read_as_letters(inner),
    };
    if !read {
        return None;
    }
    let mut m = Marking::new(Level::TS);
    m.raw = raw.to_string();
    m.unknown.push(inner.to_string());
    m.legacy = true;
    Some(m)
}

/// Is `head` (what stands before a damaged mark's first separator) a level word, perhaps
/// with one character OCR made of the separator's first stroke (`S!/N`, `UJ/FOUO`, `SI/NF`)?
fn is_level_head(head: &str) -> bool {
    let head = head.trim();
    let level = |h: &str| {
        matches!(
            h,
            "U" | "C" | "S" | "TS" | "UNCLASSIFIED" | "CONFIDENTIAL" | "SECRET" | "TOP SECRET"
        )
    };
    level(head)
        || head
            .strip_suffix(['!', '|', 'I', 'J', 'l', '1', '#'])
            .is_some_and(|h| matches!(h, "U" | "C" | "S" | "TS"))
}

/// `SIIREL`, `TSIISI`, `CllNF`: a level whose `//` OCR read as two strokes (`II`, `ll`,
/// `JJ`, `11`, `||`), then a control in capitals: the first word of a mark whose separator
/// is damaged. (`SIIREL TO USA,` wrapped over two lines is a `(S//REL TO USA, FVEY)` mark.)
fn slashes_read_as_letters(word: &str) -> bool {
    let stroke = |b: u8| matches!(b, b'I' | b'l' | b'J' | b'1' | b'|');
    ["TS", "S", "C", "U"].iter().any(|level| {
        word.strip_prefix(level).is_some_and(|rest| {
            let b = rest.as_bytes();
            b.len() >= 4
                && stroke(b[0])
                && stroke(b[1])
                && b[2].is_ascii_uppercase()
                && b[3].is_ascii_uppercase()
        })
    })
}

/// A mark whose `)` OCR lost (`(S/1Nf1 The fact …`, `(C// REL TO USA, AUS, …` running into
/// a table's next column): the parenthesis opening at byte `open` is read by its first word,
/// which must hold a separator after a level (`S/`, `C//`, `S!/`). Such a mark cannot be
/// read, so it is unknown (withheld); the text starts after that word.
fn unclosed(line: &str, open: usize) -> Option<(Marking, usize)> {
    let rest = line.get(open..)?;
    let after_open = rest.chars().next()?.len_utf8();
    let word_len = rest[after_open..]
        .find(char::is_whitespace)
        .unwrap_or(rest.len() - after_open);
    let word = &rest[after_open..after_open + word_len];
    let read = match word.find('/') {
        Some(cut) => is_level_head(&word[..cut]),
        None => slashes_read_as_letters(word),
    };
    if !read {
        return None;
    }
    let mut m = Marking::new(Level::TS);
    m.raw = format!("{}{word}", &rest[..after_open]);
    m.unknown.push(format!("unclosed {word}"));
    m.legacy = true;
    Some((m, open + after_open + word_len))
}

/// The text start after a mark ending at `end`: past blanks, invisible characters, and the
/// colons, dots and dashes that follow a mark.
fn after_separators(line: &str, end: usize) -> usize {
    let tail =
        line[end..].trim_start_matches(|c: char| is_invisible(c) || matches!(c, ':' | '.' | '-'));
    line.len() - tail.len()
}

/// The counts a lead is judged by.
#[derive(Default)]
struct Shape {
    visible: usize,
    letters: usize,
    digits: usize,
    ascii_digits_only: bool,
    /// `.`, `)`, `,`, `:`, `;`, `]`.
    puncts: usize,
    bullets: usize,
    /// A parenthesised label before the mark: `(2)`, `(a)`.
    paren_label: Option<bool>,
    /// Every letter is a Roman numeral letter.
    roman: bool,
    only_o: bool,
    /// A digit after punctuation after a digit: `1.4`, `1,5`, a section or a decimal, not
    /// a paragraph number.
    section: bool,
    last: Option<char>,
    punct_after_digit: bool,
}

/// Bytes after the leading blanks within which a lead's mark must open: a lead has at
/// most [`MAX_LEAD`] visible characters, a few blanks between them.
const LEAD_WINDOW: usize = 24;

/// Can a mark open near the start of `line`? An ASCII `(`, or any non-ASCII byte (an
/// invisible character, a full-width parenthesis), within [`LEAD_WINDOW`] bytes of the first
/// non-blank. Most lines start with a word and no parenthesis: they are ruled out here, one
/// short byte scan instead of a char-by-char reading of the lead (this runs on every line).
fn could_lead(line: &str) -> bool {
    let b = line.as_bytes();
    let start = b.iter().position(|&c| c != b' ').unwrap_or(b.len());
    let end = b.len().min(start + LEAD_WINDOW);
    find_byte(
        &b[start..end],
        |c| c == b'(' || c >= 0x80,
        |x| has_byte(x, b'(') | (x & HI),
    )
    .is_some()
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Flags (high bit set) the bytes of `x` equal to `byte`; the lowest flag is exact, which
/// is all [`find_byte`] uses.
fn has_byte(x: u64, byte: u8) -> u64 {
    let y = x ^ (LO * u64::from(byte));
    y.wrapping_sub(LO) & !y & HI
}

/// The first index of `b` where `wanted` holds, eight bytes at a time: `flags` marks a word
/// that may hold one (its lowest flag exact or early), `wanted` decides byte by byte. These
/// scans run on every line, where a byte loop costs several instructions a byte.
fn find_byte(b: &[u8], wanted: impl Fn(u8) -> bool, flags: impl Fn(u64) -> u64) -> Option<usize> {
    let mut i = 0;
    while let Some(word) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        if flags(x) != 0
            && let Some(k) = word.iter().position(|&c| wanted(c))
        {
            return Some(i + k);
        }
        i += 8;
    }
    b[i..].iter().position(|&c| wanted(c)).map(|k| i + k)
}

/// The portion mark at the start of `line` after its lead, if there is one.
pub fn lead_mark(line: &str) -> Option<LeadMark> {
    if !could_lead(line) {
        return no_lead(line);
    }
    let mut shape = Shape {
        ascii_digits_only: true,
        roman: true,
        ..Shape::default()
    };
    let mut at = 0;
    while at < line.len() {
        let c = line[at..].chars().next().expect("in bounds");
        let next = at + c.len_utf8();
        if is_open(c) {
            let Some(end) = close_of(line, next) else {
                // No `)` closes it: a mark OCR damaged, when its first word reads as one.
                let kind = shape.kind(line, &line[..at], None)?;
                let (marking, word_end) = unclosed(line, at)?;
                return Some(LeadMark {
                    kind,
                    mark_start: at,
                    text_start: after_separators(line, word_end),
                    marking,
                });
            };
            let raw = &line[at..end];
            let inner = &line[next..end - line[..end].chars().next_back()?.len_utf8()];
            let label_only = shape.letters == 0 && shape.digits == 0 && shape.puncts == 0;
            if shape.paren_label.is_none() && label_only && is_paren_label(inner) {
                // `(2) (S)`, `(a) (S)`: a parenthesised label, the mark after it.
                let is_digit = inner.trim().chars().all(char::is_numeric);
                if read_mark(raw, Place::LineStart).is_none() {
                    shape.paren_label = Some(is_digit);
                    shape.visible += 1;
                    at = end;
                    continue;
                }
            }
            // Words before the mark that make no lead (`Mobile    (U)`: a row's first
            // cell) may still make one of words.
            let Some(kind) = shape.kind(line, &line[..at], Some(inner)) else {
                return no_lead(line);
            };
            let place = if kind == LeadKind::Bare {
                Place::LineStart
            } else {
                Place::AfterNumber
            };
            // `£. (s) (Decanter) appeal.`: after a list label, a level OCR printed in
            // lower case or doubled (`(s)`, `(Ss)`, `(Cc)`; not `(c)`, a list label too).
            if kind == LeadKind::Label
                && inner != "c"
                && inner != "8"
                && let Some(level) = crate::parse::kind::damaged_level(inner)
            {
                let mut marking = Marking::new(level);
                marking.raw = raw.to_string();
                marking.damaged = true;
                marking.legacy = true;
                return Some(LeadMark {
                    kind,
                    mark_start: at,
                    text_start: after_separators(line, end),
                    marking,
                });
            }
            // `; (u) Memorandum …`: punctuation alone before a lone lower-case `u` is OCR
            // noise before the list label `(u)` (between `(t)` and `(v)`), not a number
            // lost to damage; a `U` is never read from damage, so no mark (the line is
            // text, withheld where unmarked). `(c)`, `(s)` there stay marks: they withhold.
            if kind == LeadKind::DamagedNumber
                && shape.digits == 0
                && shape.paren_label.is_none()
                && inner == "u"
            {
                return None;
            }
            // The cheap test first: most parentheses here are no mark, and a marking
            // costs allocations.
            if raw.is_ascii() && !portion::is_mark(raw, place) && damaged(raw).is_none() {
                return None;
            }
            let marking = read_mark(raw, place)?;
            return Some(LeadMark {
                kind,
                mark_start: at,
                text_start: after_separators(line, end),
                marking,
            });
        }
        at = next;
        if is_invisible(c) || is_decoration(c) {
            continue;
        }
        shape.visible += 1;
        if shape.visible > MAX_LEAD {
            return no_lead(line);
        }
        let prev = shape.last.replace(c);
        if c.is_numeric() {
            shape.section |= shape.punct_after_digit && prev.is_some_and(|p| !p.is_numeric());
            shape.digits += 1;
            shape.ascii_digits_only &= c.is_ascii_digit();
        } else if c.is_alphabetic() || c == '£' {
            // `£.`: OCR's reading of the list label `f.`.
            shape.letters += 1;
            shape.roman &= matches!(c.to_ascii_uppercase(), 'I' | 'V' | 'X' | 'L' | 'C');
            shape.only_o = c == 'o' && shape.letters == 1;
        } else if matches!(c, '.' | ')' | ',' | ':' | ';' | ']') {
            shape.puncts += 1;
            shape.punct_after_digit |= prev.is_some_and(char::is_numeric);
        } else if is_bullet(c) {
            shape.bullets += 1;
        } else if !matches!(c, '¶' | '§') {
            return no_lead(line);
        }
    }
    None
}

/// `2`, `12`, `a`, `B`, `iv`: what a parenthesised list label holds.
fn is_paren_label(inner: &str) -> bool {
    let t = inner.trim();
    let n = t.chars().count();
    (1..=3).contains(&n)
        && (t.chars().all(char::is_numeric) || (n <= 2 && t.chars().all(char::is_alphabetic)))
}

/// Could the text inside a parenthesis after a section number be E.O. reason letters
/// (`1.4 (c)`, `1.5 (B)`, `1.4(B/D)`, `1.4 (b, d)`, `(b and d)`: letters of a to h, either
/// case, between separators)? Such a citation is never a mark there, even where it reads
/// as one (`C`) or as a damaged one (`B/D`).
fn reason_letter(inner: &str) -> bool {
    let mut letters = 0;
    for word in inner.split(['/', ',', '&', ' ']).filter(|w| !w.is_empty()) {
        if word.eq_ignore_ascii_case("and") {
            continue;
        }
        if word.len() != 1 || !matches!(word.as_bytes()[0].to_ascii_lowercase(), b'a'..=b'h') {
            return false;
        }
        letters += 1;
    }
    letters > 0
}

impl Shape {
    /// The lead's kind, `None` when what stands before the mark is no lead. `inner` is the
    /// text inside the parenthesis that follows (`None` for a mark OCR left unclosed).
    fn kind(&self, line: &str, lead: &str, inner: Option<&str>) -> Option<LeadKind> {
        if self.visible == 0 {
            return Some(LeadKind::Bare);
        }
        if let Some(digit) = self.paren_label {
            if self.letters + self.digits > 0 {
                return None;
            }
            return Some(if digit {
                LeadKind::DamagedNumber
            } else {
                LeadKind::Label
            });
        }
        if self.digits > 0 {
            let closed = matches!(self.last, Some('.' | ')'));
            if self.letters > 0 {
                // `D.7.`, `A.1.`, OCR's `tl.7.`: a guide's item label, letter and number.
                let label = self.letters <= 2 && self.digits <= 2 && self.puncts > 0 && closed;
                return label.then_some(LeadKind::Label);
            }
            if self.digits > 4 {
                return None;
            }
            if self.section {
                // `1.2. (U)`, OCR's `0 .3. (U//FOUO)`: a section number closed by its
                // punctuation labels a portion; so does one before a bullet (`• 2.1 (U)
                // IPsec`, a wiki's table of contents) and one before a mark no reason
                // citation prints (`4.4 (S//TK) Mission 7500`, `5.1.6.1 (U) Facility`: a
                // guide's or a report's numbered section). `1.4 (b)`, `1.4(c)` (no closing
                // point, a reason letter) cite a section of the order: text.
                let numbered_section = inner.is_some_and(|i| !reason_letter(i));
                return (closed || self.bullets > 0 || numbered_section).then_some(LeadKind::Label);
            }
            let clean = self.ascii_digits_only && super::lines::numbered_start(line).is_some();
            return Some(if clean {
                LeadKind::Number
            } else {
                LeadKind::DamagedNumber
            });
        }
        if self.letters > 0 {
            if self.only_o && self.letters == 1 && self.puncts == 0 {
                return Some(LeadKind::Bullet);
            }
            let short = self.letters <= 2 || (self.roman && self.letters <= 5);
            // A label ends in its punctuation: `a.`, `A)`, `II.`; a bare word is text.
            if short && self.puncts > 0 {
                return Some(LeadKind::Label);
            }
            return is_caption(lead).then_some(LeadKind::Label);
        }
        if self.bullets > 0 {
            return Some(LeadKind::Bullet);
        }
        // Punctuation alone (`. (C)`, `) (S)`): a number lost to damage.
        Some(LeadKind::DamagedNumber)
    }
}

/// The highest mark glued mid-line after a paragraph number (` 2. (C)`, `¶3.(S)`) at or after
/// byte `from`, with its byte offset; an unreadable one (look-alike letters inside the
/// parentheses) counts as the highest. `None` when the line holds none. Only a number that
/// stands as a word (after a blank, an invisible character or the start) counts: `1.4 (B)`
/// in an authority line is a section, not a paragraph. Only ASCII parentheses are looked
/// for here: this runs on every line, where one `memchr` is affordable and a char-by-char
/// search for look-alike parentheses is not (a look-alike mark at a line's lead is found by
/// [`lead_mark`]).
pub fn glued_mark(line: &str, from: usize) -> Option<(usize, Marking)> {
    mid_line_mark(line, from, false)
}

/// [`glued_mark`], and also a later cell's mark after a column gap (`The fact that NSA
/// exists      UNCLASSIFIED      (S) …`): the highest of them. For holding a line at its
/// highest mark (a row is held at its highest cell), never for deciding that a line is
/// marked: a continuation line whose later cell repeats its portion's level is not a new
/// portion (`tests/parse_structure.rs`, the TAREX page break).
pub fn glued_or_cell_mark(line: &str, from: usize) -> Option<(usize, Marking)> {
    mid_line_mark(line, from, true)
}

fn mid_line_mark(line: &str, from: usize, cells: bool) -> Option<(usize, Marking)> {
    let rest = line.get(from..)?.as_bytes();
    // `contains` on bytes is the library's memchr, several times cheaper than a char
    // search: most lines have no parenthesis at all.
    if !rest.contains(&b'(') {
        return None;
    }
    let mut at = from + rest.iter().position(|&b| b == b'(')?;
    let mut best: Option<(usize, Marking)> = None;
    loop {
        let open = at;
        at = open + 1;
        let before = &line[from..open];
        // After a paragraph number, or a cell's mark after a column gap (`… UNCLASSIFIED
        // (S) Remarks`): read whole and upper case there, as at a line's start.
        let place = if number_before(before) {
            Some(Place::AfterNumber)
        } else if cells && cell_gap(before) {
            Some(Place::LineStart)
        } else {
            None
        };
        if let Some(place) = place
            && let Some(end) = close_of(line, at)
        {
            let raw = &line[open..end];
            // A cell's parenthesis is read only when it is a mark whole (no damage guessed).
            let readable = place == Place::AfterNumber || portion::is_mark(raw, place);
            if let Some(m) = readable.then(|| read_mark(raw, place)).flatten() {
                let rank = |m: &Marking| if m.is_unknown() { Level::TS } else { m.level };
                if best.as_ref().is_none_or(|(_, b)| rank(&m) > rank(b)) {
                    best = Some((open, m));
                }
            }
            at = end;
        }
        match line[at..].find('(') {
            Some(k) => at += k,
            None => return best,
        }
    }
}

/// Does `before` end in a column gap after some text: a later cell of a row laid out in
/// columns (`The fact that NSA exists      UNCLASSIFIED      (S) …`)?
/// A caption before the gap (`Subject:        (U) RE: …`, an e-mail header) makes the mark
/// the line's lead, no later cell's.
fn cell_gap(before: &str) -> bool {
    let text = before.trim_end_matches(' ');
    before.len() - text.len() >= CELL_GAP && !text.trim_start().is_empty() && !text.ends_with(':')
}

/// Does `before` end in a paragraph number standing as a word: `… 2. `, `… ¶3.`, `… 4.`?
fn number_before(before: &str) -> bool {
    let t = before.trim_end_matches(is_invisible);
    let Some(t) = t.strip_suffix('.') else {
        return false;
    };
    let digits = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if !(1..=3).contains(&digits) {
        return false;
    }
    let t = &t[..t.len() - digits];
    let t = t.strip_suffix('¶').unwrap_or(t);
    // A paragraph number starts the line or follows a blank; `1.4.` or `A.2.` do not count.
    t.is_empty() || t.ends_with(is_invisible)
}

mod words;

#[cfg(test)]
mod tests;
