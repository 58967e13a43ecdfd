//! An independent leak checker: it shares no parsing or marking code with declass, so
//! that a structure the parser misreads cannot hide a leak from it too.
//!
//! Place in the project: beside the pipeline, never in it. The tests
//! (`tests/independent_leaks.rs`, `tests/props_guard.rs`) and the corpus sweep (through
//! `examples/leakcheck.rs`) hand it a source document and the release declass made of it.
//!
//! The rule, written from the marking grammar (MARKINGS.md), not from `src/`: every source
//! line whose start, after a short lead (paragraph number, letter or roman label, `¶`,
//! bullet, `>`, damaged number such as `2 `, `2)`, `2:` or `10,`, a caption such as
//! `SUMMARY:`, invisible characters), carries a portion mark above the target level is a
//! classified portion, and so is a mark glued mid-line behind a paragraph number
//! (`… 2. (C) SUMMARY:`). The first eight normalised words after such a mark (all of
//! them when the portion is shorter, if there are at least four) must not appear in a row
//! in the release. A run that also occurs in the source under a U or SBU mark is an
//! explained repeat, not a hit.
//!
//! A mark that OCR or typing damaged past the grammar is read by `damaged`, the checker's
//! own reading: one that could stand above U makes its paragraph classified (fail closed).
//!
//! A second rule, in `unmarked`, reads the text of a classified document that carries no
//! mark (unmarked paragraphs, subjects, headings, items, text after a classified portion
//! up to the next mark), which no rule above covers; `report` runs both.
//!
//! Normalising folds what a reader would not see or would read alike: invisible format
//! characters are dropped, full-width forms and Cyrillic or Greek look-alikes become their
//! ASCII letters, case is ignored, and anything that is not a letter or digit separates
//! words. Both the source and the release are normalised the same way.

#![allow(dead_code)] // each user (test crate or example) uses a subset

mod damaged;
mod stamps;
#[cfg(test)]
mod tests_furniture;
pub mod unmarked;

use std::fmt;

/// How many words after a mark make the fingerprint of a portion.
pub const RUN: usize = 8;
/// A portion shorter than this many words is not checked: too little to tell.
pub const MIN_RUN: usize = 4;

/// Classification levels in order; U includes the controls on unclassified (SBU, LOU,
/// FOUO, LES, CUI…).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    U,
    C,
    S,
    TS,
}

impl Level {
    /// Reads a `--target` value: U, SBU, C, S or TS.
    pub fn parse_target(s: &str) -> Option<Level> {
        match s.to_ascii_uppercase().as_str() {
            "U" | "SBU" => Some(Level::U),
            "C" => Some(Level::C),
            "S" => Some(Level::S),
            "TS" => Some(Level::TS),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::U => "U",
            Level::C => "C",
            Level::S => "S",
            Level::TS => "TS",
        })
    }
}

/// A marked portion of the source: where its mark is and the words that follow it.
#[derive(Clone, Debug)]
pub struct Portion {
    /// 1-based line number (lines end at `\n`).
    pub line: usize,
    pub level: Level,
    /// Normalised words after the mark, to the end of the portion (a blank line or the
    /// next mark).
    pub words: Vec<String>,
    /// Normalised words after the mark to the next mark, across blank lines: what a
    /// reader could take to stand under it.
    pub region: Vec<String>,
}

/// A classified portion whose opening words appear in the release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub line: usize,
    pub level: Level,
    /// The same words also stand in the source under a U or SBU mark.
    pub repeat: bool,
}

// ---------------------------------------------------------------------------------------
// Normalising

/// Invisible format characters: removed before anything is read.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}')
}

/// Folds a character to the ASCII one a reader would take it for, where there is one.
fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => ' ',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => '-',
        '\u{FE59}' | '\u{207D}' | '\u{208D}' => '(',
        '\u{FE5A}' | '\u{207E}' | '\u{208E}' => ')',
        // Cyrillic capitals that look like Latin ones
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
        // and small letters
        'а' => 'a',
        'с' => 'c',
        'е' => 'e',
        'і' => 'i',
        'ј' => 'j',
        'о' => 'o',
        'р' => 'p',
        'ѕ' => 's',
        'х' => 'x',
        'у' => 'y',
        // Greek capitals
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
        _ => c,
    }
}

/// The text as a reader sees it: invisible characters gone, look-alikes folded.
pub fn fold_text(s: &str) -> String {
    s.chars().filter(|&c| !invisible(c)).map(fold).collect()
}

/// Normalised words: folded, lower case, split at everything but letters and digits.
pub fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if invisible(c) {
            continue;
        }
        let c = fold(c);
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Words joined by single spaces with a space at each end, so that a run of words is
/// found by a substring search on word boundaries.
fn joined(words: &[String]) -> String {
    let mut s = String::with_capacity(words.iter().map(|w| w.len() + 1).sum::<usize>() + 1);
    s.push(' ');
    for w in words {
        s.push_str(w);
        s.push(' ');
    }
    s
}

/// The text of a release to search: a JSON release is read as the concatenation of
/// every string in it (its text and manifest); anything else as text.
pub fn release_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.trim_start().starts_with('{')
        && let Ok(value) = serde_json::from_str::<serde_json::Value>(&text)
    {
        let mut out = String::new();
        strings(&value, &mut out);
        return out;
    }
    text.into_owned()
}

fn strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// Reading marks

/// Control tokens that may follow a level after a single `/`, `-` or a space (after `//`
/// anything mark-shaped is taken). From the grammar's token table, legacy cable forms and
/// the older agency controls.
const CONTROLS: &[&str] = &[
    "NF",
    "NOFORN",
    "N",
    "REL",
    "RELIDO",
    "SI",
    "TK",
    "G",
    "HCS",
    "GAMMA",
    "COMINT",
    "TALENT",
    "KEYHOLE",
    "RSV",
    "ORCON",
    "OC",
    "IMC",
    "IMCON",
    "PR",
    "PROPIN",
    "FOUO",
    "SBU",
    "LES",
    "SSI",
    "XD",
    "ND",
    "DS",
    "EXDIS",
    "NODIS",
    "LIMDIS",
    "EYES",
    "DSEN",
    "FISA",
    "FGI",
    "RD",
    "FRD",
    "SAR",
    "CNWDI",
    "UCNI",
    "DCNI",
    "TFNI",
    "DISPLAY",
    "NATO",
    "NOCONTRACT",
    "WNINTEL",
    "MR",
    "RS",
    "RSEN",
    "ECI",
    "CUI",
    "SP",
    "AIUO",
    "ENTIRE",
    "SENSITIVE",
    "LIMOFF",
];

/// Level words a portion mark may open with, longest first so that `SBU` is not read as
/// `S`.
const LEVELS: &[(&str, Level)] = &[
    ("TOP SECRET", Level::TS),
    ("UNCLASSIFIED", Level::U),
    ("CONFIDENTIAL", Level::C),
    ("UNCLAS", Level::U),
    ("SECRET", Level::S),
    ("FOUO", Level::U),
    ("AIUO", Level::U),
    ("SBU", Level::U),
    ("LOU", Level::U),
    ("CUI", Level::U),
    ("LES", Level::U),
    ("TS", Level::TS),
    ("S", Level::S),
    ("C", Level::C),
    ("U", Level::U),
];

/// Level words of a foreign or NATO mark (`(//GBR S)`, `(//CTS//BOHEMIA)`).
fn foreign_level(tok: &str) -> Option<Level> {
    match tok {
        "TS" | "CTS" => Some(Level::TS),
        "S" | "NS" => Some(Level::S),
        "C" | "NC" | "R" | "NR" => Some(Level::C),
        "U" | "NU" => Some(Level::U),
        _ => None,
    }
}

/// A mark read at some position: its level, how many chars it spans, whether it is a
/// bare single letter (`(c)`, which a lettered list also uses), and whether it declares
/// the whole text.
#[derive(Clone, Copy, Debug)]
struct Mark {
    level: Level,
    len: usize,
    letter: Option<char>,
    entire: bool,
}

fn upper_at(chars: &[char], at: usize, word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    chars.len() >= at + w.len()
        && chars[at..at + w.len()]
            .iter()
            .zip(&w)
            .all(|(a, b)| a.to_ascii_uppercase() == *b)
}

/// The level word opening `chars` and its length, when the next char ends it.
fn level_word(chars: &[char]) -> Option<(Level, usize)> {
    LEVELS.iter().find_map(|&(w, level)| {
        let n = w.chars().count();
        let ends = chars
            .get(n)
            .is_none_or(|c| matches!(c, '/' | '-' | ' ' | ',' | ':' | ')' | '\t'));
        (upper_at(chars, 0, w) && ends).then_some((level, n))
    })
}

/// Reads a parenthesised portion mark at the start of `chars`.
fn paren_mark(chars: &[char]) -> Option<Mark> {
    if chars.first() != Some(&'(') {
        return None;
    }
    let close = chars.iter().take(90).position(|&c| c == ')')?;
    let body: String = chars[1..close].iter().collect();
    if body.contains('(') {
        return None;
    }
    let body = body.trim();
    let len = close + 1;
    if let Some(rest) = body.strip_prefix("//") {
        let level = rest
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter_map(|t| foreign_level(&t.to_ascii_uppercase()))
            .max()?;
        return Some(Mark {
            level,
            len,
            letter: None,
            entire: false,
        });
    }
    let b: Vec<char> = body.chars().collect();
    let (level, n) = level_word(&b)?;
    let rest: String = b[n..].iter().collect();
    let entire = rest.to_ascii_uppercase().contains("ENTIRE TEXT");
    let letter = (b.len() == 1).then_some(b[0]);
    if rest.trim().is_empty() {
        return Some(Mark {
            level,
            len,
            letter,
            entire,
        });
    }
    let shaped = rest
        .chars()
        .all(|c| c.is_alphanumeric() || " /-,.!".contains(c));
    if rest.starts_with("//") && shaped {
        return Some(Mark {
            level,
            len,
            letter: None,
            entire,
        });
    }
    let first: String = rest
        .trim_start_matches(['/', '-', ' ', ','])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    let known = CONTROLS.contains(&first.as_str())
        || (first.len() == 2 && first.starts_with('X') && first.as_bytes()[1].is_ascii_digit());
    (shaped && known).then_some(Mark {
        level,
        len,
        letter: None,
        entire,
    })
}

/// Reads `C - ENTIRE TEXT` or `SECRET -- ENTIRE TEXT` at the start of `chars`.
fn entire_text(chars: &[char]) -> Option<Mark> {
    let (level, n) = level_word(chars)?;
    let mut i = n;
    while chars.get(i).is_some_and(|c| *c == ' ' || *c == '-') {
        i += 1;
    }
    (i > n && upper_at(chars, i, "ENTIRE TEXT")).then_some(Mark {
        level,
        len: i + "ENTIRE TEXT".len(),
        letter: None,
        entire: true,
    })
}

fn mark_at(chars: &[char]) -> Option<Mark> {
    paren_mark(chars).or_else(|| entire_text(chars))
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// The length of one lead element at the start of `chars` (label, number, bullet,
/// caption), if there is one.
fn lead_element(chars: &[char]) -> Option<usize> {
    let c = *chars.first()?;
    let next = chars.get(1).copied();
    // signs and bullets
    if matches!(
        c,
        '¶' | '§'
            | '•'
            | '·'
            | '▪'
            | '◦'
            | '‣'
            | '⁃'
            | '●'
            | '■'
            | '□'
            | '➢'
            | '►'
            | '*'
            | '>'
            | '#'
            | '+'
            // a quoted paragraph: `"(U//FOUO) SIDtoday articles may not be …`
            | '"'
            | '“'
            | '‘'
    ) {
        return Some(1);
    }
    if c == '-' {
        return Some(chars.iter().take_while(|&&c| c == '-').count());
    }
    if c == 'o' && next.is_some_and(is_space) {
        return Some(1);
    }
    // numbers: `2.`, `2)`, `2:`, `10,`, `2 `, `1.2.`
    if c.is_ascii_digit() {
        let mut i = chars.iter().take_while(|c| c.is_ascii_digit()).count();
        if i > 3 {
            return None;
        }
        while chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
            i += chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        }
        return match chars.get(i) {
            Some('.' | ')' | ':' | ',') => Some(i + 1),
            Some(&c) if is_space(c) || c == '(' => Some(i),
            None => Some(i),
            _ => None,
        };
    }
    // a stray full stop after a number or label: `2 . (U)`, `(6). (U)`, `#. (U)`
    if c == '.' && next.is_some_and(is_space) {
        return Some(1);
    }
    // a wiki page's `[edit]` link before a heading's mark
    if chars.starts_with(&['[', 'e', 'd', 'i', 't', ']']) {
        return Some(6);
    }
    // `(1)`, `(a)`, `(iv)`
    if c == '(' {
        let close = chars.iter().take(6).position(|&c| c == ')')?;
        let inner = &chars[1..close];
        let ok = !inner.is_empty()
            && (inner.iter().all(|c| c.is_ascii_digit())
                || (inner.len() == 1 && inner[0].is_ascii_alphabetic())
                || inner.iter().all(|c| "ivxIVX".contains(*c)));
        return ok.then_some(close + 1);
    }
    // `a.`, `B)`, `iv.`, `XI)`
    if c.is_ascii_alphabetic() {
        let roman = chars
            .iter()
            .take_while(|c| "ivxlIVXL".contains(**c))
            .count();
        let n = if roman > 1 { roman } else { 1 };
        if matches!(chars.get(n), Some('.' | ')')) {
            return Some(n + 1);
        }
    }
    // captions: up to four words ending in a colon (`SUMMARY:`, `Subject:`, `Module 1:`)
    if c.is_alphabetic() {
        let mut i = 0;
        let mut words = 0;
        while i < chars.len() && words < 4 {
            let w = chars[i..]
                .iter()
                .take_while(|c| c.is_alphanumeric())
                .count();
            if w == 0 {
                return None;
            }
            i += w;
            words += 1;
            match chars.get(i) {
                Some(':') => return Some(i + 1),
                Some(' ') => i += 1,
                _ => return None,
            }
        }
    }
    None
}

/// The mark at the start of a line, after its lead, and where the mark ends; a mark
/// damaged past the grammar is read by `damaged` (`seven`: whether the document labels an
/// item `(7)`, see `damaged::damaged_mark`).
fn lead_mark(chars: &[char], seven: bool) -> Option<(Mark, usize)> {
    let mut i = 0;
    for lead in 0..6 {
        while chars.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
        // (`(8)` for `(S)` only where it opens the line, behind no lead of its own)
        let read =
            mark_at(&chars[i..]).or_else(|| damaged::damaged_mark(&chars[i..], seven || lead > 0));
        if let Some(m) = read {
            return Some((m, i + m.len));
        }
        i += lead_element(&chars[i..])?;
    }
    None
}

/// Marks glued mid-line behind a paragraph number (`…text. 2. (C) SUMMARY:`,
/// `-----¶3. (C)`), a roman section label or a dash bullet: each with the char index
/// where its mark ends.
fn glued_marks(chars: &[char]) -> Vec<(Mark, usize)> {
    // The mark after blanks from `j`, with the index past it; `bare` admits a mark that is
    // a bare letter (upper case only: `(c)` is a list label).
    let mark_after = |mut j: usize, bare: bool| {
        while chars.get(j).is_some_and(|&c| is_space(c)) {
            j += 1;
        }
        paren_mark(&chars[j..])
            .filter(|m| m.letter.is_none_or(|l| bare && l.is_ascii_uppercase()))
            .map(|m| (j + m.len, m))
    };
    let mut out = Vec::new();
    let mut i = 1;
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit()
            && !chars[i - 1].is_alphanumeric()
            && !matches!(chars[i - 1], '.' | ',' | '/' | ':' | '(' | '$');
        // a roman section label glued mid-line with a mark that is no bare letter:
        // `4.(U) TRANSNATIONAL TERRORISM I. (S/NF) …` (a questionnaire's sections)
        let roman = chars[i..]
            .iter()
            .take_while(|c| "IVX".contains(**c))
            .count();
        let after_roman =
            roman > 0 && roman <= 4 && is_space(chars[i - 1]) && chars.get(i + roman) == Some(&'.');
        // a dash bullet glued mid-line with its mark (`… on them. --(C)MoTI indicated …`,
        // a flattened cable's bullets): a mark with no lower-case letter
        let after_dashes =
            chars[i] == '-' && chars[i - 1] == '-' && (i < 2 || is_space(chars[i - 2]));
        let found = if after_roman {
            mark_after(i + roman + 1, false)
        } else if after_dashes {
            mark_after(i + 1, true)
        } else {
            None
        };
        if let Some((end, m)) = found {
            out.push((m, end));
            i = end;
            continue;
        }
        if !starts_number {
            i += 1;
            continue;
        }
        let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let j = i + digits;
        if digits > 2 || chars.get(j) != Some(&'.') {
            i = j;
            continue;
        }
        match mark_after(j + 1, true) {
            Some((end, m)) => {
                out.push((m, end));
                i = end;
            }
            None => i = j + 1,
        }
    }
    out
}

/// The source in pieces: lines split at every break a reader would see (`\n`, `\r`, form
/// feed, vertical tab, NEL, line and paragraph separators), each piece with its line
/// number (lines end at `\n`, `\r\n` or a lone `\r`).
fn pieces(source: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut piece = String::new();
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                out.push((line, fold_text(&piece)));
                piece.clear();
                let crlf = c == '\r' && chars.peek() == Some(&'\n');
                if crlf {
                    chars.next();
                }
                if c == '\n' || c == '\r' {
                    line += 1;
                }
            }
            _ => piece.push(c),
        }
    }
    out.push((line, fold_text(&piece)));
    out
}

/// Whether a bare one-letter mark (`(c)`, `(S)`) starting at char `at` of piece `k` is
/// in truth a list label. It is when no other label stands before it on its line (`B)
/// (C)` is a mark after a label, `¶C. (C)` a doubled label) and the letter before it in
/// the alphabet, in the same case, labels an item just before it: at the lead of one of
/// the twelve pieces before (`(b) …`, `-- b) …`), or in parentheses anywhere in the last
/// non-blank piece (`REF: (A) … (B) …` wrapped), but not as a reason letter after a
/// section number (`1.4 (b)`).
fn is_label(lines: &[(usize, Vec<char>)], k: usize, at: usize, letter: char) -> bool {
    let Some(prev) = char::from_u32(letter as u32 - 1).filter(|c| c.is_ascii_alphabetic()) else {
        return false;
    };
    let lead: Vec<char> = lines[k].1[..at]
        .iter()
        .filter(|c| c.is_alphanumeric())
        .copied()
        .collect();
    if !(lead.is_empty() || lead == [letter]) {
        return false;
    }
    let labels = |text: &[char], i: usize| {
        text[i] == prev
            && matches!(text.get(i + 1), Some(')' | '.'))
            && (i == 0 || !text[i - 1].is_alphanumeric())
            && !after_section_number(&text[..i])
    };
    let before = &lines[k.saturating_sub(12)..k];
    let at_lead = before.iter().any(|(_, chars)| {
        let i = chars
            .iter()
            .position(|&c| !(is_space(c) || "-*•o>¶(".contains(c)))
            .unwrap_or(chars.len());
        i < chars.len() && labels(chars, i)
    });
    let last = before
        .iter()
        .rev()
        .find(|(_, chars)| chars.iter().any(|c| !c.is_whitespace()));
    // mid-line only in the parenthesised form: `see ref B).` is prose
    let parenthesised = |chars: &[char], i: usize| i > 0 && chars[i - 1] == '(' && labels(chars, i);
    at_lead || last.is_some_and(|(_, chars)| (0..chars.len()).any(|i| parenthesised(chars, i)))
}

/// Whether `before` ends in a section number such as `1.4 (` or `1,5` (reason letters
/// follow those).
fn after_section_number(before: &[char]) -> bool {
    let tail: Vec<char> = before
        .iter()
        .rev()
        .filter(|c| !c.is_whitespace())
        .skip_while(|&&c| c == '(')
        .take(3)
        .copied()
        .collect();
    matches!(tail.as_slice(), [d, sep, n] if d.is_ascii_digit() && ".,:".contains(*sep) && n.is_ascii_digit())
}

/// The source's pieces as chars, each with its line number.
fn char_lines(source: &str) -> Vec<(usize, Vec<char>)> {
    pieces(source)
        .into_iter()
        .map(|(n, s)| (n, s.chars().collect()))
        .collect()
}

/// Every mark of the pieces, in order: (piece index, mark, char index where the text
/// after it starts), and for each piece whether a mark opens it (after its lead).
fn marks(lines: &[(usize, Vec<char>)]) -> (Vec<(usize, Mark, usize)>, Vec<bool>) {
    let mut marks: Vec<(usize, Mark, usize)> = Vec::new();
    let mut starts = vec![false; lines.len()];
    // `(8)` is a damaged `(S)` only in a document with no item `(7)`
    let seven = lines
        .iter()
        .any(|(_, c)| c.windows(3).any(|w| w == ['(', '7', ')']));
    for (k, (_, chars)) in lines.iter().enumerate() {
        if let Some((m, end)) = lead_mark(chars, seven)
            && m.letter.is_none_or(|l| !is_label(lines, k, end - m.len, l))
        {
            marks.push((k, m, end));
            starts[k] = true;
        }
        let from = marks
            .last()
            .filter(|(i, _, _)| *i == k)
            .map_or(0, |&(_, _, e)| e);
        for (m, end) in glued_marks(&chars[from..]) {
            marks.push((k, m, from + end));
        }
    }
    (marks, starts)
}

/// Every marked portion of the source, in order.
pub fn portions(source: &str) -> Vec<Portion> {
    let lines = char_lines(source);
    portions_of(&lines, &marks(&lines))
}

/// The portions the `marks` of `lines` open.
fn portions_of(
    lines: &[(usize, Vec<char>)],
    (marks, starts): &(Vec<(usize, Mark, usize)>, Vec<bool>),
) -> Vec<Portion> {
    let mut out = Vec::with_capacity(marks.len());
    for (idx, &(k, m, end)) in marks.iter().enumerate() {
        // The portion runs to the next mark, or to a blank line (past blank lines while
        // an ENTIRE TEXT declaration has not yet said anything).
        let next = marks.get(idx + 1).map(|&(nk, _, ne)| (nk, ne));
        let mut text = String::new();
        let mut region = String::new();
        let mut ended = false;
        let mut j = k;
        let mut from = end;
        loop {
            let chars = &lines[j].1;
            let to = match next {
                // stop before the next mark's lead: cut at its number
                Some((nk, ne)) if nk == j => start_of_glued(chars, ne),
                _ => chars.len(),
            };
            if from < to {
                if !ended {
                    text.extend(&chars[from..to]);
                    text.push(' ');
                }
                region.extend(&chars[from..to]);
                region.push(' ');
            }
            j += 1;
            from = 0;
            if j >= lines.len() || next.is_some_and(|(nk, _)| nk < j) || starts[j] {
                break;
            }
            let blank = lines[j].1.iter().all(|c| c.is_whitespace());
            if blank && !(m.entire && words(&text).len() < MIN_RUN) {
                ended = true;
            }
        }
        out.push(Portion {
            line: lines[k].0,
            level: m.level,
            words: words(&without_placeholders(&text)),
            region: words(&without_placeholders(&region)),
        });
    }
    out
}

/// The text without release placeholders (`[B1, 1.4(B), 1.4(D)]`, `[(b)(6)]`): a
/// bracketed group of exemption-code-sized words is what a release prints in place of
/// withheld words, not words of the portion.
fn without_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']').filter(|&close| close <= 80) {
            Some(close)
                if words(&after[..close])
                    .iter()
                    .all(|w| w.chars().count() <= 3) =>
            {
                out.push(' ');
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where the lead of a glued mark ending at `end` begins (its paragraph number), so
/// that the portion before it stops there.
fn start_of_glued(chars: &[char], end: usize) -> usize {
    let open = chars[..end].iter().rposition(|&c| c == '(').unwrap_or(end);
    let mut i = open;
    while i > 0 && is_space(chars[i - 1]) {
        i -= 1;
    }
    if i > 0 && chars[i - 1] == '.' {
        i -= 1;
    }
    while i > 0 && (chars[i - 1].is_ascii_digit() || "IVX".contains(chars[i - 1])) {
        i -= 1;
    }
    i
}

/// The fingerprint of a portion: its first `RUN` words, or all of them if there are at
/// least `MIN_RUN`.
fn fingerprint(words: &[String]) -> Option<&[String]> {
    match words.len() {
        n if n >= RUN => Some(&words[..RUN]),
        n if n >= MIN_RUN => Some(words),
        _ => None,
    }
}

/// What checking one release found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Classified portions (above the target) long enough to check.
    pub checked: usize,
    pub hits: Vec<Hit>,
    /// Portions at or below the target long enough to check, and how many of them the
    /// release prints: a release that withholds everything has no hit either.
    pub open: usize,
    pub open_released: usize,
    /// What the unmarked rule (`unmarked`) found.
    pub unmarked: unmarked::Found,
}

/// Checks a release against its source: every classified portion (above `target`)
/// whose fingerprint is in the release.
pub fn check(source: &str, release: &str, target: Level) -> Vec<Hit> {
    report(source, release, target).hits
}

/// As `check`, counting the portions checked too.
pub fn report(source: &str, release: &str, target: Level) -> Report {
    let lines = char_lines(source);
    let marks = marks(&lines);
    let portions = portions_of(&lines, &marks);
    let release = unmarked::Released::new(release);
    let unmarked = unmarked::check(&lines, &marks, &release, target);
    let released = release.joined;
    let unclassified: Vec<String> = portions
        .iter()
        .filter(|p| p.level == Level::U)
        .map(|p| joined(&p.region))
        .collect();
    let mut hits = Vec::new();
    let (mut checked, mut open, mut open_released) = (0, 0, 0);
    for p in &portions {
        let Some(run) = fingerprint(&p.words) else {
            continue;
        };
        let needle = joined(run);
        if p.level <= target {
            open += 1;
            open_released += usize::from(released.contains(&needle));
            continue;
        }
        checked += 1;
        if released.contains(&needle) {
            hits.push(Hit {
                line: p.line,
                level: p.level,
                repeat: unclassified.iter().any(|u| u.contains(&needle)),
            });
        }
    }
    Report {
        checked,
        hits,
        open,
        open_released,
        unmarked,
    }
}

/// An entry of the list of explained hits: `PATH:LINE reason`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explained {
    pub path: String,
    pub line: usize,
}

impl Explained {
    /// Whether this entry names the hit at `line` of `source`: the entry's path is the
    /// whole source path or its end, on a `/` boundary.
    pub fn covers(&self, source: &str, line: usize) -> bool {
        let p = self.path.trim_start_matches('/');
        self.line == line
            && (source == self.path
                || source
                    .strip_suffix(p)
                    .is_some_and(|head| head.ends_with('/')))
    }
}

/// Reads a list of explained hits: one `PATH:LINE reason` a line, a reason required;
/// blank lines and `#` comments skipped. A malformed line is an error naming its number.
pub fn explained_entries(text: &str) -> Result<Vec<Explained>, usize> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (entry, reason) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let parsed = entry
            .rsplit_once(':')
            .and_then(|(p, l)| Some((p, l.parse().ok()?)));
        match parsed {
            Some((path, line)) if !path.is_empty() && !reason.trim().is_empty() => {
                out.push(Explained {
                    path: path.to_owned(),
                    line,
                })
            }
            _ => return Err(n + 1),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(src: &str) -> Vec<(usize, Level, usize)> {
        portions(src)
            .into_iter()
            .map(|p| (p.line, p.level, p.words.len()))
            .collect()
    }

    #[test]
    fn reads_marks_after_every_kind_of_lead() {
        for lead in [
            "",
            "1. ",
            "¶2. ",
            "12) ",
            "2 ",
            "2: ",
            "10, ",
            "a. ",
            "B) ",
            "iv. ",
            "(1) ",
            "- ",
            "-- ",
            "* ",
            "• ",
            "o ",
            "> ",
            "# 3. ",
            "SUMMARY: ",
            "\u{200B}1. ",
            "\u{FEFF}",
            "\u{00AD}2.",
            "- 2. ",
            "１. ",
            "1.",
        ] {
            let src = format!("{lead}(S) one two three four five six seven eight nine\n");
            let p = portions(&src);
            assert_eq!(p.len(), 1, "{lead:?}");
            assert_eq!(p[0].level, Level::S, "{lead:?}");
            assert_eq!(p[0].words[0], "one", "{lead:?}");
        }
    }

    #[test]
    fn reads_every_mark_form() {
        for (mark, level) in [
            ("(C)", Level::C),
            ("(c)", Level::C),
            ("(C )", Level::C),
            ("( C)", Level::C),
            ("(S/NF)", Level::S),
            ("(S-NF)", Level::S),
            ("(s/nf)", Level::S),
            ("(S/Rel Pak)", Level::S),
            ("(C//REL to Spain)", Level::C),
            ("(TS//SI//REL TO USA, FVEY)", Level::TS),
            ("(//GBR S)", Level::S),
            ("(C - ENTIRE TEXT)", Level::C),
            ("C - ENTIRE TEXT.", Level::C),
            ("CONFIDENTIAL - ENTIRE TEXT", Level::C),
            ("(SBU)", Level::U),
            ("(SBU/NF)", Level::U),
            ("(U//FOUO)", Level::U),
            ("(С)", Level::C),
            ("（C）", Level::C),
            ("(S//XQZ)", Level::S),
        ] {
            let src = format!("1. {mark} one two three four five\n");
            assert_eq!(levels(&src), vec![(1, level, 5)], "{mark}");
        }
    }

    #[test]
    fn prose_and_labels_are_not_marks() {
        for line in [
            "(U.S.) officials said one two three four",
            "(S17) is the office one two three four",
            "(SID) staff one two three four five",
            "(Afghanistan) one two three four five",
            "for reasons 1.4 (c) and (d) one two three",
            "the secret ballot one two three four",
            "(CIV-NSA) one two three four five",
            "(Spain) one two three four five",
        ] {
            assert!(portions(line).is_empty(), "{line}");
        }
        let list = "(a) first item one two three\n(b) second item one two\n(c) third item one two three four\n";
        assert!(portions(list).is_empty());
        let refs = "REF: A. (A) STATE 1\nB. (B) STATE 2\nC. (C) EMBASSY DAILY REPORT FOR 26JAN06\n";
        assert!(portions(refs).is_empty());
        let wrapped = "REF: (A) STATE 1 (B) STATE 2\n(C) STATE 3; (D) STATE 4 AND 5\n";
        assert!(portions(wrapped).is_empty());
        let bulleted = "-- a) one two\n\n-- b) three four\n\n-- (c) five six seven eight\n";
        assert!(portions(bulleted).is_empty());
        let far = "REF: A. STATE 1  B. STATE 2\n\n1. (U) Text here.\n\n-- (C) one two three four\n";
        assert_eq!(portions(far)[1].level, Level::C);
        let prose = "-- (C) one two three, see ref B).\n\n-- (C) four five six seven\n";
        assert_eq!(portions(prose).len(), 2);
        let reasons = "Classified By: X, reasons 1.4 (b)\n(c) one two three four five\n";
        assert_eq!(portions(reasons).len(), 1);
        let questions = "A. (U) Questions:\nB) (C) one two three four five\n";
        assert_eq!(portions(questions)[1].level, Level::C);
    }

    #[test]
    fn names_lines_whatever_ends_them() {
        let src = "x\r\n(S) a b c d\r(C) e f g h\n\u{0C}(TS) i j k l\u{2028}(S) m n o p";
        let lines: Vec<usize> = portions(src).iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 4, 4]);
    }

    #[test]
    fn finds_marks_glued_mid_line() {
        let src = "1. (U) Opening words here. 2. (C) SUMMARY: the secret words come next now.\n";
        let p = portions(src);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].level, Level::U);
        assert_eq!(p[0].words, words("Opening words here."));
        assert_eq!(p[1].level, Level::C);
        assert_eq!(p[1].words[0], "summary");
        let src = "1. (SBU) Opening words here. --(C)The secret words come next now.\n";
        let p = portions(src);
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[1].level, Level::C);
        assert_eq!(p[1].words[0], "the");
    }

    #[test]
    fn a_portion_runs_over_wrapped_lines_to_a_blank_line_or_the_next_mark() {
        let src = "1. (S) alpha beta\ngamma delta\n\nepsilon\n2. (U) zeta eta theta iota\n";
        let p = portions(src);
        assert_eq!(p[0].words, words("alpha beta gamma delta"));
        let src = "1. (S) alpha beta\ngamma delta\n2. (U) zeta\n";
        assert_eq!(portions(src)[0].words, words("alpha beta gamma delta"));
    }

    #[test]
    fn finds_a_planted_leak_and_not_a_placeholder() {
        let src = "SECRET\n\n1. (S) The minister said the talks would fail by June.\n\n2. (U) Weather was fine.\n";
        let good = "1. (S) [B1, 1.4(B)]\n\n2. (U) Weather was fine.\n";
        assert!(check(src, good, Level::U).is_empty());
        let bad = "1. (S) [B1]\n2. (U) THE MINISTER said the\ntalks would fail by june, really.\n";
        assert_eq!(
            check(src, bad, Level::U),
            vec![Hit {
                line: 3,
                level: Level::S,
                repeat: false
            }]
        );
        assert!(check(src, bad, Level::S).is_empty());
        let placeholder = "1. (S) [B1, 1.4(B), 1.4(D)]\n";
        assert!(check(placeholder, placeholder, Level::U).is_empty());
    }

    #[test]
    fn a_repeat_under_a_u_mark_is_explained() {
        let src = "1. (U) The minister said the talks would fail by June.\n\n2. (S) The minister said the talks would fail by June.\n";
        let hits = check(src, src, Level::U);
        assert_eq!(hits.len(), 1);
        assert!(hits[0].repeat);
    }

    #[test]
    fn counts_the_portions_at_the_target_that_the_release_prints() {
        let src = "1. (U) one two three four five

2. (SBU) six seven eight nine ten

3. (S) a b c d e
";
        let r = report(
            src,
            "1. (U) one two three four five
2. (SBU) [B6]
",
            Level::U,
        );
        assert_eq!((r.checked, r.open, r.open_released), (1, 2, 1));
    }

    #[test]
    fn reads_the_list_of_explained_hits() {
        let list = "# comment\n\nbulk/09X1.txt:12 a reason\n";
        let e = explained_entries(list).unwrap();
        assert_eq!(
            e,
            [Explained {
                path: "bulk/09X1.txt".into(),
                line: 12
            }]
        );
        assert!(e[0].covers("../shared/corpus/bulk/09X1.txt", 12));
        assert!(e[0].covers("bulk/09X1.txt", 12));
        assert!(!e[0].covers("../shared/corpus/bulk/09X1.txt", 13));
        assert!(!e[0].covers("../shared/corpus/bulk/109X1.txt", 12));
        assert!(!e[0].covers("../shared/corpus/public/09X1.txt", 12));
        assert_eq!(explained_entries("ok:1 why\nno-line reason\n"), Err(2));
        assert_eq!(explained_entries("bulk/a.txt:3\n"), Err(1));
    }

    #[test]
    fn reads_json_releases_as_their_strings() {
        let json = r#"{"a": "one\ntwo three", "b": 3, "c": {"x": ["four five"]}}"#;
        assert_eq!(
            words(&release_text(json.as_bytes())),
            words("one two three four five")
        );
    }
}
