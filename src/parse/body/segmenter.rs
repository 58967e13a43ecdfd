//! The segmenter's state and its handling of each kind of body line: where a portion
//! starts, how a line joins the portion before it (the same block, a repair across a break,
//! a new block), glued marks, header fields found late, page furniture. Driven line by
//! line from [`super::segment`].

use crate::diagnostic::{Code, Diagnostic};
use crate::document::{
    Element, ElementKind, Header, LineSpan, Lines, Origin, Paragraph, PortionKind, SubParagraph,
    Subject,
};
use crate::marking::portion::{self, Place};
use crate::marking::{Level, Marking};
use crate::parse::lead::{self, LeadKind, LeadMark};
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
    /// number, a form feed)? A cable's own page line (`BAKU 00001771 002 OF 003`) is the
    /// telegram system's, cut mid-paragraph, where no portion mark is ever lost.
    pub(super) banner_break: bool,
    /// Did the last line given to a portion end in a portion mark (`… the Act. (U)`)?
    /// Documents marked at the end of each portion close it there: the next line starts
    /// a new portion.
    pub(super) closed: bool,
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

/// Reads the facts of a header field the body found (E.O. line, TAGS) when the header
/// scanner did not: the audit and the policies' date conditions need them.
pub(super) fn read_field(header: &mut Header, kind: ElementKind, i: usize, t: &str) {
    match kind {
        ElementKind::EoLine if header.eo.is_none() => {
            if let Some((order, declassify)) = crate::parse::fields::read_eo(t) {
                header.eo = Some(crate::document::EoLine {
                    raw: t.to_string(),
                    order,
                    declassify,
                    lines: LineSpan::one(i + 1),
                });
            }
        }
        ElementKind::Subject if header.subject.is_none() => {
            // A memo's SUBJECT line below its other header lines: the subject, with its
            // mark before or after the text.
            let after = SUBJECT.find(t).map_or(0, |m| m.end());
            let (marking, text) = crate::parse::fields::read_subject(&t[after..]);
            header.subject = Some(Subject {
                text,
                marking,
                origin: Origin::None,
                lines: LineSpan::one(i + 1),
                column: t[..after].chars().count() + 1,
            });
        }
        ElementKind::Tags if header.tags.is_empty() => {
            header.tags = crate::parse::fields::read_tags(t);
            header.tags_lines = Some(LineSpan::one(i + 1));
        }
        _ => {}
    }
}

/// A line continuing the SUBJECT the body found (`read_field`) on the line before: its
/// text joins the subject's, and a mark ending it is the subject's when it printed none.
pub(super) fn extend_subject(header: &mut Header, i: usize, t: &str) {
    let Some(subject) = header.subject.as_mut() else {
        return;
    };
    if subject.lines.last != i {
        return;
    }
    subject.lines.last = i + 1;
    for word in t.split_whitespace() {
        subject.text.push(' ');
        subject.text.push_str(word);
    }
    if subject.marking.is_none() {
        subject.marking = crate::parse::kind::trailing_mark(t).map(|(_, m)| m);
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
        if let Some((lead_text, printed, after)) = numbered {
            match self.accept_number(i, printed, &line[after..], join, lead.is_some()) {
                Some(number) => {
                    self.start_paragraph(i, Some((lead_text, printed, number, after)));
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
        let mut lead = lead;
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
        if let Some(lm) = lead {
            let new_block = after_blank || after_break || self.paragraphs.is_empty();
            let top = self.paragraphs.iter().rposition(|p| p.parent.is_none());
            let sub = match lm.kind {
                LeadKind::Label | LeadKind::Bullet => top,
                LeadKind::Bare if !new_block => top,
                _ => None,
            };
            if lm.kind == LeadKind::DamagedNumber {
                let printed = line[..lm.mark_start].trim();
                self.diag(
                    Code::ParagraphOutOfSequence,
                    i,
                    1,
                    format!("damaged paragraph number `{printed}` before a mark: read as a portion of its own"),
                );
            }
            self.start_portion(i, &lm, sub);
            return;
        }
        // A short line marked at its end (`Summit Venues (S)`) is a title: a portion of
        // its own, never text of the portion before, whatever its mark.
        if self.lines.may_hold_mark(i) && crate::parse::kind::title_mark(t.trim_end()).is_some() {
            self.start_paragraph(i, None);
            return;
        }
        // `¶2008.`: a wrapped year that the conversion marked as a paragraph.
        let t = match t.strip_prefix('¶') {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
            _ => t,
        };
        // In a classified document, text after a page break continues a portion marked
        // below the banner only when that portion's sentence runs on (a repair) or the
        // text starts in lower case; a new sentence there may as well be a row or portion
        // whose mark the page lost, so it stands alone, unmarked (withheld), rather than
        // take the lower mark. A portion marked at the banner's level cannot be too low
        // for anything on the page, so text after a break joins it as before; so does text
        // after an unmarked portion, which it shares the fate of either way.
        if self.banner_break
            && self.banner_level.is_classified()
            && join != Join::Repair
            && !starts_lower(t)
            && self.paragraphs.last().is_some_and(|p| {
                p.marking.is_some() && rank(p.marking.as_ref()) < self.banner_level
            })
        {
            self.start_paragraph(i, None);
            return;
        }
        // A `--` bullet after a blank line is an item of the paragraph before it.
        let bullet = t.starts_with("--") || t.starts_with("- ");
        let new_block = after_blank && !after_break && join == Join::Block && !bullet;
        if new_block && self.is_heading(i) {
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
        if self.paragraphs.is_empty() || (new_block && !self.numbered) {
            self.start_paragraph(i, None);
            return;
        }
        if join == Join::Repair && !self.numbered && !starts_lower(t) && after_blank {
            // Unnumbered documents: a new block after a blank is a new paragraph unless it
            // visibly continues a sentence.
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
        self.append_checked(i, t, join);
    }

    /// Appends a line to the portion before it, unless a mark glued mid-line (`… 2. (C)
    /// SUMMARY: …`) ranks above that portion: then the line starts a portion of its own at
    /// that mark. A line is never split, so the text before the glued mark goes with it:
    /// held at the higher mark, fail closed.
    pub(super) fn append_checked(&mut self, i: usize, text: &str, join: Join) {
        let line = &self.lines[i];
        if self.lines.may_hold_mark(i)
            && let Some(last) = self.paragraphs.last()
            && let Some((at, m)) = lead::glued_mark(line, 0)
            && rank(Some(&m)) > rank(last.marking.as_ref())
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
        let Some((at, m)) = crate::parse::kind::trailing_mark(line.trim()) else {
            return;
        };
        self.closed = true;
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
        let Some((at, m)) = lead::glued_mark(line, from.min(line.len())) else {
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

    /// Starts a portion at a line whose lead carries a mark (read, or unreadable), under
    /// `parent` when it is a sub-portion.
    pub(super) fn start_portion(&mut self, i: usize, lm: &LeadMark, parent: Option<usize>) {
        let line = &self.lines[i];
        self.label_letter = None;
        self.marked_seen = true;
        let mark_column = line[..lm.mark_start].chars().count() + 1;
        let index = self.paragraphs.len();
        if let Some(k) = parent {
            let label = line[..lm.mark_start]
                .trim_matches(|c: char| crate::marking::is_invisible(c))
                .to_string();
            self.paragraphs[k].subparagraphs.push(SubParagraph {
                label,
                marking: lm.marking.clone(),
                line: i + 1,
                column: mark_column,
            });
        }
        let first_line = line[lm.text_start..].trim_end();
        let mut text = String::with_capacity(first_line.len().max(PARAGRAPH_RESERVE));
        text.push_str(first_line);
        self.paragraphs.push(Paragraph {
            number: None,
            printed_number: None,
            marking: Some(lm.marking.clone()),
            origin: Origin::Explicit,
            lead: line[..lm.text_start].to_string(),
            text,
            lines: LineSpan::one(i + 1),
            mark_column,
            subparagraphs: Vec::new(),
            parent,
            heading: false,
            kind: PortionKind::Paragraph,
        });
        self.push(ElementKind::Paragraph(index), i);
        self.raise_to_glued(i, lm.text_start);
    }

    /// A short title line standing alone: no sentence end, followed by a blank or a rule.
    pub(super) fn is_heading(&self, i: usize) -> bool {
        let t = self.lines[i].trim();
        let core = t.trim_matches(|c: char| matches!(c, '-' | '=' | '_' | '*' | ' '));
        let followed_by_break = self
            .lines
            .get(i + 1)
            .is_none_or(|n| n.trim().is_empty() || is_rule(n));
        let bullet = t.starts_with('-') && !t.ends_with('-');
        !core.is_empty()
            && !bullet
            && core.chars().count() <= 70
            && !ends_sentence(core)
            && !core.ends_with(',')
            && core.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
            && followed_by_break
    }

    /// Decides whether a printed number starts a paragraph; returns the number as read.
    pub(super) fn accept_number(
        &mut self,
        i: usize,
        printed: u32,
        after: &str,
        join: Join,
        lead_mark: bool,
    ) -> Option<u32> {
        let expected = self.last_number.map_or(1, |n| n + 1);
        let has_mark = lead_mark
            || mark_at(after).is_some_and(|m| portion::is_mark(m.mark, Place::AfterNumber));
        let mid_sentence = join == Join::Repair || (join == Join::Line && self.ends_mid_sentence());
        let ocr_damaged = printed != expected
            && (printed == 10 + expected && expected < 10 || printed == 100 + expected);
        let number = if printed == expected {
            printed
        } else if ocr_damaged && (has_mark || !mid_sentence) {
            self.diag(
                Code::ParagraphOutOfSequence,
                i,
                1,
                format!("printed number {printed} read as {expected} (damaged paragraph sign)"),
            );
            expected
        } else if mid_sentence && !has_mark && !self.paragraphs.is_empty() {
            self.diag(
                Code::FalseParagraphNumber,
                i,
                1,
                format!("`{printed}.` continues the sentence before it; read as text"),
            );
            return None;
        } else if has_mark || self.paragraphs.is_empty() || !self.numbered {
            if self.last_number.is_some() || printed != 1 {
                self.diag(
                    Code::ParagraphOutOfSequence,
                    i,
                    1,
                    format!("paragraph {printed} where {expected} was expected"),
                );
            }
            printed
        } else if printed == 1 && !mid_sentence {
            // Numbering starts again (a second section or an enclosure).
            self.diag(
                Code::ParagraphOutOfSequence,
                i,
                1,
                format!("numbering restarts at 1 where {expected} was expected"),
            );
            printed
        } else if printed > expected && printed <= expected + 2 {
            self.diag(
                Code::ParagraphOutOfSequence,
                i,
                1,
                format!("paragraph {printed} where {expected} was expected"),
            );
            printed
        } else {
            // A numbered list item inside a paragraph (`1.` … `3.` under ¶4).
            return None;
        };
        Some(number)
    }

    /// A paragraph whose mark follows a label (`II.`, `A.`) rather than a number.
    pub(super) fn start_labelled(&mut self, i: usize, label_end: usize) {
        self.start_paragraph_at(i, None, label_end);
    }

    pub(super) fn start_paragraph(&mut self, i: usize, numbered: Option<(&str, u32, u32, usize)>) {
        self.start_paragraph_at(i, numbered, 0);
    }

    pub(super) fn start_paragraph_at(
        &mut self,
        i: usize,
        numbered: Option<(&str, u32, u32, usize)>,
        label_end: usize,
    ) {
        let line = &self.lines[i];
        self.label_letter = None;
        let (number, printed_number, text_from) = match &numbered {
            Some((lead, printed, number, after)) => {
                self.numbered = true;
                self.last_number = Some(*number);
                let digits = format!("{}{}.", lead.trim_start(), printed);
                (Some(*number), Some(digits), *after)
            }
            None => (None, None, label_end),
        };
        let rest = &line[text_from..];
        let (marking, mark_start, text_start) = match mark_at(rest) {
            Some(m) => {
                let place = if numbered.is_some() || label_end > 0 {
                    Place::AfterNumber
                } else {
                    Place::LineStart
                };
                match portion::parse(m.mark, place) {
                    Some(marking) => (Some(marking), text_from + m.start, text_from + m.end),
                    None => (None, text_from, text_from + leading_ws(rest)),
                }
            }
            None => (None, text_from, text_from + leading_ws(rest)),
        };
        // A title marked at its end (`3. Names of Hartman and Egerter (C)`): the trailing
        // mark is the portion's, and the text keeps it as printed.
        let (marking, title) = match marking {
            None if self.lines.may_hold_mark(i) => {
                let from = text_start + leading_ws(&line[text_start..]);
                match crate::parse::kind::title_mark(line[from..].trim_end()) {
                    Some((at, m)) => (Some(m), Some(from + at)),
                    None => (None, None),
                }
            }
            m => (m, None),
        };
        // A mark the ASCII reading missed (look-alike letters, full-width parentheses) is
        // still a mark: unreadable, never "no mark".
        // (Only a line with a non-ASCII char can hold one.)
        let lookalike = match &marking {
            None if !line.is_ascii() => lead::lead_mark(line),
            _ => None,
        };
        let (marking, mark_start, text_start) = match (marking, lookalike) {
            (None, Some(lm)) if lm.mark_start >= text_from => {
                (Some(lm.marking), lm.mark_start, lm.text_start)
            }
            (marking, _) => (marking, mark_start, text_start),
        };
        self.marked_seen |= marking.is_some();
        let mark_column = line[..mark_start.min(line.len())].chars().count() + 1;
        let mark_column = if let Some(at) = title {
            line[..at].chars().count() + 1
        } else if marking.is_some() {
            mark_column + leading_ws(&line[mark_start..])
        } else {
            line[..text_start].chars().count() + 1
        };
        // Room for the lines that follow (a paragraph averages several hundred bytes),
        // so that appending them rarely has to grow the text again.
        let first_line = line[text_start..].trim_end();
        let mut text = String::with_capacity(first_line.len().max(PARAGRAPH_RESERVE));
        text.push_str(first_line);
        let paragraph = Paragraph {
            number,
            printed_number,
            marking,
            origin: Origin::Explicit,
            lead: line[..text_start].to_string(),
            text,
            lines: LineSpan::one(i + 1),
            mark_column,
            subparagraphs: Vec::new(),
            parent: None,
            heading: false,
            kind: if title.is_some() {
                PortionKind::Title
            } else {
                PortionKind::Paragraph
            },
        };
        let index = self.paragraphs.len();
        self.paragraphs.push(paragraph);
        self.push(ElementKind::Paragraph(index), i);
        self.raise_to_glued(i, text_start);
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
}

/// Bytes reserved for a paragraph's text when it starts.
pub(super) const PARAGRAPH_RESERVE: usize = 512;
