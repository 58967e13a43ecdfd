//! The source-derived check: what the source marks above the release target, found from the
//! source alone, without the parser.
//!
//! Place in `verify`: [`scan`] reads the normalised source line by line. A mark above the
//! target, at a line's lead or anywhere in it ([`super::marks`]), starts a *classified
//! stretch*: the words after it, up to the next mark, a blank line or a header keyword line
//! (`Classified By`, `REF:`, `TAGS:` …). A mark at or below the target starts a *cleared
//! stretch* the same way. The check ([`super::check`]) then looks for every run of eight
//! words of a classified stretch (the whole stretch when shorter, from four words) in the
//! release; a run that also occurs in a cleared stretch, or in text under no mark at all, is
//! not evidence of a leak: a cable repeats its header lines at every section break, and a
//! marked paragraph that runs into such a break (no blank line) takes them in.
//!
//! A bare single-letter mark that is one label of an `(A) (B) (C)` list nearby is a list
//! label, not a mark.

use super::marks::{Level, Mark, letter_labels, marks_in};

/// How many lines around a bare `(C)` are searched for the labels of its list.
const LIST_REACH: usize = 15;

/// Text of the source under one mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stretch {
    pub level: Level,
    /// The source line of the mark, from 1.
    pub line: usize,
    pub text: String,
}

/// What the source says, by level.
#[derive(Debug, Default)]
pub struct Scan {
    /// Stretches above the target.
    pub classified: Vec<Stretch>,
    /// Stretches at or below it and the text under no mark (the header, page furniture
    /// repeated at section breaks), in order, as one text.
    pub cleared: String,
}

/// Header keywords that end a stretch: the next line is not the marked paragraph's text.
const HEADER_KEYS: &[&str] = &[
    "CLASSIFIED BY",
    "REF:",
    "REFS:",
    "REFERENCE:",
    "REFERENCES:",
    "TAGS:",
    "SUBJECT:",
    "SUBJ:",
    "DECL:",
    "DERIVED FROM:",
    "DECLASSIFY ON:",
    "REASON:",
    "REASONS:",
];

fn is_header_line(line: &str) -> bool {
    let t = line.trim_start().to_ascii_uppercase();
    HEADER_KEYS.iter().any(|k| t.starts_with(k))
        || (t.starts_with("E.O. 1") && t.get(6..12).is_some_and(|s| s.contains(':')))
}

/// A running page header a cable repeats at each page break: `BRASILIA 00000757 002 OF 007`,
/// `PAGE 02 HARARE 06677 01 OF 03 291400Z`: a few upper-case words around `n OF m`.
fn is_page_furniture(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let numeric = |w: &str| w.chars().all(|c| c.is_ascii_digit() || c == '.');
    words.len() <= 8
        && !line.chars().any(|c| c.is_lowercase())
        && words
            .windows(3)
            .any(|w| numeric(w[0]) && w[1] == "OF" && numeric(w[2]))
}

/// The lines of page breaks: running headers and the blank lines around them.
fn page_breaks(lines: &[&str]) -> Vec<bool> {
    let mut out: Vec<bool> = lines.iter().map(|l| is_page_furniture(l)).collect();
    let blank = |i: usize| lines[i].trim().is_empty();
    for i in 0..lines.len() {
        if !out[i] || is_header_line(lines[i]) || blank(i) {
            continue;
        }
        let mut j = i;
        while j > 0 && blank(j - 1) {
            j -= 1;
            out[j] = true;
        }
        let mut k = i + 1;
        while k < lines.len() && blank(k) {
            out[k] = true;
            k += 1;
        }
    }
    out
}

/// Splits the normalised source into stretches above and at/below `target`.
pub fn scan(source: &str, target: Level) -> Scan {
    let lines: Vec<&str> = source.split('\n').collect();
    let labels: Vec<Vec<char>> = lines.iter().map(|l| letter_labels(l)).collect();
    let page_break = page_breaks(&lines);
    let mut out = Scan::default();
    // The stretch being read: its level, line and text.
    let mut open: Option<Stretch> = None;
    let close = |open: &mut Option<Stretch>, out: &mut Scan| {
        if let Some(s) = open.take() {
            if s.level > target {
                out.classified.push(s);
            } else {
                out.cleared.push_str(&s.text);
                out.cleared.push('\n');
            }
        }
    };
    for (n, line) in lines.iter().enumerate() {
        if page_break[n] {
            // A page break inside a paragraph: the release joins the two halves, so both
            // the stretch and the cleared text read on across it.
            continue;
        }
        if line.trim().is_empty() || is_header_line(line) {
            close(&mut open, &mut out);
            out.cleared.push_str(line);
            out.cleared.push('\n');
            continue;
        }
        let marks: Vec<Mark> = marks_in(line)
            .into_iter()
            .filter(|m| !is_list_label(m, n, line, &labels))
            .collect();
        let mut from = 0;
        for m in &marks {
            match open.as_mut() {
                Some(s) => {
                    s.text.push_str(&line[from..m.start]);
                    s.text.push(' ');
                }
                None => {
                    out.cleared.push_str(&line[from..m.start]);
                    out.cleared.push('\n');
                }
            }
            close(&mut open, &mut out);
            open = Some(Stretch {
                level: m.level,
                line: n + 1,
                text: String::new(),
            });
            from = m.end;
        }
        match open.as_mut() {
            Some(s) => {
                s.text.push_str(&line[from..]);
                s.text.push('\n');
            }
            None => {
                out.cleared.push_str(&line[from..]);
                out.cleared.push('\n');
            }
        }
    }
    close(&mut open, &mut out);
    out
}

/// A bare `(C)` or `(S)` whose neighbours in the lines around are the labels before or after
/// it in the alphabet, in the same case: `(A) … (B) … (C)`.
fn is_list_label(m: &Mark, n: usize, line: &str, labels: &[Vec<char>]) -> bool {
    let Some(letter) = m.single_letter else {
        return false;
    };
    let prev = char::from_u32(u32::from(letter) - 1);
    let next = char::from_u32(u32::from(letter) + 1);
    // Labels on this line before and after the mark.
    let before = letter_labels(&line[..m.start]);
    let after = letter_labels(&line[m.end..]);
    let lo = n.saturating_sub(LIST_REACH);
    let hi = (n + LIST_REACH + 1).min(labels.len());
    let earlier = labels[lo..n].iter().flatten().chain(&before).next_back();
    let later = after
        .iter()
        .chain(labels[n + 1..hi].iter().flatten())
        .next();
    earlier.is_some_and(|&c| Some(c) == prev) || later.is_some_and(|&c| Some(c) == next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classified_text_is_found_wherever_its_mark_is() {
        let src = "SUBJECT: (U) Talks\n\n1. (U) Open text here. 2. (C) SUMMARY: hidden words\nstill hidden\n\n3. (S) more\nClassified By: someone\n4. (U) open again";
        let s = scan(src, Level::U);
        let lines: Vec<usize> = s.classified.iter().map(|c| c.line).collect();
        assert_eq!(lines, [3, 6]);
        assert!(s.classified[0].text.contains("hidden words"));
        assert!(s.classified[0].text.contains("still hidden"));
        assert!(!s.classified[1].text.contains("someone"));
        assert!(s.cleared.contains("Open text here"));
        assert!(s.cleared.contains("open again"));
        assert!(!s.cleared.contains("hidden"));
    }

    #[test]
    fn a_page_break_does_not_end_a_paragraph() {
        let src = "1. (U) Open text that goes on\n\nHAVANA 00000631 003.2 OF 003\n\n\nafter the break.\n2. (C) Closed text\n\nPAGE 02 HARARE 06677 01 OF 03 291400Z\nstill closed.";
        let s = scan(src, Level::U);
        assert!(s.cleared.contains("goes on\nafter the break"), "{s:?}");
        assert!(s.classified[0].text.contains("still closed"), "{s:?}");
    }

    #[test]
    fn list_labels_are_not_marks() {
        let src = "1. (U) Three points:\n(A) first\n(B) second\n(C) third point here";
        assert!(scan(src, Level::U).classified.is_empty());
        let src = "1. (U) Points: (a) one, (b) two, (c) three";
        assert!(scan(src, Level::U).classified.is_empty());
        let src = "1. (U) Open.\n\nA. (C) closed text";
        assert_eq!(scan(src, Level::U).classified.len(), 1);
    }
}
