//! Line breaking and pagination for the PDF typesetter.
//!
//! Place in the pipeline: release model → `render::pdf` (this module turns a [`PdfInput`] into
//! positioned text runs and boxes, page by page) → `write` (content streams, file bytes).
//!
//! Everything is laid out on a character grid: Courier is monospaced (every glyph is 600/1000
//! em, i.e. 6 pt at 10 pt), so a line is 78 cells of 6 pt and a page body is a stack of 12 pt
//! rows. Working in whole cells and rows keeps every coordinate an integer, which makes the
//! output byte-for-byte reproducible and lets `extract` rebuild spacing exactly.

use super::winansi::Encoder;
use super::{PdfError, PdfInput};

mod linebreak;
mod paginate;

use linebreak::{body_items, wrap};
use paginate::Paginator;

/// US Letter, in points.
pub(crate) const PAGE_WIDTH: i32 = 612;
pub(crate) const PAGE_HEIGHT: i32 = 792;
/// One inch left and right.
pub(crate) const MARGIN_X: i32 = 72;
pub(crate) const FONT_SIZE: i32 = 10;
/// Courier advance width at 10 pt.
pub(crate) const CHAR_WIDTH: i32 = 6;
pub(crate) const LEADING: i32 = 12;
/// Cells per line: (612 − 2 × 72) / 6.
pub(crate) const COLS: usize = 78;

/// From the top of a 12 pt row down to its baseline; leaves room above for accents and below
/// for descenders so that boxes on adjacent rows never touch each other's glyphs.
const BASELINE_DROP: i32 = 9;
/// The running header hangs from half an inch below the paper edge.
const HEADER_TOP: i32 = PAGE_HEIGHT - 36;
/// The footer stands on half an inch above the paper edge.
const FOOTER_BOTTOM: i32 = 36;
/// The body keeps one-inch top and bottom margins unless a tall header/footer needs more.
const BODY_TOP_MAX: i32 = PAGE_HEIGHT - 72;
const BODY_BOTTOM_MIN: i32 = 72;
/// Tab stops every 8 cells, as on the terminals these cables were typed on.
const TAB: usize = 8;
/// Text of the declassification block is inset this many cells inside its ruled box.
const FRAME_INSET: usize = 2;
/// A withheld box narrower than this would look like an inline redaction, so a long lead pushes
/// the box to a row of its own instead.
const MIN_WITHHELD_COLS: usize = 12;

/// A run of text at a baseline position, already WinAnsi-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextRun {
    pub x: i32,
    pub y: i32,
    /// Redaction codes are printed white on their black box.
    pub white: bool,
    pub bytes: Vec<u8>,
}

/// A rectangle in PDF user space (origin bottom left).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

/// What one page shows, in drawing order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct PageDraw {
    /// Black redaction boxes.
    pub fills: Vec<Rect>,
    /// Stroked rules (the declassification block's box).
    pub frames: Vec<Rect>,
    /// Text, top to bottom and left to right.
    pub texts: Vec<TextRun>,
}

/// The typeset document.
#[derive(Debug)]
pub(crate) struct Layout {
    pub pages: Vec<PageDraw>,
    pub warnings: Vec<String>,
}

/// Something placed on a row, positioned in cells.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text {
        col: usize,
        bytes: Vec<u8>,
    },
    Redaction {
        col: usize,
        width: usize,
        label: Vec<u8>,
    },
}

type Row = Vec<Piece>;

/// The units of line breaking are bytes, one per atom, so that words move as slices: a WinAnsi
/// glyph code (0x21..=0xFF) stands for itself, [`SPACE`] is a breakable space, and two control
/// bytes, which encoded text never holds, mark a hard line break and an inline redaction box.
/// The n-th [`BOX`] of a line is the n-th entry of the line's side table of boxes.
const SPACE: u8 = b' ';
/// A hard line break (a newline inside a span).
const BREAK: u8 = b'\n';
/// An inline redaction box.
const BOX: u8 = 0x01;

#[derive(Debug)]
struct RedactionAtom {
    width: usize,
    label: Vec<u8>,
}

/// A body element after line breaking, ready for pagination.
#[derive(Debug)]
enum Item {
    Row(Row),
    Blank,
    /// A row inside the declassification block's ruled box.
    Framed(Row),
    Withheld(WithheldItem),
}

#[derive(Debug)]
struct WithheldItem {
    /// The wrapped lead text ("¶4. (C) ").
    lead: Vec<Row>,
    /// Index of the lead row on which the box starts; `lead.len()` if it starts on a new row.
    box_row: usize,
    /// First cell of the box.
    col: usize,
    /// Box height in rows (already grown to fit the codes).
    rows: usize,
    /// The codes, wrapped to the box width.
    label: Vec<Vec<u8>>,
}

/// Lay out the whole input.
pub(crate) fn layout(input: &PdfInput) -> Result<Layout, PdfError> {
    let mut enc = Encoder::default();

    let header = header_rows(&mut enc, &input.header_marking, &input.header_ids);
    let stamp = enc.encode_str(&input.footer_stamp);
    let marking = enc.encode_str(&input.header_marking);
    let items = body_items(&mut enc, input)?;

    // The footer's shape depends on the page count only through the width of "Page M of M".
    // Paginate assuming a one-digit count; only if the real count's label is wider *and* that
    // changes how the stamp wraps is a second pagination needed.
    let mut label_width = page_label(1, 1).len();
    loop {
        let footer = footer_rows(&stamp, &marking, label_width);
        let frame = PageFrame::new(header.len(), footer.len())?;
        let mut paginator = Paginator::new(frame);
        let mut split_warnings = Vec::new();
        for item in &items {
            paginator.place(item, &mut split_warnings);
        }
        let mut pages = paginator.finish();
        let total = pages.len();
        let needed = page_label(total, total).len();
        if needed > label_width && footer_rows(&stamp, &marking, needed) != footer {
            label_width = needed;
            continue;
        }
        for (i, page) in pages.iter_mut().enumerate() {
            frame.decorate(page, &header, &footer, &page_label(i + 1, total));
        }
        let mut warnings = enc.warnings;
        warnings.extend(split_warnings);
        return Ok(Layout { pages, warnings });
    }
}

fn page_label(page: usize, total: usize) -> Vec<u8> {
    format!("Page {page} of {total}").into_bytes()
}

/// How the running header/footer divide the page, and where the body goes.
#[derive(Debug, Clone, Copy)]
struct PageFrame {
    body_top: i32,
    rows_per_page: usize,
}

impl PageFrame {
    fn new(header_rows: usize, footer_rows: usize) -> Result<Self, PdfError> {
        let rows = |n: usize| {
            i32::try_from(n)
                .unwrap_or(i32::MAX / 2)
                .saturating_mul(LEADING)
        };
        // One empty row separates the header and footer from the body.
        let body_top = if header_rows == 0 {
            BODY_TOP_MAX
        } else {
            BODY_TOP_MAX.min(HEADER_TOP - rows(header_rows + 1))
        };
        let body_bottom = BODY_BOTTOM_MIN.max(FOOTER_BOTTOM + rows(footer_rows + 1));
        let rows_per_page = usize::try_from((body_top - body_bottom) / LEADING).unwrap_or(0);
        if rows_per_page < 1 {
            return Err(PdfError::InvalidInput(
                "the running header and footer are so long that no room is left for the body"
                    .into(),
            ));
        }
        Ok(PageFrame {
            body_top,
            rows_per_page,
        })
    }

    fn row_top(&self, row: usize) -> i32 {
        self.body_top - cells_to_pt(row, LEADING)
    }

    fn baseline(&self, row: usize) -> i32 {
        self.row_top(row) - BASELINE_DROP
    }

    /// The black box over `rows` body rows starting at `row`, `width` cells from `col`. It
    /// stops 1 pt short of the row boundaries so stacked boxes stay visibly separate.
    fn fill(&self, row: usize, rows: usize, col: usize, width: usize) -> Rect {
        Rect {
            x: col_x(col),
            y: self.row_top(row) - cells_to_pt(rows, LEADING) + 1,
            w: cells_to_pt(width, CHAR_WIDTH),
            h: cells_to_pt(rows, LEADING) - 2,
        }
    }

    /// Add the running header and footer to a laid-out page.
    fn decorate(&self, page: &mut PageDraw, header: &[Row], footer: &[Row], label: &[u8]) {
        let mut texts = Vec::with_capacity(page.texts.len() + header.len() + footer.len() + 1);
        for (i, row) in header.iter().enumerate() {
            let y = HEADER_TOP - BASELINE_DROP - cells_to_pt(i, LEADING);
            push_text_pieces(&mut texts, row, y);
        }
        texts.append(&mut page.texts);
        for (i, row) in footer.iter().enumerate() {
            // Rows stack upwards from the bottom edge; the baseline sits 3 pt above the row's
            // bottom so descenders stay inside it.
            let y = FOOTER_BOTTOM + cells_to_pt(footer.len() - 1 - i, LEADING) + 3;
            push_text_pieces(&mut texts, row, y);
            if i == 0 {
                texts.push(TextRun {
                    x: col_x(COLS - label.len().min(COLS)),
                    y,
                    white: false,
                    bytes: label.to_vec(),
                });
            }
        }
        page.texts = texts;
    }
}

fn cells_to_pt(n: usize, size: i32) -> i32 {
    i32::try_from(n)
        .unwrap_or(i32::MAX / size)
        .saturating_mul(size)
}

fn col_x(col: usize) -> i32 {
    MARGIN_X + cells_to_pt(col, CHAR_WIDTH)
}

fn push_text_pieces(texts: &mut Vec<TextRun>, row: &Row, y: i32) {
    for piece in row {
        if let Piece::Text { col, bytes } = piece {
            texts.push(TextRun {
                x: col_x(*col),
                y,
                white: false,
                bytes: bytes.clone(),
            });
        }
    }
}

/// Header: the marking on the left and the case/document ids on the right; if they don't fit
/// side by side the ids go right-aligned on rows of their own.
fn header_rows(enc: &mut Encoder, marking: &str, ids: &str) -> Vec<Row> {
    let marking = enc.encode_str(marking);
    let ids = enc.encode_str(ids);
    let mut rows = Vec::new();
    if ids.is_empty() {
        rows.extend(wrap_plain(&marking, COLS).into_iter().map(left_row));
    } else if marking.len() + 2 + ids.len() <= COLS {
        let mut row = left_row(marking);
        row.push(Piece::Text {
            col: COLS - ids.len(),
            bytes: ids,
        });
        rows.push(row);
    } else {
        rows.extend(wrap_plain(&marking, COLS).into_iter().map(left_row));
        rows.extend(wrap_plain(&ids, COLS).into_iter().map(right_row));
    }
    rows.retain(|r| !r.is_empty());
    rows
}

/// Footer: the release stamp on the left of the first row (its right end is kept free for
/// "Page N of M", added per page), then the classification marking centered on the last row.
fn footer_rows(stamp: &[u8], marking: &[u8], label_width: usize) -> Vec<Row> {
    let stamp_cols = COLS.saturating_sub(label_width + 2).max(1);
    let mut rows: Vec<Row> = wrap_plain(stamp, stamp_cols)
        .into_iter()
        .map(left_row)
        .collect();
    if rows.is_empty() {
        rows.push(Vec::new());
    }
    rows.extend(wrap_plain(marking, COLS).into_iter().map(centered_row));
    rows
}

fn left_row(bytes: Vec<u8>) -> Row {
    if bytes.is_empty() {
        Vec::new()
    } else {
        vec![Piece::Text { col: 0, bytes }]
    }
}

fn right_row(bytes: Vec<u8>) -> Row {
    let col = COLS.saturating_sub(bytes.len());
    vec![Piece::Text { col, bytes }]
}

fn centered_row(bytes: Vec<u8>) -> Row {
    let col = COLS.saturating_sub(bytes.len()) / 2;
    vec![Piece::Text { col, bytes }]
}

/// Break encoded text (no boxes) into lines of at most `cols` cells. Leading spaces of the first
/// line are kept; lines are returned with their indentation as leading spaces.
fn wrap_plain(bytes: &[u8], cols: usize) -> Vec<Vec<u8>> {
    if bytes.iter().all(|&b| b == b' ') {
        return Vec::new();
    }
    // Encoded text is already atoms: glyph codes and spaces.
    let (rows, _) = wrap(bytes, &[], cols);
    rows.into_iter()
        .map(|row| {
            let mut line = Vec::new();
            for piece in row {
                if let Piece::Text { col, bytes } = piece {
                    line.resize(col, b' ');
                    line.extend_from_slice(&bytes);
                }
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests;
