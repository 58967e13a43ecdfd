//! The header scanner's state and its reading of each header line in turn: residue, the
//! banner and what is glued to it, captions, addressees, the E.O. line, TAGS, SUBJECT, REF
//! and the Classified By block, each recorded as an element. Driven by [`super::scan`].

use super::layout::Addressees;
use super::*;

pub(super) struct Scanner<'a> {
    pub(super) lines: &'a Lines,
    pub(super) header: Header,
    pub(super) elements: Vec<Element>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// Which multi-line field the previous line belonged to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Open {
    None,
    Subject,
    Ref,
    Cab,
    Tags,
}

impl Scanner<'_> {
    pub(super) fn push(&mut self, kind: ElementKind, index: usize) {
        self.elements.push(Element {
            kind,
            lines: LineSpan::one(index + 1),
        });
    }

    /// Database residue before the cable proper, and a truncated preview (`…` at a line
    /// end) that some exports put before the full copy. Returns the first line after them.
    pub(super) fn residue(&mut self) -> usize {
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

    pub(super) fn set_banner(&mut self, at: usize, line: BannerLine) {
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
    pub(super) fn glued_fields(&mut self, at: usize) {
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

    pub(super) fn routing_fact(&mut self, line: &str) {
        let t = line.trim();
        if let Some(d) = fields::routing_date(t) {
            self.header.date.get_or_insert(d);
        }
        if let Some(post) = t.strip_prefix("FM ") {
            self.header.origin_post = Some(post.trim().to_string());
        }
    }

    /// Header fields after the banner. Returns the first body line. `cable`: the layout is
    /// a cable's (see [`super::layout`]).
    pub(super) fn fields(&mut self, mut i: usize, cable: bool) -> usize {
        let lines = self.lines;
        let mut layout = Addressees::new(cable);
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
                    && numbered_start(next).is_none()
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
            if is_body_start(line) && !fields::is_cab_line(line) && !ref_item {
                break;
            }
            // Header parts end where the first marked portion begins: a line whose lead
            // carries a mark, or with a paragraph mark glued into it (`Classified By: …
            // 1. (C) …` in a flattened export), is body, whatever field it starts with.
            let maybe_mark = lines.may_hold_mark(i);
            let lead_mark = if maybe_mark {
                crate::parse::lead::lead_mark(line)
            } else {
                None
            };
            let own_mark = lead_mark
                .as_ref()
                .is_some_and(|m| m.kind == crate::parse::lead::LeadKind::Bare)
                && fields::is_cab_line(line);
            if (lead_mark.is_some() && !ref_item && !own_mark)
                || (maybe_mark && crate::parse::lead::glued_mark(line, 0).is_some())
            {
                break;
            }
            if is_page_break(line) {
                self.close(&mut acc, i);
                open = Open::None;
                self.push(ElementKind::PageBreak, i);
                i += 1;
                continue;
            }
            if is_rule(line) {
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
                Open::Ref => ref_continues(lines[i - 1].trim(), t),
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
            // A line ending in a portion mark (`Section 1 - Applicability and Scope (U)`,
            // `… as amended. (U)`) is a portion's, never an addressee released as the
            // header is: the body starts there.
            if maybe_mark && crate::parse::kind::trailing_mark(t).is_some() {
                break;
            }
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
            // Header lines that are none of the known fields are addressee lines only where
            // the layout has them (`super::layout`). In a cable, its routing lines: they
            // stay in the header when a field still follows before the body (addressees,
            // office lines, stray residue), and right under the banner. Before the first
            // field only a line with a routing line's signs (`routing_line`) is an
            // addressee; after it, only a line that looks like an office or addressee line
            // (no lower case) stays in the header: prose between SUBJECT and E.O. is body
            // text, decided as a portion, not released as the header is; and of those lines
            // only a routing instruction (`STATE FOR WHA/MEX`) is an addressee. The rest (a
            // subject line that lost its label under TAGS, a line of capitals among the
            // routing lines, a stray number) are unread header lines, withheld in a
            // classified document. Elsewhere, a label and the lines wrapped under it.
            let (addressee, unread) = if layout.cable {
                let field_ahead = self.field_ahead(i + 1, subject_seen)
                    && (before_fields || !t.chars().any(char::is_lowercase));
                let office = before_fields && addressee_lines < 12 && t.len() < 240;
                // Before the fields a routing line (`routing_line`: the line above it, when
                // that was an addressee, may be the one it wraps); after them a routing
                // instruction.
                let routing = if before_fields {
                    let wrapped_from = self
                        .elements
                        .last()
                        .filter(|e| e.kind == ElementKind::Addressee && e.lines.last == i)
                        .map(|_| lines[i - 1].trim());
                    routing_line(t, wrapped_from)
                } else {
                    routing_instruction(t)
                };
                let header_line = office || field_ahead;
                (header_line && routing, header_line && !routing)
            } else {
                (layout.in_label_block(i, t), false)
            };
            // Prose is never a header line, whatever follows (see `reads_as_prose`).
            if (addressee || unread) && !reads_as_prose(t) {
                self.close(&mut acc, i);
                open = Open::None;
                if addressee {
                    addressee_lines += 1;
                    self.header.addressees.push(Field {
                        text: t.to_string(),
                        lines: LineSpan::one(i + 1),
                    });
                    self.push(ElementKind::Addressee, i);
                } else {
                    self.push(ElementKind::UnreadHeader, i);
                }
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
    pub(super) fn field_ahead(&self, from: usize, subject_seen: bool) -> bool {
        let mut nonblank = 0;
        for line in self.lines.iter().skip(from) {
            if line.trim().is_empty() {
                continue;
            }
            if is_body_start(line) {
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
    pub(super) fn close(&mut self, acc: &mut Option<(Open, usize, String)>, end: usize) {
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
                let (marking, subject_text) = fields::read_subject(rest);
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

    pub(super) fn finish(&mut self, name: Option<&str>) {
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
