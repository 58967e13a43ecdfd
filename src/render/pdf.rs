//! PDF typesetter for released cables.
//!
//! Place in the pipeline: release model → `render::pdf` → bytes. The release stage flattens a
//! reviewed cable into a [`PdfInput`] (running header, footer stamp, declassification block,
//! lines of text with inline redactions, withheld paragraphs as fixed-height boxes) and
//! [`render`] turns it into a self-contained PDF: US Letter, standard-14 Courier 10 pt with
//! WinAnsi encoding (nothing embedded), 78 columns between one-inch margins. The input holds
//! only what may be published — withheld text never reaches this module — and the output
//! carries nothing else: no dates, paths or user names, no XMP, a fixed `/Producer`, and a file
//! identifier hashed from the page content, so the same input always gives the same bytes.
//!
//! [`extract`] reads such a file back to text (plus everything in its Info dictionary and
//! metadata) so the release can verify that nothing withheld leaked into it.
//!
//! Submodules: `winansi` (character mapping), `layout` (line breaking, pagination), `write`
//! (content streams and file), `extract` (reading back).

mod extract;
mod layout;
mod winansi;
mod write;

use std::fmt;

/// Everything the typesetter needs; built by the release stage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfInput {
    /// Running header printed on every page, left part, e.g. "UNCLASSIFIED".
    pub header_marking: String,
    /// Right part of the running header, e.g. "Case No. F-2026-00001  Doc No. C0001  Date: 01/01/2026" (may be empty).
    pub header_ids: String,
    /// Footer stamp on every page, e.g. "RELEASE IN PART B1, 1.4(B), 1.4(D)"; "Page N of M" is added by the typesetter.
    pub footer_stamp: String,
    /// Optional declassification block (32 CFR 2001.25 style lines), printed in a ruled box on page 1 top.
    pub declass_block: Vec<String>,
    /// The body, top to bottom.
    pub blocks: Vec<Block>,
}

/// One element of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// One logical line of text made of spans; wrapped to the page width (never cut), continuation lines flush left.
    /// A newline (or CR, CRLF, form feed) inside a span is a hard line break; tabs expand to 8-column stops.
    Line(Vec<Span>),
    /// An empty line.
    Blank,
    /// A withheld paragraph: `lead` (e.g. "¶4. (C) ") then a filled black box `height_lines` lines tall spanning the
    /// rest of the text width, with `codes` (e.g. "B1, 1.4(B), 1.4(D)") printed in white inside it. Box size must not depend
    /// on the withheld text (caller passes a fixed height).
    Withheld {
        lead: String,
        codes: String,
        height_lines: usize,
    },
}

/// A piece of a [`Block::Line`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    Text(String),
    /// An inline redaction: a filled box `width_chars` characters wide with `codes` printed in white inside
    /// (if the codes are longer than the box, the box grows to fit the codes).
    Redaction {
        codes: String,
        width_chars: usize,
    },
}

/// A rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfOutput {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Things the reader of the release should know about: each distinct character that had to
    /// be substituted, and withheld boxes too tall for one page.
    pub warnings: Vec<String>,
}

/// What [`extract`] found in a PDF.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfText {
    /// The text of every page in reading order, one string per page, a newline per text row.
    pub pages: Vec<String>,
    /// Every entry of the Info dictionary as (key, value as text).
    pub info: Vec<(String, String)>,
    /// The decoded content of every metadata stream (XMP or other).
    pub metadata: Vec<String>,
    /// Every string object anywhere else in the file (annotations, outlines, form fields, the
    /// trailer except its `/ID`). Files from [`render`] have none.
    pub other_strings: Vec<String>,
    /// Streams that are neither page content nor metadata (fonts, images, form XObjects), whose
    /// text `pages` does not cover. Files from [`render`] have none.
    pub other_streams: usize,
    /// An XMP packet exists anywhere in the file.
    pub has_xmp: bool,
    /// The file has more than one revision (incremental updates may keep older text).
    pub has_incremental_updates: bool,
}

impl PdfText {
    /// All page text, pages separated by a form feed.
    pub fn text(&self) -> String {
        self.pages.join("\u{c}")
    }
}

/// Why rendering or extraction failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum PdfError {
    /// The input cannot be typeset as asked (e.g. a withheld box 0 lines tall).
    InvalidInput(String),
    /// Writing the file into memory failed.
    Write(std::io::Error),
    /// The PDF library failed: compressing a stream, or parsing a file given to [`extract`].
    Pdf(lopdf::Error),
    /// [`extract`] was given a file it cannot read (e.g. encrypted).
    Unsupported(String),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::InvalidInput(why) => write!(f, "cannot typeset the release: {why}"),
            PdfError::Write(_) => write!(f, "cannot write the PDF"),
            PdfError::Pdf(_) => write!(f, "PDF processing failed"),
            PdfError::Unsupported(why) => write!(f, "unsupported PDF: {why}"),
        }
    }
}

impl std::error::Error for PdfError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PdfError::Write(e) => Some(e),
            PdfError::Pdf(e) => Some(e),
            PdfError::InvalidInput(_) | PdfError::Unsupported(_) => None,
        }
    }
}

impl From<lopdf::Error> for PdfError {
    fn from(e: lopdf::Error) -> Self {
        PdfError::Pdf(e)
    }
}

/// How to write the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Flate-compress the page content streams. Off by default: compressed files are about half
    /// the size, but writing them is about five times slower (lopdf always uses zlib level 9),
    /// their bytes would depend on the compressor's version, and uncompressed pages can be
    /// audited for leaks with plain `grep`.
    pub compress: bool,
}

/// Typeset a release into PDF bytes (content streams uncompressed; see [`RenderOptions`]).
pub fn render(input: &PdfInput) -> Result<PdfOutput, PdfError> {
    render_with(input, RenderOptions::default())
}

/// Typeset a release into PDF bytes with explicit output options.
pub fn render_with(input: &PdfInput, options: RenderOptions) -> Result<PdfOutput, PdfError> {
    let layout = layout::layout(input)?;
    let pages = layout.pages.len();
    let contents = layout
        .pages
        .iter()
        .map(|page| {
            let mut out = Vec::with_capacity(4096);
            write::content_stream(page, &mut out);
            out
        })
        .collect();
    let bytes = write::document(contents, options.compress)?;
    Ok(PdfOutput {
        bytes,
        pages,
        warnings: layout.warnings,
    })
}

/// For leak verification: the text of every page (in reading order, one string per page) plus every string found in
/// the document's Info dictionary and any metadata stream, and a flag if XMP metadata or incremental updates exist.
pub fn extract(bytes: &[u8]) -> Result<PdfText, PdfError> {
    extract::extract(bytes)
}

#[cfg(test)]
mod tests;
