//! Line scanning: tokens in each line, what follows them, and the material a blocking
//! token withholds, with no idea of paragraphs beyond what a line shows.
//!
//! A line is looked at closely only when a byte pre-filter says it may hold a token: it
//! has a `(` before something that could start a mark, or a character that folds
//! (full-width and small parentheses, look-alike letters, exotic spaces and invisible
//! characters all do), or it starts with `S`, `C`, `T` or `U` after spaces (a banner
//! may). Every other line is only a candidate boundary (blank or not). The same test is
//! first run over the whole text eight bytes at a time, so that an output with no such
//! line (most manifests, most released parts without a mark) costs one quick pass. The
//! shortcuts only skip lines where the full test could find nothing: what is found, and
//! what it governs, is the same as a line-by-line reading of every line.

use super::fold::fold;
use super::token::{Level, Reading, read_banner, read_mark, read_unclosed};

/// The shape of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// A parenthesised portion mark anywhere in a line.
    Mark,
    /// A banner-shaped line.
    Banner,
}

/// One marking-shaped token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// 1-based line in the scanned text.
    pub line: usize,
    /// 1-based column, in characters of the original line.
    pub column: usize,
    pub shape: Shape,
    pub reading: Reading,
    /// Written with look-alike or invisible characters.
    pub disguised: bool,
    /// Text follows the token before the next boundary (or a trailing mark closes text
    /// before it): the token governs released words.
    pub text_follows: bool,
    /// Byte range of the token in the scanned text.
    pub start: usize,
    pub end: usize,
    /// Byte range the token governs, up to the next boundary (set when text follows).
    pub governs: Option<(usize, usize)>,
}

/// What stands after a mark on its line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum After {
    Nothing,
    /// Only a release placeholder (`[B1]`, `[B1, 1.4(D)]`): the mark a policy prints
    /// before the codes of a withheld portion.
    Placeholder,
    Text,
}

struct LineToken {
    start: usize,
    end: usize,
    shape: Shape,
    reading: Reading,
    disguised: bool,
    lead_before: bool,
    after: After,
    column: usize,
}

struct LineInfo {
    start: usize,
    end: usize,
    blank: bool,
    /// The line starts a portion as the guard sees it: its lead carries a mark, or it is
    /// a banner.
    boundary: bool,
    tokens: Vec<LineToken>,
}

/// Every token of `text`, with what it governs.
pub fn scan(text: &str) -> Vec<Hit> {
    // Most outputs (a manifest, a part with no mark) have no line the pre-filter needs to
    // see: one cheap pass says so before any line is recorded.
    if !any_line_needs_a_look(text) {
        return Vec::new();
    }
    let lines = lines(text);
    let mut hits = Vec::new();
    for (n, info) in lines.iter().enumerate() {
        for t in &info.tokens {
            let next = lines.get(n + 1);
            // The end of the scanned text counts as text following: the next thing a
            // reader sees is not known here.
            let next_is_text = next.is_none_or(|l| !l.blank && !l.boundary);
            let from = match (t.shape, t.after) {
                (Shape::Mark, After::Text) => Some(t.start),
                (Shape::Mark, After::Placeholder) => None,
                (Shape::Mark, After::Nothing) if !t.lead_before => Some(info.start),
                (Shape::Banner, After::Text) => Some(t.start),
                (Shape::Mark, After::Nothing) | (Shape::Banner, _) => {
                    next_is_text.then_some(t.start)
                }
            };
            let governs = from.map(|from| {
                let last = lines[n + 1..]
                    .iter()
                    .position(|l| l.blank || l.boundary)
                    .map_or(lines.len() - 1, |k| n + k);
                (from, lines[last].end)
            });
            hits.push(Hit {
                line: n + 1,
                column: t.column,
                shape: t.shape,
                reading: t.reading,
                disguised: t.disguised,
                text_follows: governs.is_some(),
                start: t.start,
                end: t.end,
                governs,
            });
        }
    }
    hits
}

fn lines(text: &str) -> Vec<LineInfo> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 48 + 1);
    let mut start = 0;
    loop {
        let (end, maybe) = line_end(text, start);
        let line = &text[start..end];
        let head = line
            .bytes()
            .find(|c| !matches!(c, b' ' | b'\t' | b'\x0B' | b'\x0C' | b'\r'));
        let (scan, banner_like) = if maybe {
            prefilter(line)
        } else {
            (false, false)
        };
        // A line holding only a placeholder (`[B1]`) carries no released words: it ends
        // what a token before it governs, like a blank line. (After ASCII spaces, an ASCII
        // character other than `[` starts neither; anything else gets the full test.)
        let blank = match head {
            Some(c) if c != b'[' && c < 0x80 => false,
            _ => {
                line.bytes().all(|b| b.is_ascii_whitespace())
                    || (line.trim().is_empty() && !line.is_ascii())
                    || (line.trim_start().starts_with('[') && placeholder(line.trim()))
            }
        };
        let tokens = if scan || banner_like {
            tokens(text, start, line, banner_like, scan)
        } else {
            Vec::new()
        };
        let boundary = tokens
            .first()
            .is_some_and(|t| t.shape == Shape::Banner || t.lead_before);
        out.push(LineInfo {
            start,
            end,
            blank,
            boundary,
            tokens,
        });
        if end == b.len() {
            return out;
        }
        start = end + 1;
    }
}

/// From the start of a line: where it ends, and whether the pre-filter ([`prefilter`])
/// must look at it. It need not when the line has no `(` before something that could
/// start a mark, no character that folds (look-alikes, invisible characters, exotic
/// spaces and parentheses are all such), and does not start with `S`, `C`, `T` or `U`
/// after ASCII spaces: the pre-filter would find neither a mark nor a banner there.
fn line_end(text: &str, start: usize) -> (usize, bool) {
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
            Some(b'(') => {
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

/// Whether [`line_end`] would say that some line of `text` needs the pre-filter, in one
/// pass over the whole text rather than line by line: only `(`, non-ASCII bytes and the
/// letters a banner starts with can make a line need it, and most bytes are none of these.
fn any_line_needs_a_look(text: &str) -> bool {
    let b = text.as_bytes();
    let spaces = |c: &u8| matches!(c, b' ' | b'\t' | b'\x0B' | b'\x0C' | b'\r');
    let mut i = 0;
    while i < b.len() {
        while i + 8 <= b.len() && !may_matter(word(b, i)) {
            i += 8;
        }
        let end = (i + 8).min(b.len());
        let Some(k) = b[i..end]
            .iter()
            .position(|&c| c >= 0x80 || matches!(c, b'(' | b'S' | b'C' | b'T' | b'U'))
        else {
            // Eight ASCII bytes, none of interest: `end` is a character boundary.
            i = end;
            continue;
        };
        let at = i + k;
        match b[at] {
            b'(' => {
                let next = b[at + 1..].iter().find(|c| **c != b' ');
                if next.is_some_and(|c| *c != b'\n' && (*c >= 0x80 || mark_start(*c))) {
                    return true;
                }
                i = at + 1;
            }
            c if c >= 0x80 => {
                let ch = text[at..].chars().next().unwrap_or(' ');
                if super::fold::changes(ch) {
                    return true;
                }
                i = at + ch.len_utf8();
            }
            // A banner letter: it matters when only ASCII spaces stand before it on its line.
            _ => {
                let lead = b[..at].iter().rev().take_while(|c| spaces(c)).count();
                if at == lead || b[at - lead - 1] == b'\n' {
                    return true;
                }
                i = at + 1;
            }
        }
    }
    false
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
    let wanted = |c: u8| c == b'\n' || (all && (c == b'(' || c >= 0x80));
    let mut i = from;
    while i + 8 <= b.len() {
        let w = word(b, i);
        let hit = has_byte(w, b'\n')
            | if all {
                (w & 0x8080_8080_8080_8080) | has_byte(w, b'(')
            } else {
                0
            };
        if hit != 0 {
            break;
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
fn prefilter(line: &str) -> (bool, bool) {
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
    while let Some(k) = b[at..].iter().position(|&c| c == b'(') {
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

/// `banner_like` and `marks` are the pre-filter's answers.
fn tokens(text: &str, base: usize, line: &str, banner_like: bool, marks: bool) -> Vec<LineToken> {
    let mut out = Vec::new();
    let f = fold(line);
    let t: &str = &f.text;
    if let Some((reading, flattened)) = banner_like.then(|| read_banner(t.trim())).flatten() {
        let lead = t.len() - t.trim_start().len();
        out.push(LineToken {
            start: base + f.byte(lead),
            end: base + line.len(),
            shape: Shape::Banner,
            reading,
            disguised: f.any_disguised(0, t.len()),
            lead_before: true,
            after: if flattened {
                After::Text
            } else {
                After::Nothing
            },
            column: column(line, f.byte(lead)),
        });
        return out;
    }
    if !marks {
        return out;
    }
    let mut at = 0;
    while let Some(k) = t.as_bytes()[at..].iter().position(|&c| c == b'(') {
        let i = at + k;
        at = i + 1;
        let close = t[i + 1..]
            .char_indices()
            .take(82)
            .find(|&(_, x)| x == ')' || x == '(');
        let (content_end, token_end) = match close {
            Some((k, ')')) => (i + 1 + k, i + 2 + k),
            // No `)` before the next `(` or the line's end: a mark broken across lines
            // (`(S//` then `NF)`), or one whose `)` OCR lost (`(S/1Nf1 The fact…`).
            _ => match unclosed(&t[i + 1..]) {
                Some(n) => (i + 1 + n, i + 1 + n),
                None => continue,
            },
        };
        let content = &t[i + 1..content_end];
        if !plausible(content) {
            continue;
        }
        let prefix = &t[..i];
        let lead_before = is_lead(prefix);
        let numbered = lead_before && prefix.bytes().any(|b| b.is_ascii_digit());
        let glued = prefix
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && !numbered;
        let closed = token_end > content_end;
        let reading = if glued {
            None
        } else if closed {
            read_mark(content, numbered)
                .filter(|_| !(reason_chain(prefix) && reason_tail(&t[token_end..])))
        } else {
            read_unclosed(content, numbered)
        };
        let reading = match reading {
            Some(Reading::Level(l)) if enumerator(text, base + f.byte(i), content, l) => None,
            r => r,
        };
        if let Some(reading) = reading {
            out.push(LineToken {
                start: base + f.byte(i),
                end: base + f.byte(token_end),
                shape: Shape::Mark,
                reading,
                disguised: f.any_disguised(i, token_end),
                lead_before,
                after: after(&t[token_end..]),
                column: column(line, f.byte(i)),
            });
            at = token_end;
        }
    }
    out
}

/// The length of an unclosed mark's content: its first word, when that is short and
/// has a `/` as every classified mark with a control has (`S//`, `S/1Nf1`, `TS//SI//REL`).
/// A `(` with prose after it and no `/` in its first word is no mark.
fn unclosed(rest: &str) -> Option<usize> {
    let n = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let word = &rest[..n];
    (n <= 24 && word.contains('/') && !word.contains('(')).then_some(n)
}

/// A cheap first look: a mark starts with a level or control letter, `//`, a digit OCR
/// makes of `S`, or a letter that did not fold to ASCII.
fn plausible(content: &str) -> bool {
    content
        .trim_start()
        .chars()
        .next()
        .is_some_and(|c| !c.is_ascii() || mark_start(c as u8))
}

/// The ASCII bytes a mark's content can start with: a level or control letter, `//`, or
/// a digit OCR makes of `S`.
fn mark_start(c: u8) -> bool {
    matches!(
        c,
        b'T' | b'S'
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
    )
}

fn column(line: &str, byte: usize) -> usize {
    line[..byte].chars().count() + 1
}

fn after(rest: &str) -> After {
    let rest = rest.trim();
    if rest.is_empty() {
        After::Nothing
    } else if placeholder(rest) {
        After::Placeholder
    } else {
        After::Text
    }
}

/// A release placeholder: exemption codes, in brackets as the text release prints them
/// (`[B1, 1.4(B)]`) or bare as a PDF's withheld box reads back (`B1, 1.4(B)`). Only code
/// shapes pass (`B1`, `B7(C)`, `1.4(D)`, `(b)(1)`, `25X1`), never words or bare numbers.
fn placeholder(rest: &str) -> bool {
    let inner = rest
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(rest);
    let code = |w: &str| {
        let b = w.as_bytes();
        let exemption =
            matches!(b.first(), Some(b'B' | b'b')) && b.get(1).is_some_and(u8::is_ascii_digit);
        let category = w.starts_with("1.4(") || w.starts_with("1.5(");
        let statute = w.starts_with("(b)(") || w.starts_with("(B)(");
        let x = b.contains(&b'X') && b.first().is_some_and(u8::is_ascii_digit);
        w.len() <= 12
            && (exemption || category || statute || x)
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'(' | b')' | b'.'))
    };
    // The policy's markers that are no exemption code: the neutral `REVIEW REQUIRED`, a
    // referral `REFER TO <AGENCY>` (a few upper-case words), and a B3 code naming its
    // statute (`B3 50 USC 3024(i)`). Each is short and shaped, so prose does not pass.
    let marker = |seg: &str| {
        let words: Vec<&str> = seg.split_whitespace().collect();
        let upper = |w: &&str| {
            w.chars().all(|c| {
                c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '&' | '-' | '.' | '/')
            })
        };
        match words.as_slice() {
            ["REVIEW", "REQUIRED"] => true,
            ["REFER", "TO", agency @ ..] => {
                (1..=4).contains(&agency.len()) && agency.iter().all(upper)
            }
            [b3, statute @ ..] if b3.eq_ignore_ascii_case("B3") => {
                statute.len() <= 6 && statute.iter().all(|w| w.len() <= 12)
            }
            _ => false,
        }
    };
    let mut segments = inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .peekable();
    segments.peek().is_some()
        && segments.all(|seg| {
            seg.split([' ', '[', ']'])
                .filter(|w| !w.is_empty())
                .all(code)
                || marker(seg)
        })
}

/// Only a paragraph number, label or bullet before the token: `2. `, `¶4.`, `a) `,
/// `(2) `, `- `, `-- `, `• `, `II. `, `l. ` (a damaged 1), or nothing.
fn is_lead(prefix: &str) -> bool {
    let s = prefix.trim();
    if s.chars().count() > 14 {
        return false;
    }
    s.split_whitespace().all(|w| {
        let core = w
            .trim_start_matches(['¶', '§', '(', '['])
            .trim_end_matches(['.', ')', ':', ']', ',']);
        let bullet = w
            .chars()
            .all(|c| "-*•·‣▪◦>o+=".contains(c) || c == '\u{2013}');
        bullet
            || core.is_empty()
            || core.chars().all(|c| c.is_ascii_digit())
            || (core.chars().count() == 1 && core.chars().all(char::is_alphabetic))
            || (core.len() <= 4
                && core
                    .chars()
                    .all(|c| matches!(c, 'I' | 'V' | 'X' | 'i' | 'v' | 'x')))
            || (core.len() <= 3
                && core.chars().next().is_some_and(|c| c.is_ascii_digit())
                && core.chars().all(|c| c.is_ascii_alphanumeric()))
    })
}

/// E.O. 13526 reason letters: `1.4(c)`, `Reasons 1.4 (b) and (d)`, `REASON: (C)`.
fn reason_chain(prefix: &str) -> bool {
    // Every answer of yes below ends on `1.4`, `1.5` or `REASON`: without one of them in
    // the prefix, the answer is no, with no copy made.
    let b = prefix.as_bytes();
    let anchor = b.windows(3).any(|w| w == b"1.4" || w == b"1.5")
        || b.windows(6).any(|w| w.eq_ignore_ascii_case(b"REASON"));
    if !anchor {
        return false;
    }
    let s = prefix.to_ascii_uppercase();
    let mut s = s.trim_end();
    loop {
        if s.ends_with("1.4") || s.ends_with("1.5") || s.ends_with("1.4.") {
            return true;
        }
        if s.ends_with("REASON") || s.ends_with("REASONS") || s.ends_with("REASON:") {
            return true;
        }
        let before = s;
        for sep in [",", "&", "/", " AND", " OR", ";"] {
            if let Some(t) = s.strip_suffix(sep) {
                s = t.trim_end();
            }
        }
        // A previous reason letter, parenthesised or bare.
        let b = s.as_bytes();
        if b.len() >= 3 && b[b.len() - 1] == b')' && b[b.len() - 3] == b'(' {
            s = s[..s.len() - 3].trim_end();
        } else if b.len() >= 2 && b[b.len() - 1].is_ascii_alphabetic() && b[b.len() - 2] == b' ' {
            s = s[..s.len() - 1].trim_end();
        }
        if s == before {
            return false;
        }
    }
}

/// What may follow a reason letter: nothing, a connector or punctuation, another reason
/// letter, or the next field of an authority block (`DECL: …`, `Derived From`). A
/// "reason letter" followed by other words (`for reasons (C) the minister said …`) is
/// read as the mark it looks like.
fn reason_tail(rest: &str) -> bool {
    let rest = rest.trim_start();
    let upper = rest
        .get(..rest.len().min(12))
        .unwrap_or(rest)
        .to_ascii_uppercase();
    let word = upper
        .split([' ', '(', ')', ':', ',', '.'])
        .next()
        .unwrap_or("");
    rest.is_empty()
        || rest.starts_with([',', ';', '.', '&', '/', ')', '(', '-', ':'])
        || word.len() == 1
        || [
            "AND",
            "OR",
            "DECL",
            "DECLASSIFY",
            "DERIVED",
            "CLASSIFIED",
            "E",
            "EO",
            "REASON",
            "REASONS",
        ]
        .contains(&word)
}

/// `(C)` after a `(B)`, `(S)` after an `(R)` in the text before it: a list item, not a
/// mark. Same case as the token; at most 2,000 bytes back.
fn enumerator(text: &str, at: usize, content: &str, level: Level) -> bool {
    let mut chars = content.chars();
    let (Some(letter), None) = (chars.next(), chars.next()) else {
        return false;
    };
    let prev = match (level, letter.to_ascii_uppercase()) {
        (Level::C, 'C') => 'B',
        (Level::S, 'S') => 'R',
        _ => return false,
    };
    let prev = if letter.is_ascii_lowercase() {
        prev.to_ascii_lowercase()
    } else {
        prev
    };
    let mut from = at.saturating_sub(2000);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let needle = [b'(', prev as u8, b')'];
    let needle = std::str::from_utf8(&needle).unwrap_or("()");
    text[from..at].contains(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(text: &str) -> Vec<(usize, Reading, bool)> {
        scan(text)
            .into_iter()
            .map(|h| (h.line, h.reading, h.text_follows))
            .collect()
    }

    const S: Reading = Reading::Level(Level::S);
    const C: Reading = Reading::Level(Level::C);

    #[test]
    fn marks_anywhere_in_a_line() {
        assert_eq!(
            levels("1. (U) Fine. 2. (C) SUMMARY: no."),
            vec![(1, Reading::Level(Level::U), true), (1, C, true)]
        );
        assert_eq!(
            levels("2 (S) x\n2) (S) x\n2: (S) x\n- 2. (S) x"),
            vec![(1, S, true), (2, S, true), (3, S, true), (4, S, true)]
        );
        assert_eq!(
            levels("l. (S) x\n２. (S) x\n\u{200B}2. (S) x"),
            vec![(1, S, true), (2, S, true), (3, S, true)]
        );
    }

    #[test]
    fn what_a_token_governs_ends_at_the_next_boundary() {
        let text = "A. (U) Questions:\n1) (S/NF) Secret one\ngoes on\n2) (U) Open";
        let hits = scan(text);
        let s = hits.iter().find(|h| h.reading == S).unwrap();
        let (a, b) = s.governs.unwrap();
        assert_eq!(&text[a..b], "(S/NF) Secret one\ngoes on");
        let text = "Intro (C)\nmore\n\nnext";
        let h = &scan(text)[0];
        assert_eq!(
            &text[h.governs.unwrap().0..h.governs.unwrap().1],
            "Intro (C)\nmore"
        );
    }

    #[test]
    fn a_placeholder_after_a_mark_is_not_text() {
        assert_eq!(levels("2. (S//NF) [B1, 1.4(B)]"), vec![(1, S, false)]);
        assert_eq!(levels("SUBJECT: (C) [B1]"), vec![(1, C, false)]);
        assert_eq!(levels("5. (S//NF)        B1, 1.4(D)"), vec![(1, S, false)]);
        assert_eq!(levels("5. (S//NF) B1 troops"), vec![(1, S, true)]);
        assert_eq!(levels("5. (S//NF) 1500"), vec![(1, S, true)]);
    }

    #[test]
    fn an_unclosed_mark_is_read_by_its_first_word() {
        // OCR lost the `)`: the mark still governs the text after it (a row of a
        // classification guide, corpus modern/ic).
        let found = levels("tl.7. (S/1Nf1 The fact that TAREX personnel are assigned to embassies");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(matches!(
            found[0].1,
            Reading::Level(Level::S) | Reading::Unreadable
        ));
        assert!(found[0].2, "text follows the mark");
        // Before another `(`, too: `(C// REL TO USA, … CONFIDENTIAL/   1.4 (c)`.
        let found =
            levels("0.4. (C// REL TO USA, AUS, CAN, GBR, CONFIDENTIAL/   1.4 (c)   25 years");
        assert!(
            found.iter().any(|f| f.1 == Reading::Level(Level::C)),
            "{found:?}"
        );
        // Prose in an unclosed parenthesis is not a mark.
        assert!(levels("The annex (see the table on page 4").is_empty());
        assert!(levels("Staff (some of them on leave").is_empty());
    }

    #[test]
    fn prose_is_not_a_token() {
        let prose = "The employee(s) voted in the secret ballot.\n\
                     PERSON(S) NAMED (A) AND (B) AND (C) ATTENDED.\n\
                     Classified By: Amb. X, Reasons 1.4 (b) and (d)\n\
                     REASON: 1.4(C), (D)\n\
                     The (a) clause, (b) part and (c) suffix; (1) one; (C-130); (U.S.)\n\
                     [B1, 1.4(C)]";
        assert_eq!(levels(prose), vec![]);
    }

    #[test]
    fn banners_govern_what_follows() {
        let text = "Open text\nSECRET\nclassified words\n\n(U) open again";
        let hits = scan(text);
        assert_eq!(hits[0].shape, Shape::Banner);
        let (a, b) = hits[0].governs.unwrap();
        assert_eq!(&text[a..b], "SECRET\nclassified words");
        assert_eq!(hits[1].reading, Reading::Level(Level::U));
    }

    #[test]
    fn the_whole_text_pre_check_agrees_with_the_line_pre_check() {
        let per_line = |text: &str| {
            let mut start = 0;
            loop {
                let (end, maybe) = line_end(text, start);
                if maybe || end == text.len() {
                    return maybe;
                }
                start = end + 1;
            }
        };
        for text in [
            "",
            "plain words\nmore words",
            "  \"printed_number\": \"¶1.\",\n  \"codes\": [\"B1\", \"1.4(B)\"]",
            "x\n   SECRET",
            "x\n \t CONFIDENTIAL",
            "xS\nyC",
            "text (С) hidden",
            "text \u{200B}words",
            "a (  s) b",
            "a (\nS) b",
            "a (Café)",
            "Café ¶ ünïcode (b) (1)",
            "12345678901234567890 ( 8",
            "12345678\n12345678U",
        ] {
            assert_eq!(any_line_needs_a_look(text), per_line(text), "{text:?}");
        }
        // The pre-check never hides a token.
        assert!(!scan("x\n   SECRET\nwords").is_empty());
        assert!(!scan("12345678901234567890 （Ｃ） words").is_empty());
    }

    #[test]
    fn look_alikes_are_marked_disguised() {
        let hits = scan("1. (U) text (С) hidden");
        assert_eq!(hits[1].reading, C);
        assert!(hits[1].disguised && !hits[0].disguised);
    }
}
