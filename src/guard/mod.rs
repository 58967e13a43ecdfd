//! The mark-anywhere guard: the last line of "fail closed" that does not trust the parser.
//!
//! Everything a release is about to print (body, header parts, signature, trailing text)
//! and every rendered output (text, the JSON's text, text read back from a PDF, the
//! manifest) is scanned line by line for marking-shaped tokens anywhere in a line, and
//! for banner-shaped lines. A token above the policy's target, or one that looks like a
//! classification mark but cannot be read, that governs text means the structure was
//! misread there: the release builder withholds that material (from the token to the next
//! boundary as the guard sees it) as fail closed, and the output backstop refuses any
//! output that still carries one.
//!
//! **Independent on purpose.** The guard shares no code with `src/parse/` or
//! `src/marking/` and assumes nothing about paragraphs, so that it stays right when they
//! are wrong. It has its own small grammar ([`token`]), look-alike folding ([`fold`]) and
//! line scanning ([`scan`]). Its only notion of structure is the line:
//!
//! - a **token** is a parenthesised mark anywhere in a line (`(C)`, `(S//NF)`,
//!   `(TS//SI//REL TO USA, FVEY)`, `(S/NF)`, `(S-NF)`, `(C - ENTIRE TEXT)`, `(SBU)`,
//!   `(U//FOUO)`, `(CUI)`, `(SECRET)`, any case and spacing, look-alike letters,
//!   full-width and small parentheses, invisible characters inside or before it) or a
//!   banner-shaped line (`SECRET//NOFORN`, `S E C R E T`, `TOP SECRET`, `CONFIDENTIAL`,
//!   a section banner `CONFIDENTIAL SECTION 01 OF 02 ...`);
//! - a token **governs** from itself to the next **boundary**: the next line whose lead
//!   carries a mark, a banner line, a blank line, or the end of the text. A mark with
//!   text after it on its line governs from the mark; a trailing mark (text before it,
//!   nothing after) governs its whole line; a mark or banner alone on its line governs the
//!   lines after it; a mark followed only by a placeholder (`2. (S//NF) [B1]`, the
//!   original mark a policy prints before the codes of a withheld portion) governs
//!   nothing. A banner line inside released text is treated like a mark alone on its
//!   line: a `SECRET` section banner says that what follows it is classified.
//!
//! # API (what `verify` calls)
//!
//! ```
//! use declass::guard::{Guard, Level, Reading};
//! let guard = Guard::new(Level::U);
//! let text = "1. (U) Open.\nThe visit 2. (C) SUMMARY: not for release.";
//! let hits = guard.blocking(text);
//! assert_eq!(hits.len(), 1);
//! assert_eq!((hits[0].line, hits[0].column), (2, 14));
//! assert_eq!(hits[0].reading, Reading::Level(Level::C));
//! assert!(hits[0].text_follows);
//! ```
//!
//! [`Guard::scan`] returns every token with its 1-based line and column, its reading (a
//! level or unreadable), its shape, whether it was disguised and whether text follows;
//! [`Guard::blocking`] keeps those that must not be released; [`Guard::withholdings`]
//! turns them into merged byte ranges to withhold.

pub mod fold;
mod prefilter;
pub mod scan;
pub mod token;

pub(crate) use prefilter::line_may_hold_token;
pub use scan::{Hit, Shape};
pub use token::{Level, Reading};

/// Why the guard withheld material: the `cause` the manifest and the report count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cause {
    /// A readable mark above the target.
    AboveTarget,
    /// A mark that looks like a classification mark but cannot be read.
    Unreadable,
    /// A mark written with look-alike or invisible characters.
    LookAlike,
    /// A banner-shaped line above the target (or unreadable).
    Banner,
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::AboveTarget => "mark-above-target",
            Cause::Unreadable => "mark-unreadable",
            Cause::LookAlike => "look-alike-mark",
            Cause::Banner => "banner-line",
        }
    }

    fn of(hit: &Hit) -> Cause {
        match (hit.shape, hit.reading, hit.disguised) {
            (Shape::Banner, _, _) => Cause::Banner,
            (Shape::Mark, _, true) => Cause::LookAlike,
            (Shape::Mark, Reading::Unreadable, false) => Cause::Unreadable,
            (Shape::Mark, Reading::Level(_), false) => Cause::AboveTarget,
        }
    }
}

/// A byte range of the scanned text to withhold, and the token that governs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withholding {
    pub start: usize,
    pub end: usize,
    /// 1-based line and column of the first token that governs the range.
    pub line: usize,
    pub column: usize,
    pub cause: Cause,
    /// The token's level; `None` when unreadable.
    pub level: Option<Level>,
}

/// The guard for one target level.
#[derive(Clone, Copy, Debug)]
pub struct Guard {
    target: Level,
}

impl Guard {
    /// A guard for releases whose highest allowed level is `target`.
    pub fn new(target: Level) -> Guard {
        Guard { target }
    }

    /// Every marking-shaped token in `text`, whatever its level.
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        scan::scan(text)
    }

    /// Whether a token may not be released: above the target or unreadable.
    pub fn forbids(&self, reading: Reading) -> bool {
        match reading {
            Reading::Level(l) => l > self.target,
            Reading::Unreadable => true,
        }
    }

    /// The tokens that may not be released and govern text.
    pub fn blocking(&self, text: &str) -> Vec<Hit> {
        // The screen reads the same tokens without working out what each governs, and
        // says no only when no refused token can govern text (see `scan::may_block`).
        if !scan::may_block(text, |r| self.forbids(r)) {
            return Vec::new();
        }
        self.scan(text)
            .into_iter()
            .filter(|h| h.text_follows && self.forbids(h.reading))
            .collect()
    }

    /// What to withhold from `text`: the ranges the blocking tokens govern, merged, in
    /// order.
    pub fn withholdings(&self, text: &str) -> Vec<Withholding> {
        let mut out: Vec<Withholding> = Vec::new();
        for hit in self.blocking(text) {
            let Some((start, end)) = hit.governs else {
                continue;
            };
            if let Some(last) = out.last_mut().filter(|last| start <= last.end) {
                last.end = last.end.max(end);
                continue;
            }
            out.push(Withholding {
                start,
                end,
                line: hit.line,
                column: hit.column,
                cause: Cause::of(&hit),
                level: match hit.reading {
                    Reading::Level(l) => Some(l),
                    Reading::Unreadable => None,
                },
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn withholdings_merge_and_respect_the_target() {
        let text = "1. (U) a (C) b (S) c\nd\n\n(U) e";
        let u = Guard::new(Level::U).withholdings(text);
        assert_eq!(u.len(), 1);
        assert_eq!(&text[u[0].start..u[0].end], "(C) b (S) c\nd");
        assert_eq!(u[0].cause, Cause::AboveTarget);
        let c = Guard::new(Level::C).withholdings(text);
        assert_eq!(&text[c[0].start..c[0].end], "(S) c\nd");
        assert!(Guard::new(Level::TS).withholdings(text).is_empty());
    }

    #[test]
    fn unreadable_marks_block_at_every_target() {
        let w = Guard::new(Level::TS).withholdings("2. (SECERT) words");
        assert_eq!(w[0].cause, Cause::Unreadable);
        assert_eq!(w[0].level, None);
    }
}
