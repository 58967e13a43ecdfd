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
        r"|!\[[^\]]*\]\([^)]*\)|[^\p{L}\p{N}]*",
        // A wiki page's footer (`This page was last modified on …`, `… has been accessed
        // 25 times`) and a template's unfilled parameter (`{{{issues}}}`).
        r"|(?:[•*\-]\s*)?this\s+page\s+(?:was\s+last\s+modified|has\s+been\s+accessed).*",
        r"|\{\{\{?[^{}]*\}\}\}?",
        // A fax machine's transmission header (`10/06/87 MON 17:13 FAX 202 724 0457 ARRB`).
        r"|\d{1,2}/\d{1,2}/\d{2,4}\s+\S+\s+\d{1,2}:\d{2}\s+FAX(?-u:\b).*)$"
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
        r"ref(?:erence)?s?)(?-u:\b)\s*:?|^\d{1,2}\s*-\s*\S|^\d{1,2}\s+(?:incl|encl|atch)(?-u:\b)"
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

/// Release, downgrade and handling stamps printed on a page (`2022 RELEASE UNDER THE
/// PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT`, `UNCLASSIFIED WHEN SEPARATED FROM
/// ENCLOSURE`, `RETURN TO CIA / Background Use Only / Do Not Reproduce`).
static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)released?\s+under\s+the|released?\s+as\s+sanitized|approved\s+for\s+release|",
        r"when\s+separated\s+from|when\s+filled\s+in|when\s+detached|background\s+use\s+only|",
        r"do\s+not\s+reproduce|",
        // A routing and record sheet's printed column caption.
        r"number\s+each\s+comment"
    ))
    .expect("static regex")
});

/// A memo's address field, with its colon (`MEMORANDUM FOR:`, `FROM :`, `SUBJECT;`).
static MEMO_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:memorandum\s+for|from|to|subject|ref(?:erence)?s?|attn|attention|via|thru|",
        r"through)\s*[:;]"
    ))
    .expect("static regex")
});

/// A field of a classification authority block, anywhere on a line (`CL BY`, `DRV FM:`,
/// `DECLON:`, `E2 IMPDET`): upper-case forms, or mixed case with their colon.
static AUTHORITY_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?-u:\b)(?:CL\s+BY|CLASSIFIED\s+BY|CL\s+REASON|DECL\s+(?:ON|BY|OADR)|DECLON|",
        r"DECLASSIFY\s+ON|DRV\s+FR?M|DV\s+FM|DERIVED\s+FROM|E2\s+IMPDET)(?-u:\b)|",
        r"(?i:classified\s+by|derived\s+from|declassify\s+on)\s*:"
    ))
    .expect("static regex")
});

/// A file path of a word processor's footer (`I:\J3\J34\FISA\fbi.doc`).
static FILE_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[A-Za-z]:\\|\\\\)\S").expect("static regex"));

/// The last line of a postal address (`Washington, D.C. 20530`): a city, a comma and a
/// ZIP code ending the line.
static POSTAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r",[^,]{1,16}\s\d{5}(?:-\d{4})?$").expect("static regex"));

/// An originator line of a memo: an office or extension, a colon and the typist's
/// initials in lower case (`OLC:RSG:jms`, `x44448:mjk (20 August 1998)`).
static TYPIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:x\d{4,5}|[A-Z]{2,}):\s?[a-z]{2,4}(?:\s|\(|$)").expect("static regex")
});

/// A signatory's title opening the line under a name (`Chief, Information Management
/// Staff`, `Director of Operations`).
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:Chief|Director|Deputy|Assistant|Acting|Head|General\s+Counsel|Attorney\s+General|",
        r"Secretary|Colonel|Lieutenant|Major|Captain|Commander)(?-u:\b)"
    ))
    .expect("static regex")
});

/// A damaged mark ending a run (`… offshore banking. (8)`, `(Ss) :`, `(AIUO)`): the parser
/// reads trailing marks only when they are whole.
static TRAILING_DAMAGED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)\((?:[A-Za-z/]{1,6}|\d{1,2})\)[\s:.;]*$").expect("static regex")
});

/// An entry of a wiki page's generated reference list: its number, then the back-link
/// arrow MediaWiki's Cite extension prints before the citation (`2. ↑ Report …`, `9. ↑ 9.0
/// 9.1 Journalist …`; `^` on later skins). Prose never puts an arrow after a list number.
static WIKI_FOOTNOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,3}\.\s+[↑^](?:\s|$)").expect("static regex"));

/// Why a wiki's generated reference list entry is a warning, not an error: it cites a
/// source (the page marks the citation where it is made, the list repeats it unmarked),
/// but a cited title may itself be classified, so it is looked at, not passed over.
pub const WIKI_REFERENCE: &str = "it reads as an entry of a wiki page's generated reference list (a number, then the `↑` back-link): a citation, marked where the page cites it";

/// Why a run of a memo's address, letterhead or signature lines is not a portion.
pub const ADDRESS_BLOCK: &str = "an address, letterhead or signature block";

/// Judges what the lines of a run say as a whole, before its first line is judged as a
/// portion: stamps, address and signature blocks, authority fields, file paths, and runs
/// whose first line OCR broke into box rules or letters. `None` when it says nothing.
fn judge_lines(first: &str, text: &str, words: usize) -> Option<Judgement> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let count = lines.len().max(1);
    if words <= 25 && STAMP.is_match(text) {
        return Some(Judgement::NotPortion(
            "a release, downgrade or handling stamp",
        ));
    }
    // A numbered or lettered paragraph is judged by its label, not by the shape of its
    // first line (`2. He is to go.` is no OCR scrap).
    let numbered = LABEL.is_match(first) && !first.starts_with(['•', '-', '*', '>', '▪', '◦', '●']);
    // Half its lines or more hold authority fields, the others short: a form's block (not
    // a numbered paragraph or lines of prose the parser joined to a block below). Half or
    // more file paths: a word processor's footer.
    // Each line asked once, and no further than the first long line that holds no
    // field (the block is ruled out there): a run of prose asks the regex of its first
    // line only, not of each of its lines.
    let authority_block = !numbered && {
        let mut fields = 0;
        lines.iter().all(|l| {
            let field = AUTHORITY_FIELD.is_match(l);
            fields += usize::from(field);
            field || l.split_whitespace().filter(|w| w.len() > 1).count() <= 5
        }) && fields > 0
            && fields * 2 >= count
    };
    if authority_block {
        return Some(Judgement::NotPortion("a classification authority block"));
    }
    // A path holds a backslash: the byte search spares most lines the regex.
    let paths = lines
        .iter()
        .filter(|l| l.as_bytes().contains(&b'\\') && FILE_PATH.is_match(l))
        .count();
    if paths * 2 >= count && paths > 0 {
        return Some(Judgement::NotPortion("a file path"));
    }
    // A memo's address field within its first lines, under short lines only (a date, a
    // stamp, a document number): the address block the parser joined them to.
    for l in lines.iter().take(6) {
        if MEMO_FIELD.is_match(l) {
            return Some(Judgement::NotPortion(ADDRESS_BLOCK));
        }
        if l.split_whitespace().count() > 5 || l.ends_with(['.', '?', '!']) {
            break;
        }
    }
    if count <= 3 && lines.iter().any(|l| POSTAL.is_match(l)) {
        return Some(Judgement::NotPortion(ADDRESS_BLOCK));
    }
    if count <= 3 && TYPIST.is_match(first) && first.split_whitespace().count() <= 12 {
        return Some(Judgement::NotPortion(ADDRESS_BLOCK));
    }
    if TRAILING_DAMAGED.is_match(lines.last().copied().unwrap_or("")) {
        return Some(Judgement::Ambiguous(
            "it ends with what may be a damaged portion mark",
        ));
    }
    // Every line a short item of a list (`• SIDtoday Article`): a menu, not prose.
    if count >= 2
        && lines.iter().all(|l| {
            LABEL.is_match(l) && l.split_whitespace().count() <= 5 && !l.ends_with(['.', ';'])
        })
    {
        return Some(Judgement::Ambiguous(
            "a list of short items (a menu or an index)",
        ));
    }
    // A short name line, then a title: a signature block.
    if count <= 6
        && !numbered
        && let Some(k) = lines.iter().skip(1).position(|l| TITLE.is_match(l))
        && lines[..=k]
            .iter()
            .all(|l| l.split_whitespace().count() <= 5)
    {
        return Some(Judgement::Ambiguous("it reads as a signature block"));
    }
    // Form boxes OCR'd as `|`, or a line of one- and two-letter scraps (`7 oa oR i`).
    let scraps = first.split_whitespace().filter(|w| w.chars().count() <= 2);
    let first_words = first.split_whitespace().count();
    let long_word = first
        .split_whitespace()
        .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4);
    if !numbered
        && ((first.contains(" | ") && !first.starts_with('|'))
            || ((3..=6).contains(&first_words)
                && !long_word
                && scraps.count() * 4 >= first_words * 3))
    {
        return Some(Judgement::Ambiguous(
            "it reads as OCR noise of a form or table",
        ));
    }
    // Every line a `Caption: value` field and none ending a sentence.
    if count <= 3
        && !numbered
        && lines.iter().all(|l| {
            l.split_once(':').is_some_and(|(label, value)| {
                label.split_whitespace().count() <= 4
                    && label.starts_with(|c: char| c.is_uppercase())
                    && (1..=8).contains(&value.split_whitespace().count())
            }) && !l.ends_with(['.', '?', '!'])
        })
    {
        return Some(Judgement::Ambiguous("it reads as form fields"));
    }
    None
}

/// Does `text` open with what may be a portion mark damaged by OCR (`(SJJREL TO USA,
/// FVEY)`, `(8)`)?
pub fn opens_with_damaged_mark(text: &str) -> bool {
    // The parenthesis first, holding a mark's separator or control (`JJ`, `II` and `/`
    // for `//`, `REL`, `NF`, `FOUO`) or no more than three letters: a subject's own
    // parenthesis (`(CORRECTED COPY)`, `(CUBA IS) A STATE`) is no mark.
    let t = text.trim_start();
    DAMAGED_MARK.is_match(t)
        && t.starts_with('(')
        && t.split_once(')').is_some_and(|(inner, _)| {
            let inner = inner.trim_start_matches('(').to_ascii_uppercase();
            inner.chars().filter(char::is_ascii_alphanumeric).count() <= 3
                || ["//", "/", "II", "JJ", "REL", "NF", "FOUO", "NOFORN"]
                    .iter()
                    .any(|k| inner.contains(k))
        })
}

/// Is this line page furniture (a page number, running footer, image link, database
/// stamp)? What [`judge`] answers with [`FURNITURE_LINE`] for a line that is no banner,
/// without the other tests.
pub fn is_furniture(line: &str) -> bool {
    FURNITURE.is_match(line.trim())
}

/// Judges the unmarked text that starts with `first` (its first line) and reads `text`
/// in full; `banner` says the line is a classification line.
pub fn judge(first: &str, text: &str, banner: bool) -> Judgement {
    if banner {
        return Judgement::NotPortion(BANNER_LINE);
    }
    if is_furniture(first) {
        return Judgement::NotPortion(FURNITURE_LINE);
    }
    judge_text(first, text)
}

/// [`judge`] of a run whose first line the caller has found to be neither a banner nor
/// page furniture ([`is_furniture`]): the furniture regex reads the whole line, and the
/// unmarked-run judge has just asked it of that line.
pub fn judge_text(first: &str, text: &str) -> Judgement {
    let first = first.trim();
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
    // What the run's lines say: a definite non-portion now, an ambiguous one after the
    // first line's own tests (a routing line, a caption, a fragment stay what they are).
    let lines_say = judge_lines(first, text, words);
    if let Some(j @ Judgement::NotPortion(_)) = lines_say {
        return j;
    }
    if TOC.is_match(first) && words <= 16 {
        return Judgement::NotPortion("a table of contents entry");
    }
    if ROUTING.is_match(first) {
        return Judgement::NotPortion("an address, routing or distribution line");
    }
    if first.ends_with(':') && first.split_whitespace().count() <= 6 && words <= 6 {
        return Judgement::NotPortion("a caption without text");
    }
    // Fewer than 12 letters: the count stops at the twelfth (a run may be pages long).
    if text.chars().filter(|c| c.is_alphabetic()).nth(11).is_none() {
        return Judgement::NotPortion(FRAGMENT);
    }
    // Before the run's other shapes: an entry's number reads as a portion's label.
    if first.contains(['↑', '^']) && WIKI_FOOTNOTE.is_match(first) {
        return Judgement::Ambiguous(WIKI_REFERENCE);
    }
    if let Some(j) = lines_say {
        return j;
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

    fn run(text: &str) -> Judgement {
        judge(text.lines().next().unwrap_or(""), text, false)
    }

    #[test]
    fn stamps_address_blocks_authority_fields_and_paths_are_not_portions() {
        for text in [
            "[ 2022 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY me\nASSASSINATION RECORDS ACT",
            "- UNCLASSIFIED WHEN\nSEPARATED FROM ENCLOSURE",
            "7 JUN 1978\nRETURN To\nBackground Use Only\nDo Not Reproduce",
            ": a alg\nDOR-00780\nMEMORANDUM FOR: Chief, Group\nFROM: Chief, Operations",
            "- O/SA/DO/O 2000\nFROM : Mr. Rodger S. Gabrielson",
            "John Pereira\nCL BY\nCL REASON 1.5 (b,c, &d)\nDECL BY X1 DRV FRM LIA 2-82",
            "This document found at:\nI:\\J3\\J34\\FISA\\fbi.doc",
            "Office of the Attorney General\nWashington, D.C. 20530",
            "IMS/ESG Fredrick C. Wickham x44448:mjk (20 August 1998)",
            "2 Incl as stated\nas Lrc, MI\nDirector of Operations",
            // A form's foot: its number letter-spaced, an old-form block, the banner.
            "F O R M A67S6          SECURITY CLASSIFICATION\nR E V N O V 95   DRV FM: NSA/CSSM 1-52\n\
             Dated: 23 November 2004 DECLON: 20291123\nTOP SECRET//COMINT//NOFORN",
            // A wiki page's footer and a template's unfilled parameter.
            "• This page was last modified on 7 January 2013, at 18:59.",
            "This page has been accessed 1,021 times.",
            "{{{issues}}}",
            "10/06/87 MON 17:13 FAX 202 724 0457 ARRB oo7",
            "COMMENTS (Number each comment te show from\nte whom. Drow a line eeront colume afer",
            "O55 cews | COMMENTS (Number each comment to show from whom",
        ] {
            assert!(matches!(run(text), Judgement::NotPortion(_)), "{text}");
        }
    }

    #[test]
    fn signatures_menus_fields_noise_and_damaged_trailing_marks_are_ambiguous() {
        for text in [
            "Fredrick C. Wickham, Jr.\nChief, Information Management Staff,",
            "•   SIDtoday Article\n•   Letter to the Editor\n•   SIGINT Social Media Page",
            "GENA Courtesy Call: 0830-0900\nAccompanying Senior: Mr. James M. Cusick, Director",
            "7 oa oR i\nRodger S. Gabrielson A-1065/6",
            "O55 cews | COMMENT (Number each one to show from whom",
            "4. No information was surfaced with regard to the\noffshore banking accounts. (8)",
            "The source said the minister would travel to the border.\n(Ss) :",
        ] {
            assert!(matches!(run(text), Judgement::Ambiguous(_)), "{text}");
        }
        assert!(opens_with_damaged_mark(
            "(SJJREL TO USA, FVEY) NSA Relationship"
        ));
        assert!(!opens_with_damaged_mark("NSA Relationship with Turkey"));
        for subject in [
            "(CORRECTED COPY) BRAZIL: A/S RADEMAKER'S MEETING",
            "(CUBA IS) A STATE ON THE TAKE",
            "ISA (FORMERLY ILSA): DUTCH AND SHELL",
        ] {
            assert!(!opens_with_damaged_mark(subject), "{subject}");
        }
        // Prose after a caption is a paragraph, not a form field.
        let summary = "SUMMARY: The First Deputy Chairman of the party met the ambassador today.";
        assert_eq!(run(summary), Judgement::Portion);
    }

    #[test]
    fn a_wiki_reference_list_entry_is_a_warning_and_a_numbered_paragraph_stays_a_portion() {
        for entry in [
            "2. ↑ Report OW52244603: OSC (http://opensource.example/frame.html?OW52244603) ,",
            "9. ↑ 9.0 9.1 Journalist death haunts Putin on Germany visit, Reuters 11 October 2006",
            "13. ^ Arrest Made in 2006 Death of Russian Journalist, CNN, 20110531",
        ] {
            assert_eq!(run(entry), Judgement::Ambiguous(WIKI_REFERENCE), "{entry}");
        }
        // The same list without the back-link arrow: numbered paragraphs, portions. An
        // arrow inside the text is no back-link.
        for text in [
            "2. Report OW52244603 says the source met the minister twice in May.",
            "3. The price rose ↑ 20 percent after the minister's visit to the border.",
        ] {
            assert_eq!(run(text), Judgement::Portion, "{text}");
        }
        // A marked entry is marked.
        assert_eq!(
            run("3. ↑ (TS//SI) Insider claims the leader is behind the murder"),
            Judgement::Marked
        );
    }

    #[test]
    fn prose_beside_those_classes_stays_a_portion() {
        for text in [
            "The officer met the source twice in May and reported both meetings.",
            "The station reported that the talks\nwent well, and the minister said he would travel.",
            "2. The Director of Operations asked the station to report the meeting in full.",
            "Chief of station reported that the source was classified by the service as reliable.",
            "The source met the officer in Paris; he asked for money (twice) and more.",
            "2. If so, he is to go to the station at once and report to the chief.",
        ] {
            assert_eq!(run(text), Judgement::Portion, "{text}");
        }
        // Prose the parser joined to the authority block under it.
        for text in [
            "2. The source said the minister would travel.\nClassified By: J. Smith\nDeclassify On: 20450101",
            "The station reported that the talks went on\nuntil late at night and ended well.\nCL BY 0185904\nDECL ON X1",
        ] {
            assert_eq!(run(text), Judgement::Portion, "{text}");
        }
    }
}
