//! The body segmenter: cuts the lines after the header into paragraphs.
//!
//! Numbered paragraphs (`¶1.`, `1.`, `1.(C)`, `1. (C):`) are read by sequence, so that
//! OCR damage (`15.` for `¶5.`) and false starts (`¶27.` ending "on April") are told apart
//! from real paragraphs. Fragments after blank lines and page breaks are joined to the
//! paragraph they continue; page-break lines, repeated SECTION banners, stamps and the
//! signature are kept out of paragraph text. Every line ends up in exactly one element.
//!
//! The module is cut along its seams: [`super::lines`] holds the line predicates and the
//! small readers of a line's start it shares with the header scanner; [`segmenter`] holds the
//! segmenter's state and what it does with each kind of line, [`start`] how a portion
//! starts, [`join`] how a line joins one and what a mark at its end does, [`late_fields`]
//! the header fields found in the body; this file drives it over the body and finds the
//! signature.

mod closing;
mod items;
mod join;
mod late_fields;
pub(super) mod nest;
mod segmenter;
mod start;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_ends;
#[cfg(test)]
mod tests_items;

use super::lead;
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Element, ElementKind, Field, Header, LineSpan, Lines, Paragraph};
use crate::marking::Level;
use crate::marking::banner as banner_grammar;

use super::lines::*;
// The public path of the predicates the benches time.
pub use super::lines::{is_body_start, is_page_break, is_rule, numbered_start};
use late_fields::{extend_subject, read_field};
use segmenter::{Join, Segmenter};

pub struct Body {
    pub paragraphs: Vec<Paragraph>,
    pub elements: Vec<Element>,
    pub signature: Option<Field>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn segment(lines: &Lines, start: usize, header: &mut Header) -> Body {
    let mut s = Segmenter {
        lines,
        paragraphs: Vec::new(),
        // One element per line (merged later): allocated once, not grown line by line.
        elements: Vec::with_capacity(lines.len().saturating_sub(start)),
        diagnostics: Vec::new(),
        last_number: None,
        numbered: false,
        label_letter: None,
        marked_seen: false,
        banner_level: header.banner.as_ref().map_or(Level::U, |b| b.marking.level),
        banner_break: false,
        closed: false,
        trailing_seen: false,
        unwrapped: std::cell::OnceCell::new(),
    };
    let (end, signature) = find_signature(lines, start);
    // The closing blocks (signature, attachments, distribution) after a memo's last
    // portion: furniture, never the portion's text.
    let closing = closing::find(lines, start, end);
    let mut in_closing = closing.iter().peekable();
    let mut after_blank = true;
    let mut after_break = false;
    let mut in_cab = false;
    let mut in_field: Option<ElementKind> = None;
    // Inside a newsletter byline (`FROM:` … `Run Date:`) under a title.
    let mut in_byline = false;
    // Did the body find the subject (a memo's SUBJECT below its other header lines)?
    // Then the subject's continuation lines are read into it here.
    let mut body_subject = false;
    // Inside a running subject header (below): its wrapped lines go with it.
    let mut in_running_subject = false;
    // Inside an authority block after the first portion; the elements when one ended.
    let (mut in_late_cab, mut after_cab) = (false, None);
    // The line a page banner wrapped onto (see the section banners below).
    let mut banner_tail = None;
    for (i, line) in lines.iter().enumerate().take(end).skip(start) {
        let t = line.trim();
        if banner_tail == Some(i) {
            s.push(ElementKind::Furniture, i);
            after_break = true;
            continue;
        }
        if t.is_empty() {
            s.push(ElementKind::Blank, i);
            in_running_subject = false;
            after_blank = true;
            in_cab = false;
            in_field = None;
            in_byline = false;
            continue;
        }
        if rule_trimmed(t) {
            s.push(ElementKind::Rule, i);
            after_blank = true;
            in_cab = false;
            // A rule parts a page's text from what is printed under it (footnotes, a
            // caption): across it, as across a page banner, text goes on in a portion
            // marked below the banner only when it plainly goes on with its sentence.
            s.banner_break = true;
            continue;
        }
        if super::furniture::is_furniture(t) {
            // A page number or archive stamp: the portion it interrupts goes on after it,
            // as across a page break.
            s.push(ElementKind::Furniture, i);
            after_break = true;
            s.banner_break = true;
            continue;
        }
        if is_page_break(line) {
            s.push(ElementKind::PageBreak, i);
            s.diag(
                Code::PageBreakResidue,
                i,
                1,
                format!("page-break line kept out of the text: {t}"),
            );
            after_break = true;
            in_field = None;
            continue;
        }
        // A page number standing alone under a page's banner (`3` between the bottom
        // banner of one page and the top banner of the next): furniture, like the banners
        // around it; the portion it interrupts goes on after it.
        if after_break && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()) {
            s.push(ElementKind::Furniture, i);
            continue;
        }
        // A number alone right above a page's banner (the page number printed over the
        // foot banner) or, in an unnumbered document, above a marked line (a footnote's
        // number over its marked text): furniture, never a portion's text.
        if t.len() <= 3
            && t.bytes().all(|b| b.is_ascii_digit())
            && lines.get(i + 1).is_some_and(|n| {
                banner_grammar::parse_line(n.trim()).is_some_and(|b| b.marking.unknown.is_empty())
                    || (!s.numbered
                        && n.trim_start().starts_with('(')
                        && lead::lead_mark(n).is_some())
            })
        {
            s.push(ElementKind::Furniture, i);
            continue;
        }
        // A classification line further down (a section banner, or the banner of a second
        // message appended, flattened or not) is no text; its level counts for the document.
        let section = banner_grammar::parse_line(classification_value(t).unwrap_or(line))
            .filter(|b| {
                // A long line reads as a banner when it has more to it than a level and
                // words: a section, a serial, or today's `//` form read whole.
                b.section.is_some()
                    || b.serial.is_some()
                    || t.len() <= 40
                    || (t.contains("//") && b.marking.unknown.is_empty())
            })
            .or_else(|| {
                // A flattened banner starts with an upper-case level word, spelled out or
                // letter-spaced: prose (`Secretary Rice said`) is spared the long reading.
                let b = t.as_bytes();
                let shouted = b.first().is_some_and(u8::is_ascii_uppercase)
                    && b.get(1)
                        .is_some_and(|c| c.is_ascii_uppercase() || *c == b' ');
                shouted
                    .then(|| banner_grammar::parse_glued(line))
                    .flatten()
                    .map(|(b, _)| b)
                    .filter(|b| !b.damaged)
            })
            .or_else(|| ceiling_value(t).and_then(banner_grammar::parse_line));
        if let Some(b) = section {
            s.push(ElementKind::SectionBanner, i);
            header.section_banners.push(i + 1);
            header.section_levels.push(b.marking.level);
            s.banner_level = s.banner_level.max(b.marking.level);
            s.diag(
                Code::PageBreakResidue,
                i,
                1,
                "repeated classification line kept out of the text",
            );
            // A page banner wrapped onto the next line (`SECRET//TALENT KEYHOLE//` over
            // `REL TO USA, AUS, CAN, GBR, NZL`, at every page's top and foot): that line is
            // the banner's too, page furniture, never a portion's text.
            if lines.get(i + 1).is_some_and(|n| wraps_banner(t, n, &b)) {
                banner_tail = Some(i + 1);
            }
            after_break = true;
            s.banner_break = true;
            // A header field does not go on across a section break.
            in_field = None;
            continue;
        }
        if stamp_trimmed(line, t) {
            s.push(ElementKind::Stamp, i);
            continue;
        }
        while in_closing.next_if(|r| r.1 < i).is_some() {}
        if in_closing.peek().is_some_and(|r| r.0 <= i) {
            // The portion before ends at its own text; the next line starts a new one.
            s.push(ElementKind::Furniture, i);
            s.closed = true;
            after_blank = true;
            in_cab = false;
            in_field = None;
            continue;
        }
        // A page's running header repeating the memo's subject (`SUBJECT: (U) Status of …`
        // under page 2's banner): page furniture, never a portion, though it prints the
        // subject's mark.
        if after_break && is_subject(line) && repeats_subject(t, header, &s.paragraphs) {
            s.push(ElementKind::Furniture, i);
            in_running_subject = true;
            continue;
        }
        // The running subject's wrapped lines (`… BILATERAL RELATIONS` / `AND LAW
        // ENFORCEMENT …`) are the subject's words too: furniture with it, never header or
        // portion text (the subject may be withheld). Up to a blank line, or a line that
        // begins with a portion mark, which always starts a portion.
        if in_running_subject && (!lines.may_hold_mark(i) || lead::lead_mark(line).is_none()) {
            s.push(ElementKind::Furniture, i);
            continue;
        }
        in_running_subject = false;
        // A letter's salutation (`Dear Mr. Blakey:`): a letter starts here (after a memo
        // it answers, or a cover sheet); its paragraphs are not numbered, each block is a
        // portion of its own, and none goes on from the memo before.
        if !lines.may_hold_mark(i) && is_salutation(t) && !quoting(lines, &s.paragraphs, i) {
            s.push(ElementKind::Furniture, i);
            s.closed = true;
            s.numbered = false;
            s.last_number = None;
            after_blank = true;
            continue;
        }
        // A ceiling statement whose banner is printed on the next line (`DYNAMIC PAGE --
        // HIGHEST POSSIBLE CLASSIFICATION IS`, then `TOP SECRET // SI …`): page furniture
        // like the banner it introduces, never a portion's text (dropped on release).
        if is_ceiling_lead(t) {
            s.push(ElementKind::Furniture, i);
            after_break = true;
            s.banner_break = true;
            continue;
        }
        // A newsletter's byline under its title (`FROM:`, the office, `Run Date: …`) and an
        // exported image line are layout, not text of the title above them.
        // The title may wrap onto a second line (`(S//SI//REL) GSM Tower Mapping Made
        // Easier and More Accurate` / `with New Tool`) and the caption be printed `From:`
        // (a PDF reprint). Taking the byline for furniture withholds it, never releases it.
        let byline_starts = (t.starts_with("FROM:") || t.starts_with("From:"))
            && !after_blank
            && s.paragraphs.last().is_some_and(|p| {
                p.marking.is_some()
                    && p.lines.last == i
                    && p.lines.first + 1 >= i
                    && (p.lines.first..=i).all(|n| {
                        let title = lines[n - 1].trim_end();
                        !title.ends_with('.') && title.len() <= 160
                    })
            });
        let byline_goes_on =
            in_byline && (!lines.may_hold_mark(i) || lead::lead_mark(line).is_none());
        if byline_starts || byline_goes_on || is_image_line(t) || is_run_date(t) {
            s.push(ElementKind::Furniture, i);
            in_byline = (in_byline || byline_starts) && !is_run_date(t);
            continue;
        }
        in_byline = false;
        // OCR noise standing alone after a finished portion (`a |`, `<ul`, `fog) 216257`):
        // no text of the portion before; dropped like other page furniture.
        if (after_blank || after_break)
            && is_ocr_noise(t)
            && !s.paragraphs.is_empty()
            && !s.ends_mid_sentence()
            && numbered_start(line).is_none()
        {
            s.push(ElementKind::Furniture, i);
            continue;
        }
        if (after_break || s.paragraphs.is_empty()) && banner_grammar::parse_caption(line).is_some()
        {
            s.push(ElementKind::Caption, i);
            continue;
        }
        // A Classified By block in the body before any paragraph text is header material.
        // Header fields found before the first numbered paragraph (a header the scanner
        // could not follow) stay header material, with their continuation lines.
        // The first classification of the line: does its lead carry a mark? Such a line
        // starts a portion, whatever header field or block it would otherwise continue.
        // A numbered line's ASCII mark is read where its paragraph starts; only a non-ASCII
        // one (a look-alike mark) needs the lead reading here, to count as a mark.
        let numbered = numbered_start(line);
        // Most lines hold neither `(` nor a non-ASCII byte, so no mark: the decoder's scan
        // said so, and the tests below are skipped.
        let maybe_mark = lines.may_hold_mark(i);
        let lead = match numbered {
            _ if !maybe_mark => None,
            // A numbered line's mark in ASCII is read where its paragraph starts.
            Some((_, _, after)) if line[after..].is_ascii() => None,
            _ => lead::lead_mark(line),
        };
        let marked = lead.is_some()
            || (maybe_mark && (!s.numbered || in_cab) && lead::glued_mark(line, 0).is_some());
        if !s.numbered {
            // Header parts end where the first marked portion begins; after a paragraph
            // has started, only a blank line (or an E.O. line, which prose never starts
            // with) lets a field begin: a wrapped line starting `reference …` is text.
            let field = field_kind(line).filter(|&kind| {
                !marked
                    && !s.marked_seen
                    && (after_blank
                        || s.paragraphs.is_empty()
                        || in_field.is_some()
                        || kind == ElementKind::EoLine
                        // A memo's SUBJECT right under its FROM block (`FROM: …` / the
                        // office / `SUBJECT: …`, no blank between), or after an empty
                        // fax-cover `SUBJECT:`: the subject, not text of the header above.
                        || (kind == ElementKind::Subject
                            && (header.subject.is_none()
                                || (header.subject.as_ref().is_some_and(|s| s.text.is_empty())
                                    && is_memo_subject(t)))))
            });
            if let Some(kind) = field {
                in_field = Some(kind);
                read_field(header, kind, i, t);
                body_subject |= kind == ElementKind::Subject
                    && header
                        .subject
                        .as_ref()
                        .is_some_and(|s| s.lines.first == i + 1);
            } else if marked
                || is_body_start(line)
                || (in_field == Some(ElementKind::Tags) && !is_tags_continuation(t))
                || (in_field == Some(ElementKind::Ref) && !ref_continues(lines[i - 1].trim(), t))
            {
                // A portion (a number, a mark) or prose ends the field and starts a block:
                // header material is released as the policy says for the header, a
                // portion by its own mark.
                in_field = None;
                after_blank = true;
            }
            if let Some(kind) = in_field {
                if kind == ElementKind::Subject && field.is_none() && body_subject {
                    extend_subject(header, i, t);
                }
                s.push(kind, i);
                after_blank = false;
                continue;
            }
        }
        if in_cab
            && (marked
                || is_body_start(line)
                || line.trim_start().starts_with('-')
                || header
                    .classified_by
                    .as_ref()
                    .is_some_and(|c| !super::fields::cab_wraps(c, t)))
        {
            in_cab = false;
        }
        let cab_starts = !s.numbered
            && !marked
            && (after_blank || s.paragraphs.is_empty())
            && header.classified_by.is_none()
            && super::fields::is_cab_line(line);
        if in_cab || cab_starts {
            in_cab = true;
            s.push(ElementKind::ClassifiedBy, i);
            after_cab = (!s.paragraphs.is_empty()).then_some(s.elements.len());
            let span = header
                .classified_by
                .as_ref()
                .map_or(LineSpan::one(i + 1), |c| {
                    LineSpan::new(c.lines.first, i + 1)
                });
            let joined = match &header.classified_by {
                Some(c) => format!("{} {}", c.raw, t),
                None => t.to_string(),
            };
            header.classified_by = Some(super::fields::read_cab(&joined, span, None));
            after_blank = false;
            continue;
        }
        // An authority block after the first portion (`CL BY:` … `DECL ON: X1` at a memo's
        // end, numbered or not): furniture (dropped), never the portion's text; the portion
        // before may end there (`block_ends_portion`).
        in_late_cab = !marked
            && numbered.is_none()
            && !s.paragraphs.is_empty()
            && closing::is_authority_line(t, in_late_cab);
        if in_late_cab {
            s.push(ElementKind::Furniture, i);
            after_cab = Some(s.elements.len());
            continue;
        }
        if let Some(from) = after_cab.take() {
            // A banner, a page break or page furniture between: the block was a page's foot.
            let page = s.elements[from..].iter().any(|e| {
                matches!(
                    e.kind,
                    ElementKind::SectionBanner | ElementKind::PageBreak | ElementKind::Furniture
                )
            });
            s.closed |= s.block_ends_portion(t, page);
        }
        let join = if after_blank || after_break {
            if s.ends_mid_sentence() {
                Join::Repair
            } else {
                Join::Block
            }
        } else {
            Join::Line
        };
        s.line(i, join, after_blank, after_break, lead, numbered);
        s.end_of_line(i);
        after_blank = false;
        after_break = false;
        s.banner_break = false;
    }
    let signature = signature.map(|k| {
        // The signature and a repeat of it directly below.
        let mut last = k;
        while last + 1 < lines.len() && lines[last + 1].trim() == lines[k].trim() {
            last += 1;
        }
        for line in k..=last {
            s.push(ElementKind::Signature, line);
        }
        Field {
            text: lines[k].trim().to_string(),
            lines: LineSpan::new(k + 1, last + 1),
        }
    });
    for (k, line) in lines.iter().enumerate().skip(end) {
        if signature.as_ref().is_some_and(|f| f.lines.contains(k + 1)) {
            continue;
        }
        let kind = if line.trim().is_empty() {
            ElementKind::Blank
        } else if let Some(b) = banner_grammar::parse_line(line) {
            // The last page's bottom banner: a banner, its level the document's.
            header.section_banners.push(k + 1);
            header.section_levels.push(b.marking.level);
            ElementKind::SectionBanner
        } else {
            ElementKind::Stamp
        };
        s.push(kind, k);
    }
    s.elements.sort_by_key(|e| e.lines.first);
    Body {
        paragraphs: s.paragraphs,
        elements: s.elements,
        signature,
        diagnostics: s.diagnostics,
    }
}

/// The signature: the last non-blank line (before any end marker) when it is a short
/// name: one to three upper-case words (`GRABER`, `RICE`), or one capitalised word
/// (`Huntsman`) after a finished sentence. A repeated signature line (`RICE` / `RICE`)
/// counts once more. Returns (end of the segmented body, first signature line).
fn find_signature(lines: &Lines, start: usize) -> (usize, Option<usize>) {
    let mut k = lines.len();
    while k > start {
        let t = lines[k - 1].trim();
        // End markers, page furniture (`CONFIDENTIAL`, `>`) after the signature.
        let furniture = !t.chars().any(char::is_alphanumeric)
            || (t.len() <= 40 && banner_grammar::parse_line(t).is_some());
        if t.is_empty() || is_stamp(t) || furniture {
            k -= 1;
        } else {
            break;
        }
    }
    if k <= start + 1 {
        return (k, None);
    }
    const NOT_NAMES: &[&str] = &[
        "END",
        "SUMMARY",
        "COMMENT",
        "TEXT",
        "NOTE",
        "BEGIN",
        "QUOTE",
        "UNQUOTE",
        "SIPDIS",
        "NOFORN",
        "SENSITIVE",
        "UNCLASSIFIED",
        "CONFIDENTIAL",
        "SECRET",
        "CLASSIFIED",
        "SUBJECT",
        "REF",
        "TAGS",
        "CONCLUSION",
        "BACKGROUND",
        "ACTION",
        "REQUEST",
        "THANKS",
    ];
    let cand = lines[k - 1].trim();
    let words: Vec<&str> = cand.split_whitespace().collect();
    let stop = words
        .iter()
        .any(|w| NOT_NAMES.contains(&w.trim_matches('.').to_ascii_uppercase().as_str()));
    let prev = lines
        .iter()
        .take(k - 1)
        .skip(start)
        .rev()
        .find(|l| !l.trim().is_empty());
    let after_sentence =
        lines[k - 2].trim().is_empty() || prev.is_some_and(|p| ends_sentence(p.trim()));
    let upper_name = SIGNATURE.is_match(cand) && cand.len() <= 32 && !cand.ends_with('.');
    let single_upper = upper_name && words.len() == 1 && cand.len() <= 20;
    let title_name = TITLE_NAME.is_match(cand) && after_sentence;
    let is_name = !stop && ((upper_name && after_sentence) || single_upper || title_name);
    if !is_name {
        return (k, None);
    }
    // `RICE` / `RICE`: the signature printed twice.
    if k >= start + 2 && lines[k - 2].trim() == cand {
        return (k - 2, Some(k - 2));
    }
    (k - 1, Some(k - 1))
}

/// A memo's `SUBJECT:` field line (`SUBJECT : Sanitization of …`), printed in capitals with
/// its colon: a field even right under the FROM line, where a wrapped line of prose
/// (`subject. He …`) never reads as one.
fn is_memo_subject(t: &str) -> bool {
    t.strip_prefix("SUBJECT")
        .is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// Does a SUBJECT line (trimmed) repeat the memo's subject: the header's, or the first
/// portion's when the subject stood as a marked line of its own?
fn repeats_subject(t: &str, header: &Header, paragraphs: &[Paragraph]) -> bool {
    let after = SUBJECT.find(t).map_or(0, |m| m.end());
    let rest = t[after..].trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(');
    let rest = mark_at(rest).map_or(rest, |m| &rest[m.end..]);
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let own = key(rest);
    if own.len() < 12 {
        return false;
    }
    // The subject as the header read it, or the first line of one of the first portions
    // or the first marked one (`(U) Status of Outstanding JFK Issues` under OCR specks).
    let firsts = paragraphs
        .iter()
        .take(4)
        .chain(paragraphs.iter().find(|p| p.marking.is_some()))
        .map(|p| p.text.lines().next().unwrap_or(""));
    header
        .subject
        .as_ref()
        .map(|s| s.text.as_str())
        .into_iter()
        .chain(firsts)
        .any(|s| {
            let theirs = key(s);
            theirs.starts_with(&own) || (own.starts_with(&theirs) && theirs.len() >= 12)
        })
}

/// Is line `i` inside a text the portion before it quotes (`¶5. (U) Begin text of letter:`
/// and no `End text` yet, or a portion ending in a colon: `… letter to the Commissioner
/// follows below:`)? A cable quoting a letter keeps it as that portion's text: its
/// salutation starts no letter of its own.
fn quoting(lines: &Lines, paragraphs: &[Paragraph], i: usize) -> bool {
    let Some(p) = paragraphs.last() else {
        return false;
    };
    if lines[p.lines.last.saturating_sub(1)]
        .trim_end()
        .ends_with(':')
    {
        return true;
    }
    let mut open = false;
    // Spans are 1-based, `i` is an index.
    for line in (p.lines.first.saturating_sub(1)..i).map(|k| &lines[k]) {
        let lower = line.to_ascii_lowercase();
        if lower.contains("begin text") || lower.contains("begin quote") {
            open = true;
        }
        if lower.contains("end text") || lower.contains("end quote") {
            open = false;
        }
    }
    open
}

/// A letter's salutation line: `Dear Mr. Blakey:`, `Dear David:`, `Dear Sir,` (OCR may
/// leave a speck after the colon).
fn is_salutation(t: &str) -> bool {
    t.len() <= 40
        && t.strip_prefix("Dear ").is_some_and(|rest| {
            let rest =
                rest.trim_end_matches(|c: char| !c.is_alphanumeric() && c != ':' && c != ',');
            rest.ends_with([':', ',']) && rest.split_whitespace().count() <= 4
        })
}

/// Does `next` finish the banner `head` (read as `first`) wrapped onto it: `head` ends in
/// a separator, and the two read as one banner of the same level with more controls, every
/// one known (`SECRET//TALENT KEYHOLE//` over `REL TO USA, AUS, CAN, GBR, NZL`)?
fn wraps_banner(head: &str, next: &str, first: &banner_grammar::BannerLine) -> bool {
    let next = next.trim();
    if !head.ends_with('/') || next.is_empty() || next.starts_with('(') {
        return false;
    }
    banner_grammar::parse_line(&format!("{head} {next}")).is_some_and(|b| {
        b.marking.level == first.marking.level
            && b.marking.unknown.is_empty()
            && b.serial.is_none()
            && b.marking.controls.len() > first.marking.controls.len()
    })
}
