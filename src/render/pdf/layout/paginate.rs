//! Pagination for the PDF typesetter: places the rows and withheld units that
//! [`super::linebreak`] made onto pages between the header and the footer, drawing the
//! declassification box's frame across page breaks.

use super::*;

/// Places body items onto pages.
pub(super) struct Paginator {
    frame: PageFrame,
    pages: Vec<PageDraw>,
    page: PageDraw,
    row: usize,
    /// First and last row of the declassification box being drawn on this page.
    open_frame: Option<(usize, usize)>,
}

impl Paginator {
    pub(super) fn new(frame: PageFrame) -> Self {
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

    pub(super) fn place(&mut self, item: &Item, warnings: &mut Vec<String>) {
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
                    Piece::Text { bytes, .. } => Some(crate::render::pdf::winansi::decode(bytes)),
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

    pub(super) fn finish(mut self) -> Vec<PageDraw> {
        self.close_frame();
        if !self.page.texts.is_empty() || !self.page.fills.is_empty() || self.pages.is_empty() {
            self.pages.push(self.page);
        }
        self.pages
    }
}
