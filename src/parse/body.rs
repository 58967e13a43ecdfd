//! The body segmenter: cuts the lines after the header into paragraphs.
//!
//! Numbered paragraphs (`¶1.`, `1.`, `1.(C)`, `1. (C):`) are read by sequence, so that
//! OCR damage (`15.` for `¶5.`) and false starts (`¶27.` ending "on April") are told apart
//! from real paragraphs. Fragments after blank lines and page breaks are joined to the
//! paragraph they continue; page-break lines, repeated SECTION banners, stamps and the
//! signature are kept out of paragraph text. Every line ends up in exactly one element.

use super::lead::{self, LeadKind, LeadMark};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{
    Element, ElementKind, Field, Header, LineSpan, Lines, Origin, Paragraph, PortionKind,
    SubParagraph,
};
use crate::marking::banner as banner_grammar;
use crate::marking::portion::{self, Place};
use crate::marking::{Level, Marking};
use regex::Regex;
use std::sync::LazyLock;

/// A short damaged lead before a mark: `l. (S)`, `Â¶1. (C)` (a UTF-8 `¶` read as Latin-1),
/// `*1) (C)`, `. (C)`; the mark may be padded with blanks (`(S      )`).
static DAMAGED_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[^\s(]{0,5}[.)]\s*(\([^()]{1,200}\))").expect("static regex")
});
static LABELLED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*¶?\s*(?:[IVX]{1,5}|[A-Z])\.\s*").expect("static regex"));
static PAGE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*[A-Z][A-Z .'&-]{1,40}?\s+\d{2,8}\s+0*\d{1,3}(?:\.\d{1,2})?\s+OF\s+0*\d{1,3}\s*$",
    )
    .expect("static regex")
});
static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(NNNN\s*$|BT\s*$|#\d{4}\s*$|.*Declassified/Released\s+US\s+Department\s+of\s+State)")
        .expect("static regex")
});
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[A-Z][A-Z.'/-]*(?: [A-Z][A-Z.'/-]*){0,2}\s*$").expect("static regex")
});
static TITLE_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s*$").expect("static regex"));
static SUMMARY_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(BEGIN\s+SUMMARY|SUMMARY\s*[:.]|SUMMARY\s*$|-+\s*SUMMARY)")
        .expect("static regex")
});

/// Is this a page-break line (`KHARTOUM 00000413  002 OF 002`, `MADRID 00000174 001.2 OF 002`)?
pub fn is_page_break(line: &str) -> bool {
    // The pattern ends in a number: a line whose last visible char is no digit (most
    // lines end in a letter or a full stop) needs no substring search.
    let ends_in_digit = line
        .trim_end()
        .chars()
        .next_back()
        .is_some_and(char::is_numeric);
    ends_in_digit && line.contains(" OF ") && PAGE_BREAK.is_match(line)
}

/// End-of-message markers and review stamps inside the text.
fn is_stamp(line: &str) -> bool {
    stamp_trimmed(line, line.trim())
}

/// [`is_stamp`] for a line whose trimmed form `t` the caller already has.
fn stamp_trimmed(line: &str, t: &str) -> bool {
    (t.len() <= 5 || (t.len() > 40 && t.contains("Declassified/"))) && STAMP.is_match(line)
}

/// A rule line: only dashes, equals signs, underscores or stars (`-------`), or the
/// database's `---- header ends ----`.
pub fn is_rule(line: &str) -> bool {
    rule_trimmed(line.trim())
}

/// [`is_rule`] for a trimmed line (the marks it starts with are never blanks, so the
/// test is the same on the line or its trimmed form).
fn rule_trimmed(t: &str) -> bool {
    if !t.starts_with(['-', '=', '_', '*']) {
        return false;
    }
    // Lines of dashes are common and almost never carry the words: copy only when they do.
    let replaced;
    let t = if t.contains("header ends") {
        replaced = t.replace("header ends", "");
        replaced.as_str()
    } else {
        t
    };
    t.trim().len() >= 3 && t.chars().all(|c| matches!(c, '-' | '=' | '_' | '*' | ' '))
}

/// A numbered paragraph start: (lead before the number, number as printed, text after).
///
/// The form, as a pattern: `^(\s*(?:-{2,}[-\s]*)?(?:¶\s*)?)(\d{1,3})\s*\.(?:\s+|\(|$)`
/// (a run of dashes may stand before the number in PDF-derived text: `------¶3. (C)`).
/// Read by hand: it runs on every body line, where a regex with captures cost several
/// hundred instructions a line; the unit tests hold the two to the same answers.
pub fn numbered_start(line: &str) -> Option<(&str, u32, usize)> {
    // The lead is the whole run of blanks, dashes and `¶` before the first other char:
    // nothing in it can be a digit, so the number starts right after it.
    let body = line.trim_start_matches(|c: char| c.is_whitespace() || c == '-' || c == '¶');
    let lead_len = line.len() - body.len();
    if !body.as_bytes().first()?.is_ascii_digit() || !is_number_lead(&line[..lead_len]) {
        return None;
    }
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    // A longer number, or one running on into another numeric char, is no paragraph
    // number (the pattern's `\d` would take a non-ASCII digit too, which then does not
    // read as a number either).
    let after_digits = &body[digits..];
    if digits > 3 || after_digits.chars().next().is_some_and(char::is_numeric) {
        return None;
    }
    let dot = after_digits.trim_start();
    let rest = dot.strip_prefix('.')?;
    if !(rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == '(')) {
        return None;
    }
    let number: u32 = body[..digits].parse().ok()?;
    let after = line.len() - rest.len();
    Some((&line[..lead_len], number, after))
}

/// Does a run of blanks, dashes and `¶` read as `\s*(?:-{2,}[-\s]*)?(?:¶\s*)?`? Each part
/// can only be taken whole: what follows it is never what it could stop early for.
fn is_number_lead(lead: &str) -> bool {
    let rest = lead.trim_start();
    let rest = if rest.starts_with("--") {
        rest.trim_start_matches(|c: char| c == '-' || c.is_whitespace())
    } else {
        rest
    };
    let rest = match rest.strip_prefix('¶') {
        Some(r) => r.trim_start(),
        None => rest,
    };
    rest.is_empty()
}

/// Does this line start the body (used by the header scanner to know where to stop)?
pub fn is_body_start(line: &str) -> bool {
    let t = line.trim_start();
    // SUMMARY_START can only match from a `B`, an `S` (or `ſ`, which case-folds to it)
    // or a dash: the regex is not run on the other lines.
    let summary_like = t.starts_with(['B', 'b', 'S', 's', 'ſ', '-']);
    if numbered_start(line).is_some() || (summary_like && SUMMARY_START.is_match(line)) {
        return true;
    }
    if let Some(rest) = t.strip_prefix('¶')
        && rest.trim_start().starts_with(|c: char| c.is_ascii_digit())
    {
        return true;
    }
    if t.starts_with('(')
        && let Some(m) = mark_at(t)
        && portion::is_mark(m.mark, Place::LineStart)
    {
        return true;
    }
    // A readable mark after a damaged lead starts a portion, never header text: read as
    // an addressee line, it would be released whatever its mark says.
    // (It stands before a parenthesis: without a `(`, the regex is not run.)
    if line.contains('(')
        && let Some(m) = DAMAGED_LEAD.captures(line)
        && portion::parse(&m[1], Place::AfterNumber).is_some_and(|m| !m.is_unknown())
    {
        // `¶C. (C) PARIS 7527`: the third item of a REF list, labelled twice.
        let lead = line[..m.get(1).map_or(0, |g| g.start())].trim();
        let label = lead.trim_start_matches('¶').trim_end_matches(['.', ')']);
        let inner = m[1].trim_matches(['(', ')']).trim();
        return !(label.len() == 1 && label.eq_ignore_ascii_case(inner));
    }
    false
}

pub struct Body {
    pub paragraphs: Vec<Paragraph>,
    pub elements: Vec<Element>,
    pub signature: Option<Field>,
    pub diagnostics: Vec<Diagnostic>,
}

/// How a line joins the paragraph text before it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Join {
    /// The next line of the same block.
    Line,
    /// Across a blank line or a page break, mid-sentence: a repair, joined with a space.
    Repair,
    /// Across a blank line after a finished sentence: the paragraph goes on.
    Block,
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
    };
    let (end, signature) = find_signature(lines, start);
    let mut after_blank = true;
    let mut after_break = false;
    let mut in_cab = false;
    let mut in_field: Option<ElementKind> = None;
    for (i, line) in lines.iter().enumerate().take(end).skip(start) {
        let t = line.trim();
        if t.is_empty() {
            s.push(ElementKind::Blank, i);
            after_blank = true;
            in_cab = false;
            in_field = None;
            continue;
        }
        if rule_trimmed(t) {
            s.push(ElementKind::Rule, i);
            after_blank = true;
            in_cab = false;
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
            });
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
            let field = super::header::field_kind(line).filter(|&kind| {
                !marked
                    && !s.marked_seen
                    && (after_blank
                        || s.paragraphs.is_empty()
                        || in_field.is_some()
                        || kind == ElementKind::EoLine)
            });
            if let Some(kind) = field {
                in_field = Some(kind);
                read_field(header, kind, i, t);
            } else if marked
                || is_body_start(line)
                || (in_field == Some(ElementKind::Tags) && !super::header::is_tags_continuation(t))
            {
                // A portion (a number, a mark) or prose ends the field and starts a block:
                // header material is released as the policy says for the header, a
                // portion by its own mark.
                in_field = None;
                after_blank = true;
            }
            if let Some(kind) = in_field {
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

/// The banner a `Classification: UNCLASSIFIED//FOR OFFICIAL USE ONLY` line prints, as
/// e-mails and memo pages repeat it on every page.
fn classification_value(t: &str) -> Option<&str> {
    let label = t.get(..15)?;
    label
        .eq_ignore_ascii_case("classification:")
        .then(|| &t[15..])
}

fn ends_sentence(t: &str) -> bool {
    t.ends_with([
        '.', '!', '?', ':', ';', '"', ')', ']', '\'', '”', '’', '-', '=',
    ])
}

struct Segmenter<'a> {
    lines: &'a Lines,
    paragraphs: Vec<Paragraph>,
    elements: Vec<Element>,
    diagnostics: Vec<Diagnostic>,
    last_number: Option<u32>,
    /// Has a numbered paragraph been seen? Then unnumbered fragments belong to it.
    numbered: bool,
    /// The last `(A)`-style list label in the current paragraph, so `(C)` after `(B)` is
    /// read as a label, not a CONFIDENTIAL mark.
    label_letter: Option<char>,
    /// Has a portion with a printed mark started? Header fields end there.
    marked_seen: bool,
    /// The highest level a banner or section banner so far has printed: no text on the
    /// page ranks above it, so text after a page break may join a portion marked that high
    /// without being held too low.
    banner_level: Level,
    /// Was the page boundary before this line a printed page's (a repeated banner, a page
    /// number, a form feed)? A cable's own page line (`BAKU 00001771 002 OF 003`) is the
    /// telegram system's, cut mid-paragraph, where no portion mark is ever lost.
    banner_break: bool,
}

/// How high a portion's marking ranks when a mark glued into one of its lines is weighed
/// against it: unreadable as the highest, unmarked as U (an unmarked portion is withheld in
/// a classified document anyway, and a glued `(U)` must not make it releasable).
fn rank(m: Option<&Marking>) -> Level {
    match m {
        Some(m) if m.is_unknown() => Level::TS,
        Some(m) => m.level,
        None => Level::U,
    }
}

/// Reads the facts of a header field the body found (E.O. line, TAGS) when the header
/// scanner did not: the audit and the policies' date conditions need them.
fn read_field(header: &mut Header, kind: ElementKind, i: usize, t: &str) {
    match kind {
        ElementKind::EoLine if header.eo.is_none() => {
            if let Some((order, declassify)) = super::fields::read_eo(t) {
                header.eo = Some(crate::document::EoLine {
                    raw: t.to_string(),
                    order,
                    declassify,
                    lines: LineSpan::one(i + 1),
                });
            }
        }
        ElementKind::Tags if header.tags.is_empty() => {
            header.tags = super::fields::read_tags(t);
            header.tags_lines = Some(LineSpan::one(i + 1));
        }
        _ => {}
    }
}

impl Segmenter<'_> {
    fn push(&mut self, kind: ElementKind, index: usize) {
        self.elements.push(Element {
            kind,
            lines: LineSpan::one(index + 1),
        });
    }

    fn diag(&mut self, code: Code, index: usize, column: usize, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::new(code, index + 1, column, message));
    }

    fn ends_mid_sentence(&self) -> bool {
        self.paragraphs
            .last()
            .is_some_and(|p| !p.text.is_empty() && !ends_sentence(p.text.trim_end()))
    }

    fn line(
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
        if self.lines.may_hold_mark(i) && super::kind::title_mark(t.trim_end()).is_some() {
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
    fn append_checked(&mut self, i: usize, text: &str, join: Join) {
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

    /// A glued mark on the first line of the portion just started, after its own mark,
    /// that ranks above it: the portion is held at the glued mark (the line is not split).
    fn raise_to_glued(&mut self, i: usize, from: usize) {
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
    fn start_portion(&mut self, i: usize, lm: &LeadMark, parent: Option<usize>) {
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
    fn is_heading(&self, i: usize) -> bool {
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
    fn accept_number(
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
    fn start_labelled(&mut self, i: usize, label_end: usize) {
        self.start_paragraph_at(i, None, label_end);
    }

    fn start_paragraph(&mut self, i: usize, numbered: Option<(&str, u32, u32, usize)>) {
        self.start_paragraph_at(i, numbered, 0);
    }

    fn start_paragraph_at(
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
                match super::kind::title_mark(line[from..].trim_end()) {
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

    fn append(&mut self, i: usize, text: &str, join: Join) {
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
const PARAGRAPH_RESERVE: usize = 512;

/// A parenthesis where a portion mark may stand, at the start of a text.
struct MarkAt<'a> {
    /// The parenthesis, `(` to `)`.
    mark: &'a str,
    /// Where it starts, after leading blanks.
    start: usize,
    /// Where the text after it starts, past blanks, colons, dots and dashes.
    end: usize,
}

/// `^\s*(\([^()]{0,48}\))[\s:.\-]*` read by hand: blanks, an opening parenthesis, at most
/// 48 chars without a parenthesis, the closing one, then separators. Several hundred
/// instructions less than a regex with captures, on a test run for most body lines; the
/// unit tests hold the two to the same answers.
fn mark_at(s: &str) -> Option<MarkAt<'_>> {
    let start = leading_ws(s);
    let inner = s[start..].strip_prefix('(')?;
    let close = inner.find(['(', ')'])?;
    if inner.as_bytes()[close] != b')' || inner[..close].chars().count() > 48 {
        return None;
    }
    let mark_end = start + 1 + close + 1;
    let tail = s[mark_end..]
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '.' | '-'));
    Some(MarkAt {
        mark: &s[start..mark_end],
        start,
        end: s.len() - tail.len(),
    })
}

fn leading_ws(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

fn starts_lower(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_lowercase())
}

/// `(B)` → `B`; anything else → None.
fn single_letter(raw: &str) -> Option<char> {
    let inner = raw.trim_start_matches('(').trim_end_matches(')').trim();
    let mut chars = inner.chars();
    let c = chars.next()?;
    (chars.next().is_none() && c.is_ascii_alphabetic()).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(found: Option<(&str, u32, usize)>) -> Option<(String, u32, usize)> {
        found.map(|(lead, number, after)| (lead.to_string(), number, after))
    }

    /// The pattern `numbered_start` reads by hand, applied as the regex it once was.
    fn by_regex(line: &str) -> Option<(String, u32, usize)> {
        static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^(\s*(?:-{2,}[-\s]*)?(?:¶\s*)?)(\d{1,3})\s*\.(?:\s+|\(|$)").unwrap()
        });
        let caps = NUMBERED.captures(line)?;
        let number: u32 = caps[2].parse().ok()?;
        let end = caps.get(2).expect("group 2").end();
        let after = line[end..].find('.').map_or(end, |d| end + d + 1);
        Some((caps[1].to_string(), number, after))
    }

    #[test]
    fn numbered_start_matches_its_pattern_on_every_short_line() {
        crate::testing::each_string(
            &[" ", "-", "¶", "1", "0", ".", "(", "a", "\u{a0}", "٣", "²"],
            5,
            |line| assert_eq!(owned(numbered_start(line)), by_regex(line), "{line:?}"),
        );
    }

    fn mark_by_regex(s: &str) -> Option<(&str, usize, usize)> {
        static MARK: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^\s*(\([^()]{0,48}\))[\s:.\-]*").unwrap());
        let caps = MARK.captures(s)?;
        let g = caps.get(1).unwrap();
        Some((g.as_str(), g.start(), caps.get(0).unwrap().end()))
    }

    #[test]
    fn mark_at_matches_its_pattern() {
        crate::testing::each_string(
            &[" ", "(", ")", "S", "/", ":", "-", "\u{a0}", "é"],
            6,
            |text| {
                let hand = mark_at(text).map(|m| (m.mark, m.start, m.end));
                assert_eq!(hand, mark_by_regex(text), "{text:?}");
            },
        );
        let long = |n: usize| format!(" ({}) text", "é".repeat(n));
        for text in [long(47), long(48), long(49), "(S//NF) - . : Text".into()] {
            let hand = mark_at(&text).map(|m| (m.mark, m.start, m.end));
            assert_eq!(hand, mark_by_regex(&text), "{text:?}");
        }
    }

    #[test]
    fn summary_and_damaged_leads_start_the_body() {
        for line in [
            "SUMMARY: text",
            "  begin summary",
            "--- Summary",
            "\u{a0}Summary.",
            "ſummary: the long s folds to s",
            "l. (S) Text",
            "*1) (C) Text",
        ] {
            assert!(is_body_start(line), "{line}");
        }
        for line in [
            "The summary",
            "Summaryless",
            "C. (C) PARIS 7527",
            "l. S Text",
        ] {
            assert!(!is_body_start(line), "{line}");
        }
    }

    #[test]
    fn rules_and_stamps() {
        for line in ["-------", " === ", "---- header ends ----", "*_*", "- - -"] {
            assert!(is_rule(line), "{line}");
        }
        for line in [
            "--",
            "-- The minister said",
            "---- headers ----",
            "-- he ends --",
        ] {
            assert!(!is_rule(line), "{line}");
        }
        let stamp = "Declassified/Released US Department of State EO Systematic Review";
        assert!(is_stamp(stamp));
        assert!(is_stamp("NNNN"));
        assert!(!is_stamp(
            "The cable was Declassified / Released in 2010 by the Department"
        ));
    }

    #[test]
    fn numbered_start_on_real_leads() {
        for line in [
            "1. (C) Text",
            "¶12. (S/NF) Text",
            "------¶3. (C) Text",
            "  -- 4.(U)",
            " - 5. text",
            "1234. text",
            "12.5 million",
            "7.",
            "¶ 8 . (C)",
            "3.text",
            "\t9.\u{a0}(C)",
        ] {
            assert_eq!(owned(numbered_start(line)), by_regex(line), "{line:?}");
        }
        assert_eq!(numbered_start("¶12. (C) T"), Some(("¶", 12, 5)));
    }
}
