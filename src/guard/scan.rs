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
use super::prefilter::{any_line_needs_a_look, line_end, plausible, prefilter};
use super::token::{Level, Reading, read_banner, read_mark, read_nato, read_unclosed};

mod screen;
pub(crate) use screen::may_block;

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
        let tokens = line_tokens(text, start, end, maybe);
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

/// `banner_like` and `marks` are the pre-filter's answers.
/// The tokens of the line `start..end` of `text`, whose [`line_end`] said `maybe`: the
/// pre-filter first, [`tokens`] only where it may find one. [`lines`] and the backstop's
/// screen ([`screen::may_block`]) both read a line through this, so the screen sees the
/// very tokens the scan does.
fn line_tokens(text: &str, start: usize, end: usize, maybe: bool) -> Vec<LineToken> {
    if !maybe {
        return Vec::new();
    }
    let line = &text[start..end];
    let (marks, banner_like) = prefilter(line);
    if marks || banner_like {
        tokens(text, start, line, banner_like, marks)
    } else {
        Vec::new()
    }
}

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
    // `memchr3` finds the next opener ([`is_opener`]) a word at a time: a paragraph run
    // into one long line has one or two of them, and byte by byte this loop was the
    // largest part of the scan.
    while let Some(k) = memchr::memchr3(b'(', b'{', b'[', &t.as_bytes()[at..]) {
        let i = at + k;
        at = i + 1;
        if t.as_bytes()[i] != b'(' {
            if let Some(token) = damaged_open(t, i) {
                out.push(LineToken {
                    start: base + f.byte(i),
                    end: base + f.byte(token.end),
                    shape: Shape::Mark,
                    reading: Reading::Unreadable,
                    disguised: f.any_disguised(i, token.end),
                    lead_before: is_lead(&t[..i]),
                    after: after(&t[token.end..]),
                    column: column(line, f.byte(i)),
                });
                at = token.end;
            }
            continue;
        }
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
        // A bare NATO level (`(NS)`) counts only at a portion's lead, where the parser
        // reads it as a mark.
        let reading = reading.or_else(|| {
            (closed && lead_before)
                .then(|| read_nato(content))
                .flatten()
        });
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

/// A `(` or what OCR makes of one (`{`, `[`): where a mark may open.
pub(super) fn is_opener(c: u8) -> bool {
    matches!(c, b'(' | b'{' | b'[')
}

/// A mark opened by a brace or bracket (OCR damage), ending after its closer or its
/// first word.
struct Damaged {
    end: usize,
}

/// A mark whose `(` OCR read as `{` or `[` (`-{SIISU/REhrf`, `{S//NF}`, `[S//NF]`,
/// `{S)`, `{•TS//SI//NE)`), at byte `i` of the folded line `t`: its content (to the first
/// `)`, `}` or `]`, or its first word when none closes it) reads as a mark once OCR
/// specks before it are dropped. Damaged, it is unreadable whatever level it shows (fail
/// closed). Not a mark: a bracket glued to a word (`[S]he`, `x{C}`), an unclosed one
/// whose first word has no `/` (`[S PROHIBITED.`), prose (`{PCP/SOVIET}`).
fn damaged_open(t: &str, i: usize) -> Option<Damaged> {
    if t[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
    {
        return None;
    }
    let rest = &t[i + 1..];
    let close = rest
        .char_indices()
        .take(82)
        .find(|&(_, x)| matches!(x, ')' | '}' | ']' | '(' | '{' | '['));
    let (content, end) = match close {
        Some((k, ')' | '}' | ']')) => {
            if t[i + 2 + k..].starts_with(char::is_alphanumeric) {
                return None;
            }
            (&rest[..k], i + 2 + k)
        }
        _ => {
            let n = unclosed(rest)?;
            (&rest[..n], i + 1 + n)
        }
    };
    let bare = content.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '/');
    if bare.is_empty() || !plausible(bare) || bare.starts_with(char::is_lowercase) {
        return None;
    }
    // `[C]`, `[S]`: a letter in brackets is an editor's, as in a quotation; a level letter
    // OCR damaged keeps one side (`{S)`, `[C)`) or reads as braces (`{S}`).
    if t.as_bytes()[i] == b'[' && t.as_bytes()[end - 1] == b']' && bare.chars().nth(1).is_none() {
        return None;
    }
    let closed = end > i + 1 + content.len();
    let reading = if closed {
        read_mark(bare, false)
    } else {
        read_unclosed(bare, false)
    };
    reading.map(|_| Damaged { end })
}

/// The length of an unclosed mark's content: its first word, when that is short and
/// has a `/` as every classified mark with a control has (`S//`, `S/1Nf1`, `TS//SI//REL`).
/// A `(` with prose after it and no `/` in its first word is no mark.
fn unclosed(rest: &str) -> Option<usize> {
    let n = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let word = &rest[..n];
    (n <= 24 && word.contains('/') && !word.contains('(')).then_some(n)
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
        // Every marker starts with one of these words: prose (most text after a lead's
        // mark) is refused here, before its words are collected.
        if !seg
            .split_whitespace()
            .next()
            .is_some_and(|w| matches!(w, "REVIEW" | "REFER") || w.eq_ignore_ascii_case("B3"))
        {
            return false;
        }
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
/// mark. Same case as the token; at most 2,000 bytes back. Only a `(B)` that is a list
/// item itself counts: a reason letter (`for reasons 1.4 (b) and (d).`, the authority
/// line a `(c)` portion may follow), a statute's (`(b)(1)`) or one glued to a word
/// (`552(b)`) makes no list, and taken for one it would release the `(c)` portion.
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
    let window = &text[from..at];
    let tail = text[at..].split_once(')').map_or("", |(_, t)| t);
    window.match_indices(needle).any(|(k, _)| {
        let start = from + k;
        let line = text[..start].rfind('\n').map_or(0, |n| n + 1);
        let prefix = &text[line..start];
        let glued = prefix
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let statute = text[start + needle.len()..].starts_with('(');
        if reason_chain(prefix) {
            // The reason letters going on over a line break (`for reasons 1.4 (b)` /
            // `(c) and (d)`): the token is the chain's next letter when only
            // connectors stand between and a reason's tail follows it.
            let between = &text[start + needle.len()..at];
            return chain_gap(between) && reason_tail(tail);
        }
        !glued && !statute
    })
}

/// Only connectors and blanks between two reason letters (`, `, ` and `, ` or `, `&`).
fn chain_gap(between: &str) -> bool {
    between
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '&' | '/'))
        .all(|w| w.is_empty() || w.eq_ignore_ascii_case("and") || w.eq_ignore_ascii_case("or"))
}

#[cfg(test)]
mod tests;
