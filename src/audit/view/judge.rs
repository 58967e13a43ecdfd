//! Is this unmarked run of text a portion? The parser cuts every run of text it cannot
//! place into a paragraph; in a memo or a pdftotext dump many of those are not portions
//! at all (page numbers, captions without text, distribution lists, tables of contents,
//! OCR fragments) and an "unmarked portion" error on them is a false alarm. The audit asks
//! this module before it reports one: a definite portion stays an error, a definite
//! non-portion is not reported, and what cannot be told apart is a warning.

use regex::Regex;
use std::sync::LazyLock;

/// The adapter's answer for one unmarked paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Judgement {
    /// Numbered, lettered, bulleted, or a sentence of prose: a portion without its mark.
    Portion,
    /// Could be a portion or not: reported as a warning, with the reason.
    Ambiguous(&'static str),
    /// Not a portion: not reported.
    NotPortion(&'static str),
    /// A portion mark stands on the line after a label the parser did not read
    /// (`8.1 (U) Key Findings`, `KEY TAKEAWAYS: (U//FOUO) …`): marked, not unmarked.
    Marked,
}

/// Why a run too short to be a sentence is not a portion. A heading that short is still
/// a title, which the caller keeps as such.
pub const FRAGMENT: &str = "a fragment too short to be a portion";

/// Why a classification line is not a portion.
pub const BANNER_LINE: &str = "a classification line";

/// Why a page number, running footer, image link or database stamp is not a portion.
pub const FURNITURE_LINE: &str = "page furniture";

/// Page numbers, running footers and database stamps of extracted text. Word boundaries
/// are ASCII ones (the words are ASCII): a Unicode `\b` costs the regex engine its fast
/// path, and this runs on every unmarked paragraph of a bulk audit.
static FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:[-–—\s]*\d{1,4}[-–—\s]*|page\s+\S+(?:\s+of\s+\S+)?|#+\s*page\s+\d+",
        r"|.*(?-u:\b)doc\s*id(?-u:\b).*|.*(?-u:\b)NW\s+\d{4,}.*|.*(?-u:\b)case#.*|\(?\s*[ivx]{1,5}\s*\)?",
        r"|!\[[^\]]*\]\([^)]*\)|[^\p{L}\p{N}]*)$"
    ))
    .expect("static regex")
});

/// Dot leaders, or a short title ending in a page number after a gap.
static TOC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\.{4,}|(?:\. ){4,}|\S\s{3,}\d{1,3}$").expect("static regex"));

/// Address, routing and distribution lines of memos and e-mails.
static ROUTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:#+\s*)?(?:cc|bcc|to|from|via|thru|through|sent|date|subject|attachments?|",
        r"enclosures?|distribution|dist|orig(?:inal)?|copy\s+to|memorandum\s+for|",
        r"ref(?:erence)?s?)(?-u:\b)\s*:?|^\d{1,2}\s*-\s*\S"
    ))
    .expect("static regex")
});

/// A portion mark near the start of a line, after a label or caption.
static INLINE_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\((?:U|C|S|TS|CUI|U//[A-Z]|S//|TS//|C//)[A-Z0-9/ ,\-]{0,40}\)")
        .expect("static regex")
});

/// A short parenthesised token at the start, after any label: `(SIISI)`, `(AIUO)`, `(8)`
/// as OCR leaves a mark; or a longer one with a capital, in the letters, separators and
/// look-alikes OCR turns a mark's into (`(SIIREl TO USA, CAN)`, `(rS'VSI)`, `(Cc)`).
static DAMAGED_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\S{1,4}\s+)?\((?:[A-Z0-9/ ]{1,12}|[A-Za-z0-9/ ,.'|!]{0,30}[A-Z][A-Za-z0-9/ ,.'|!]{0,30})\)")
        .expect("static regex")
});

/// A number, letter, roman numeral or bullet label at the start of the text.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:¶?\d{1,2}[.)]\s|[a-zA-Z][.)]\s|\(\d{1,2}\)\s|\([a-z]\)\s|[IVX]{1,4}\.\s|[•\-*>▪◦●]\s)")
        .expect("static regex")
});

/// Is this line page furniture (a page number, running footer, image link, database
/// stamp)? What [`judge`] answers with [`FURNITURE_LINE`] for a line that is no banner,
/// without the other tests.
pub fn is_furniture(line: &str) -> bool {
    FURNITURE.is_match(line.trim())
}

/// Judges the unmarked text that starts with `first` (its first line) and reads `text`
/// in full; `banner` says the line is a classification line.
pub fn judge(first: &str, text: &str, banner: bool) -> Judgement {
    let first = first.trim();
    if banner {
        return Judgement::NotPortion(BANNER_LINE);
    }
    if FURNITURE.is_match(first) {
        return Judgement::NotPortion(FURNITURE_LINE);
    }
    if let Some(m) = INLINE_MARK.find(first)
        && first[..m.start()].chars().count() <= 40
        && crate::marking::portion::parse(m.as_str(), crate::marking::portion::Place::LineStart)
            .is_some_and(|mk| !mk.is_unknown())
    {
        return Judgement::Marked;
    }
    if DAMAGED_MARK.is_match(first) {
        return Judgement::Ambiguous("it opens with what may be a damaged portion mark");
    }
    let words = text.split_whitespace().count();
    if TOC.is_match(first) && words <= 16 {
        return Judgement::NotPortion("a table of contents entry");
    }
    if ROUTING.is_match(first) {
        return Judgement::NotPortion("an address, routing or distribution line");
    }
    if first.ends_with(':') && first.split_whitespace().count() <= 6 && words <= 6 {
        return Judgement::NotPortion("a caption without text");
    }
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 12 {
        return Judgement::NotPortion(FRAGMENT);
    }
    if first.starts_with(|c: char| c.is_lowercase()) {
        return Judgement::Ambiguous("reads as the continuation of the text above");
    }
    let sentence = text.contains(['.', '?', '!', ';']) && words >= 8;
    if LABEL.is_match(first) || sentence {
        return Judgement::Portion;
    }
    Judgement::Ambiguous("short text that may be a heading, caption or signature line")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(first: &str) -> Judgement {
        judge(first, first, false)
    }

    #[test]
    fn furniture_toc_routing_and_captions_are_not_portions() {
        for line in [
            "      Page 5 of 14",
            "- 6 -",
            "NW 50955 DocId: 32281992 Page 19",
            "## Page 3",
            "![img-0.jpeg](img-0.jpeg)",
            "1. Introduction ............ 4",
            "cc: DDCI (w/atts)",
            "Distribution:",
            "OFFICE:",
            "Ident. -",
        ] {
            assert!(matches!(j(line), Judgement::NotPortion(_)), "{line}");
        }
    }

    #[test]
    fn labelled_text_and_prose_are_portions() {
        assert_eq!(
            j("2. The station reported the meeting."),
            Judgement::Portion
        );
        assert_eq!(
            j("The officer met the source twice in May and reported both meetings."),
            Judgement::Portion
        );
        assert_eq!(j("8.1      (U) Key Findings"), Judgement::Marked);
        assert_eq!(j("KEY TAKEAWAYS: (U//FOUO) See above."), Judgement::Marked);
        assert!(matches!(j("Status and Summary"), Judgement::Ambiguous(_)));
        assert!(matches!(
            j("13. (AIUO) I personally doubt that there was anything"),
            Judgement::Ambiguous(_)
        ));
        for damaged in [
            "(SIIREl TO USA, CAN)) CSEC is a highly valued second party partner. The",
            "(rS'VSI) While SV supports the build out to the new site of the team.",
            "3. (Cc) A check of the British Security Services Organization (BSSO),",
        ] {
            assert!(matches!(j(damaged), Judgement::Ambiguous(_)), "{damaged}");
        }
        assert!(matches!(
            j("who is or could be in the future"),
            Judgement::Ambiguous(_)
        ));
    }
}
