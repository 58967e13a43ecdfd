//! The independent checker's own reading of portion marks that OCR or typing damaged.
//!
//! Place in the project: beside the pipeline, under `mod.rs`'s mark reader, which calls
//! it for a line whose start (after its lead) holds no mark it reads whole. It shares
//! nothing with `src/` (declass has its own damaged-mark reader; this one is written from
//! what the scans show, so that a misreading of one is not a misreading of both).
//!
//! Fail closed, the other way round from a release: a damaged mark that could stand for a
//! level above U (`(^S#SI//NF)`, `(TQ//0I//Nrt`, `(S#SI//RCb)`, `{SIISU/`, `(8)` for `(S)`)
//! makes its paragraph classified for the checker, so that its words must not stand in a
//! release; a mark that reads as U once its damage is undone (`( U / / F 0 U 0 )`,
//! `(UIIFOUO)`, `(U/IFOUO)`, `<U)`) makes it a U paragraph. Anything else is no mark.

use super::{Level, Mark, paren_mark};

/// Openers a scan turns `(` into.
const OPENERS: [char; 4] = ['(', '{', '<', '['];

/// A damaged mark at the start of `chars`: its level (S when it could stand for any
/// level above U: the level is unknown, so classified) and its length in chars.
/// `seven_label` says whether the document labels an item `(7)`: then `(8)` is its next
/// label, not a damaged `(S)`.
pub(super) fn damaged_mark(chars: &[char], seven_label: bool) -> Option<Mark> {
    let first = *chars.first()?;
    if !OPENERS.contains(&first) {
        return None;
    }
    // the body: up to a closer, or (closer lost) up to the first space after a slash run
    let close = chars
        .iter()
        .take(40)
        .position(|&c| matches!(c, ')' | '}' | ']'));
    // a closer after prose is not this mark's: `(TQ//0I//Nrt text (more)`
    let close = close.filter(|&i| {
        let body = &chars[1..i];
        let gaps = body.iter().filter(|c| c.is_whitespace()).count();
        gaps == 0 || body.iter().filter(|c| !c.is_whitespace()).count() <= gaps + 1
    });
    let (body, len) = match close {
        Some(i) => (&chars[1..i], i + 1),
        None => {
            let end = chars
                .iter()
                .skip(1)
                .take(16)
                .position(|c| c.is_whitespace())
                .map_or(chars.len().min(17), |p| p + 1);
            (&chars[1..end], end)
        }
    };
    // letter-spaced: `( T S / / S I / / N F )`, `( U / / F 0 U 0 )`
    let toks: Vec<&[char]> = body
        .split(|c| c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    let spaced = toks.len() >= 3 && toks.iter().all(|t| t.len() == 1);
    let compact: String = if spaced {
        toks.concat().iter().collect()
    } else {
        body.iter().collect::<String>().trim().to_owned()
    };
    if compact.is_empty() || compact.chars().count() > 30 {
        return None;
    }
    // read whole once the letter spacing is closed up: a real mark
    if spaced && close.is_some() {
        let rebuilt: Vec<char> = format!("({compact})").chars().collect();
        if let Some(m) = paren_mark(&rebuilt) {
            return Some(Mark { len, ..m });
        }
    }
    let up = compact.to_ascii_uppercase();
    // `(8)` for `(S)`, only where it opens a paragraph of a document with no `(7)` item
    if up == "8" && close.is_some() && first == '(' && !seven_label {
        return Some(classified(len));
    }
    // a slash run damaged into `II`, `I/`, `/I`, `#`, `|`, `l`: `(UIIFOUO)`, `(U/IFOUO)`
    let slashed: String = up
        .replace("II", "//")
        .replace("I/", "//")
        .replace("/I", "//")
        .replace(['#', '|'], "/")
        .replace('0', "O");
    if slashed.starts_with("U//") || slashed == "U" {
        let rest = &slashed[1..].trim_start_matches('/');
        let u_control = ["FOUO", "FOU0", "LES", "SBU", "NF", "REL", "CUI"]
            .iter()
            .any(|c| rest.starts_with(c));
        if rest.is_empty() || u_control {
            return Some(Mark {
                level: Level::U,
                len,
                letter: None,
                entire: false,
            });
        }
    }
    // could stand above U: a level letter (or its OCR look-alike) then a slash or a
    // separator damaged from one, and letters of controls after it
    let lead = up.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let head = lead.chars().next()?;
    let level_like = matches!(head, 'S' | 'C' | 'T' | '5' | '8' | '$');
    let after = &lead[head.len_utf8()..];
    let separated = ["/", "#", "|", "II", "I/", "Q/", "S#", "S/"]
        .iter()
        .any(|s| after.starts_with(s));
    // letters of controls, not a date in parentheses (`(5/20/27)`, `(8/91)`)
    let controls = lead.chars().filter(|c| c.is_ascii_uppercase()).count() >= 3;
    (level_like && separated && controls && !lead.contains(' ')).then(|| classified(len))
}

/// A mark of unknown level above U.
fn classified(len: usize) -> Mark {
    Mark {
        level: Level::S,
        len,
        letter: None,
        entire: false,
    }
}
