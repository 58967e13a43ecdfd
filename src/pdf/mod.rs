//! PDF input: the PDFs reviewers hold, read as text with positions, and released in place.
//!
//! Place in the pipeline: bytes that start like a PDF ([`is_pdf`]) are turned by [`read`]
//! into the text `pdftotext -layout` would give (page by page, form feeds between pages), which
//! `parse` reads like any text; each line of that text remembers its page and the row of
//! fragments it came from, so that [`redact`] can take a withheld line's glyphs out of the
//! page's content stream and [`clean`] can write the result fresh. Content streams are run by
//! the interpreter `verify` uses to read PDFs as an attacker would, so the two never disagree
//! on what a page says.

pub mod clean;
pub mod input;
pub mod layout;
pub mod paint;
pub mod redact;
pub mod release;

/// The ToUnicode CMap reader fonts are read with (public for the comparison with lopdf's
/// in `tests/pdf_cmap.rs` and `examples/pdf_cmap_sweep.rs`).
pub use crate::verify::pdf::content::cmap::{Range, Target, ToUnicode};
pub use input::parse;

use std::fmt;

use std::cell::RefCell;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::verify::pdf::content::{
    Fragment, GlyphSource, IDENTITY, Image, Interpreter, MAX_STREAM, Resources,
};
use crate::verify::pdf::cover;
pub use layout::Row;

/// How far into a file the `%PDF-` header may start (viewers accept bytes before it).
const HEADER_WINDOW: usize = 1024;

/// Whether `bytes` are a PDF, by content: `%PDF-` within the first kilobyte.
pub fn is_pdf(bytes: &[u8]) -> bool {
    header_offset(bytes).is_some()
}

fn header_offset(bytes: &[u8]) -> Option<usize> {
    let window = &bytes[..bytes.len().min(HEADER_WINDOW)];
    window.windows(5).position(|w| w == b"%PDF-")
}

/// Why a PDF could not be read. Every one is "could not run" for that file: nothing in it
/// can be reviewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    Encrypted,
    /// The structure could not be read (damaged, truncated, or not a PDF at all).
    Damaged(String),
    /// Readable, but not something declass can release in place; the reason names the page.
    Refused(String),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::Encrypted => f.write_str("the PDF is encrypted: its text cannot be read"),
            PdfError::Damaged(why) => write!(f, "the PDF cannot be read: {why}"),
            PdfError::Refused(why) => f.write_str(why),
        }
    }
}

impl PdfError {
    /// Whether the file cannot be read at all (encrypted, damaged, or not the PDF it claims
    /// to be): for it the job could not run, which the CLI reports with exit 2. A refusal
    /// is a failed document like any other.
    pub fn unreadable(&self) -> bool {
        matches!(self, PdfError::Encrypted | PdfError::Damaged(_))
    }
}

impl std::error::Error for PdfError {}

/// A page as read.
#[derive(Debug)]
pub struct Page {
    pub id: ObjectId,
    pub fragments: Vec<Fragment>,
    pub images: Vec<Image>,
    /// Lines of the page: rows of text, or blank lines for vertical gaps.
    pub lines: Vec<Option<Row>>,
    /// `[x0, y0, x1, y1]` of the page's MediaBox.
    pub media_box: [f32; 4],
    /// Notes from the interpreter (a stream it could not decode, a form nested too deep).
    pub notes: Vec<String>,
    /// Glyphs the source itself hides under a filled box (an earlier redaction drawn over
    /// text left in place, text painted invisibly or in the box's colour on it), found by the
    /// check `verify` runs: [`redact`] takes them out as if withheld.
    pub hidden: Vec<GlyphSource>,
    /// The page's content as decoded once for reading (`None` if it could not be decoded):
    /// the redaction edits these operations, whose indexes the fragments carry.
    pub ops: Option<Vec<Operation>>,
}

impl Page {
    /// A page that draws no text: a scan without a text layer, or a picture.
    pub fn textless(&self) -> bool {
        self.lines.iter().all(Option::is_none)
    }
}

/// Where a line of the extracted text comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// 1-based page number.
    pub page: usize,
    /// 1-based line on that page, counted as in the text.
    pub line: usize,
}

/// `p3:12`: page 3, line 12 of that page, as findings on PDF input say where they are.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "p{}:{}", self.page, self.line)
    }
}

/// A PDF read as text.
#[derive(Debug)]
pub struct PdfText {
    /// The layout text, `\f` before every page after the first and after the last, as
    /// `pdftotext` writes it.
    pub text: String,
    /// One entry per line of `text` (1-based line `n` is `origins[n - 1]`).
    pub origins: Vec<Origin>,
    pub pages: Vec<Page>,
}

impl PdfText {
    /// Pages with no text at all (1-based), which are unreadable and fail closed.
    pub fn textless_pages(&self) -> Vec<usize> {
        (1..=self.pages.len())
            .filter(|&n| self.pages[n - 1].textless())
            .collect()
    }

    /// The page and line a 1-based text line comes from.
    pub fn origin(&self, line: usize) -> Option<Origin> {
        line.checked_sub(1)
            .and_then(|i| self.origins.get(i))
            .copied()
    }

    /// The row a 1-based text line was laid out from (`None` for blank lines).
    pub fn row(&self, line: usize) -> Option<&Row> {
        let o = self.origin(line)?;
        self.pages[o.page - 1].lines.get(o.line - 1)?.as_ref()
    }
}

/// Loads a PDF, refusing encrypted ones.
pub fn load(bytes: &[u8]) -> Result<Document, PdfError> {
    let start = header_offset(bytes)
        .ok_or_else(|| PdfError::Damaged("no %PDF- header in the first 1024 bytes".into()))?;
    let doc = Document::load_mem(&bytes[start..]).map_err(|e| PdfError::Damaged(e.to_string()))?;
    if doc.is_encrypted() || doc.trailer.get(b"Encrypt").is_ok() {
        return Err(PdfError::Encrypted);
    }
    if doc.get_pages().is_empty() {
        return Err(PdfError::Damaged("the PDF has no pages".into()));
    }
    Ok(doc)
}

/// Reads a PDF's text with positions.
pub fn read(bytes: &[u8]) -> Result<PdfText, PdfError> {
    Ok(read_loaded(bytes)?.1)
}

thread_local! {
    /// The last PDF this thread read for parsing, loaded and read, with its bytes: a release
    /// parses the input and then redacts the same bytes, and loading and interpreting a PDF
    /// is most of the work. At most one is kept; it is taken, not shared, by the next read
    /// of the same bytes (anything else replaces it).
    static LAST_READ: RefCell<Option<(Vec<u8>, Document, PdfText)>> = const { RefCell::new(None) };
}

/// Keeps `doc` and `text`, read from `bytes`, for the next [`read_loaded`] of those bytes.
pub(crate) fn keep(bytes: &[u8], doc: Document, text: PdfText) {
    LAST_READ.with(|l| *l.borrow_mut() = Some((bytes.to_vec(), doc, text)));
}

/// A PDF loaded and read: what `keep` kept for the same bytes, else loaded and read now.
/// The two are the same (reading does not change the document).
pub fn read_loaded(bytes: &[u8]) -> Result<(Document, PdfText), PdfError> {
    let kept = LAST_READ.with(|l| {
        let mut l = l.borrow_mut();
        match l.take() {
            Some((kept, doc, text)) if kept == bytes => Some((doc, text)),
            _ => None,
        }
    });
    if let Some(read) = kept {
        return Ok(read);
    }
    let doc = load(bytes)?;
    let text = read_doc(&doc)?;
    Ok((doc, text))
}

/// Reads an already-loaded PDF's text with positions.
pub fn read_doc(doc: &Document) -> Result<PdfText, PdfError> {
    let mut pages = Vec::new();
    // One interpreter for all pages: fonts shared by pages are loaded once.
    let mut it = Interpreter::new(doc);
    for (number, id) in doc.get_pages() {
        pages.push(read_page(doc, &mut it, number as usize, id)?);
    }
    let mut text = String::new();
    let mut origins = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            text.push('\x0c');
        }
        for (j, line) in page.lines.iter().enumerate() {
            if let Some(row) = line {
                text.push_str(&row.text);
            }
            text.push('\n');
            origins.push(Origin {
                page: i + 1,
                line: j + 1,
            });
        }
    }
    // pdftotext ends the last page with a form feed too; it stands on a line of its own.
    text.push('\x0c');
    origins.push(Origin {
        page: pages.len(),
        line: pages.last().map_or(0, |p| p.lines.len()) + 1,
    });
    Ok(PdfText {
        text,
        origins,
        pages,
    })
}

/// The resources a page draws with: its own dictionary, then what it inherits.
pub(crate) fn page_resources(doc: &Document, id: ObjectId) -> Resources<'_> {
    let (own, inherited) = doc.get_page_resources(id).unwrap_or((None, Vec::new()));
    let mut dicts: Vec<&Dictionary> = own.into_iter().collect();
    dicts.extend(inherited.iter().filter_map(|i| doc.get_dictionary(*i).ok()));
    Resources { dicts }
}

/// A page's content streams as one (the operation indexes [`redact`] edits refer to it).
pub(crate) fn page_content(
    doc: &Document,
    number: usize,
    id: ObjectId,
) -> Result<Vec<u8>, PdfError> {
    let mut content = Vec::new();
    for stream_id in doc.get_page_contents(id) {
        let Ok(Object::Stream(s)) = doc.get_object(stream_id) else {
            return Err(PdfError::Damaged(format!(
                "page {number}: content stream {} {} R is missing",
                stream_id.0, stream_id.1
            )));
        };
        let data = s.decompressed_content_with_limit(MAX_STREAM).map_err(|e| {
            PdfError::Damaged(format!(
                "page {number}: content stream {} {} R cannot be decompressed ({e})",
                stream_id.0, stream_id.1
            ))
        })?;
        content.extend_from_slice(&data);
        // Streams are split anywhere between tokens; a separator keeps tokens apart.
        content.push(b'\n');
    }
    Ok(content)
}

/// The name fragments drawn by the page's own content carry (others come from forms).
pub(crate) const PAGE_STREAM: &str = "page";

fn read_page<'a>(
    doc: &'a Document,
    it: &mut Interpreter<'a>,
    number: usize,
    id: ObjectId,
) -> Result<Page, PdfError> {
    let content = page_content(doc, number, id)?;
    let resources = page_resources(doc, id);
    it.next_page();
    let ops = Content::decode(&content).ok().map(|c| c.operations);
    match &ops {
        Some(ops) => it.run_ops(ops, PAGE_STREAM, &resources, IDENTITY, 0, &mut Vec::new()),
        // The interpreter notes that the content could not be decoded.
        None => it.run(
            &content,
            PAGE_STREAM,
            &resources,
            IDENTITY,
            0,
            &mut Vec::new(),
        ),
    }
    let media_box = match doc
        .get_dictionary(id)
        .ok()
        .and_then(|d| inherited(doc, d, b"MediaBox"))
    {
        Some(Object::Array(a)) if a.len() == 4 => {
            let n = |i: usize| match a[i] {
                Object::Integer(v) => v as f32,
                Object::Real(v) => v,
                _ => 0.0,
            };
            [n(0), n(1), n(2), n(3)]
        }
        _ => [0.0, 0.0, 612.0, 792.0],
    };
    let hidden = cover::hidden(&cover::Painted {
        glyphs: &it.glyphs,
        fills: &it.fills,
        images: &it.images,
        shadings: &it.shadings,
    })
    .into_iter()
    .map(|i| it.glyph_sources[i])
    .collect();
    let fragments = std::mem::take(&mut it.fragments);
    let lines = layout::lay_out(&fragments);
    Ok(Page {
        id,
        fragments,
        images: std::mem::take(&mut it.images),
        lines,
        media_box,
        notes: std::mem::take(&mut it.notes),
        hidden,
        ops,
    })
}

/// A page attribute, looked up through the page tree's parents.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut dict = page;
    for _ in 0..32 {
        if let Ok(o) = dict.get(key) {
            return Some(doc.dereference(o).map_or(o, |(_, o)| o));
        }
        let parent = dict.get(b"Parent").and_then(Object::as_reference).ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}
