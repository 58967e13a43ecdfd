//! Classification marks, read without the parser: the small, self-contained recogniser the
//! independent check of [`super::independent`] uses.
//!
//! Place in `verify`: it must not share code with `src/parse` or `src/marking`, so that a
//! mistake there cannot hide a leak from `verify`. It reads any parenthesised token whose
//! first word is a level (`(C)`, `(S//NF)`, `(S/NF)`, `(TS//SI//NF)`, `(SECRET)`, `(SBU)`,
//! `(U//FOUO)`) and whose other words are control-like, after folding full-width forms and
//! Cyrillic or Greek look-alikes and dropping invisible characters inside it. It stays
//! deliberately narrow where ordinary prose uses the same shapes: a reason code after `1.4`,
//! a list label in an `(A) (B) (C)` sequence, a copyright sign, a plural `name(s)`.

use super::normalize::{is_invisible, latin_lookalike};

/// Classification levels, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    U,
    C,
    S,
    TS,
}

impl Level {
    pub fn abbrev(self) -> &'static str {
        match self {
            Level::U => "U",
            Level::C => "C",
            Level::S => "S",
            Level::TS => "TS",
        }
    }

    pub fn from_abbrev(s: &str) -> Option<Level> {
        Some(match s {
            "U" => Level::U,
            "C" => Level::C,
            "S" => Level::S,
            "TS" => Level::TS,
            _ => return None,
        })
    }
}

/// A mark found in a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// Byte range of the token in the line, parentheses included.
    pub start: usize,
    pub end: usize,
    pub level: Level,
    /// The token is a bare letter (`(C)`, `(s)`), which list labels share.
    pub single_letter: Option<char>,
    /// Only lead characters (number, letter, bullet, `¶`, dashes) come before it.
    pub at_lead: bool,
    /// Written in lower case.
    pub lower: bool,
}

/// Control words a mark may carry after its level (country codes are any 3 or 4 capitals).
const CONTROLS: &[&str] = &[
    "NF",
    "NOFORN",
    "REL",
    "TO",
    "FOUO",
    "ORCON",
    "OC",
    "SI",
    "TK",
    "G",
    "HCS",
    "SBU",
    "LES",
    "EXDIS",
    "NODIS",
    "LIMDIS",
    "XD",
    "ND",
    "DS",
    "PROPIN",
    "PR",
    "RELIDO",
    "FGI",
    "EYES",
    "ONLY",
    "DISPLAY",
    "SSI",
    "FISA",
    "RD",
    "FRD",
    "CNWDI",
    "IMCON",
    "IMC",
    "NOCONTRACT",
    "WNINTEL",
    "RSEN",
    "RS",
    "DSEN",
    "SPECAT",
    "EFTO",
    "NATO",
    "CUI",
    "SAR",
    "N",
    "USGOV",
    "AND",
    "SENSITIVE",
    "NOFORNS",
];

/// Every mark in `line`, left to right.
pub fn marks_in(line: &str) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut search = 0;
    while let Some(open) = find_open(line, search) {
        let inner_start = open + line[open..].chars().next().map_or(1, char::len_utf8);
        let Some((inner, close_len)) = inner_of(&line[inner_start..]) else {
            search = inner_start;
            continue;
        };
        let end = inner_start + inner.len() + close_len;
        search = end;
        let before = &line[..open];
        if before
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let Some((level, single_letter, lower)) = read_inner(inner) else {
            continue;
        };
        let at_lead = is_lead(before);
        if lower && !at_lead {
            continue;
        }
        if single_letter.is_some() && (after_reason(before) || copyright(before, &line[end..])) {
            continue;
        }
        out.push(Mark {
            start: open,
            end,
            level,
            single_letter,
            at_lead,
            lower,
        });
    }
    out
}

/// Every bare single-letter token `(x)` in `line` (list labels and bare marks alike), but
/// not reason codes (`1.4(b)`).
pub fn letter_labels(line: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut search = 0;
    while let Some(open) = find_open(line, search) {
        let inner_start = open + line[open..].chars().next().map_or(1, char::len_utf8);
        search = inner_start;
        let before = &line[..open];
        if before
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            || after_reason(before)
        {
            continue;
        }
        if let Some((inner, _)) = inner_of(&line[inner_start..]) {
            let letters: String = inner
                .chars()
                .filter(|&c| !is_invisible(c))
                .map(latin_lookalike)
                .collect();
            let mut it = letters.trim().chars();
            if let (Some(c), None) = (it.next(), it.next())
                && c.is_ascii_alphabetic()
            {
                out.push(c);
            }
        }
    }
    out
}

fn find_open(line: &str, from: usize) -> Option<usize> {
    line[from..].find(['(', '（', '﹙']).map(|i| from + i)
}

/// The text inside the parentheses and the closing one's length: at most 48 bytes, on the
/// line, with no other parenthesis inside.
fn inner_of(rest: &str) -> Option<(&str, usize)> {
    for (i, c) in rest.char_indices() {
        match c {
            ')' | '）' | '﹚' => return Some((&rest[..i], c.len_utf8())),
            '(' | '（' | '﹙' => return None,
            _ if i > 48 => return None,
            _ => {}
        }
    }
    None
}

/// The level of a mark's inner text, whether it is a bare letter, and whether it was
/// written in lower case; `None` when it is not a mark.
fn read_inner(inner: &str) -> Option<(Level, Option<char>, bool)> {
    let folded: String = inner
        .chars()
        .filter(|&c| !is_invisible(c))
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
            _ => latin_lookalike(c),
        })
        .collect();
    let folded = folded.trim();
    if folded.is_empty() || !folded.is_ascii() {
        return None;
    }
    let lower = folded.chars().any(|c| c.is_ascii_lowercase());
    if lower && folded.chars().any(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let upper = folded.to_ascii_uppercase();
    let words: Vec<&str> = upper
        .split(['/', '-', ' ', ','])
        .filter(|w| !w.is_empty())
        .collect();
    let (level, used) = match words.as_slice() {
        ["TOP", "SECRET", ..] => (Level::TS, 2),
        ["SENSITIVE", "BUT", "UNCLASSIFIED", ..] => (Level::U, 3),
        ["LIMITED", "OFFICIAL", "USE", ..] => (Level::U, 3),
        [first, ..] => (
            match *first {
                "TS" => Level::TS,
                "S" | "SECRET" => Level::S,
                "C" | "CONFIDENTIAL" => Level::C,
                "U" | "UNCLASSIFIED" | "UNCLAS" | "SBU" | "LOU" | "FOUO" | "CUI" => Level::U,
                _ => return None,
            },
            1,
        ),
        [] => return None,
    };
    let rest = &words[used..];
    if lower && !rest.is_empty() {
        return None;
    }
    let control_like = |w: &&str| {
        CONTROLS.contains(w)
            || ((3..=4).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase()))
    };
    if rest.len() > 12 || !rest.iter().all(control_like) {
        return None;
    }
    let single = (words.len() == 1 && words[0].len() == 1 && folded.len() == 1)
        .then(|| folded.chars().next())
        .flatten();
    Some((level, single, lower))
}

/// Whether `before` is only a paragraph lead: digits, a single letter, bullets, `¶`,
/// dashes, dots, parentheses, spaces, at most a dozen characters.
fn is_lead(before: &str) -> bool {
    let visible: Vec<char> = before.chars().filter(|&c| !is_invisible(c)).collect();
    if visible.len() > 12 {
        return false;
    }
    let mut letters_in_a_row = 0;
    for &c in &visible {
        if c.is_alphabetic() {
            letters_in_a_row += 1;
            if letters_in_a_row > 1 {
                return false;
            }
        } else {
            letters_in_a_row = 0;
            let lead_like = c.is_numeric()
                || c.is_whitespace()
                || matches!(
                    c,
                    '.' | ')'
                        | '('
                        | ':'
                        | ','
                        | ';'
                        | '-'
                        | '–'
                        | '—'
                        | '*'
                        | '•'
                        | '·'
                        | '¶'
                        | '§'
                        | '#'
                        | '>'
                        | '+'
                        | '~'
                        | '_'
                        | '='
                        | '\t'
                );
            if !lead_like {
                return false;
            }
        }
    }
    true
}

/// `1.4 (c)`, `1.4(B) and (C)`, `reasons (b) and (d)`: a reason code, not a mark.
fn after_reason(before: &str) -> bool {
    let mut rest = before.trim_end();
    loop {
        let trimmed = rest.trim_end_matches([',', '&', '/', ';']).trim_end();
        let lower = trimmed.to_ascii_lowercase();
        let trimmed = if lower.ends_with(" and") || lower.ends_with(" or") {
            trimmed[..trimmed.rfind(' ').unwrap_or(0)].trim_end()
        } else {
            trimmed
        };
        let bytes = trimmed.as_bytes();
        if bytes.len() >= 3
            && bytes[bytes.len() - 1] == b')'
            && bytes[bytes.len() - 3] == b'('
            && bytes[bytes.len() - 2].is_ascii_alphabetic()
        {
            rest = trimmed[..trimmed.len() - 3].trim_end();
            continue;
        }
        let lower = trimmed.to_ascii_lowercase();
        return [
            "1.4", "1.5", "1.6", "1.4.", "1.5.", "reason", "reasons", "reason:", "reasons:",
        ]
        .iter()
        .any(|t| lower.ends_with(t));
    }
}

/// `(C) 2008 Reuters`, `Copyright (c)`.
fn copyright(before: &str, after: &str) -> bool {
    let after = after.trim_start();
    let year = after.len() >= 4 && after.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    year || after.to_ascii_lowercase().starts_with("copyright")
        || before
            .trim_end()
            .to_ascii_lowercase()
            .ends_with("copyright")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(line: &str) -> Vec<Level> {
        marks_in(line).iter().map(|m| m.level).collect()
    }

    #[test]
    fn marks_are_read_in_every_written_form() {
        assert_eq!(levels("1. (C) Summary"), [Level::C]);
        assert_eq!(levels("¶2. (S//NF) text (U) more"), [Level::S, Level::U]);
        assert_eq!(levels("-- (S/NF) text"), [Level::S]);
        assert_eq!(
            levels("a. (TS//SI//NF) x (SECRET) y (SBU) z"),
            [Level::TS, Level::S, Level::U]
        );
        assert_eq!(levels("\u{200b}2. （С） hidden"), [Level::C]);
        assert_eq!(levels("3. (C/REL TO USA, GBR) x"), [Level::C]);
        assert_eq!(levels("3. (c) lower case at the lead"), [Level::C]);
    }

    #[test]
    fn prose_shapes_are_not_marks() {
        assert!(levels("Classified By: DCM for reasons 1.4 (b) and (d)").is_empty());
        assert!(levels("Reason: 1.4(B), (C) and (D)").is_empty());
        assert!(levels("the name(s) of the person(s)").is_empty());
        assert!(levels("text (c) in the middle").is_empty());
        assert!(levels("(C) 2008 Reuters").is_empty());
        assert!(levels("met (S ROBERTS) today").is_empty());
    }

    #[test]
    fn single_letter_labels_are_listed() {
        assert_eq!(letter_labels("(A) one (B) two (C) three"), ['A', 'B', 'C']);
    }
}
