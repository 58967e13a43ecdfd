//! How a body line joins the portion before it: appended (as the same block, a repair
//! across a break or a new block), unless a mark glued into it ranks above that portion; and
//! what a portion mark at a line's end does (it closes the portion and may raise it). Part
//! of the [`super::segmenter::Segmenter`].

use super::items::label_depth;
use super::segmenter::{Join, Segmenter, rank};
use crate::diagnostic::Code;
use crate::document::{ElementKind, LineSpan, Origin, Paragraph, PortionKind};
use crate::parse::lead;
use crate::parse::lines::*;

impl Segmenter<'_> {
    /// Appends a line to the portion before it, unless a mark glued mid-line (`… 2. (C)
    /// SUMMARY: …`) ranks above that portion: then the line starts a portion of its own at
    /// that mark. A line is never split, so the text before the glued mark goes with it:
    /// held at the higher mark, fail closed.
    pub(super) fn append_checked(&mut self, i: usize, text: &str, join: Join) {
        let line = &self.lines[i];
        if self.lines.may_hold_mark(i)
            && let Some(last) = self.paragraphs.last()
            && let Some((at, m)) = lead::glued_or_cell_mark(line, 0)
            && rank(Some(&m)) > rank(last.marking.as_ref())
            && !self.ends_in_cited_number(i, at)
        {
            let column = line[..at].chars().count() + 1;
            self.diag(
                Code::ParagraphOutOfSequence,
                i,
                column,
                format!(
                    "paragraph mark {} glued mid-line: the line starts a portion held at it",
                    m.raw
                ),
            );
            let trimmed = line.trim();
            let from = line.len() - line.trim_start().len();
            let paragraph = Paragraph {
                number: None,
                printed_number: None,
                marking: Some(m),
                origin: Origin::Explicit,
                lead: line[..from].to_string(),
                text: trimmed.to_string(),
                lines: LineSpan::one(i + 1),
                mark_column: column,
                subparagraphs: Vec::new(),
                parent: None,
                heading: false,
                kind: PortionKind::Paragraph,
            };
            self.marked_seen = true;
            let index = self.paragraphs.len();
            self.paragraphs.push(paragraph);
            self.push(ElementKind::Paragraph(index), i);
            return;
        }
        self.append(i, text, join);
    }

    /// Is the mark at byte `at` of line `i`, after a number, the line's trailing mark (`… at
    /// pages 16, 17, and 21. (C)`: the number is one the sentence cites, see
    /// `kind::trailing_mark`)? Then it ends the portion the line goes on in (`end_of_line`),
    /// held at the higher mark, rather than starting one.
    fn ends_in_cited_number(&self, i: usize, at: usize) -> bool {
        let line = &self.lines[i];
        let from = leading_ws(line);
        crate::parse::kind::trailing_mark(line.trim()).is_some_and(|(t_at, _)| from + t_at == at)
    }

    /// After line `i` was given to the body: when it went to the last portion and ends in
    /// a portion mark (`… are domestic communications. (S//SI)`), the portion is closed
    /// there and takes that mark: as its own when it printed none, in place of its own
    /// when the trailing mark ranks above it (fail closed). A mark is never lowered.
    pub(super) fn end_of_line(&mut self, i: usize) {
        self.closed = false;
        if !self.lines.may_hold_mark(i) {
            return;
        }
        let Some(index) = self.paragraphs.len().checked_sub(1) else {
            return;
        };
        if self.paragraphs[index].lines.last != i + 1 {
            return;
        }
        let line = &self.lines[i];
        let from = leading_ws(line);
        // A mark alone on the portion's last line, under its text (taken by
        // `lone_trailing_mark`): it ends the portion like a mark at a line's end.
        if self.paragraphs[index].lines.first <= i
            && self.paragraphs[index].marking.is_some()
            && lead::lead_mark(line).is_some_and(|lm| line[lm.text_start..].trim().is_empty())
        {
            self.closed = true;
            return;
        }
        let Some((at, m)) = crate::parse::kind::trailing_mark(line.trim()) else {
            return;
        };
        self.closed = true;
        self.trailing_seen = true;
        // Header material read as a portion (a `Classified By:`, REF, TAGS or E.O. line, or
        // a flattened `SUBJECT: … REF: … (S)`) ends there, but a mark at its end may be the
        // next paragraph's, glued on by the export: it stays unmarked (withheld when
        // classified). A memo's `SUBJECT: BEER, Henry S. (U)` takes its mark.
        let first = &self.lines[self.paragraphs[index].lines.first - 1];
        let header_like = match field_kind(first) {
            Some(ElementKind::Subject) => first.contains(" REF"),
            Some(_) => true,
            None => crate::parse::fields::is_cab_line(first),
        };
        if self.paragraphs[index].marking.is_none() && header_like {
            return;
        }
        self.marked_seen = true;
        let column = line[..from + at].chars().count() + 1;
        let p = &mut self.paragraphs[index];
        match &p.marking {
            None => {
                if p.lines.first == i + 1 {
                    p.mark_column = column;
                }
                p.marking = Some(m);
                p.origin = Origin::Explicit;
            }
            Some(own) if rank(Some(&m)) > rank(Some(own)) => {
                let message = format!(
                    "trailing mark {} ranks above the portion's own {}: the portion is held at it",
                    m.raw, own.raw
                );
                p.marking = Some(m);
                p.origin = Origin::Explicit;
                self.diag(Code::ParagraphOutOfSequence, i, column, message);
            }
            Some(_) => {}
        }
    }

    /// A glued mark on the first line of the portion just started, after its own mark,
    /// that ranks above it: the portion is held at the glued mark (the line is not split).
    pub(super) fn raise_to_glued(&mut self, i: usize, from: usize) {
        let line = &self.lines[i];
        if !self.lines.may_hold_mark(i) {
            return;
        }
        let Some((at, m)) = lead::glued_or_cell_mark(line, from.min(line.len())) else {
            return;
        };
        let Some(p) = self.paragraphs.last_mut() else {
            return;
        };
        if rank(Some(&m)) <= rank(p.marking.as_ref()) {
            return;
        }
        let column = line[..at].chars().count() + 1;
        let message = format!(
            "paragraph mark {} glued mid-line: the portion is held at it",
            m.raw
        );
        p.marking = Some(m);
        p.origin = Origin::Explicit;
        self.marked_seen = true;
        self.diag(Code::ParagraphOutOfSequence, i, column, message);
    }

    /// Is line `i` (trimmed at its start: `t`) a title: a short line marked at its end
    /// (`Summit Venues (S)`, [`crate::parse::kind::title_mark`]) that does not end the open
    /// sentence above it ([`Segmenter::ends_open_sentence`])?
    pub(super) fn starts_title(&self, i: usize, t: &str, join: Join) -> bool {
        self.lines.may_hold_mark(i)
            && crate::parse::kind::title_mark(t.trim_end()).is_some()
            && !self.ends_open_sentence(i, t, join)
    }

    /// Does line `i` (trimmed at its start: `t`), short and ending in a mark like a title,
    /// end the sentence the line right above it left open? In documents marked at the end
    /// of each portion, the last line of a paragraph is often short (`GIA. (C)`, `in
    /// paragraph 11. (U)`, `arrested? (U)`): it goes on in lower case, or in a document
    /// that has already closed a portion with a trailing mark, under a line that ends in
    /// no sentence end (`… are currently employed by`). Then the mark ends that portion
    /// (`end_of_line`), as any trailing mark does; a title starts its own portion only
    /// after a finished line, a blank line or a break. The portion above must be one
    /// block: a portion joined across blank lines (OCR'd stamps and a memo's header
    /// fields over a subject's last line) never takes the mark under it.
    fn ends_open_sentence(&self, i: usize, t: &str, join: Join) -> bool {
        if join != Join::Line || self.closed {
            return false;
        }
        let Some(p) = self.paragraphs.last() else {
            return false;
        };
        let above = p.text.trim_end();
        if p.lines.last != i || p.heading || above.is_empty() || ends_sentence(above) {
            return false;
        }
        let one_block = (p.lines.first - 1..i).all(|k| !self.lines[k].trim().is_empty());
        one_block && (goes_on_sentence(t) || self.trailing_seen)
    }

    pub(super) fn append(&mut self, i: usize, text: &str, join: Join) {
        if self.paragraphs.is_empty() {
            self.start_paragraph(i, None);
            return;
        }
        let index = self.paragraphs.len() - 1;
        if join == Join::Repair {
            let column = self.lines[i].len() - self.lines[i].trim_start().len() + 1;
            let label = self.paragraphs[index].label(index);
            self.diag(
                Code::ContinuationJoined,
                i,
                column,
                format!("fragment joined to {label}, whose sentence it continues"),
            );
        }
        let p = &mut self.paragraphs[index];
        // A title line with text under it is not a heading but the start of a paragraph.
        p.heading = false;
        let text = text.trim();
        if p.text.is_empty() {
            p.text.push_str(text);
        } else {
            match join {
                Join::Line => p.text.push('\n'),
                Join::Repair => p.text.push(' '),
                Join::Block => p.text.push_str("\n\n"),
            }
            p.text.push_str(text);
        }
        p.lines.last = i + 1;
        self.push(ElementKind::Paragraph(index), i);
    }

    /// Is the last portion marked, and below the highest banner so far? Text that may not
    /// be its own then stands alone rather than take that lower mark.
    pub(super) fn below_banner(&self) -> bool {
        self.paragraphs
            .last()
            .is_some_and(|p| p.marking.is_some() && rank(p.marking.as_ref()) < self.banner_level)
    }

    /// Does an authority block end the last portion before the text `t` (trimmed at its
    /// start) after it? Not when `t` plainly goes on with the portion's sentence (no
    /// sentence end before it, lower case or a comma after it). Otherwise a marked portion
    /// ends there, unless a page boundary (`page_between`: a banner, a page break or page
    /// furniture after the block) says the block was printed at a page's foot and the portion
    /// may go on over the page; even then it ends when it is marked below the document's
    /// level as known so far (the highest of its banners and its portions). An unmarked one
    /// goes on (both are withheld), except where portions are marked at their ends: a mark
    /// further down would take the lines joined across the block under it.
    pub(super) fn block_ends_portion(&self, t: &str, page_between: bool) -> bool {
        let Some(last) = self.paragraphs.last() else {
            return false;
        };
        let ended = last.text.trim_end().ends_with(['.', '!', '?', ':', ';']);
        if !ended && goes_on_sentence(t) {
            return false;
        }
        if last.marking.is_none() {
            return self.trailing_seen;
        }
        !page_between || rank(last.marking.as_ref()) < self.level_so_far()
    }

    /// Is line `i` (no mark at its lead) a table row of its own under the last portion's
    /// last line, itself laid out as a row: both have cells apart by runs of blanks, two
    /// of line `i`'s cells, one after such a run, start in the columns of that line's
    /// cells (the text after its lead mark counts as a cell), and its first cell does not
    /// go on with the sentence of the cell above. Blanks after a sentence's end (`…
    /// began.  The talks`) are typed prose, not a cell's end.
    pub(super) fn row_under_row(&self, i: usize) -> bool {
        let Some(p) = self.paragraphs.last() else {
            return false;
        };
        let last = p.lines.last - 1;
        if last >= i {
            return false;
        }
        let row = Cells::of(&self.lines[i], None);
        if row.gaps.is_empty() {
            return false;
        }
        let above = &self.lines[last];
        let after_mark = mark_at(above).map(|m| above[..m.end].chars().count());
        let over = Cells::of(above, after_mark);
        if over.gaps.is_empty() {
            return false;
        }
        // A line that starts right of the row's first cell fills only later cells: the
        // row above going on in its other columns. One that fills the first cell goes on
        // with the row only when that cell's text plainly goes on with its sentence
        // (`1. (U) The fact that NSA had Presidential` / `authority to intercept …`).
        if row.first > over.first {
            return false;
        }
        let cell = self.lines[i].trim_start();
        let cell = cell.split("   ").next().unwrap_or(cell);
        if goes_on_sentence(cell) {
            return false;
        }
        let shared = |c: &usize| over.first == Some(*c) || over.gaps.contains(c);
        let under_gap = row.gaps.iter().filter(|c| shared(c)).count();
        let under_first = row.first.is_some_and(|c| shared(&c));
        under_gap >= 1 && under_gap + usize::from(under_first) >= 2
    }
}

/// Blanks between two cells of a row: three or more. Two are typed prose as often (a
/// justified cable line, `… sophisticated  a country's …`).
const CELL_GAP: usize = 3;

/// Where the cells of a line start, in chars: its first text (or the text after its lead
/// mark) and each text after [`CELL_GAP`] or more blanks that do not follow a sentence's end.
struct Cells {
    first: Option<usize>,
    gaps: Vec<usize>,
}

impl Cells {
    fn of(line: &str, after_mark: Option<usize>) -> Cells {
        let mut first = None;
        let mut gaps = Vec::new();
        let mut blanks = 0;
        let mut before = ' ';
        for (col, c) in line.chars().enumerate() {
            if c == ' ' || c == '\t' {
                blanks += 1;
                continue;
            }
            match first {
                None => first = Some(col),
                Some(_) if blanks >= CELL_GAP && !matches!(before, '.' | '!' | '?' | ':' | ';') => {
                    gaps.push(col)
                }
                Some(_) => {}
            }
            blanks = 0;
            before = c;
        }
        if let Some(m) = after_mark {
            first = Some(m);
            gaps.retain(|&c| c > m);
        }
        Cells { first, gaps }
    }
}

/// Does text after a page break (trimmed at its start) plainly go on with the sentence
/// before it: in lower case (past OCR specks) or after punctuation that continues one,
/// and not with a list label (`a.`, `(b)`: the next item, not more of the sentence)?
pub(super) fn goes_on_sentence(t: &str) -> bool {
    let first = t.split_whitespace().next().unwrap_or("");
    if label_depth(first).is_some() {
        return false;
    }
    let t = t.trim_start_matches(|c: char| {
        matches!(
            c,
            '"' | '\'' | '`' | '~' | '_' | '^' | '|' | '\u{201C}' | '\u{2018}'
        )
    });
    starts_lower(t) || t.starts_with([',', ';'])
}
