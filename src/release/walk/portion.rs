//! The walk's portions: the subject and each paragraph, released (with redactions and
//! what the guard withholds cut out) or withheld as their lead and codes.

use super::{Builder, guard_level, lead_number, repaired_lead};
use crate::document::{LineSpan, Origin};
use crate::guard::Guard;
use crate::policy::{Action, Codes, Redaction};
use crate::release::leak::Secret;
use crate::release::model::{Block, Span};
use crate::release::plan::{self, Fate, Guarded, Part, Seg};
use std::borrow::Cow;

impl<'d> Builder<'d, '_> {
    pub(super) fn subject(&mut self) {
        // Through the `'a` references, not `self`, so that neither borrow holds `self`.
        let (doc, decisions) = (self.doc, self.decisions);
        let Some(subject) = &doc.header.subject else {
            return;
        };
        let lines = subject.lines;
        let Some(decision) = &decisions.subject else {
            // No decision means nothing released: fail closed.
            self.secrets
                .push(Secret::new("subject", subject.text.as_str()));
            return;
        };
        let first = self.doc.line(lines.first);
        let label_end = first.find(':').map_or(0, |i| i + 1);
        let label = first[..label_end].to_string();
        if decision.action.is_release() {
            let printed: Vec<&str> = (lines.first..=lines.last).map(|l| doc.line(l)).collect();
            let printed = printed.join("\n");
            let guard = match (&subject.marking, decision.declassified) {
                (Some(m), true) if decisions.declassification.is_some() => {
                    Guard::new(guard_level(m.level.max(decisions.target)))
                }
                _ => self.guard,
            };
            let ws = guard.withholdings(&printed);
            if !ws.is_empty() {
                // A subject is short: a guarded subject is withheld whole.
                for w in &ws {
                    self.record_guard(w, &printed, lines, "subject");
                }
                self.guarded_subject = Guarded::Whole;
                let lead = format!("{label} ");
                self.withhold(Withheld {
                    part: Part::Subject,
                    lines,
                    label: "subject".into(),
                    lead: &lead,
                    printed: lead.clone(),
                    text: &subject.text,
                    codes: self.guard_codes.clone(),
                    mark_shown: false,
                    guarded: Guarded::Whole,
                });
                return;
            }
        }
        match &decision.action {
            Action::Release => {
                self.any_released = true;
                let lead = format!("{label} ");
                let redactions = &decision.redactions;
                self.record_released(
                    Part::Subject,
                    lines,
                    (&lead, &lead),
                    &subject.text,
                    redactions,
                    Guarded::No,
                );
                if redactions.is_empty() {
                    for line in lines.first..=lines.last {
                        let t = doc.line(line);
                        self.released.push(Cow::Borrowed(t));
                        self.blocks.push(Block::Text(Cow::Borrowed(t)));
                    }
                } else {
                    let spans = self.redacted_spans(
                        lead,
                        &subject.text,
                        redactions,
                        "redaction in subject",
                    );
                    self.blocks.push(Block::Spans(spans));
                }
            }
            Action::Withhold { codes } => {
                self.any_withheld = true;
                self.add_codes(codes);
                let mark = match (&subject.marking, self.decisions.show_original_marks) {
                    (Some(m), true) if subject.origin == Origin::Explicit => format!(" {}", m.raw),
                    _ => String::new(),
                };
                self.withhold(Withheld {
                    part: Part::Subject,
                    lines,
                    label: "subject".into(),
                    lead: &format!("{label} "),
                    printed: format!("{label}{mark} "),
                    text: &subject.text,
                    codes: codes.clone(),
                    mark_shown: !mark.is_empty(),
                    guarded: Guarded::No,
                });
            }
        }
    }

    pub(super) fn paragraph(&mut self, i: usize) {
        // Through the `'a` references, not `self`, so that neither borrow holds `self`.
        let (doc, decisions) = (self.doc, self.decisions);
        let p = &doc.paragraphs[i];
        let d = &decisions.paragraphs[i];
        let lead = repaired_lead(p);
        // A portion released above the target under a declassification authority may carry
        // marks up to its own level.
        let guard = match (
            &p.marking,
            d.declassified && decisions.declassification.is_some(),
        ) {
            (Some(m), true) => Guard::new(guard_level(m.level.max(decisions.target))),
            _ => self.guard,
        };
        // Most released texts hold no token at all: the lead and the text are looked at
        // apart first (cheap), and together only when either may hold one.
        let quiet = || {
            !p.text.trim_start().starts_with('(')
                && guard.blocking(&lead).is_empty()
                && guard.withholdings(&p.text).is_empty()
        };
        let full = if d.action.is_release() && !quiet() {
            [lead.as_str(), p.text.as_str()].concat()
        } else {
            String::new()
        };
        let ws = guard.withholdings(&full);
        for w in &ws {
            self.record_guard(w, &full, p.lines, &p.label(i));
        }
        if ws.first().is_some_and(|w| w.start < lead.len()) {
            // The guarded material reaches into the lead: withhold the paragraph whole.
            self.guarded_paragraphs[i] = Guarded::Whole;
            self.withhold(Withheld {
                part: Part::Paragraph(i),
                lines: p.lines,
                label: p.label(i),
                lead: &p.lead,
                printed: lead_number(p),
                text: &p.text,
                codes: self.guard_codes.clone(),
                mark_shown: false,
                guarded: Guarded::Whole,
            });
            return;
        }
        match &d.action {
            Action::Release => {
                self.any_released = true;
                let guarded = match ws.len() {
                    0 => Guarded::No,
                    n => Guarded::Part(n),
                };
                // What the guard withholds is cut out like the policy's redactions.
                let redactions: Cow<[Redaction]> = if ws.is_empty() {
                    Cow::Borrowed(&d.redactions)
                } else {
                    self.guarded_paragraphs[i] = guarded;
                    let mut all = d.redactions.clone();
                    // The guard governs to the next blank line or mark; the portion may go
                    // on past a blank (a numbered cable paragraph runs to the next number),
                    // and text after a mark above the target is never released under the
                    // portion's own, lower mark: the last withholding reaches its end.
                    let last = ws.len() - 1;
                    all.extend(ws.iter().enumerate().map(|(k, w)| Redaction {
                        start: w.start - lead.len(),
                        end: if k == last {
                            p.text.len()
                        } else {
                            w.end - lead.len()
                        },
                        codes: self.guard_codes.clone(),
                    }));
                    all.sort_by_key(|r| r.start);
                    Cow::Owned(all)
                };
                self.record_released(
                    Part::Paragraph(i),
                    p.lines,
                    (&p.lead, &lead),
                    &p.text,
                    &redactions,
                    guarded,
                );
                if redactions.is_empty() {
                    self.push_lead_and_text(&lead, &p.text);
                } else {
                    let label = format!("redaction in {}", p.label(i));
                    let spans = self.redacted_spans(lead, &p.text, &redactions, &label);
                    self.push_spans(spans);
                }
            }
            Action::Withhold { codes } => {
                self.any_withheld = true;
                self.add_codes(codes);
                let number = lead_number(p);
                let mark = match (&p.marking, self.decisions.show_original_marks) {
                    (Some(m), true) if p.origin == Origin::Explicit => format!("{} ", m.raw),
                    _ => String::new(),
                };
                self.withhold(Withheld {
                    part: Part::Paragraph(i),
                    lines: p.lines,
                    label: p.label(i),
                    lead: &p.lead,
                    printed: number + &mark,
                    text: &p.text,
                    codes: codes.clone(),
                    mark_shown: !mark.is_empty(),
                    guarded: Guarded::No,
                });
            }
        }
    }

    /// Withholds a portion whole: its text among the secrets, its plan item, and its
    /// printed lead (counted as released text, since it is printed) before its codes.
    fn withhold(&mut self, w: Withheld<'_>) {
        // A paragraph's secret is its whole text, whose words the consistency pass
        // hashed already: taken from the paragraph itself, so that no other text can
        // stand under its index.
        let secret = match w.part {
            Part::Paragraph(i) => {
                let p = &self.doc.paragraphs[i];
                debug_assert_eq!(p.text, w.text, "a paragraph is withheld as its text");
                Secret::whole_paragraph(w.label, i, p)
            }
            Part::Subject | Part::Header(_) | Part::Rule => Secret::new(w.label, w.text),
        };
        self.secrets.push(secret);
        // The plan's fate holds a copy of the codes: made only for a plan.
        if self.recording() {
            self.record_portion(
                w.part,
                w.lines,
                w.lead,
                &w.printed,
                || vec![Seg::Text(w.text.to_string())],
                Fate::Withheld(w.codes.clone()),
                w.mark_shown,
                w.guarded,
            );
        }
        self.released.push(Cow::Owned(w.printed.clone()));
        self.blocks.push(Block::Withheld {
            lead: w.printed,
            codes: w.codes,
        });
    }

    /// Pushes a portion released whole, its lead before its text, one block per line of
    /// `lead` + `text` (a paragraph-internal blank line stays), and the same text among
    /// the released pieces. Only the first line, which carries the lead, is made; the
    /// lines after it are the document's own text, borrowed. The pieces are that first
    /// line and the rest of the text: cut at a line break, which ends a word, so they are
    /// the same sequence of words as the whole.
    fn push_lead_and_text(&mut self, lead: &str, text: &'d str) {
        let (first, rest) = match text.split_once('\n') {
            Some((first, rest)) => (first, Some(rest)),
            None => (text, None),
        };
        let head = [lead, first].concat();
        // A lead is one line; should one hold a line break, it is cut like the text.
        if head.contains('\n') {
            for line in head.split('\n') {
                self.push_line(Cow::Owned(line.to_string()));
            }
        } else {
            self.push_line(Cow::Owned(head.clone()));
        }
        self.released.push(Cow::Owned(head));
        if let Some(rest) = rest {
            for line in rest.split('\n') {
                self.push_line(Cow::Borrowed(line));
            }
            self.released.push(Cow::Borrowed(rest));
        }
    }

    /// One line of released text: a block, or a blank for a line of spaces.
    fn push_line(&mut self, line: Cow<'d, str>) {
        if line.trim().is_empty() {
            self.blank();
        } else {
            self.blocks.push(Block::Text(line));
        }
    }

    /// Records a released portion in the plan: kept whole, or cut at its redactions.
    /// `leads` are the lead as read and as released.
    fn record_released(
        &mut self,
        part: Part,
        lines: LineSpan,
        leads: (&str, &str),
        text: &str,
        redactions: &[Redaction],
        guarded: Guarded,
    ) {
        let kept = redactions.is_empty();
        let segments = || match kept {
            true => vec![Seg::Text(text.to_string())],
            false => plan::segments(text, redactions),
        };
        let fate = if kept { Fate::Kept } else { Fate::Redacted };
        self.record_portion(
            part, lines, leads.0, leads.1, segments, fate, false, guarded,
        );
    }

    /// A redacted portion's spans: its released lead, then its text cut at the redactions.
    fn redacted_spans(
        &mut self,
        lead: String,
        text: &str,
        redactions: &[Redaction],
        label: &str,
    ) -> Vec<Span> {
        self.released.push(Cow::Owned(lead.clone()));
        let mut spans = vec![Span::Text(lead)];
        spans.extend(self.redact(text, redactions, label));
        spans
    }

    /// Pushes spans, cutting them into lines at the text's line breaks.
    fn push_spans(&mut self, spans: Vec<Span>) {
        let mut line: Vec<Span> = Vec::new();
        for span in spans {
            match span {
                Span::Text(t) => {
                    let mut parts = t.split('\n').peekable();
                    while let Some(part) = parts.next() {
                        if !part.is_empty() {
                            line.push(Span::Text(part.to_string()));
                        }
                        if parts.peek().is_some() {
                            let done = std::mem::take(&mut line);
                            if done.is_empty() {
                                self.blank();
                            } else {
                                self.blocks.push(Block::Spans(done));
                            }
                        }
                    }
                }
                r @ Span::Redacted(_) => line.push(r),
            }
        }
        if !line.is_empty() {
            self.blocks.push(Block::Spans(line));
        }
    }
}

/// A portion withheld whole, as [`Builder::withhold`] takes it.
struct Withheld<'t> {
    part: Part,
    lines: LineSpan,
    /// How the leak check names it (`¶4`, `subject`).
    label: String,
    /// The lead as printed in the original.
    lead: &'t str,
    /// What the release prints before the codes.
    printed: String,
    text: &'t str,
    codes: Codes,
    mark_shown: bool,
    guarded: Guarded,
}
