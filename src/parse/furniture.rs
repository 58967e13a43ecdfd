//! Page furniture of extracted text: the lines a page layout adds around the document.
//!
//! `pdftotext`, OCR and archive releases print page numbers (`Page 3 of 14`, `- 3 -`,
//! `## Page 3`), archive stamps (`NW 50953 DocId:32319721 Page 5`, the CIA record prefix
//! `13-00000`, the JFK Records Act release line) on every page. The segmenter gives such a
//! line an element of its own ([`crate::document::ElementKind::Furniture`]): it is never a
//! portion's text, and the portion it interrupts goes on after it as across a page break.
//! Repeated page banners are the segmenter's section banners already. Form feeds are
//! blanks by the time a line gets here (the decoder turns them into spaces).

use regex::Regex;
use std::sync::LazyLock;

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:#{1,6}\s*)?(?:page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|-\s*\d{1,4}\s*-|\d{1,4}\s+of\s+\d{1,4})$",
    )
    .expect("static regex")
});
static ARCHIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:NW\s+\d{3,6}\s+Doc\s*Id\s*[:;]?\s*\d{5,9}\s+Page\s+\d{1,4}|\d{2}-0{5}|(?:\d{4}\s+)?RELEASE(?:D)?\s+UNDER\s+THE\s+(?:PRESIDENT\s+)?JOHN\s+F\.?\s+KENNEDY\s+ASSASSINATION\s+RECORDS\s+(?:COLLECTION\s+)?ACT\s+OF\s+1992.*)$",
    )
    .expect("static regex")
});

/// The longest furniture line, in bytes: stamps are short; longer lines are text.
const MAX_LEN: usize = 160;

/// Is this (trimmed) line page furniture?
pub fn is_furniture(t: &str) -> bool {
    if t.is_empty() || t.len() > MAX_LEN {
        return false;
    }
    // Each form opens with `#`, `-`, a digit, `P`/`p` (Page), `N` (NW) or `R` (RELEASE):
    // prose lines mostly open otherwise and skip the patterns.
    let first = t.as_bytes()[0];
    let may = matches!(
        first,
        b'#' | b'-' | b'0'..=b'9' | b'P' | b'p' | b'N' | b'R' | b'r'
    );
    may && (PAGE_NUMBER.is_match(t) || ARCHIVE.is_match(t))
}

/// Is this (trimmed) line a page number (`## Page 3`, `- 3 -`, `Page 3 of 14`)?
pub fn is_page_number(t: &str) -> bool {
    t.len() <= 24 && PAGE_NUMBER.is_match(t)
}

/// Do `after` (the lines under a line, in order) end its page: only blanks, a code fence
/// (an OCR dump's page wrapper) or a page number before the next page or the end?
pub fn ends_page<'a>(after: impl Iterator<Item = &'a str>) -> bool {
    for line in after {
        let t = line.trim();
        if t.is_empty() || t == "```" {
            continue;
        }
        return is_page_number(t);
    }
    true
}

/// Is this (trimmed) line the number of a page after the first (`## Page 2`, `- 3 -`,
/// `Page 2 of 14`): where a later page begins or the first one ends, past the header?
pub fn later_page_number(t: &str) -> bool {
    if !is_page_number(t) {
        return false;
    }
    let first: String = t
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    first.parse::<u32>().is_ok_and(|n| n >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::ElementKind;
    use crate::parse::parse_str;

    #[test]
    fn later_page_numbers() {
        for t in ["## Page 2", "- 3 -", "Page 2 of 14", "page 12", "3 of 5"] {
            assert!(later_page_number(t), "{t}");
        }
        for t in [
            "## Page 1",
            "Page 1 of 14",
            "- 1 -",
            "Page 3. Names of Hartman (C)",
            "2.",
        ] {
            assert!(!later_page_number(t), "{t}");
        }
    }

    #[test]
    fn furniture_lines() {
        for t in [
            "Page 1 of 14",
            "page 3",
            "## Page 12",
            "- 3 -",
            "2 of 5",
            "NW 50953 DocId:32319721 Page 5",
            "13-00000",
            "2023 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT OF 1992",
            "Released under the John F. Kennedy Assassination Records Collection Act of 1992 (44 USC 2107 Note).",
        ] {
            assert!(is_furniture(t), "{t}");
        }
        for t in [
            "Page 3. Names of Hartman and Egerter (C)",
            "3.",
            "Paris, 2004",
            "- the second item -",
            "Release of the records is planned.",
        ] {
            assert!(!is_furniture(t), "{t}");
        }
    }

    #[test]
    fn a_page_number_inside_a_paragraph_is_its_own_element() {
        let text = "SECRET\n\n1. (S) The program began in 2004 and\n\nPage 2 of 3\n\n\
                    continued through 2009.\n\n2. (U) Next.\n";
        let doc = parse_str(text).expect("parses");
        assert!(doc.check_tiling().is_ok());
        let furniture: Vec<usize> = doc
            .elements
            .iter()
            .filter(|e| e.kind == ElementKind::Furniture)
            .map(|e| e.lines.first)
            .collect();
        assert_eq!(furniture, [5]);
        assert!(!doc.paragraphs[0].text.contains("Page 2"));
        assert!(doc.paragraphs[0].text.contains("continued through 2009"));
        assert_eq!(doc.paragraphs.len(), 2);
    }
}
