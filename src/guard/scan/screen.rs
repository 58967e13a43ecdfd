//! The screen in front of [`crate::guard::Guard::blocking`]: whether a text holds any
//! token that could block its release, read without recording every line. Most outputs
//! the backstop checks (a manifest's reading, a release with only `(U)` marks) hold none,
//! and then the full scan, which works out what each token governs, is not run.

use super::super::prefilter::{line_end, next_look};
use super::{After, Reading, Shape, line_tokens};

/// Whether [`super::scan`] of `text` may return a hit that governs text and whose
/// reading `forbids` refuses: the screen [`crate::guard::Guard::blocking`] runs first,
/// because nearly every output it checks holds no such token and the full scan records
/// every line of it.
///
/// Conservative by construction: it reads the lines that may hold a token exactly as
/// [`super::lines`] does (the same [`line_end`] and [`line_tokens`] calls on the same
/// lines, so the same tokens), skips the lines [`line_end`] would say need no
/// look (they give [`super::lines`] no token), and skips the two steps that decide what a
/// token governs. A hit of [`super::scan`] is one of these tokens, and it governs text
/// (`text_follows`) only when it is not a mark followed by a placeholder alone
/// (`governs` is `None` for exactly those). So when no token here is both refused and
/// other than such a mark, `blocking` has nothing to keep; otherwise the caller runs the
/// full scan, which decides.
pub(crate) fn may_block(text: &str, forbids: impl Fn(Reading) -> bool) -> bool {
    let b = text.as_bytes();
    let mut from = 0;
    // Only the lines [`line_end`] says need a look can hold a token, and each of them has
    // a byte [`next_look`] finds: the lines before it (from a line start) need none.
    while let Some(at) = next_look(text, from) {
        let start = memchr::memrchr(b'\n', &b[..at]).map_or(0, |k| k + 1);
        let (end, maybe) = line_end(text, start);
        if line_tokens(text, start, end, maybe).iter().any(|t| {
            forbids(t.reading) && !(t.shape == Shape::Mark && t.after == After::Placeholder)
        }) {
            return true;
        }
        if end == b.len() {
            return false;
        }
        from = end + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::guard::scan::scan;
    use crate::guard::{Guard, Level};

    /// Pieces of marks, placeholders, banners, look-alikes and prose that the texts below
    /// are made of: every shape the scan reads, and its near misses.
    const PIECES: &[&str] = &[
        "1. (U) Open text.",
        "2. (C) Closed text.",
        "¶3. (S//NF) [B1, 1.4(D)]",
        "4. (S) [B1]",
        "(C)",
        "(TS//SI) tail",
        "text before (S)",
        "[REVIEW REQUIRED]",
        "B1, 1.4(B)",
        "SECRET//NOFORN",
        "S E C R E T",
        "UNCLASSIFIED",
        "CONFIDENTIAL SECTION 01 OF 02",
        "TOP SECRET",
        "Secretary of State",
        "(SECERT) words",
        "{S//NF} braces",
        "[S//NF] brackets",
        "(S/1Nf1 unclosed",
        "\u{ff08}S\u{ff09} full width",
        "(\u{0405}) look-alike",
        "\u{200B}2. (S) invisible",
        "for reasons 1.4 (b) and (c)",
        "(B) list item (C) next",
        "(R) then (S) item",
        "(NS) nato",
        "plain words",
        "  ",
        "",
        "C",
        "U",
        "S",
        "(U//FOUO) fouo",
        "(CUI) cui",
        "DENIED IN FULL B1, 1.4(B)",
    ];
    const SEPARATORS: &[&str] = &[" ", "\n", "\n\n", "\n  \n", "\n[B1]\n"];

    /// What `blocking` kept before the screen: every hit that governs text and is refused.
    fn unscreened(guard: &Guard, text: &str) -> Vec<crate::guard::Hit> {
        scan(text)
            .into_iter()
            .filter(|h| h.text_follows && guard.forbids(h.reading))
            .collect()
    }

    #[test]
    fn screened_blocking_is_the_full_scans() {
        let guards = [Level::U, Level::C, Level::S, Level::TS].map(Guard::new);
        let mut texts: Vec<String> = PIECES.iter().map(|p| p.to_string()).collect();
        // Pairs of pieces with every separator, then longer texts from a fixed generator.
        for a in PIECES {
            for b in PIECES {
                for sep in SEPARATORS {
                    texts.push(format!("{a}{sep}{b}"));
                }
            }
        }
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        for _ in 0..3000 {
            let mut t = String::new();
            for _ in 0..1 + next(8) {
                t.push_str(PIECES[next(PIECES.len())]);
                t.push_str(SEPARATORS[next(SEPARATORS.len())]);
            }
            texts.push(t);
        }
        let mut blocked = 0;
        for text in &texts {
            for guard in &guards {
                let want = unscreened(guard, text);
                blocked += usize::from(!want.is_empty());
                assert_eq!(guard.blocking(text), want, "{text:?}");
            }
        }
        // The texts exercise both answers of the screen.
        assert!(blocked > 1000 && blocked < texts.len() * guards.len() - 1000);
    }
}
