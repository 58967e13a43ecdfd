//! The segmenter's state and its handling of each kind of body line: which line starts a
//! portion and which joins the portion before it (the same block, a repair across a break,
//! a new block). Driven line by line from [`super::segment`]; how a portion starts is in
//! [`super::start`], how a line joins one and what a mark at its end does in
//! [`super::join`], header fields the body finds late in [`super::late_fields`], what a
//! line's label and layout say about list items and headings in [`super::items`].

use super::items::label_depth;
use super::join::goes_on_sentence;
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Element, ElementKind, LineSpan, Lines, Paragraph};
use crate::marking::portion::{self, Place};
use crate::marking::{Level, Marking};
use crate::parse::lead::{LeadKind, LeadMark};
use crate::parse::lines::*;

/// How a line joins the paragraph text before it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Join {
    /// The next line of the same block.
    Line,
    /// Across a blank line or a page break, mid-sentence: a repair, joined with a space.
    Repair,
    /// Across a blank line after a finished sentence: the paragraph goes on.
    Block,
}

pub(super) struct Segmenter<'a> {
    pub(super) lines: &'a Lines,
    pub(super) paragraphs: Vec<Paragraph>,
    pub(super) elements: Vec<Element>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) last_number: Option<u32>,
    /// Has a numbered paragraph been seen? Then unnumbered fragments belong to it.
    pub(super) numbered: bool,
    /// The last `(A)`-style list label in the current paragraph, so `(C)` after `(B)` is
    /// read as a label, not a CONFIDENTIAL mark.
    pub(super) label_letter: Option<char>,
    /// Has a portion with a printed mark started? Header fields end there.
    pub(super) marked_seen: bool,
    /// The highest level a banner or section banner so far has printed: no text on the
    /// page ranks above it, so text after a page break may join a portion marked that high
    /// without being held too low.
    pub(super) banner_level: Level,
    /// Was the page boundary before this line a printed page's (a repeated banner, a page
    /// number, a form feed) or a rule (`______` above a footnote)? A cable's own page line
    /// (`BAKU 00001771 002 OF 003`) is the telegram system's, cut mid-paragraph, where no
    /// portion mark is ever lost.
    pub(super) banner_break: bool,
    /// Did the last line given to a portion end in a portion mark (`… the Act. (U)`)?
    /// Documents marked at the end of each portion close it there: the next line starts
    /// a new portion.
    pub(super) closed: bool,
    /// Has a portion been closed by a mark at its end? Then the document marks its
    /// portions at their ends, and a mark alone on the line under a portion's last
    /// sentence is that portion's (see [`Segmenter::lone_trailing_mark`]).
    pub(super) trailing_seen: bool,
    /// Does the document print each paragraph on one line (SIDtoday's Markdown, some
    /// exports)? Read once, when first asked (see [`Segmenter::unwrapped`]).
    pub(super) unwrapped: std::cell::OnceCell<bool>,
}

/// How high a portion's marking ranks when a mark glued into one of its lines is weighed
/// against it: unreadable as the highest, unmarked as U (an unmarked portion is withheld in
/// a classified document anyway, and a glued `(U)` must not make it releasable).
pub(super) fn rank(m: Option<&Marking>) -> Level {
    match m {
        Some(m) if m.is_unknown() => Level::TS,
        Some(m) => m.level,
        None => Level::U,
    }
}

impl Segmenter<'_> {
    pub(super) fn push(&mut self, kind: ElementKind, index: usize) {
        self.elements.push(Element {
            kind,
            lines: LineSpan::one(index + 1),
        });
    }

    pub(super) fn diag(
        &mut self,
        code: Code,
        index: usize,
        column: usize,
        message: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::new(code, index + 1, column, message));
    }

    pub(super) fn ends_mid_sentence(&self) -> bool {
        self.paragraphs
            .last()
            .is_some_and(|p| !p.text.is_empty() && !ends_sentence(p.text.trim_end()))
    }

    pub(super) fn line(
        &mut self,
        i: usize,
        join: Join,
        after_blank: bool,
        after_break: bool,
        lead: Option<LeadMark>,
        numbered: Option<(&str, u32, usize)>,
    ) {
        let line = &self.lines[i];
        // A number behind OCR damage (`*9.`, `7 5.`, `1,`) at a block's start.
        let numbered = match numbered {
            None if lead.is_none()
                && (after_blank || after_break || self.paragraphs.is_empty()) =>
            {
                self.specked_number(i)
                    .map(|(lead_len, printed, after)| (&line[..lead_len], printed, after))
            }
            n => n,
        };
        if let Some((lead_text, printed, after)) = numbered {
            match self.accept_number(i, printed, &line[after..], join, lead.is_some()) {
                Some(number) => {
                    self.start_paragraph(i, Some((lead_text, printed, number, after)));
                    return;
                }
                None if self.closed || self.under_u_lead_in(line.trim_start(), join) => {
                    // Not under a closed portion, nor under a U lead-in (below).
                    self.start_paragraph(i, None);
                    return;
                }
                None => {
                    // A false start: text of the paragraph before.
                    let text = line.trim_start().trim_start_matches('¶').trim_start();
                    self.append_checked(i, text, join);
                    return;
                }
            }
        }
        if let Some(lm) = &lead
            && self.lone_trailing_mark(i, lm)
        {
            let marking = lm.marking.clone();
            let column = line[..lm.mark_start].chars().count() + 1;
            self.append(i, line.trim(), Join::Line);
            if let Some(p) = self.paragraphs.last_mut() {
                p.marking = Some(marking);
                p.origin = crate::document::Origin::Explicit;
                if p.lines.first == i + 1 {
                    p.mark_column = column;
                }
            }
            self.marked_seen = true;
            return;
        }
        let t = line.trim_start();
        // `II. (U) Macro conditions`, `¶A. (U) POST:`: a labelled section with its own mark.
        if (after_blank || self.paragraphs.is_empty())
            && !after_break
            && join != Join::Repair
            && let Some(label) = LABELLED.find(line)
        {
            let at = label.end();
            if let Some(m) = mark_at(&line[at..])
                && portion::is_mark(m.mark, Place::AfterNumber)
            {
                self.start_labelled(i, at);
                return;
            }
        }
        let mut lead = lead.or_else(|| self.damaged_label_mark(i));
        if t.starts_with('(')
            && let Some(m) = mark_at(t)
        {
            let letter = single_letter(m.mark);
            let is_label = letter.is_some_and(|c| {
                self.label_letter
                    .is_some_and(|prev| (prev as u8) + 1 == c as u8)
                    || (c == 'A' || c == 'a')
            });
            if let Some(c) = letter
                && is_label
            {
                // `(A)`, `(B)`, `(C)`: list labels in sequence, not marks.
                self.label_letter = Some(c.to_ascii_uppercase());
                lead = lead.filter(|lm| lm.kind != LeadKind::Bare);
            } else if (after_blank || self.paragraphs.is_empty())
                && !after_break
                && join != Join::Repair
                && portion::is_mark(m.mark, Place::LineStart)
            {
                self.start_paragraph(i, None);
                return;
            }
        }
        // Any other line whose lead carries a mark: a portion of its own, never a
        // continuation (a sub-portion under the paragraph when its lead is a label or a
        // bullet, or when it follows the paragraph's text without a break).
        // A table row's first cell prints no mark of its own: its words may be the text of
        // the portion before, running on in a column beside the row. So a row never starts
        // under an unmarked portion (the line stays that portion's, withheld with it), and
        // it is never held below the portion before it.
        let row_floor = match &lead {
            Some(lm) if lm.kind == LeadKind::Cell => match self.paragraphs.last() {
                Some(p) if p.marking.is_none() => None,
                last => Some(last.and_then(|p| p.marking.clone())),
            },
            _ => Some(None),
        };
        let lead = lead.filter(|_| row_floor.is_some());
        if let Some(lm) = lead {
            let new_block = after_blank || after_break || self.paragraphs.is_empty();
            let top = self.paragraphs.iter().rposition(|p| p.parent.is_none());
            // `(1) (U)`, `2) (S)`: a list label the lead reader takes for a damaged
            // number; it sits under its parent like any label.
            let list_number =
                lm.kind == LeadKind::DamagedNumber && label_depth(&line[..lm.mark_start]).is_some();
            let sub = match lm.kind {
                LeadKind::Label => self.labelled_parent(&line[..lm.mark_start], top),
                LeadKind::DamagedNumber if list_number => {
                    self.labelled_parent(&line[..lm.mark_start], top)
                }
                LeadKind::Bullet => top,
                LeadKind::Bare if !new_block => top,
                _ => None,
            };
            if lm.kind == LeadKind::DamagedNumber && !list_number {
                let printed = line[..lm.mark_start].trim();
                self.diag(
                    Code::ParagraphOutOfSequence,
                    i,
                    1,
                    format!("damaged paragraph number `{printed}` before a mark: read as a portion of its own"),
                );
            }
            self.start_portion(i, &lm, sub);
            if let Some(Some(floor)) = row_floor
                && let Some(p) = self.paragraphs.last_mut()
                && rank(Some(&floor)) > rank(p.marking.as_ref())
            {
                let message = format!(
                    "table row marked {} under a portion marked {}: held at {}, its first cell may be that portion's text",
                    lm.marking.raw, floor.raw, floor.raw
                );
                p.marking = Some(floor);
                self.diag(Code::InheritedMarking, i, 1, message);
            }
            return;
        }
        // A short line marked at its end (`Summit Venues (S)`) is a title: a portion of
        // its own, never text of the portion before, whatever its mark (`starts_title`).
        if self.starts_title(i, t, join) {
            self.start_paragraph(i, None);
            return;
        }
        // `¶2008.`: a wrapped year that the conversion marked as a paragraph.
        let t = match t.strip_prefix('¶') {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
            _ => t,
        };
        // In a classified document, text after a page break continues a portion marked
        // below the banner only when it plainly goes on with that portion's sentence: the
        // portion does not end one (a repair) and the text opens in lower case or with
        // punctuation that goes on (`, which …`). A capital there (`… a discussion of the`
        // / page banner / `The Minister then confided …`) may as well start a portion whose
        // mark the page lost, so it stands alone, unmarked (withheld), rather than take the
        // lower mark. A portion marked at the banner's level cannot be too low for anything
        // on the page, so text after a break joins it as before; so does text after an
        // unmarked portion, which it shares the fate of either way.
        if self.banner_break
            && self.banner_level.is_classified()
            && !(join == Join::Repair && goes_on_sentence(t))
            && self.below_banner()
        {
            self.start_paragraph(i, None);
            return;
        }
        // In a classified document, a line laid out in the columns of the table row above
        // it, a portion marked below the banner, is a row of its own whose first cell
        // prints no mark: unmarked (withheld), never more cells of the marked row.
        if self.banner_level.is_classified() && self.below_banner() && self.row_under_row(i) {
            self.start_paragraph(i, None);
            return;
        }
        // Under a lead-in marked U in a classified document, its items and a quoted block
        // stand alone, unmarked (see `under_u_lead_in`).
        if self.under_u_lead_in(t, join) {
            self.start_paragraph(i, None);
            return;
        }
        // A `--` bullet after a blank line is an item of the paragraph before it; in an
        // unnumbered document, only when that paragraph does not end a sentence (`… the
        // sessions:`): after `… future sessions!` the list is a block of its own (`- When:
        // 14 May 2003`), unmarked, not text released under the paragraph's mark.
        let bullet = (t.starts_with("--") || t.starts_with("- "))
            && (self.numbered
                || !self
                    .paragraphs
                    .last()
                    .is_some_and(|p| p.text.trim_end().ends_with(['.', '!', '?'])));
        let new_block = after_blank && !after_break && join == Join::Block && !bullet;
        // In a numbered document a numbered paragraph runs to the next number (the cable
        // convention); a portion with no number of its own there (`Answer: (SBU) …`, a bare
        // `(C) …`) ends at its block, so the unmarked blocks after it stand alone
        // (withheld in a classified document) instead of taking its mark.
        let numbered_run = self.numbered
            && self
                .paragraphs
                .last()
                .is_none_or(|p| p.number.is_some() || p.marking.is_none());
        // A heading in capitals (`TRANSNATIONAL TERRORISM` between rules, under `¶D. (U)
        // N/A`) never runs on in a sub-item: it is a portion of its own (withheld unmarked in a
        // classified document), not text released under the item's mark.
        let goes_on = numbered_run
            || (self.item_goes_on(t) && (t.chars().any(char::is_lowercase) || !self.is_heading(i)));
        if new_block
            && (self.numbered || !goes_on)
            && self.is_heading(i)
            && !self.indented_answer(i)
        {
            self.start_paragraph(i, None);
            if let Some(p) = self.paragraphs.last_mut() {
                p.heading = true;
            }
            return;
        }
        // The portion before ended in a trailing mark: it is closed, and this line starts
        // the next one, even in lower case (OCR noise, a signature, a mark printed
        // mid-sentence): text after a mark is never taken under it. Unmarked, it is
        // withheld in a classified document (fail closed) unless its own mark ends it.
        if self.closed {
            self.start_paragraph(i, None);
            return;
        }
        if new_block && self.list_under_lead_in(i, t) {
            self.append_checked(i, t, join);
            return;
        }
        if self.paragraphs.is_empty() || (new_block && !goes_on && !self.double_spaced(i, join)) {
            self.start_paragraph(i, None);
            return;
        }
        // OCR specks before the first letter (`“p> the inclusion of …`) do not hide a
        // sentence running on; a bracket or parenthesis does (`(e) Foreign …`, `[edit]`):
        // it opens a label or a mark.
        let specks = |c: char| {
            matches!(
                c,
                '"' | '\''
                    | '`'
                    | '<'
                    | '>'
                    | '~'
                    | '_'
                    | '^'
                    | '|'
                    | '\u{201C}'
                    | '\u{201D}'
                    | '\u{2018}'
                    | '\u{2019}'
            )
        };
        let runs_on = starts_lower(t.trim_start_matches(specks));
        if join == Join::Repair
            && !goes_on
            && !runs_on
            && after_blank
            && !self.page_repair(after_break)
            && !self.double_spaced(i, join)
        {
            // Unnumbered documents: a new block after a blank is a new paragraph unless it
            // visibly continues a sentence.
            self.start_paragraph(i, None);
            return;
        }
        // In a document marked at the ends of its portions, a list item right under a
        // lead-in's colon (`… will apply to these procedures:` / `(a) Acquisition means …
        // party. (U)`) starts a portion of its own: the mark at its end is the item's, not
        // the lead-in's (which stays unmarked, withheld in a classified document).
        if self.trailing_seen
            && join == Join::Line
            && self
                .paragraphs
                .last()
                .is_some_and(|p| p.lines.last == i && p.text.trim_end().ends_with(':'))
            && label_depth(t.split_whitespace().next().unwrap_or("")).is_some()
            && self.item_ends_marked(i)
        {
            self.start_paragraph(i, None);
            return;
        }
        // A block after a sub-portion marked below its parent is not the sub-portion's:
        // it may be the parent's text going on, so it stands alone, unmarked (withheld in a
        // classified document), rather than take the lower mark.
        if (after_blank || after_break)
            && let Some(last) = self.paragraphs.last()
            && let Some(parent) = last.parent
            && rank(last.marking.as_ref()) < rank(self.paragraphs[parent].marking.as_ref())
        {
            self.start_paragraph(i, None);
            if let Some(p) = self.paragraphs.last_mut() {
                p.parent = Some(parent);
            }
            return;
        }
        if join == Join::Line && self.under_mail_header(i) {
            self.start_paragraph(i, None);
            return;
        }
        if join == Join::Line && self.ends_marked_item(i, t) {
            self.start_paragraph(i, None);
            return;
        }
        if self.unwrapped_start(i, t, join) {
            self.start_paragraph(i, None);
            return;
        }
        self.append_checked(i, t, join);
    }
}

/// Bytes reserved for a paragraph's text when it starts.
pub(super) const PARAGRAPH_RESERVE: usize = 512;
