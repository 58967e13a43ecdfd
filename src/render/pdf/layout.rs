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
use super::{Block, PdfError, PdfInput, Span};

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

/// Turn the declassification block and the body blocks into rows and withheld units.
fn body_items(enc: &mut Encoder, input: &PdfInput) -> Result<Vec<Item>, PdfError> {
    let mut items = Vec::with_capacity(input.blocks.len() + input.declass_block.len() + 1);
    if !input.declass_block.is_empty() {
        for line in &input.declass_block {
            let bytes = enc.encode_str(line);
            let wrapped = wrap_plain(&bytes, COLS - 2 * FRAME_INSET);
            if wrapped.is_empty() {
                items.push(Item::Framed(Vec::new()));
            }
            for text in wrapped {
                items.push(Item::Framed(vec![Piece::Text {
                    col: FRAME_INSET,
                    bytes: text,
                }]));
            }
        }
        // The box's bottom rule sits in the following row, so keep that row empty.
        items.push(Item::Blank);
    }

    let mut atoms = Vec::new();
    let mut boxes = Vec::new();
    for block in &input.blocks {
        match block {
            Block::Blank => items.push(Item::Blank),
            Block::Line(spans) => {
                atoms.clear();
                boxes.clear();
                line_atoms(enc, spans, &mut atoms, &mut boxes)?;
                let (rows, _) = wrap(&atoms, &boxes, COLS);
                items.extend(rows.into_iter().map(Item::Row));
            }
            Block::Withheld {
                lead,
                codes,
                height_lines,
            } => items.push(Item::Withheld(withheld_item(
                enc,
                lead,
                codes,
                *height_lines,
            )?)),
        }
    }
    Ok(items)
}

fn withheld_item(
    enc: &mut Encoder,
    lead: &str,
    codes: &str,
    height_lines: usize,
) -> Result<WithheldItem, PdfError> {
    if height_lines == 0 {
        return Err(PdfError::InvalidInput(format!(
            "withheld paragraph {lead:?} has a box height of 0 lines"
        )));
    }
    let mut atoms = Vec::new();
    let mut boxes = Vec::new();
    line_atoms(enc, &[Span::Text(lead.to_owned())], &mut atoms, &mut boxes)?;
    let (lead_rows, end_col) = if atoms.is_empty() {
        (Vec::new(), 0)
    } else {
        wrap(&atoms, &boxes, COLS)
    };
    let codes = enc.encode_str(codes);
    let min_cols = (codes.len() + 2).clamp(MIN_WITHHELD_COLS, COLS);
    let (box_row, col) = if lead_rows.is_empty() {
        (0, 0)
    } else if end_col + min_cols <= COLS {
        (lead_rows.len() - 1, end_col)
    } else {
        (lead_rows.len(), 0)
    };
    let label = wrap_plain(&codes, (COLS - col).saturating_sub(2).max(1));
    Ok(WithheldItem {
        lead: lead_rows,
        box_row,
        col,
        // The box only grows when the codes themselves need more rows: its size never depends
        // on what was withheld.
        rows: height_lines.max(label.len()),
        label,
    })
}

/// Convert a line's spans into atoms for line breaking.
fn line_atoms(
    enc: &mut Encoder,
    spans: &[Span],
    atoms: &mut Vec<u8>,
    boxes: &mut Vec<RedactionAtom>,
) -> Result<(), PdfError> {
    // Column within the current logical line, for tab stops.
    let mut col = 0usize;
    for span in spans {
        match span {
            Span::Text(text) => {
                atoms.reserve(text.len());
                let bytes = text.as_bytes();
                let mut i = 0;
                while i < bytes.len() {
                    // Printable ASCII, space included, is its own atom: copy runs of it whole.
                    let plain = bytes[i..]
                        .iter()
                        .position(|b| !(b' '..=b'~').contains(b))
                        .map_or(bytes.len(), |p| i + p);
                    atoms.extend_from_slice(&bytes[i..plain]);
                    col += plain - i;
                    i = plain;
                    // `i` is at a character boundary: only ASCII was passed over.
                    let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                        break;
                    };
                    i += c.len_utf8();
                    match c {
                        // Newlines, and form feeds (page breaks in typed cables), end the row.
                        '\n' | '\u{c}' => {
                            atoms.push(BREAK);
                            col = 0;
                        }
                        // A CR of a CRLF pair is the same break as the LF.
                        '\r' if bytes.get(i) == Some(&b'\n') => {}
                        '\r' => {
                            atoms.push(BREAK);
                            col = 0;
                        }
                        '\t' => {
                            let n = TAB - col % TAB;
                            atoms.extend(std::iter::repeat_n(SPACE, n));
                            col += n;
                        }
                        _ => {
                            // A transliterated space (e.g. from an em space) may break, and
                            // it is a space atom as it is.
                            let before = atoms.len();
                            enc.push_char(c, atoms);
                            col += atoms.len() - before;
                        }
                    }
                }
            }
            Span::Redaction { codes, width_chars } => {
                let label = enc.encode_str(codes);
                for chunk in redaction_chunks(label, *width_chars)? {
                    col += chunk.width;
                    atoms.push(BOX);
                    boxes.push(chunk);
                }
            }
        }
    }
    Ok(())
}

/// An inline redaction as one or more boxes no wider than a line, each carrying (part of) the
/// codes. The box is `width_chars` wide, grown to fit the codes with a cell of margin each side.
fn redaction_chunks(label: Vec<u8>, width_chars: usize) -> Result<Vec<RedactionAtom>, PdfError> {
    let width = if label.is_empty() {
        width_chars
    } else {
        width_chars.max(label.len() + 2)
    };
    if width == 0 {
        return Err(PdfError::InvalidInput(
            "inline redaction with neither width nor codes would be invisible".into(),
        ));
    }
    if width <= COLS {
        return Ok(vec![RedactionAtom { width, label }]);
    }
    let lines = if label.len() + 2 <= COLS {
        vec![label]
    } else {
        wrap_plain(&label, COLS - 2)
    };
    let chunks = width.div_ceil(COLS).max(lines.len());
    let mut left = width;
    Ok((0..chunks)
        .map(|i| {
            let label = lines[i % lines.len()].clone();
            let w = left.min(COLS).max(label.len() + 2).min(COLS);
            left = left.saturating_sub(w);
            RedactionAtom { width: w, label }
        })
        .collect())
}

/// Builds rows cell by cell.
struct RowBuilder {
    rows: Vec<Row>,
    row: Row,
    col: usize,
    /// Start column and bytes of the text run being collected.
    run_col: usize,
    run: Vec<u8>,
    /// Whether the current row continues a wrapped line (its leading spaces are dropped).
    continuation: bool,
}

impl RowBuilder {
    fn new() -> Self {
        RowBuilder {
            rows: Vec::new(),
            row: Vec::new(),
            col: 0,
            run_col: 0,
            run: Vec::new(),
            continuation: false,
        }
    }

    fn flush_run(&mut self) {
        while self.run.last() == Some(&b' ') {
            self.run.pop();
        }
        if !self.run.is_empty() {
            // A copy of exactly the run's size; the buffer keeps its capacity for the next run
            // instead of growing from nothing again.
            self.row.push(Piece::Text {
                col: self.run_col,
                bytes: self.run.clone(),
            });
            self.run.clear();
        }
    }

    fn is_empty(&self) -> bool {
        self.row.is_empty() && self.run.is_empty()
    }

    fn spaces(&mut self, n: usize) {
        if !self.run.is_empty() {
            self.run.extend(std::iter::repeat_n(b' ', n));
        }
        self.col += n;
    }

    fn glyph(&mut self, b: u8) {
        self.glyphs(&[b]);
    }

    fn glyphs(&mut self, bytes: &[u8]) {
        if self.run.is_empty() {
            self.run_col = self.col;
        }
        self.run.extend_from_slice(bytes);
        self.col += bytes.len();
    }

    fn redaction(&mut self, atom: &RedactionAtom) {
        self.flush_run();
        self.row.push(Piece::Redaction {
            col: self.col,
            width: atom.width,
            label: atom.label.clone(),
        });
        self.col += atom.width;
    }

    /// Close the current row (even if empty: an empty logical line is a blank row).
    fn end_row(&mut self, continuation: bool) {
        self.flush_run();
        self.rows.push(std::mem::take(&mut self.row));
        self.col = 0;
        self.continuation = continuation;
    }

    /// Move to a fresh row for wrapping; a row holding nothing but indentation is reused.
    fn wrap_row(&mut self) {
        if self.is_empty() {
            self.col = 0;
            self.continuation = true;
        } else {
            self.end_row(true);
        }
    }
}

/// The width in cells of a word's atoms; `boxes` are the boxes from the word's first one on.
fn word_width(word: &[u8], boxes: &[RedactionAtom]) -> usize {
    let mut boxes = boxes.iter();
    word.iter()
        .map(|&a| match a {
            BOX => boxes.next().map_or(0, |b| b.width),
            BREAK => 0,
            _ => 1,
        })
        .sum()
}

/// Greedy line breaking at spaces. Words longer than a line are broken between cells; boxes are
/// never split (they were already cut to at most a line). Returns the rows and the column just
/// after the last row's content including trailing spaces (where a withheld box may start).
fn wrap(atoms: &[u8], boxes: &[RedactionAtom], cols: usize) -> (Vec<Row>, usize) {
    if atoms.len() <= cols && !atoms.iter().any(|&a| a == BOX || a == BREAK) {
        return (vec![one_row(atoms)], atoms.len());
    }
    let mut b = RowBuilder::new();
    let mut pending_spaces = 0usize;
    // Index of the first box not yet placed.
    let mut next_box = 0;
    let mut i = 0;
    while i < atoms.len() {
        match atoms[i] {
            SPACE => {
                pending_spaces += 1;
                i += 1;
            }
            BREAK => {
                b.end_row(false);
                pending_spaces = 0;
                i += 1;
            }
            _ => {
                let end = atoms[i..]
                    .iter()
                    .position(|&a| a == SPACE || a == BREAK)
                    .map_or(atoms.len(), |p| i + p);
                let word = &atoms[i..end];
                let has_box = word.contains(&BOX);
                let width = if has_box {
                    word_width(word, &boxes[next_box..])
                } else {
                    word.len()
                };
                let spaces = if b.col == 0 && b.continuation {
                    0
                } else {
                    pending_spaces
                };
                if b.col + spaces + width <= cols {
                    b.spaces(spaces);
                } else {
                    // A word longer than a whole line also starts on a fresh row, so that it is
                    // cut at predictable points below.
                    b.wrap_row();
                }
                if !has_box && b.col + width <= cols {
                    // The common case: the word fits, so it goes on as one piece.
                    b.glyphs(word);
                } else {
                    for &atom in word {
                        let w = if atom == BOX {
                            boxes[next_box].width
                        } else {
                            1
                        };
                        // Only a word longer than a line gets here with a full row: cut it at
                        // the right margin, so it is broken but never clipped.
                        if b.col + w > cols && b.col > 0 {
                            b.wrap_row();
                        }
                        if atom == BOX {
                            b.redaction(&boxes[next_box]);
                            next_box += 1;
                        } else {
                            b.glyph(atom);
                        }
                    }
                }
                pending_spaces = 0;
                i = end;
            }
        }
    }
    let end_col = (b.col + pending_spaces).min(cols);
    b.end_row(true);
    (b.rows, end_col)
}

/// The row that `wrap` makes of text and spaces that fit on one row (most lines of a cable):
/// everything from the first glyph to the last, at the first glyph's column.
fn one_row(atoms: &[u8]) -> Row {
    let Some(first) = atoms.iter().position(|&a| a != SPACE) else {
        return Vec::new();
    };
    let last = atoms.iter().rposition(|&a| a != SPACE).unwrap_or(first);
    vec![Piece::Text {
        col: first,
        bytes: atoms[first..=last].to_vec(),
    }]
}

/// Places body items onto pages.
struct Paginator {
    frame: PageFrame,
    pages: Vec<PageDraw>,
    page: PageDraw,
    row: usize,
    /// First and last row of the declassification box being drawn on this page.
    open_frame: Option<(usize, usize)>,
}

impl Paginator {
    fn new(frame: PageFrame) -> Self {
        Paginator {
            frame,
            pages: Vec::new(),
            page: PageDraw::default(),
            row: 0,
            open_frame: None,
        }
    }

    fn close_frame(&mut self) {
        if let Some((first, last)) = self.open_frame.take() {
            // The rule runs 2 pt above the first row and 4 pt below the last one, clear of the
            // text's ascenders and descenders; the row after the box is kept empty.
            let top = self.frame.row_top(first) + 2;
            let bottom = self.frame.row_top(last) - LEADING - 4;
            self.page.frames.push(Rect {
                x: MARGIN_X,
                y: bottom,
                w: cells_to_pt(COLS, CHAR_WIDTH),
                h: top - bottom,
            });
        }
    }

    fn new_page(&mut self) {
        self.close_frame();
        self.pages.push(std::mem::take(&mut self.page));
        self.row = 0;
    }

    /// Make sure the next `rows` rows are on one page, unless they can't be on any.
    fn ensure_room(&mut self, rows: usize) {
        if self.row + rows > self.frame.rows_per_page && self.row > 0 {
            self.new_page();
        }
    }

    fn draw_row(&mut self, row: &Row) {
        let y = self.frame.baseline(self.row);
        for piece in row {
            match piece {
                Piece::Text { col, bytes } => self.page.texts.push(TextRun {
                    x: col_x(*col),
                    y,
                    white: false,
                    bytes: bytes.clone(),
                }),
                Piece::Redaction { col, width, label } => {
                    self.page
                        .fills
                        .push(self.frame.fill(self.row, 1, *col, *width));
                    if !label.is_empty() {
                        self.page.texts.push(TextRun {
                            x: col_x(col + width.saturating_sub(label.len()) / 2),
                            y,
                            white: true,
                            bytes: label.clone(),
                        });
                    }
                }
            }
        }
    }

    fn place(&mut self, item: &Item, warnings: &mut Vec<String>) {
        match item {
            Item::Blank => {
                // A blank row at the top of a continuation page would only look like a gap,
                // so it is dropped there (including when it is what overflows the page).
                let at_continuation_top = self.row == 0 && !self.pages.is_empty();
                if self.row >= self.frame.rows_per_page {
                    self.new_page();
                } else if !at_continuation_top {
                    self.close_frame();
                    self.row += 1;
                }
            }
            Item::Row(row) => {
                self.close_frame();
                self.ensure_room(1);
                self.draw_row(row);
                self.row += 1;
            }
            Item::Framed(row) => {
                self.ensure_room(1);
                self.open_frame = match self.open_frame {
                    Some((first, _)) => Some((first, self.row)),
                    None => Some((self.row, self.row)),
                };
                self.draw_row(row);
                self.row += 1;
            }
            Item::Withheld(w) => {
                self.close_frame();
                self.place_withheld(w, warnings);
            }
        }
    }

    fn place_withheld(&mut self, w: &WithheldItem, warnings: &mut Vec<String>) {
        let rpp = self.frame.rows_per_page;
        // Never split a box that fits on a page: move the whole paragraph instead. One taller
        // than a page is split anyway, so it starts right here rather than after a blank gap.
        if w.box_row + w.rows <= rpp {
            self.ensure_room(w.box_row + w.rows);
        }
        for row in &w.lead[..w.box_row] {
            self.ensure_room(1);
            self.draw_row(row);
            self.row += 1;
        }
        let mut left = w.rows;
        let mut first = true;
        let mut parts = 0usize;
        while left > 0 {
            // Each part must have room for the codes it carries.
            if self.row >= rpp || rpp - self.row < w.label.len().min(left).max(1) {
                self.new_page();
            }
            let n = left.min(rpp - self.row);
            if first {
                if let Some(row) = w.lead.get(w.box_row) {
                    self.draw_row(row);
                }
                first = false;
            }
            let width = COLS - w.col;
            self.page
                .fills
                .push(self.frame.fill(self.row, n, w.col, width));
            let label_rows = w.label.len().min(n);
            if label_rows < w.label.len() {
                // Only codes thousands of characters long on a page with a huge header get here.
                warnings.push(format!(
                    "codes of a withheld box need {} lines but only {n} fit on the page; shortened",
                    w.label.len()
                ));
            }
            let top = self.row + (n - label_rows) / 2;
            for (i, line) in w.label.iter().take(label_rows).enumerate() {
                self.page.texts.push(TextRun {
                    x: col_x(w.col + width.saturating_sub(line.len()) / 2),
                    y: self.frame.baseline(top + i),
                    white: true,
                    bytes: line.clone(),
                });
            }
            self.row += n;
            left -= n;
            parts += 1;
        }
        if parts > 1 {
            let lead: String = w
                .lead
                .iter()
                .flatten()
                .filter_map(|p| match p {
                    Piece::Text { bytes, .. } => Some(super::winansi::decode(bytes)),
                    Piece::Redaction { .. } => None,
                })
                .collect::<Vec<_>>()
                .join(" ");
            warnings.push(format!(
                "withheld box {lead:?} is {} lines tall, taller than a page; split into {parts} boxes",
                w.rows
            ));
        }
    }

    fn finish(mut self) -> Vec<PageDraw> {
        self.close_frame();
        if !self.page.texts.is_empty() || !self.page.fills.is_empty() || self.pages.is_empty() {
            self.pages.push(self.page);
        }
        self.pages
    }
}

#[cfg(test)]
mod tests;
