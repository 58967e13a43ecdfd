//! How a portion starts: at a line whose lead carries a mark, at a printed paragraph number
//! (read by sequence, so that damaged and false numbers are told apart), after a label, or
//! bare; with its mark, a title's trailing mark or a glued one read. Part of the
//! [`super::segmenter::Segmenter`].

use super::segmenter::{Join, PARAGRAPH_RESERVE, Segmenter};
use crate::diagnostic::Code;
use crate::document::{ElementKind, LineSpan, Origin, Paragraph, PortionKind, SubParagraph};
use crate::marking::portion::{self, Place};
use crate::parse::lead::{self, LeadMark};
use crate::parse::lines::*;

impl Segmenter<'_> {
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
}
