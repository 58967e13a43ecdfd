//! The header scanner: from the top of the text to where the body starts. Finds database
//! residue, the routing block, the banner, captions, addressee lines, the E.O. line, TAGS,
//! SUBJECT (joined across lines, with its own mark), REF and Classified By, and records
//! each as an element so that every header line is accounted for.

use super::{body, fields};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{
    Banner, Caption, Element, ElementKind, EoLine, Field, Header, LineSpan, Lines, Origin, Subject,
};
use crate::marking::banner::{self as banner_grammar, BannerLine};
use crate::marking::portion::{self, Place};
use regex::Regex;
use std::sync::LazyLock;

pub struct HeaderScan {
    pub header: Header,
    pub elements: Vec<Element>,
    /// 0-based index of the first body line.
    pub body_start: usize,
    pub diagnostics: Vec<Diagnostic>,
}

static ROUTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(VZCZC|DE\s+[A-Z]{4}|ZNY\b|ZNR\b|ZZH\b|FM\s|TO\s|INFO\s|XMT\s|BT\s*$|[OPRZ]{1,2}\s+\d{6}Z\b|RUE[A-Z]{3}/|R[A-Z]{6}/|PP\s+RUE|RR\s+RUE|OO\s+RUE|ZEN\b|ACTION\s)",
    )
    .expect("static regex")
});
static SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*SUBJ(?:ECT)?\s*[:.]\s*").expect("static regex"));
static TAGS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*TAGS\b\s*:?").expect("static regex"));
static REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(REF|REFS|REFTEL|REFTELS|REFERENCE|REFERENCES)\b\s*[:.]?")
        .expect("static regex")
});
static REF_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*¶?\s*(?:\([A-Z]\)|[A-Z][.)])\s+\S").expect("static regex"));
/// A lettered REF item that names a message (`(C) SAN JOSE 01692`, `B. 08 STATE 1234`):
/// its letter is a list label even when it looks like a portion mark.
static REF_MESSAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*¶?\s*(?:\([A-Z]\)|[A-Z][.)])\s+(?:\d{2}\s+)?[A-Z][A-Za-z .'/-]*\s\d{1,6}\b")
        .expect("static regex")
});
static CABLE_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{2}[A-Z][A-Z0-9]*\d+$").expect("static regex"));
static CSV_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d+,\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2},").expect("static regex")
});
static KEY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(id|date|refid|origin|classification|destination|header|Cable dated)\s*:")
        .expect("static regex")
});
static DATE_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2}$").expect("static regex"));
static REASON_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(REASONS?|DECLASSIFY\s+ON)\s*:").expect("static regex"));

/// The first char after leading blanks: the field patterns below are anchored there, and
/// testing it first spares most lines a regex search (several hundred instructions).
fn first_visible(line: &str) -> Option<char> {
    line.trim_start().chars().next()
}

/// `SUBJECT.is_match`; `ſ` (long s) case-folds to `s`.
fn is_subject(line: &str) -> bool {
    matches!(first_visible(line), Some('S' | 's' | 'ſ')) && SUBJECT.is_match(line)
}

/// `TAGS.is_match`.
fn is_tags(line: &str) -> bool {
    matches!(first_visible(line), Some('T' | 't')) && TAGS.is_match(line)
}

/// `REF.is_match`.
fn is_ref(line: &str) -> bool {
    matches!(first_visible(line), Some('R' | 'r')) && REF.is_match(line)
}

/// `ROUTING.is_match` (case-sensitive): each alternative starts with one of these.
fn is_routing(line: &str) -> bool {
    matches!(
        first_visible(line),
        Some('V' | 'D' | 'Z' | 'F' | 'T' | 'I' | 'X' | 'B' | 'O' | 'P' | 'R' | 'A')
    ) && ROUTING.is_match(line)
}

/// How many lines down the banner is looked for.
const BANNER_WINDOW: usize = 150;

pub fn scan(lines: &Lines, name: Option<&str>) -> HeaderScan {
    let mut s = Scanner {
        lines,
        header: Header::default(),
        // One element per line until they are merged: room for the body's too, which
        // parse appends to these, so the list is allocated once.
        elements: Vec::with_capacity(lines.len()),
        diagnostics: Vec::new(),
    };
    let mut i = s.residue();
    let banner_at = s.find_banner(i);
    if let Some((at, _)) = &banner_at {
        // Everything between residue and banner: routing or other header text.
        let routing_seen = (i..*at).any(|k| is_routing(&lines[k]));
        let mut first_routing = None;
        for (k, line) in lines.iter().enumerate().take(*at).skip(i) {
            if line.trim().is_empty() {
                s.push(ElementKind::Blank, k);
            } else if routing_seen {
                first_routing.get_or_insert(k);
                s.push(ElementKind::Routing, k);
                s.routing_fact(line);
            } else {
                s.push(ElementKind::HeaderText, k);
            }
        }
        if let Some(first) = first_routing {
            s.header.routing = Some(LineSpan::new(first + 1, *at));
        }
        i = *at;
    } else {
        // No banner: routing lines at the top are still routing.
        while i < lines.len() && (lines[i].trim().is_empty() || is_routing(&lines[i])) {
            let kind = if lines[i].trim().is_empty() {
                ElementKind::Blank
            } else {
                ElementKind::Routing
            };
            s.routing_fact(&lines[i]);
            s.push(kind, i);
            i += 1;
        }
    }
    if let Some((at, line)) = banner_at {
        s.set_banner(at, line);
        s.glued_fields(at);
        i = at + 1;
    }
    let body_start = s.fields(i);
    s.finish(name);
    HeaderScan {
        header: s.header,
        elements: s.elements,
        body_start,
        diagnostics: s.diagnostics,
    }
}

struct Scanner<'a> {
    lines: &'a Lines,
    header: Header,
    elements: Vec<Element>,
    diagnostics: Vec<Diagnostic>,
}

/// Which multi-line field the previous line belonged to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    None,
    Subject,
    Ref,
    Cab,
    Tags,
}

impl Scanner<'_> {
    fn push(&mut self, kind: ElementKind, index: usize) {
        self.elements.push(Element {
            kind,
            lines: LineSpan::one(index + 1),
        });
    }

    /// Database residue before the cable proper, and a truncated preview (`…` at a line
    /// end) that some exports put before the full copy. Returns the first line after them.
    fn residue(&mut self) -> usize {
        let lines = self.lines;
        let preview = preview_end(lines);
        let mut k = preview.unwrap_or(0);
        while k < lines.len() && lines[k].trim().is_empty() {
            k += 1;
        }
        let residue_end = residue_block(lines, k);
        let end = residue_end.unwrap_or(if preview.is_some() { k } else { 0 });
        if end == 0 {
            return 0;
        }
        for (idx, line) in lines.iter().enumerate().take(end) {
            let t = line.trim();
            if t.is_empty() {
                self.push(ElementKind::Blank, idx);
                continue;
            }
            self.push(ElementKind::Residue, idx);
            if residue_end.is_some() && idx >= k {
                if let Some(d) = fields::residue_date(t).or_else(|| residue_key_date(t)) {
                    self.header.date.get_or_insert(d);
                }
                let id = t.strip_prefix("refid:").map_or(t, str::trim);
                let id = id
                    .split(',')
                    .nth(2)
                    .filter(|_| CSV_ROW.is_match(t))
                    .unwrap_or(id);
                if CABLE_ID.is_match(id) {
                    self.header.year = self.header.year.or(fields::year_from_id(id));
                }
            }
        }
        let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
        self.header.residue = Some(LineSpan::new(first + 1, end));
        end
    }

    /// The banner: the first classification line with a post and serial or a section, or
    /// else the first classification line, within the first lines and before the body.
    fn find_banner(&self, from: usize) -> Option<(usize, BannerLine)> {
        let mut fallback = None;
        let end = self.lines.len().min(from + BANNER_WINDOW);
        for k in from..end {
            let line = &self.lines[k];
            // Nothing after a portion is the banner: the lines above it would be read as
            // header text and released as the header is.
            if body::is_body_start(line) || is_subject(line) {
                break;
            }
            if let Some(b) = banner_grammar::parse_line(line) {
                if b.serial.is_some() || b.section.is_some() {
                    return Some((k, b));
                }
                fallback.get_or_insert((k, b));
            } else if let Some((b, _)) = banner_grammar::parse_glued(line) {
                return Some((k, b));
            } else if let Some(b) = banner_grammar::find_embedded(line) {
                return Some((k, b));
            }
        }
        fallback
    }

    fn set_banner(&mut self, at: usize, line: BannerLine) {
        if line.damaged {
            self.diagnostics.push(Diagnostic::new(
                Code::DamagedBanner,
                at + 1,
                1,
                format!(
                    "damaged classification line read as {}",
                    line.marking.banner()
                ),
            ));
        }
        if let Some(serial) = &line.serial {
            let post: Vec<&str> = serial.split_whitespace().collect();
            if post.len() > 1 && self.header.origin_post.is_none() {
                self.header.origin_post = Some(post[..post.len() - 1].join(" "));
            }
        }
        self.push(ElementKind::Banner, at);
        self.header.banner = Some(Banner {
            marking: line.marking,
            line: at + 1,
            section: line.section,
            serial: line.serial,
            efto: line.efto,
            damaged: line.damaged,
        });
    }

    /// Fields glued onto the banner line by a flattened export: read their facts; the line
    /// stays one Banner element.
    fn glued_fields(&mut self, at: usize) {
        let line = &self.lines[at];
        let Some((_, cut)) = banner_grammar::parse_glued(line) else {
            return;
        };
        let rest = &line[cut..];
        for piece in split_glued(rest) {
            if fields::is_eo_line(piece) && self.header.eo.is_none() {
                if let Some((order, declassify)) = fields::read_eo(piece) {
                    self.header.eo = Some(EoLine {
                        raw: piece.trim().to_string(),
                        order,
                        declassify,
                        lines: LineSpan::one(at + 1),
                    });
                }
            } else if is_tags(piece) && self.header.tags.is_empty() {
                self.header.tags = fields::read_tags(piece);
                self.header.tags_lines = Some(LineSpan::one(at + 1));
            } else if let Some(b) = self.header.banner.as_mut() {
                for word in piece.split_whitespace() {
                    if let Some(Some(control)) = banner_grammar::parse_caption(word) {
                        b.marking.controls.insert(control);
                    } else if banner_grammar::parse_caption(word).is_none() {
                        break;
                    }
                }
            }
        }
    }

    fn routing_fact(&mut self, line: &str) {
        let t = line.trim();
        if let Some(d) = fields::routing_date(t) {
            self.header.date.get_or_insert(d);
        }
        if let Some(post) = t.strip_prefix("FM ") {
            self.header.origin_post = Some(post.trim().to_string());
        }
    }

    /// Header fields after the banner. Returns the first body line.
    fn fields(&mut self, mut i: usize) -> usize {
        let lines = self.lines;
        let mut open = Open::None;
        let mut field_seen = false;
        let mut addressee_lines = 0;
        // The line span and joined text of the field being read.
        let mut acc: Option<(Open, usize, String)> = None;
        while i < lines.len() {
            let line = &lines[i];
            let t = line.trim();
            if t.is_empty() {
                // A REF block may continue after a blank with lettered items.
                if open == Open::Ref
                    && let Some(next) = lines.iter().skip(i + 1).find(|l| !l.trim().is_empty())
                    && REF_ITEM.is_match(next)
                    && body::numbered_start(next).is_none()
                {
                    self.push(ElementKind::Blank, i);
                    i += 1;
                    continue;
                }
                self.close(&mut acc, i);
                open = Open::None;
                self.push(ElementKind::Blank, i);
                i += 1;
                continue;
            }
            let ref_item = open == Open::Ref && REF_MESSAGE.is_match(line);
            if body::is_body_start(line) && !fields::is_cab_line(line) && !ref_item {
                break;
            }
            // Header parts end where the first marked portion begins: a line whose lead
            // carries a mark, or with a paragraph mark glued into it (`Classified By: …
            // 1. (C) …` in a flattened export), is body, whatever field it starts with.
            let maybe_mark = lines.may_hold_mark(i);
            let lead_mark = if maybe_mark {
                super::lead::lead_mark(line)
            } else {
                None
            };
            let own_mark = lead_mark
                .as_ref()
                .is_some_and(|m| m.kind == super::lead::LeadKind::Bare)
                && fields::is_cab_line(line);
            if (lead_mark.is_some() && !ref_item && !own_mark)
                || (maybe_mark && super::lead::glued_mark(line, 0).is_some())
            {
                break;
            }
            if body::is_page_break(line) {
                self.close(&mut acc, i);
                open = Open::None;
                self.push(ElementKind::PageBreak, i);
                i += 1;
                continue;
            }
            if body::is_rule(line) {
                self.close(&mut acc, i);
                open = Open::None;
                self.push(ElementKind::HeaderText, i);
                i += 1;
                continue;
            }
            if fields::is_eo_line(line) {
                self.close(&mut acc, i);
                let mut joined = t.to_string();
                let mut last = i;
                // `DECL:` at the end of the line: the value wrapped onto the next one.
                if ends_with_ignore_case(t, "DECL:")
                    && let Some(next) = lines.get(i + 1)
                    && !next.trim().is_empty()
                {
                    joined.push(' ');
                    joined.push_str(next.trim());
                    last = i + 1;
                }
                let pieces = split_glued(&joined);
                for piece in &pieces[1..] {
                    if is_tags(piece) && self.header.tags.is_empty() {
                        self.header.tags = fields::read_tags(piece);
                        self.header.tags_lines = Some(LineSpan::new(i + 1, last + 1));
                    }
                }
                let joined = pieces[0].trim_end().to_string();
                if let Some((order, declassify)) = fields::read_eo(&joined) {
                    self.header.eo.get_or_insert(EoLine {
                        raw: joined,
                        order,
                        declassify,
                        lines: LineSpan::new(i + 1, last + 1),
                    });
                }
                for k in i..=last {
                    self.push(ElementKind::EoLine, k);
                }
                field_seen = true;
                open = Open::None;
                i = last + 1;
                continue;
            }
            let starts = if is_tags(line) {
                Some((Open::Tags, ElementKind::Tags))
            } else if is_subject(line) {
                Some((Open::Subject, ElementKind::Subject))
            } else if is_ref(line) && !starts_with_ignore_case(t, "REFORM") {
                Some((Open::Ref, ElementKind::Ref))
            } else if fields::is_cab_line(line) {
                Some((Open::Cab, ElementKind::ClassifiedBy))
            } else {
                None
            };
            if let Some((kind, element)) = starts {
                self.close(&mut acc, i);
                acc = Some((kind, i, t.to_string()));
                open = kind;
                field_seen = true;
                self.push(element, i);
                i += 1;
                continue;
            }
            // Continuation of an open field.
            let continues = match open {
                Open::Subject => acc
                    .as_ref()
                    .is_some_and(|(_, start, text)| subject_wraps(text, t, i - start)),
                Open::Ref => true,
                // A flattened copy of the header glued on one line ends the block, and so
                // does prose under a finished block.
                Open::Cab => {
                    banner_grammar::parse_glued(t).is_none()
                        && banner_grammar::parse_line(t).is_none()
                        && acc.as_ref().is_some_and(|(_, start, text)| {
                            fields::cab_wraps(
                                &fields::read_cab(text, LineSpan::one(start + 1), None),
                                t,
                            )
                        })
                }
                Open::Tags => is_tags_continuation(t),
                Open::None => false,
            } || (open == Open::None
                && REASON_LINE.is_match(line)
                && self.header.classified_by.is_some());
            if continues {
                if let Some((_, _, text)) = acc.as_mut() {
                    text.push(' ');
                    text.push_str(t);
                } else if REASON_LINE.is_match(line)
                    && let Some(cab) = self.header.classified_by.as_mut()
                {
                    let joined = format!("{} {}", cab.raw, t);
                    let span = LineSpan::new(cab.lines.first, i + 1);
                    *cab = fields::read_cab(&joined, span, None);
                }
                let kind = match open {
                    Open::Subject => ElementKind::Subject,
                    Open::Ref => ElementKind::Ref,
                    Open::Tags => ElementKind::Tags,
                    _ => ElementKind::ClassifiedBy,
                };
                self.push(kind, i);
                i += 1;
                continue;
            }
            if let Some(c) = banner_grammar::parse_caption(line) {
                self.close(&mut acc, i);
                open = Open::None;
                if let Some(control) = &c {
                    // Only captions under the banner raise it; routing captions add nothing.
                    if let Some(b) = self.header.banner.as_mut() {
                        b.marking.controls.insert(control.clone());
                    }
                }
                self.header.captions.push(Caption {
                    text: t.to_string(),
                    control: c,
                    line: i + 1,
                });
                self.push(ElementKind::Caption, i);
                i += 1;
                continue;
            }
            if let Some(b) = banner_grammar::parse_line(line)
                .or_else(|| {
                    banner_grammar::parse_glued(line)
                        .map(|(b, _)| b)
                        .filter(|b| !b.damaged)
                })
                .filter(|_| self.header.banner.is_some())
            {
                self.close(&mut acc, i);
                open = Open::None;
                self.header.section_banners.push(i + 1);
                self.header.section_levels.push(b.marking.level);
                self.push(ElementKind::SectionBanner, i);
                i += 1;
                continue;
            }
            // Anything else: an addressee line before the fields, or the start of the body.
            let before_fields = !field_seen && self.header.banner.is_some();
            let subject_seen = self.header.subject.is_some() || open == Open::Subject;
            if let Some(controls) = caption_prefix(t)
                && !field_seen
            {
                // `NOFORN SIPDIS STATE FOR NEA/MAG; …`: captions glued to an office line.
                self.close(&mut acc, i);
                open = Open::None;
                if let Some(b) = self.header.banner.as_mut() {
                    b.marking.controls.extend(controls.iter().cloned());
                }
                self.header.captions.push(Caption {
                    text: t.to_string(),
                    control: controls.into_iter().next(),
                    line: i + 1,
                });
                self.push(ElementKind::Caption, i);
                i += 1;
                continue;
            }
            // Header lines that are none of the known fields stay in the header when a
            // field still follows before the body (addressees, office lines, stray residue).
            // After the first field, only a line that looks like an office or addressee
            // line (no lower case) stays in the header: prose between SUBJECT and E.O. is
            // body text, decided as a portion, not released as the header is.
            let field_ahead = self.field_ahead(i + 1, subject_seen)
                && (before_fields || !t.chars().any(char::is_lowercase));
            if (before_fields && addressee_lines < 12 && t.len() < 240) || field_ahead {
                self.close(&mut acc, i);
                open = Open::None;
                addressee_lines += 1;
                self.header.addressees.push(Field {
                    text: t.to_string(),
                    lines: LineSpan::one(i + 1),
                });
                self.push(ElementKind::Addressee, i);
                i += 1;
                continue;
            }
            break;
        }
        self.close(&mut acc, i);
        i
    }

    /// Does a header field (SUBJECT, E.O., TAGS, Classified By; REF only before the
    /// subject) start within the next lines, before anything that starts the body?
    fn field_ahead(&self, from: usize, subject_seen: bool) -> bool {
        let mut nonblank = 0;
        for line in self.lines.iter().skip(from) {
            if line.trim().is_empty() {
                continue;
            }
            if body::is_body_start(line) {
                return false;
            }
            if is_subject(line)
                || fields::is_eo_line(line)
                || is_tags(line)
                || (!subject_seen && fields::is_cab_line(line))
            {
                return true;
            }
            nonblank += 1;
            if nonblank >= 8 {
                return false;
            }
        }
        false
    }

    /// Ends the open field at line index `end` (exclusive) and records its meaning.
    fn close(&mut self, acc: &mut Option<(Open, usize, String)>, end: usize) {
        let Some((kind, start, text)) = acc.take() else {
            return;
        };
        // The span ends at the last line the field claimed.
        let last = self
            .elements
            .iter()
            .rev()
            .find(|e| e.kind != ElementKind::Blank)
            .map_or(end, |e| e.lines.last)
            .max(start + 1);
        let span = LineSpan::new(start + 1, last);
        match kind {
            Open::Subject => {
                let after = SUBJECT.find(&text).map_or(0, |m| m.end());
                let rest = &text[after..];
                let col = self.lines[start]
                    .find(|c: char| !c.is_whitespace())
                    .unwrap_or(0)
                    + self.lines[start].len().min(after)
                    + 1;
                // Flattened exports glue REF and Classified By onto the subject.
                let pieces = split_glued(rest);
                let rest = pieces.first().copied().unwrap_or("");
                for piece in &pieces[1..] {
                    let better = |c: &crate::document::ClassifiedBy| c.reasons.is_empty();
                    if fields::is_cab_line(piece)
                        && self.header.classified_by.as_ref().is_none_or(better)
                    {
                        self.header.classified_by = Some(fields::read_cab(piece, span, None));
                    } else if is_ref(piece) {
                        self.header.refs.push(Field {
                            text: piece.trim().to_string(),
                            lines: span,
                        });
                    }
                }
                let (marking, subject_text) = subject_mark(rest);
                self.header.subject.get_or_insert(Subject {
                    text: subject_text,
                    marking,
                    origin: Origin::None,
                    lines: span,
                    column: col.min(self.lines[start].chars().count().max(1)),
                });
            }
            Open::Ref => self.header.refs.push(Field { text, lines: span }),
            Open::Cab => {
                let cab = fields::read_cab(&text, span, None);
                // A truncated preview's block gives way to a complete one later.
                if self
                    .header
                    .classified_by
                    .as_ref()
                    .is_none_or(|c| c.reasons.is_empty() && !cab.reasons.is_empty())
                {
                    self.header.classified_by = Some(cab);
                }
            }
            Open::Tags => {
                if self.header.tags.is_empty() {
                    self.header.tags = fields::read_tags(&text);
                    self.header.tags_lines = Some(span);
                }
            }
            Open::None => {}
        }
    }

    fn finish(&mut self, name: Option<&str>) {
        // Captions NOFORN and SENSITIVE on an unclassified cable are one control.
        if let Some(b) = self.header.banner.as_mut()
            && b.marking.level == crate::marking::Level::U
            && b.marking.controls.contains(&crate::marking::Control::Sbu)
            && b.marking.controls.remove(&crate::marking::Control::Noforn)
        {
            b.marking.controls.remove(&crate::marking::Control::Sbu);
            b.marking.controls.insert(crate::marking::Control::SbuNf);
        }
        if self.header.year.is_none() {
            self.header.year = self
                .header
                .date
                .map(|d| d.year)
                .or_else(|| name.and_then(fields::year_from_id));
        }
    }
}

static GLUED_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(E\.?\s?O\.?\s*1\d{4}|TAGS\b:?|SUBJECT\s*:|REF\s*:|CLASSIFIED\s+BY\b)")
        .expect("static regex")
});

/// `text.to_ascii_uppercase().starts_with(prefix)` for an upper-case ASCII `prefix`,
/// without the copy.
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// `text.to_ascii_uppercase().ends_with(suffix)` for an upper-case ASCII `suffix`,
/// without the copy.
fn ends_with_ignore_case(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Cuts a flattened run of header fields at each field keyword.
fn split_glued(rest: &str) -> Vec<&str> {
    // A keyword at the very start (after a stray `¶`) is not a second field.
    let starts: Vec<usize> = GLUED_FIELD
        .find_iter(rest)
        .map(|m| m.start())
        .filter(|&st| rest[..st].chars().any(char::is_alphanumeric))
        .collect();
    let mut pieces = Vec::new();
    let mut from = 0;
    for &st in &starts {
        if st > from {
            pieces.push(&rest[from..st]);
        }
        from = st;
    }
    pieces.push(&rest[from..]);
    pieces
}

/// A line that continues a TAGS line: tag codes only (`PREL PGOV`, `KNNP, MNUC`).
pub fn is_tags_continuation(t: &str) -> bool {
    t.split([' ', ',']).all(|w| {
        w.len() <= 12
            && w.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
    })
}

/// The element kind of a header field line (REF, E.O., TAGS, SUBJECT), for header
/// material the body finds before its first numbered paragraph.
pub fn field_kind(line: &str) -> Option<ElementKind> {
    if fields::is_eo_line(line) {
        Some(ElementKind::EoLine)
    } else if is_tags(line) {
        Some(ElementKind::Tags)
    } else if is_subject(line) {
        Some(ElementKind::Subject)
    } else if is_ref(line) && !starts_with_ignore_case(line.trim_start(), "REFORM") {
        Some(ElementKind::Ref)
    } else {
        None
    }
}

/// A truncated preview: a line ending in `...` within the first lines, followed (after
/// blanks) by residue, routing or a classification line, which start the full copy.
fn preview_end(lines: &Lines) -> Option<usize> {
    for (k, line) in lines.iter().enumerate().take(60) {
        let t = line.trim_end();
        if !(t.ends_with("...") && t.trim().len() > 3) {
            continue;
        }
        let next = lines
            .iter()
            .skip(k + 1)
            .position(|l| !l.trim().is_empty())?
            + k
            + 1;
        let n = &lines[next];
        // Only a structured copy (residue or routing first) replaces the preview; a
        // flattened one-line copy is read as header text after it.
        if is_residue_start(n.trim()) || is_routing(n) {
            return Some(k + 1);
        }
    }
    None
}

fn is_residue_start(t: &str) -> bool {
    (!t.is_empty() && t.len() <= 10 && t.chars().all(|c| c.is_ascii_digit()))
        || CSV_ROW.is_match(t)
        || t.starts_with("id:")
        || t.starts_with("Cable dated:")
        || fields::residue_date(t).is_some()
}

/// The end (exclusive) of a residue block starting at `k`, if one starts there.
fn residue_block(lines: &Lines, k: usize) -> Option<usize> {
    let first = lines.get(k)?.trim();
    if !is_residue_start(first) {
        return None;
    }
    let csv = CSV_ROW.is_match(first);
    let mut end = k;
    let mut after_id = false;
    let mut i = k;
    let mut taken = 0;
    while i < lines.len() && taken < 14 {
        let t = lines[i].trim();
        if t.is_empty() {
            i += 1;
            continue;
        }
        if csv {
            // A CSV row runs until its quoted text field opens on the routing block.
            end = i + 1;
            if t.contains("\"VZCZC") || t.contains(",\"") && t.ends_with('"') {
                return Some(end);
            }
            if is_routing(t) {
                return Some(i);
            }
            i += 1;
            taken += 1;
            continue;
        }
        let is_residue = (t.len() <= 10 && t.chars().all(|c| c.is_ascii_digit()))
            || fields::residue_date(t).is_some()
            || DATE_ONLY.is_match(t)
            || KEY_LINE.is_match(t)
            || CABLE_ID.is_match(t)
            || (after_id
                && t.len() < 60
                && !is_routing(t)
                && banner_grammar::parse_line(t).is_none())
            || (end > k
                && banner_grammar::parse_line(t)
                    .is_some_and(|b| b.serial.is_none() && b.section.is_none()));
        if !is_residue {
            break;
        }
        after_id = CABLE_ID.is_match(t);
        end = i + 1;
        if t.starts_with("header:") {
            break;
        }
        i += 1;
        taken += 1;
    }
    (end > k).then_some(end)
}

/// `date: 3/28/2008 10:22` → the date.
fn residue_key_date(t: &str) -> Option<crate::document::Date> {
    let rest = t.strip_prefix("date:")?.trim();
    crate::document::Date::parse_cable(rest.split_whitespace().next()?)
}

/// Does `next` (a trimmed line) wrap the SUBJECT read so far (`taken` lines)? A subject
/// wraps over a few lines in its own case: an upper-case subject does not go on into a
/// line with lower case, and no subject runs past four lines. What does not wrap is body.
fn subject_wraps(sofar: &str, next: &str, taken: usize) -> bool {
    let upper = |s: &str| !s.chars().any(char::is_lowercase);
    taken < 4 && next.len() <= 120 && (!upper(sofar) || upper(next))
}

/// Leading caption words of a longer line; `Some` only when at least one adds a control.
fn caption_prefix(t: &str) -> Option<Vec<crate::marking::Control>> {
    let mut controls = Vec::new();
    let mut words = 0;
    for word in t.split_whitespace() {
        match banner_grammar::parse_caption(word) {
            Some(Some(c)) => controls.push(c),
            Some(None) => {}
            None => break,
        }
        words += 1;
    }
    (words > 0 && !controls.is_empty()).then_some(controls)
}

/// Splits a leading portion mark off a subject: `(C) PM'S ADVISOR` → (C, `PM'S ADVISOR`).
fn subject_mark(rest: &str) -> (Option<crate::marking::Marking>, String) {
    let trimmed = rest.trim_start();
    if trimmed.starts_with('(')
        && let Some(close) = trimmed.find(')')
        && let Some(m) = portion::parse(&trimmed[..=close], Place::AfterNumber)
    {
        let text = trimmed[close + 1..].trim_start_matches([':', ' ']).trim();
        return (Some(m), collapse_spaces(text));
    }
    (None, collapse_spaces(trimmed))
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_case_affixes_agree_with_upper_casing() {
        for text in [
            "",
            "REF",
            "Reform act",
            "reformed",
            "E.O. DECL:",
            "decl:",
            "¶ decl: x",
            "ÉCL:",
        ] {
            for affix in ["REFORM", "DECL:"] {
                let upper = text.to_ascii_uppercase();
                assert_eq!(
                    starts_with_ignore_case(text, affix),
                    upper.starts_with(affix)
                );
                assert_eq!(ends_with_ignore_case(text, affix), upper.ends_with(affix));
            }
        }
    }

    #[test]
    fn field_pre_filters_agree_with_their_patterns() {
        let lines = [
            "SUBJECT: X",
            " subj. x",
            "ſubject: long s",
            "TAGS: PREL",
            "\u{a0}tags PGOV",
            "REF: A. STATE 1",
            "reftels: x",
            "REFORM",
            "VZCZCXYZ",
            "FM AMEMBASSY PRAGUE",
            "O 281034Z NOV 07",
            "RUEHC/SECSTATE WASHDC",
            "ACTION EUR",
            "BT",
            "E.O. 12958: DECL: 1/1/2017",
            "¶ E.O. 12958",
            "CLASSIFIED BY: X",
            "(U) Classified by X",
            "Derived from X",
            "The subject is",
            "",
            "   ",
        ];
        for line in lines {
            assert_eq!(is_subject(line), SUBJECT.is_match(line), "{line}");
            assert_eq!(is_tags(line), TAGS.is_match(line), "{line}");
            assert_eq!(is_ref(line), REF.is_match(line), "{line}");
            assert_eq!(is_routing(line), ROUTING.is_match(line), "{line}");
        }
    }
}
