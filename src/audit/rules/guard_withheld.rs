//! DCL060 guard-withheld: a mark above a portion's own level governs text the parser read
//! as part of that portion.
//!
//! Why: the release guard ([`crate::guard`]) does not trust the parser: when it finds such
//! a mark in text about to be released, it withholds from the mark to the next boundary
//! (fail closed). The audit reports the same places, so that the structure (or the
//! marking) is fixed before a release withholds more than it needs to. The guard reads
//! each paragraph with its own level as the target; marks at or below it are not
//! reported (and marked sub-paragraphs above it are also DCL053).
//!
//! Example:
//! ```text
//! 1. (U) The visit went well. 2. (C) SUMMARY: ...   <- DCL060: a C mark inside a (U) paragraph
//! ```

use super::{Findings, Rule, Scope};
use crate::diagnostic::Code;
use crate::guard::{Guard, line_may_hold_token};
use crate::release::guard_level;

pub const RULE: Rule = Rule {
    code: Code::GuardWithheld,
    check,
};

fn check(Scope { doc, .. }: Scope<'_>, out: &mut Findings<'_>) {
    // One buffer for the document's paragraphs: a new string each was an allocation per
    // paragraph of every audited file.
    let mut text = String::new();
    for (i, p) in doc.paragraphs.iter().enumerate() {
        // Unmarked and unreadable paragraphs are withheld whole already (DCL001, DCL003).
        let Some(m) = &p.marking else {
            continue;
        };
        let guard = Guard::new(guard_level(m.level));
        text.clear();
        text.push_str(&p.lead);
        text.push_str(&p.text);
        for w in guard.withholdings(screened(&text)) {
            let level = w.level.map_or("an unreadable", |l| l.abbrev());
            out.add(
                p.lines.first + text[..w.start].matches('\n').count(),
                w.column,
                format!(
                    "{level} mark ({}) governs text inside {} ({}); a release withholds it \
                     to the next boundary",
                    w.cause.as_str(),
                    p.label(i),
                    m.level.abbrev()
                ),
            );
        }
    }
}

/// The part of a paragraph's text (lead included) the guard must read for this rule: the
/// whole text, or only its first two lines when no later line can hold a token. Most
/// marked paragraphs have their mark in the lead and none in their text; the guard's full
/// scan of every line of each of them was most of this rule's cost.
///
/// Why the shorter text gives the same findings (the rule reports each withholding's
/// `start`, `column`, `cause` and `level`, never its `end`). The guard's scan
/// (`guard::scan`) reads each line on its own: a line's tokens depend only on the line
/// and on text before it (the enumerator test looks back, never ahead), and a line gets
/// tokens only when [`line_may_hold_token`] holds for it. Say it holds for none of lines
/// 2.. of `text`. Then in the whole text:
/// - every token is on line 1, and line 1's tokens are the same in both texts;
/// - whether a token on line 1 governs text (`text_follows`) depends on what follows it
///   on line 1, on whether a number or label stands before it, and on line 2 (blank, or a
///   boundary, which needs a token) when nothing follows it: line 2 is kept, so that is
///   the same; where its range starts (the token, or line 1's start) is the same;
/// - the range ends at the last line before the next blank or boundary line, at least
///   line 1's end in both texts, so every later token of line 1 (which starts before that
///   end) merges into the first withholding in both: the withholdings have the same
///   starts, lines, columns, causes and levels, and only the first one's end may differ.
///
/// When the test fails for some line (a `(` before a letter a mark starts with, a
/// character that folds, a banner-like line), the whole text is read, as before.
fn screened(text: &str) -> &str {
    let Some(first) = text.find('\n') else {
        return text;
    };
    let rest = &text[first + 1..];
    if rest.split('\n').any(line_may_hold_token) {
        return text;
    }
    rest.find('\n').map_or(text, |k| &text[..first + 1 + k])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guard::{Level, Withholding};

    /// What the rule reports of each withholding.
    fn reported(w: &[Withholding]) -> Vec<(usize, usize, usize, &'static str, Option<Level>)> {
        w.iter()
            .map(|w| (w.start, w.line, w.column, w.cause.as_str(), w.level))
            .collect()
    }

    const LEADS: [&str; 9] = [
        "1. (S) ",
        "(C//NF) ",
        "2. (U) ",
        "(TS//SI//NF) ",
        "3. (SECERT) ",
        "a. (S/NF) ",
        "(С) ",
        "",
        "4. ",
    ];

    /// Lines that hold, or nearly hold, what the guard reads: marks in and out of a lead,
    /// damaged and look-alike marks, banner-like lines, placeholders, blanks, prose that
    /// starts with a banner's letters, non-ASCII text.
    const LINES: [&str; 34] = [
        "The visit went well and the minister agreed.",
        "Sources said the talks would resume.",
        "Charge met the minister on Tuesday.",
        "US officials (the embassy said) were present.",
        "2. (C) SUMMARY: not for release.",
        "The visit 2. (C) SUMMARY: not for release.",
        "   (S//NF) indented mark",
        "the trailing mark (S)",
        "(S)",
        "SECRET//NOFORN",
        "SECRET",
        "S E C R E T",
        "TOP SECRET//SI",
        "CONFIDENTIAL SECTION 01 OF 02 STATE 123456",
        "UNCLASSIFIED",
        "SECRETARY SAID NOTHING MORE",
        "",
        "   ",
        "[B1]",
        "[B1, 1.4(D)]",
        "{S//NF} braces",
        "[S/NF] brackets",
        "(S// broken across",
        "NF) lines",
        "（S） full-width parentheses",
        "(Ѕ//NF) a Cyrillic S",
        "(S\u{200b}//NF) an invisible character",
        "déjà vu in the café",
        "résumé (ex-officio) and naïve",
        "(R) first item",
        "(S) second item after an enumerator",
        "(a) lettered, (b) lettered",
        "cl by 12345 and (tel) numbers",
        "\u{a0}\u{a0}SECRET",
    ];

    /// A fixed pseudo-random sequence: the test reads no clock and gives the same strings
    /// every run.
    fn next(seed: &mut u64) -> usize {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (*seed >> 33) as usize
    }

    #[test]
    fn the_screen_never_changes_what_is_reported() {
        let levels = [Level::U, Level::C, Level::S, Level::TS];
        let mut seed = 21;
        let mut shortened = 0;
        let mut checked = 0;
        for round in 0..6000 {
            let lead = LEADS[round % LEADS.len()];
            let n = 1 + next(&mut seed) % 6;
            let body: Vec<&str> = (0..n)
                .map(|_| LINES[next(&mut seed) % LINES.len()])
                .collect();
            let text = format!("{lead}{}", body.join("\n"));
            let short = screened(&text);
            assert!(text.starts_with(short));
            if short.len() < text.len() {
                shortened += 1;
            }
            for level in levels {
                let guard = Guard::new(level);
                assert_eq!(
                    reported(&guard.withholdings(short)),
                    reported(&guard.withholdings(&text)),
                    "{text:?} at {level:?}"
                );
                checked += 1;
            }
        }
        // Both paths are exercised: texts the screen shortens and texts it reads whole.
        assert!(shortened > 100, "{shortened} of {checked}");
        assert!(shortened < 5000, "{shortened} of {checked}");
    }

    #[test]
    fn a_mark_below_the_first_line_is_read_whole() {
        let text = "1. (U) Open.\nThe visit went well.\nThe visit 2. (C) SUMMARY: secret.";
        assert_eq!(screened(text), text);
        let w = Guard::new(Level::U).withholdings(screened(text));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 3);
        // A banner-like line below, and a look-alike parenthesis below, too.
        assert_eq!(
            screened("(U) a\nb\nSECRET//NOFORN\nc"),
            "(U) a\nb\nSECRET//NOFORN\nc"
        );
        assert_eq!(screened("(U) a\nb\nc （S） d"), "(U) a\nb\nc （S） d");
        // Prose alone below the first line: only the first two lines are read.
        assert_eq!(
            screened("1. (S) Text.\nThe next line.\nSources said more."),
            "1. (S) Text.\nThe next line."
        );
    }
}
