//! The walk's header parts: lines released as they are (but for what the guard
//! withholds), header parts under the policy's action for them, and addressee lines with
//! names redacted.

use super::Builder;
use crate::document::LineSpan;
use crate::policy::{Action, Codes, HeaderAction, Redaction};
use crate::release::leak::{Secret, words};
use crate::release::model::{Block, Span};
use crate::release::plan::{self, Fate, Guarded, Part, Seg};
use std::borrow::Cow;

impl<'d> Builder<'d, '_> {
    /// Releases source lines `span` verbatim, except what the guard withholds.
    pub(super) fn release_lines(&mut self, span: LineSpan, what: &str, part: Part) {
        // Through the `'d` reference: a line kept whole is borrowed from the document.
        let doc: &'d crate::document::Document = self.doc;
        let lines: Vec<&'d str> = (span.first..=span.last).map(|l| doc.line(l)).collect();
        let text = lines.join("\n");
        let ws = self.guard.withholdings(&text);
        for w in &ws {
            self.record_guard(w, &text, span, what);
        }
        // The plan's view of the same cut: what each line keeps and what it loses, made
        // only for a plan (a release alone would format and drop a copy of every line).
        let recording = self.recording();
        let mut segs: Vec<Seg> = Vec::new();
        let mut at = 0;
        for (n, line) in lines.into_iter().enumerate() {
            let (start, end) = (at, at + line.len());
            at = end + 1;
            let sep = if n == 0 { "" } else { "\n" };
            match ws
                .iter()
                .find(|w| w.start < end.max(start + 1) && w.end >= start)
            {
                None => {
                    self.released.push(Cow::Borrowed(line));
                    self.blocks.push(Block::Text(Cow::Borrowed(line)));
                    if recording {
                        push_seg(&mut segs, Seg::Text(format!("{sep}{}", line.trim_end())));
                    }
                }
                // Withheld from this line on: the kept prefix and one placeholder.
                Some(w) if w.start >= start => {
                    let kept = &text[start..w.start];
                    let mut spans = Vec::new();
                    if !kept.is_empty() {
                        self.released.push(Cow::Owned(kept.to_string()));
                        spans.push(Span::Text(kept.to_string()));
                    }
                    spans.push(Span::Redacted(self.guard_codes.clone()));
                    self.blocks.push(Block::Spans(spans));
                    if recording {
                        push_seg(&mut segs, Seg::Text(format!("{sep}{kept}")));
                        let lost = text[w.start..end].trim_end().to_string();
                        let codes = self.guard_codes.clone();
                        push_seg(&mut segs, Seg::Redacted { text: lost, codes });
                    }
                }
                // A line inside withheld material: the placeholder stands for it.
                Some(_) => {
                    if recording {
                        let lost = format!("{sep}{}", line.trim_end());
                        let codes = self.guard_codes.clone();
                        push_seg(&mut segs, Seg::Redacted { text: lost, codes });
                    }
                }
            }
        }
        let (fate, guarded) = match ws.len() {
            0 => (Fate::Kept, Guarded::No),
            n => (Fate::Redacted, Guarded::Part(n)),
        };
        self.record_portion(part, span, "", "", || segs, fate, false, guarded);
    }

    /// A header part under the policy's action for it; `part` names it as the policy does.
    pub(super) fn header_lines(
        &mut self,
        action: &HeaderAction,
        span: LineSpan,
        what: &str,
        part: &'static str,
    ) {
        if *action == HeaderAction::Keep {
            self.release_lines(span, what, Part::Header(part));
            return;
        }
        self.record_header(part, span, Fate::of_header(action));
        for line in span.first..=span.last {
            let text = self.doc.line(line).to_string();
            match action {
                HeaderAction::Keep => {}
                HeaderAction::Strip => {
                    self.secrets
                        .push(Secret::new(format!("{what} {line}"), text));
                }
                HeaderAction::Redact(codes) => {
                    self.add_codes(codes);
                    self.any_withheld = true;
                    self.secrets
                        .push(Secret::new(format!("{what} {line}"), text));
                    self.blocks.push(Block::Withheld {
                        lead: String::new(),
                        codes: codes.clone(),
                    });
                }
            }
        }
    }

    /// A header line whose role the parser could not name (`ElementKind::UnreadHeader`):
    /// an addressee line's fate where nothing in the document reads above the target;
    /// where something does, or nothing reads a level at all, it is withheld under the
    /// document's codes, as an unmarked line of the body is (fail closed: a misread costs
    /// that line, never a leak).
    pub(super) fn unread_header(&mut self, line: usize) {
        if self
            .doc
            .top_level()
            .is_some_and(|l| l <= self.decisions.target)
        {
            self.addressee(line);
            return;
        }
        let codes = self.guard_codes.clone();
        self.header_lines(
            &HeaderAction::Redact(codes),
            LineSpan::one(line),
            "header line",
            "addressees",
        );
    }

    pub(super) fn addressee(&mut self, line: usize) {
        let text = self.doc.line(line).to_string();
        // A header line that repeats a withheld subject (an archive's page title above the
        // cable) is the subject's text: withheld with it, whatever the policy keeps of
        // addressee lines.
        if let Some((codes, subject)) = self.withheld_subject()
            && repeats(&words(&text), subject)
        {
            let action = HeaderAction::Redact(codes.clone());
            self.header_lines(&action, LineSpan::one(line), "addressee line", "addressees");
            return;
        }
        let field = self
            .doc
            .header
            .addressees
            .iter()
            .position(|a| a.lines.first == line);
        let spans: &[Redaction] = field
            .and_then(|i| self.decisions.header.addressee_redactions.get(i))
            .map_or(&[], Vec::as_slice);
        let decisions = self.decisions;
        match &decisions.header.addressees {
            HeaderAction::Keep if spans.is_empty() || !self.guard.blocking(&text).is_empty() => {
                self.release_lines(
                    LineSpan::one(line),
                    "addressee line",
                    Part::Header("addressees"),
                );
            }
            HeaderAction::Keep => {
                // Spans are over the trimmed field text; map them back onto the line.
                let offset = text.len() - text.trim_start().len();
                let field_text = text.trim();
                let shifted: Vec<Redaction> = spans
                    .iter()
                    .map(|r| Redaction {
                        start: (r.start + offset).min(text.len()),
                        end: (r.end + offset).min(offset + field_text.len()),
                        codes: r.codes.clone(),
                    })
                    .collect();
                let label = format!("redaction in addressee line {line}");
                let line_spans = self.redact(&text, &shifted, &label);
                self.blocks.push(Block::Spans(line_spans));
                self.record_portion(
                    Part::Header("addressees"),
                    LineSpan::one(line),
                    "",
                    "",
                    || plan::segments(text.trim_end(), &shifted),
                    Fate::Redacted,
                    false,
                    Guarded::No,
                );
            }
            other => {
                self.header_lines(other, LineSpan::one(line), "addressee line", "addressees");
            }
        }
    }
}

impl Builder<'_, '_> {
    /// The codes the subject is withheld under, when the release withholds it (by the
    /// policy, for want of a decision: fail closed, or by the guard), with its words.
    fn withheld_subject(&self) -> Option<&(Codes, Vec<String>)> {
        self.withheld_subject
            .get_or_init(|| {
                let subject = self.doc.header.subject.as_ref()?;
                let codes = match self.decisions.subject.as_ref().map(|d| &d.action) {
                    None => self.guard_codes.clone(),
                    Some(Action::Withhold { codes }) => codes.clone(),
                    Some(Action::Release) if !self.guard.blocking(&subject.text).is_empty() => {
                        self.guard_codes.clone()
                    }
                    Some(Action::Release) => return None,
                };
                Some((codes, words(&subject.text)))
            })
            .as_ref()
    }
}

/// Does a line (its words `a`) repeat the subject (`b`): at least four words each, and
/// one's words a run of the other's?
fn repeats(a: &[String], b: &[String]) -> bool {
    let within = |x: &[String], y: &[String]| y.windows(x.len()).any(|w| w == x);
    a.len() >= 4 && b.len() >= 4 && (within(a, b) || within(b, a))
}

/// Appends a segment, joining it to the last one when both are kept text or both are
/// redacted under the same codes; empty pieces are dropped.
fn push_seg(segs: &mut Vec<Seg>, seg: Seg) {
    match (segs.last_mut(), seg) {
        (_, Seg::Text(t)) if t.is_empty() => {}
        (Some(Seg::Text(last)), Seg::Text(t)) => last.push_str(&t),
        (Some(Seg::Redacted { text, codes }), Seg::Redacted { text: t, codes: c })
            if *codes == c =>
        {
            text.push_str(&t)
        }
        (_, seg) => segs.push(seg),
    }
}
