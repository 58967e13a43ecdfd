//! A PDF into the document model: its layout text parsed like any text, with the pages
//! that have no text layer reported.
//!
//! Place in the pipeline: `parse::parse` sends PDFs here ([`super::is_pdf`]); the result is
//! the same [`Document`] text input gives, whose line numbers are lines of the layout text
//! (a page's lines follow the form feed that starts it). A page without text is unreadable:
//! an error diagnostic names it, nothing of it is released, and an in-place release covers
//! it whole.

use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use crate::parse::{ParseError, input, parse_lines};

use super::{PdfError, PdfText};

/// Parses a PDF's text.
pub fn parse(bytes: &[u8], name: Option<&str>) -> Result<Document, ParseError> {
    let (pdf, text) = super::read_loaded(bytes).map_err(ParseError::Pdf)?;
    let doc = parse_text(&text, name);
    // A release of these bytes goes on to redact them: it takes the loaded file from here.
    super::keep(bytes, pdf, text);
    doc
}

/// Parses text already read from a PDF.
pub fn parse_text(text: &PdfText, name: Option<&str>) -> Result<Document, ParseError> {
    let textless = text.textless_pages();
    if textless.len() == text.pages.len() {
        return Err(ParseError::Pdf(PdfError::Refused(format!(
            "no page of the PDF has a text layer ({}): nothing can be read",
            pages_list(&textless)
        ))));
    }
    let (lines, encoding) = input::decode(text.text.as_bytes())?;
    let mut doc = parse_lines(lines, encoding, name);
    for page in textless {
        let line = text
            .origins
            .iter()
            .position(|o| o.page == page)
            .map_or(1, |i| i + 1);
        doc.diagnostics.push(Diagnostic::new(
            Code::UnknownMarking,
            line,
            1,
            format!("page {page} has no text layer: unreadable, withheld (fail closed)"),
        ));
    }
    // A reviewer holding the PDF finds a line by its page: every finding says where.
    for d in &mut doc.diagnostics {
        if let Some(o) = text.origin(d.line) {
            d.message = format!("{} [{}]", d.message, o);
        }
    }
    doc.diagnostics.sort_by_key(|d| (d.line, d.column, d.code));
    Ok(doc)
}

/// `1, 3-5` for page lists in messages.
pub fn pages_list(pages: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let mut j = i;
        while j + 1 < pages.len() && pages[j + 1] == pages[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            format!("page {}", pages[i])
        } else {
            format!("pages {}-{}", pages[i], pages[j])
        });
        i = j + 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_lists_are_ranges() {
        assert_eq!(
            super::pages_list(&[1, 3, 4, 5, 9]),
            "page 1, pages 3-5, page 9"
        );
    }
}
