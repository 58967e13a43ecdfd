//! How a portion starts: at a line whose lead carries a mark, at a printed paragraph number
//! (read by sequence, so that damaged and false numbers are told apart), after a label, or
//! bare; with its mark, a title's trailing mark or a glued one read. Part of the
//! [`super::segmenter::Segmenter`].

use super::items::label_depth;
use super::segmenter::{Join, PARAGRAPH_RESERVE, Segmenter, rank};
use crate::diagnostic::Code;
use crate::document::{ElementKind, LineSpan, Origin, Paragraph, PortionKind, SubParagraph};
use crate::marking::Level;
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

    /// A paragraph number behind OCR damage at the start of a block: a speck before it
    /// (`*9. The General Counsel …`, `7 5. The VC/NIC …`) or a comma for its point (`1, The
    /// DDCI chaired …`). Read only as the number expected next and before a sentence in
    /// capitals: the sequence, not the shape, says it is a number. Returns the lead's length,
    /// the number and the byte offset after its point, as [`numbered_start`] does.
    pub(super) fn specked_number(&self, i: usize) -> Option<(usize, u32, usize)> {
        let line = &self.lines[i];
        let expected = self.last_number.map_or(1, |n| n + 1);
        let body = line.trim_start();
        let start = line.len() - body.len();
        // Where the number may stand: at once, after one or two specks (no letter or
        // digit), or after one letter or digit and a blank.
        let specks: usize = body
            .chars()
            .take_while(|c| !c.is_alphanumeric() && !c.is_whitespace() && *c != '(')
            .take(3)
            .map(char::len_utf8)
            .sum();
        let speck_count = body[..specks].chars().count();
        let one_char = body
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphanumeric)
            && body.as_bytes().get(1) == Some(&b' ');
        let candidates = [
            Some(0),
            (1..=2).contains(&speck_count).then_some(specks),
            one_char.then_some(1),
        ];
        for cut in candidates.into_iter().flatten() {
            let lead_len = start + cut + leading_ws(&body[cut..]);
            let rest = &line[lead_len..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if !(1..=2).contains(&digits) || rest[..digits].parse::<u32>().ok() != Some(expected) {
                continue;
            }
            let after = &rest[digits..];
            // A comma for the point only where nothing stands before the number (`1, The`).
            let point = after.starts_with('.') || (cut == 0 && after.starts_with(','));
            if !point {
                continue;
            }
            // The point is one ASCII byte: the text starts after it.
            let text = &after[1..];
            if text.starts_with(char::is_whitespace) && opens_sentence(text) {
                return Some((lead_len, expected, lead_len + digits + 1));
            }
        }
        None
    }

    /// Does line `i` start a portion because its document prints a paragraph to a line
    /// (SIDtoday's Markdown)? Such a document starts a portion at each line that opens a
    /// sentence under one that ends one: `(C) The supervisor
    /// said, "… calling?"` / `My colleague answered, …` are two portions, the second
    /// unmarked (withheld in a classified document), not text released under the first
    /// one's mark. Numbered documents (cables) keep their run to the next number.
    pub(super) fn unwrapped_start(&self, i: usize, t: &str, join: Join) -> bool {
        join == Join::Line
            && i > 0
            && !self.numbered
            && t.starts_with(|c: char| c.is_uppercase())
            && self.lines[i - 1]
                .trim_end()
                .trim_end_matches(['"', '\'', ')', '\u{201D}', '\u{2019}'])
                .ends_with(['.', '!', '?', ':'])
            && self.unwrapped()
    }

    /// Does the document print its paragraphs one to a line? A line of prose of at least
    /// [`UNWRAPPED_LINE`] chars with no column gap: wrapped text (`pdftotext`, OCR, a
    /// cable's telegram lines) never runs that long.
    fn unwrapped(&self) -> bool {
        *self.unwrapped.get_or_init(|| {
            (0..self.lines.len()).any(|k| {
                let l = &self.lines[k];
                l.len() >= UNWRAPPED_LINE
                    && !l.contains("   ")
                    && l.chars().count() >= UNWRAPPED_LINE
            })
        })
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
                match portion::parse(m.mark, place).or_else(|| {
                    // `2. (8) The following …`, `3. (Cc) A check …`: a level OCR damaged,
                    // read after a number or label where the portions before carry marks.
                    let after_label = numbered.is_some() || label_end > 0;
                    (after_label && self.marked_seen)
                        .then(|| damaged_mark(m.mark))
                        .flatten()
                }) {
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

/// Where a portion ends without a blank line, or goes on across one, in the layouts of
/// intelligence-community and legal documents (wiki headings, bullets, lists under a
/// lead-in, numbered questions).
impl Segmenter<'_> {
    /// Across a printed page break (a banner, a page number) the blanks are the page's,
    /// not a paragraph gap: a sentence left open at the foot of a classified or unmarked
    /// portion, its last line a full one, goes on at the next page's top, whatever its
    /// case (`… the Turkish Military` / banners / `SIGINT organization with GES …`). Not
    /// after a short line (`(S//REL) Background` is a heading, the next page's text not its
    /// sentence), and not under a U portion: there the next page's text stands alone
    /// (withheld when unmarked), never released under the U mark.
    pub(super) fn page_repair(&self, after_break: bool) -> bool {
        after_break
            && self.banner_break
            && self.paragraphs.last().is_some_and(|p| {
                (p.marking.is_none() || rank(p.marking.as_ref()) > Level::U)
                    && self.lines[p.lines.last - 1].trim().chars().count() >= FULL_PROSE
            })
    }

    /// Is line `i` the first under a quoted e-mail's `Subject:` header (`Subject: RE: …`,
    /// then `Sorry to bother you …`), in the block of that header? The message's text is no
    /// part of the header block: it starts a portion of its own.
    pub(super) fn under_mail_header(&self, i: usize) -> bool {
        !self.numbered
            && i > 0
            && self.lines[i - 1].trim_start().starts_with("Subject:")
            && self.paragraphs.last().is_some_and(|p| p.lines.last == i)
    }

    /// Is line `i` a short answer indented under an unmarked numbered question (`1. Who can
    /// make a RAS determination?` / blank / `   The FISA Court`), not a heading? It goes on
    /// in the question's portion; both are unmarked, so nothing is released that was not.
    /// The answer stands at the question's text column (one less under `10.`); a heading
    /// only a space in from the margin (` Reports of Country Group Rapporteurs` between
    /// rules, after a cable's `¶77.`) is a heading still.
    pub(super) fn indented_answer(&self, i: usize) -> bool {
        self.paragraphs.last().is_some_and(|p| {
            let question = &self.lines[p.lines.first - 1];
            let indent = leading_ws(&self.lines[i]);
            p.number.is_some()
                && p.marking.is_none()
                && indent > leading_ws(question)
                && indent + 1 >= text_column(question)
        })
    }

    /// Is line `i` (text `t`), after a blank, the first item of a list under an unmarked
    /// lead-in of an unnumbered document (`… may be disseminated to foreign governments
    /// provided that:` / `(a) the information … is foreign intelligence information; and`)?
    /// Indented past the lead-in's first line, opening with a list label, and not ending in
    /// a mark of its own (items that each end in their own mark are portions of their own,
    /// see [`Segmenter::item_ends_marked`]). The list is the lead-in's text: the mark that
    /// ends the list is the whole portion's, and until one does it stays unmarked with it.
    ///
    /// Under a lead-in marked C or above (`(S) The following are examples …:` / `a) Has the
    /// target stated …?`), its unmarked items are its text too, each block after a blank
    /// that opens with the next label of the list (see [`Segmenter::next_list_item`]): the
    /// convention of the marked lead-in, which withholds them with it. Not under a U
    /// lead-in (see [`Segmenter::under_u_lead_in`]).
    pub(super) fn list_under_lead_in(&self, i: usize, t: &str) -> bool {
        let Some(p) = self.paragraphs.last() else {
            return false;
        };
        let classified = p
            .marking
            .as_ref()
            .is_some_and(|m| m.is_unknown() || m.level.is_classified());
        if self.numbered || !(p.marking.is_none() || classified) {
            return false;
        }
        let first = t.split_whitespace().next().unwrap_or("");
        let item = leading_ws(&self.lines[i]) > leading_ws(&self.lines[p.lines.first - 1])
            && label_depth(first).is_some()
            && !self.item_ends_marked(i);
        item && (p.text.trim_end().ends_with(':') || (classified && self.next_list_item(i, first)))
    }

    /// Does the label `first` of line `i` follow the label of the block above it, an item
    /// the last portion took under its lead-in (`a)` … then `b)`), at the same indent (one
    /// column either way: a scan's drift)?
    fn next_list_item(&self, i: usize, first: &str) -> bool {
        let Some(p) = self.paragraphs.last() else {
            return false;
        };
        let lead_in = p.lines.first - 1;
        let mut k = i.saturating_sub(1);
        while k > lead_in && self.lines[k].trim().is_empty() {
            k -= 1;
        }
        while k > lead_in && !self.lines[k - 1].trim().is_empty() {
            k -= 1;
        }
        if k <= lead_in {
            return false;
        }
        let above = self.lines[k].trim_start();
        let label = above.split_whitespace().next().unwrap_or("");
        let (a, b) = (label.as_bytes(), first.as_bytes());
        let next = a.len() == b.len()
            && a.len() >= 2
            && a[..a.len() - 2] == b[..b.len() - 2]
            && a[a.len() - 1] == b[b.len() - 1]
            && b[b.len() - 2] == a[a.len() - 2].wrapping_add(1);
        next && label_depth(label) == label_depth(first)
            && leading_ws(&self.lines[i]).abs_diff(leading_ws(&self.lines[k])) <= 1
    }

    /// Is a line (no mark at its lead; `t` trimmed at its start) a block under a lead-in
    /// marked U in a classified document (`2. (U) The delegation asked about the
    /// following:` over dash items, a quoted cable after `… reads in part:`)? The items and
    /// the quotation print no mark of their own and are no part of the lead-in's sentence:
    /// they may be what the U portion introduces from a classified source. So they stand
    /// alone, unmarked (withheld), never text released under the U mark (fail closed).
    /// Right under the lead-in's line, a line counts when it opens an item (a bullet, a
    /// list label or number, a quotation mark); after a blank or a break, any block. Under
    /// a classified lead-in the cable convention holds (the items go with the numbered
    /// paragraph, withheld with it anyway).
    pub(super) fn under_u_lead_in(&self, t: &str, join: Join) -> bool {
        let Some(p) = self.paragraphs.last() else {
            return false;
        };
        let u = p
            .marking
            .as_ref()
            .is_some_and(|m| !m.is_unknown() && m.level == Level::U);
        if !u || !p.text.trim_end().ends_with(':') || (join == Join::Line && !opens_item(t)) {
            return false;
        }
        self.level_so_far().is_classified()
    }

    /// The document's level as known so far: the highest of its banners and its portions.
    pub(super) fn level_so_far(&self) -> Level {
        self.paragraphs
            .iter()
            .map(|p| rank(p.marking.as_ref()))
            .fold(self.banner_level, Level::max)
    }

    /// Does the marked portion on the line right above line `i` (text `t`, trimmed at its
    /// start) end there, though no blank follows? It does under a marked bullet when this
    /// line opens with the same bullet but no mark (`• (S//REL) Output Channel(s): …` /
    /// `• See the … Project.`: the next item), and, in an unnumbered document, under a
    /// marked heading standing on its own line (`(U//FOUO) Metrics` over `{{{metrics}}}`,
    /// a wiki's section titles): a few words in title case, no sentence or clause end,
    /// over a line that does not run on in lower case. The line starts a portion of its
    /// own, unmarked (withheld in a classified document), never text under that mark.
    pub(super) fn ends_marked_item(&self, i: usize, t: &str) -> bool {
        let Some(p) = self.paragraphs.last() else {
            return false;
        };
        if p.marking.is_none() || p.lines.last != i {
            return false;
        }
        let lead = p
            .lead
            .trim_start_matches(|c: char| c.is_whitespace() || crate::marking::is_invisible(c));
        if let Some(b) = lead.chars().next()
            && b != '-'
            && crate::parse::lead::is_bullet(b)
            && t.strip_prefix(b)
                .is_some_and(|r| r.starts_with(char::is_whitespace))
        {
            return true;
        }
        if self.numbered || p.lines.first != i || !lead.starts_with('(') || starts_lower(t) {
            return false;
        }
        let head = p.text.trim();
        let words: Vec<&str> = head.split_whitespace().collect();
        !words.is_empty()
            && words.len() <= MAX_HEADING_WORDS
            && head.chars().count() <= MAX_HEADING
            && head.starts_with(|c: char| c.is_uppercase())
            && !head.ends_with(['.', ',', ';', ':', '!', '?', '-'])
            && words
                .last()
                .is_some_and(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()))
    }
}

/// Does a line (trimmed at its start) open a list item or a quotation: a bullet (`- `,
/// `-- `, `• `, `* `), a list label (`a.`, `(1)`), a number (`1.`, `2)`) or an opening
/// quotation mark?
fn opens_item(t: &str) -> bool {
    let first = t.split_whitespace().next().unwrap_or("");
    let number = first.len() <= 3
        && first.ends_with(['.', ')'])
        && first[..first.len() - 1].bytes().all(|b| b.is_ascii_digit());
    let bullet = t.starts_with("--")
        || t.chars().next().is_some_and(lead::is_bullet) && first.chars().count() == 1;
    bullet || number || label_depth(first).is_some() || t.starts_with(['"', '\u{201C}'])
}

/// The longest marked heading (its text after the mark) that ends at its line, in chars
/// and in words: wiki and slide section titles are short.
const MAX_HEADING: usize = 40;
const MAX_HEADING_WORDS: usize = 6;

/// The chars of a full line of prose, left open at a page's foot.
const FULL_PROSE: usize = 60;

/// The byte column where a numbered line's text starts, after its indent, its label and
/// the gap (`3` in `1. Who can …`).
fn text_column(line: &str) -> usize {
    let rest = line.trim_start();
    let after = rest.trim_start_matches(|c: char| !c.is_whitespace());
    line.len() - after.trim_start().len()
}

/// Does `after` (the text after a paragraph number) open a sentence: a capital and a
/// lower-case letter or a blank (`The`, `A `), or a mark? Past blanks and a dash (`10. - The
/// DDA …`).
fn opens_sentence(after: &str) -> bool {
    let t = after.trim_start_matches(|c: char| c.is_whitespace() || c == '-');
    let mut chars = t.chars();
    match chars.next() {
        Some('(') => true,
        Some(c) if c.is_ascii_uppercase() => {
            chars.next().is_some_and(|d| d.is_lowercase() || d == ' ')
        }
        _ => false,
    }
}

impl Segmenter<'_> {
    /// A list label and then `(8)`, OCR's reading of `(S)` (`(2) (8) Issues:`), in a
    /// document whose portions carry marks: the item's mark, read as S and flagged damaged,
    /// the item a portion of its own under its parent like any marked label. The lead
    /// reader, which sees one line, leaves `(8)` after a label unread (it may be the next
    /// label); here the marks before say it is one. Only before a capital: `(a) (8) of
    /// this section` cites. Reading it withholds, never releases.
    pub(super) fn damaged_label_mark(&self, i: usize) -> Option<LeadMark> {
        if !self.marked_seen {
            return None;
        }
        let line = &self.lines[i];
        let body = line.trim_start();
        // The cheap test first (this runs on every line without a lead): a short label
        // ending in `.` or `)`, then a blank.
        let end = body.bytes().take(6).position(|b| b == b' ')?;
        if !matches!(body.as_bytes().get(end.checked_sub(1)?), Some(b'.' | b')')) {
            return None;
        }
        let label = &body[..end];
        label_depth(label)?;
        let from = line.len() - body.len() + label.len();
        let m = mark_at(&line[from..])?;
        let text = &line[from + m.end..];
        if m.mark != "(8)" || !text.starts_with(|c: char| c.is_ascii_uppercase()) {
            return None;
        }
        Some(LeadMark {
            kind: lead::LeadKind::Label,
            mark_start: from + m.start,
            text_start: from + m.end,
            marking: damaged_mark(m.mark)?,
        })
    }
}

/// A mark after a number whose level OCR damaged (`(8)`, `(Ss)`, `(Cc)`), read as that
/// level and flagged damaged (see [`crate::parse::kind::damaged_level`]).
fn damaged_mark(raw: &str) -> Option<crate::marking::Marking> {
    let inner = raw.strip_prefix('(')?.strip_suffix(')')?.trim();
    let level = crate::parse::kind::damaged_level(inner)?;
    let mut m = crate::marking::Marking::new(level);
    m.raw = raw.to_string();
    m.damaged = true;
    m.legacy = true;
    Some(m)
}

/// Does the label `first` start a list nested in the item labelled `own`? `A.` under `a.
/// (S) … the following project files:`: a list lettered in the other case, starting, is
/// the item's own list, not its next item.
pub(super) fn nested_list(own: &str, first: &str) -> bool {
    let own = own.trim().trim_end_matches(['.', ')']);
    let upper = |s: &str| s.starts_with(|c: char| c.is_ascii_uppercase());
    own.len() == 1
        && own.bytes().all(|b| b.is_ascii_alphabetic())
        && matches!(first.trim_end_matches(['.', ')']), "A" | "a")
        && upper(first) != upper(own)
}

/// The chars of a line that shows its document prints a paragraph to a line.
const UNWRAPPED_LINE: usize = 250;
