//! Line breaking for the PDF typesetter: turns the declassification block and the body
//! blocks into grid rows and withheld units, breaking words at the column limit and
//! splitting redaction boxes into chunks that fit. [`super::layout`] hands the result to
//! the paginator ([`super::paginate`]).

use super::*;
use crate::render::pdf::winansi::Encoder;
use crate::render::pdf::{Block, PdfError, PdfInput, Span};

/// Turn the declassification block and the body blocks into rows and withheld units.
pub(super) fn body_items(enc: &mut Encoder, input: &PdfInput) -> Result<Vec<Item>, PdfError> {
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
pub(super) fn redaction_chunks(
    label: Vec<u8>,
    width_chars: usize,
) -> Result<Vec<RedactionAtom>, PdfError> {
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
pub(super) struct RowBuilder {
    pub(super) rows: Vec<Row>,
    pub(super) row: Row,
    pub(super) col: usize,
    /// Start column and bytes of the text run being collected.
    pub(super) run_col: usize,
    pub(super) run: Vec<u8>,
    /// Whether the current row continues a wrapped line (its leading spaces are dropped).
    pub(super) continuation: bool,
}

impl RowBuilder {
    pub(super) fn new() -> Self {
        RowBuilder {
            rows: Vec::new(),
            row: Vec::new(),
            col: 0,
            run_col: 0,
            run: Vec::new(),
            continuation: false,
        }
    }

    pub(super) fn flush_run(&mut self) {
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

    pub(super) fn is_empty(&self) -> bool {
        self.row.is_empty() && self.run.is_empty()
    }

    pub(super) fn spaces(&mut self, n: usize) {
        if !self.run.is_empty() {
            self.run.extend(std::iter::repeat_n(b' ', n));
        }
        self.col += n;
    }

    pub(super) fn glyph(&mut self, b: u8) {
        self.glyphs(&[b]);
    }

    pub(super) fn glyphs(&mut self, bytes: &[u8]) {
        if self.run.is_empty() {
            self.run_col = self.col;
        }
        self.run.extend_from_slice(bytes);
        self.col += bytes.len();
    }

    pub(super) fn redaction(&mut self, atom: &RedactionAtom) {
        self.flush_run();
        self.row.push(Piece::Redaction {
            col: self.col,
            width: atom.width,
            label: atom.label.clone(),
        });
        self.col += atom.width;
    }

    /// Close the current row (even if empty: an empty logical line is a blank row).
    pub(super) fn end_row(&mut self, continuation: bool) {
        self.flush_run();
        self.rows.push(std::mem::take(&mut self.row));
        self.col = 0;
        self.continuation = continuation;
    }

    /// Move to a fresh row for wrapping; a row holding nothing but indentation is reused.
    pub(super) fn wrap_row(&mut self) {
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
pub(super) fn wrap(atoms: &[u8], boxes: &[RedactionAtom], cols: usize) -> (Vec<Row>, usize) {
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
