//! Banners OCR printed among scanner noise: a level word stamped on a scanned page comes
//! out of OCR on a short line with specks, stamp fragments and page numbers around it
//! (`me SECRET Os.`, `2 SECRET`, `"7 © SECRET`, `. . : SECRET NOFORN SENSITIVE Poe`), or
//! in a column of its own beside other text (`RETURN TO CIA. | SECRET = ww`, a clerk's
//! stamp `…Chief Deputy              TOP SECRET//SI//NOFORN`). Tried after every other
//! reading failed. A line read so is dropped from the release (a section banner is never
//! released text), so a misreading costs readability, never a leak; the tests keep it
//! narrow all the same: the level word in capitals as a whole word, and next to no
//! letters besides it, none of them words a sentence is made of.
//!
//! The level word may itself be OCR-damaged (`2 SECREL ee`, `SKCRET`, `C0NFIDENTLAL`): a
//! word of the level's length that differs from it in one letter (`SECRET`) or two
//! (`CONFIDENTIAL`) is read as that level, marked damaged. No English word in capitals is
//! so close to either, and reading a stamp too high fails closed: the line is dropped as a
//! banner and the document is classified, so its unmarked text is withheld, where read as
//! text the damaged stamp would let a scan inherit `UNCLASSIFIED` from a form field and be
//! released whole.

use super::{BannerLine, Level, Marking, read_line, spaced_controls};

/// The longest line read so, trimmed: a stamp and its specks are short.
const MAX_LEN: usize = 48;
/// At most this many letters outside the level and its controls: specks, not words.
const MAX_NOISE_LETTERS: usize = 5;

/// Short words a sentence is made of: a line holding one beside the level word may be
/// the end of a sentence in capitals (`IS SECRET`, `OF THE SECRET`), not a stamp.
const FUNCTION_WORDS: [&str; 26] = [
    "A", "AN", "THE", "IS", "ARE", "WAS", "BE", "OF", "TO", "IN", "ON", "AT", "BY", "AS", "OR",
    "AND", "NOT", "NO", "FOR", "IT", "ITS", "HE", "WE", "IF", "SO", "ALL",
];

/// A banner among OCR noise, or in a column of its own after a wide gap or a `|`.
pub(super) fn read_noisy(line: &str) -> Option<BannerLine> {
    let t = line.trim();
    // Cheap tests first: this runs on every line no other reading took.
    if !super::names_level_word(t) && !may_hold_damaged_level(t) {
        return None;
    }
    if t.len() <= MAX_LEN
        && let Some(b) = read_specks(t)
    {
        return Some(b);
    }
    read_column(t)
}

/// The level word (and controls after it, space-separated) among specks.
fn read_specks(t: &str) -> Option<BannerLine> {
    let words: Vec<&str> = t.split_whitespace().collect();
    let (at, level) = words
        .iter()
        .enumerate()
        .find_map(|(i, w)| level_word(w).map(|level| (i, level)))?;
    let (level, first) = match level {
        Level::S if at > 0 && words[at - 1] == "TOP" => (Level::TS, at - 1),
        level => (level, at),
    };
    // Space-separated controls after the level (`SECRET NOFORN SENSITIVE`): the longest
    // run that reads whole.
    let mut controls = None;
    let mut end = at + 1;
    for k in (at + 2..=words.len()).rev() {
        if let Some((_, m)) = spaced_controls(&words[at + 1..k].join(" "), false) {
            controls = Some(m);
            end = k;
            break;
        }
    }
    let noise = words[..first].iter().chain(&words[end..]);
    let mut letters = 0;
    for w in noise {
        if *w == "TOP" || level_word(w).is_some() {
            return None;
        }
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
        if FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(bare)) {
            return None;
        }
        let in_word = w.chars().filter(char::is_ascii_alphabetic).count();
        // A word of letters and digits (`2000HANOI00686`, a cable's serial before its
        // trailer `- CONFIDENTIAL`) is an identifier, not specks around a stamp.
        if in_word >= 3 && w.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        letters += in_word;
    }
    // A numbered paragraph whose text is the level word is no stamp (`2. SECRET`).
    let numbered = words[0].len() > 1
        && words[0].ends_with('.')
        && words[0][..words[0].len() - 1]
            .bytes()
            .all(|b| b.is_ascii_digit());
    // The level word alone is the strict reading's, unless damaged past it (`SKCRET`).
    let alone = letters + first == 0 && end == words.len() && !is_damaged(words[at]);
    if letters > MAX_NOISE_LETTERS || numbered || alone {
        return None;
    }
    let mut marking = Marking::new(level);
    if let Some(m) = controls {
        marking.controls.extend(m.controls);
        marking.legacy = true;
    }
    marking.raw = t.to_string();
    Some(BannerLine {
        marking,
        section: None,
        serial: None,
        efto: false,
        damaged: true,
        declassify: None,
        specks: true,
    })
}

/// The level a word of a stamp names: `SECRET` or `CONFIDENTIAL`, whole or OCR-damaged
/// (see the module doc): capitals or the digits OCR reads for them, the level's length,
/// one letter of `SECRET` or two of `CONFIDENTIAL` different.
fn level_word(w: &str) -> Option<Level> {
    // A speck OCR glued to the stamp's edge (`SECRET-`, `_SECRET`) is not part of it.
    let w = w.trim_matches(is_edge_speck);
    let (level, word, most) = match w.len() {
        6 => (Level::S, "SECRET", 1),
        12 => (Level::C, "CONFIDENTIAL", 2),
        _ => return None,
    };
    if !w
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return None;
    }
    let differ = w.bytes().zip(word.bytes()).filter(|(a, b)| a != b).count();
    (differ <= most).then_some(level)
}

/// Strokes OCR leaves at a stamp's edge: a dash, an underscore, a tilde. Not a full stop
/// or a colon: `SECRET.` alone may be a sentence's last word wrapped onto its own line.
fn is_edge_speck(c: char) -> bool {
    matches!(c, '-' | '_' | '~')
}

/// Whether `w`, read by [`level_word`], is a damaged copy of its level word (a speck at
/// its edge included).
fn is_damaged(w: &str) -> bool {
    !matches!(w, "SECRET" | "CONFIDENTIAL")
}

/// Whether `t` holds a level word, whole or damaged (the screen before [`read_specks`],
/// on the short lines it reads; a damaged word in a last column is not looked for).
fn may_hold_damaged_level(t: &str) -> bool {
    // Bytes, not `split_whitespace`: this runs on every short line no reading took, and a
    // level word is ASCII (a word cut by a non-ASCII blank is not one).
    t.len() <= MAX_LEN
        && t.as_bytes().split(u8::is_ascii_whitespace).any(|w| {
            // The word's length without the specks at its edges (a word of specks
            // only, `---`, has none left).
            let speck = |b: &u8| is_edge_speck(char::from(*b));
            let start = w.iter().position(|b| !speck(b)).unwrap_or(w.len());
            let end = w.iter().rposition(|b| !speck(b)).map_or(start, |i| i + 1);
            let core = end - start;
            matches!(core, 6 | 12) && std::str::from_utf8(w).is_ok_and(|w| level_word(w).is_some())
        })
}

/// A banner in the last column of a line: after a `|` or a gap of three or more blanks,
/// read strictly (a whole `//` banner) or among specks. The text before the gap is a
/// stamp, a form field or a signature line: a left part that opens with a label, a dash
/// or a bullet, holds a parenthesis (a mark, a wrapped cell) or a level word is a table
/// row whose classification column this would be.
fn read_column(t: &str) -> Option<BannerLine> {
    let cut = column_cut(t)?;
    let (left, right) = (
        t[..cut].trim(),
        t[cut..].trim_start_matches([' ', '|']).trim(),
    );
    // A table row's cells: a label, a bullet or dash, a mark, a classification column.
    let table_like = !left.starts_with(|c: char| c.is_ascii_alphabetic())
        || left.contains(['(', ')'])
        || ["SECRET", "CONFIDENTIAL", "UNCLASSIFIED"]
            .iter()
            .any(|w| left.contains(w));
    if table_like {
        return None;
    }
    let mut b = match read_line(right) {
        Some(b) if right.contains("//") && b.marking.unknown.is_empty() && b.serial.is_none() => b,
        _ if right.len() <= MAX_LEN => read_specks(right)?,
        _ => return None,
    };
    b.damaged = true;
    b.specks = true;
    b.marking.raw = t.to_string();
    Some(b)
}

/// Where the last column starts: the last `|` or run of three blanks with text after it.
fn column_cut(t: &str) -> Option<usize> {
    let gap = t.rfind("   ").map(|i| i + 3);
    let bar = t.rfind(" | ").map(|i| i + 1);
    let cut = gap.max(bar)?;
    (!t[cut..].trim().is_empty() && !t[..cut].trim().is_empty()).then_some(cut)
}

#[cfg(test)]
mod tests {
    use super::may_hold_damaged_level;

    #[test]
    fn specks_at_a_words_edges_are_not_its_length() {
        assert!(may_hold_damaged_level("SECRET-"));
        assert!(may_hold_damaged_level("_SEGRET"));
        assert!(may_hold_damaged_level("~CONFIDENTIAL~"));
        // A word of specks only has no length left (and no level).
        for specks in ["-", "---", "__ ~~", "------------", "--SECRET---- ___"] {
            assert_eq!(
                may_hold_damaged_level(specks),
                specks.contains("SECRET"),
                "{specks}"
            );
        }
    }
}
