//! Does the release come from this source? Its content lines, minus what the renderer adds,
//! must occur in the source.
//!
//! Place in `verify`: the third check. A release checked against the wrong `--source` gives
//! the other checks nothing to look for, so an unredacted cable "verifies" against any
//! unrelated file. Here every content line of the release (page furniture, stamps and
//! placeholders taken out) is compared with the source as letters only
//! ([`super::normalize::fold_char`]), so wrapping, re-spacing and invisible characters do
//! not matter: a line occurs when most of its letter 12-grams are in the source.

use std::collections::HashSet;

use super::needles::Haystack;
use super::reading::Piece;

/// Letters in a gram compared.
const GRAM: usize = 12;
/// A line with fewer letters says too little to be compared.
const MIN_LINE_LETTERS: usize = 16;
/// Share of a line's grams found in the source for the line to count as found.
const LINE_SHARE: f32 = 0.7;

/// What the renderer adds to a release, by the words the policy stamps with.
pub struct Furniture<'a> {
    pub banner: &'a str,
    pub stamps: [&'a str; 3],
}

impl Furniture<'_> {
    fn is_furniture(&self, line: &str) -> bool {
        let t = line.trim();
        let lower = t.to_ascii_lowercase();
        (!self.banner.is_empty() && t.starts_with(self.banner))
            || self.stamps.iter().any(|s| !s.is_empty() && t.contains(s))
            || [
                "case no.",
                "doc no.",
                "declassified by:",
                "declassified on:",
                "original classification:",
            ]
            .iter()
            .any(|k| lower.starts_with(k))
            || t == "DECLASSIFIED"
            || is_page_number(&lower)
    }
}

fn is_page_number(lower: &str) -> bool {
    let words: Vec<&str> = lower.split_whitespace().collect();
    let n = words.len();
    n >= 4
        && words[n - 4] == "page"
        && words[n - 2] == "of"
        && words[n - 3].chars().all(|c| c.is_ascii_digit())
        && words[n - 1].chars().all(|c| c.is_ascii_digit())
}

/// How many content lines were compared and how many occur in the source, and the place
/// of the first few that do not.
#[derive(Debug, Default)]
pub struct Belonging {
    pub checked: usize,
    pub found: usize,
    pub missing: Vec<String>,
}

impl Belonging {
    /// Most lines do not come from the source.
    pub fn mismatch(&self) -> bool {
        self.checked > 0 && self.found * 2 < self.checked
    }
}

pub fn check(pieces: &[Piece], source: &str, furniture: &Furniture<'_>) -> Belonging {
    let letters = Haystack::plain(source);
    let grams: HashSet<u64> = letters.windows(GRAM).map(hash).collect();
    let mut out = Belonging::default();
    for piece in pieces.iter().filter(|p| p.content) {
        // A document denied in full is released as a withdrawal notice: the renderer's
        // words and the notice's fields (identifiers, codes), none of them source lines.
        let notice = piece
            .text
            .split('\n')
            .any(|l| l.trim() == crate::release::notice::TITLE);
        for (i, line) in piece.text.split('\n').enumerate() {
            if furniture.is_furniture(line) || notice {
                continue;
            }
            let line = without_codes(&without_placeholders(line));
            let l = Haystack::plain(&line);
            if l.len() < MIN_LINE_LETTERS {
                continue;
            }
            out.checked += 1;
            let total = l.len() + 1 - GRAM;
            let hits = l.windows(GRAM).filter(|g| grams.contains(&hash(g))).count();
            if hits as f32 >= LINE_SHARE * total as f32 {
                out.found += 1;
            } else if out.missing.len() < 5 {
                out.missing.push(piece.locate(i + 1));
            }
        }
    }
    out
}

/// The line with every `[…]` placeholder taken out.
fn without_placeholders(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        match rest[open..].find(']') {
            Some(close) => {
                out.push(' ');
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The line without exemption codes (`B1`, `1.4(B)`, `(b)(6)`): a PDF prints a withheld
/// paragraph's codes in its box without brackets.
fn without_codes(line: &str) -> String {
    let is_code = |t: &str| {
        let b = t.as_bytes();
        let exemption = b.len() == 2 && b[0] == b'B' && b[1].is_ascii_digit();
        let reason = b.len() == 6
            && b[0].is_ascii_digit()
            && b[1] == b'.'
            && b[2].is_ascii_digit()
            && b[3] == b'('
            && b[4].is_ascii_alphabetic()
            && b[5] == b')';
        let privacy = t.starts_with("(b)(") || t.starts_with("(B)(");
        exemption || reason || privacy
    };
    line.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty() && !is_code(t))
        .collect::<Vec<_>>()
        .join(" ")
}

fn hash(g: &[char]) -> u64 {
    g.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &c| {
        (h ^ u64::from(c)).wrapping_mul(0x100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::super::reading::Place;
    use super::*;

    const FURNITURE: Furniture<'static> = Furniture {
        banner: "UNCLASSIFIED",
        stamps: ["RELEASE IN FULL", "RELEASE IN PART", "DENIED IN FULL"],
    };

    #[test]
    fn a_release_of_the_source_belongs_to_it() {
        let source = "1. (U) The minister met the delegation on Tuesday morning.\n2. (C) Pojar said the meetings were cordial.";
        let release = "UNCLASSIFIED   RELEASE IN PART B1\n\n¶1. (U) The minister met the\ndelegation on Tuesday morning.\n¶2. (C) [B1]\n2. (S/REL UZBEKISTAN) B1, 1.4(B), 1.4(D)\nRELEASE IN PART B1 Page 1 of 1";
        let b = check(
            &[Piece::new(Place::Text, release, true)],
            source,
            &FURNITURE,
        );
        assert_eq!((b.checked, b.found), (2, 2), "{b:?}");
        assert!(!b.mismatch());
        let other = "1. (S) The weather in the capital was cold and the roads icy all week.";
        let b = check(&[Piece::new(Place::Text, release, true)], other, &FURNITURE);
        assert!(b.mismatch(), "{b:?}");
    }
}
