//! Document + Decisions → Release: what is kept, what is withheld and why.
//!
//! [`build`] walks the document's elements in order and produces the release's blocks
//! (header lines as the policy says, released paragraphs verbatim after repairs, withheld
//! paragraphs as their number and exemption codes, redacted spans as their codes), the
//! stamp, the manifest entries, and, kept apart and never rendered, the withheld material
//! that the leak check ([`leak`]) looks for in every output before it is written. The
//! release gate refuses a release whose released material is above the policy's target.
//!
//! Every unit about to be released (a paragraph with its lead, the subject, each kept
//! header part, the signature, rules and trailing text) also goes through the
//! mark-anywhere [`crate::guard`], which does not trust the parser: material a token above
//! the target (or an unreadable one) governs is withheld as fail closed (DCL060), recorded
//! in [`Release::guard`], cited in the stamp and kept among the secrets the leak check
//! looks for.

pub mod consistency;
pub mod digest;
pub mod leak;
pub mod log;
pub mod manifest;
pub mod notice;
pub mod pipeline;

use crate::diagnostic::Code;
use crate::document::{Document, ElementKind, LineSpan, Origin};
use crate::guard::{self, Guard, Withholding};
use crate::marking::Level;
use crate::policy::{
    Action, Decision, Decisions, HeaderAction, Redaction, StampWords, render_codes,
};
use leak::Secret;
use serde::Serialize;
use std::fmt;

/// One line (or block) of a release, in reading order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A line released verbatim.
    Text(String),
    /// A line with redacted spans.
    Spans(Vec<Span>),
    Blank,
    /// A withheld paragraph: its number (and mark when the policy shows marks) and codes.
    Withheld {
        lead: String,
        codes: Vec<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Span {
    Text(String),
    Redacted(Vec<String>),
}

/// The page stamp's kind: decided in the policy stage ([`crate::policy::stamp_kind`]).
pub use crate::policy::StampKind;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub kind: StampKind,
    /// Union of the codes used, in first-use order.
    pub codes: Vec<String>,
    /// The policy's words for each kind.
    pub words: StampWords,
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words = match self.kind {
            StampKind::Full => &self.words.full,
            StampKind::Part => &self.words.part,
            StampKind::Denied => &self.words.denied,
        };
        if self.codes.is_empty() {
            f.write_str(words)
        } else {
            write!(f, "{words} {}", render_codes(&self.codes))
        }
    }
}

/// The decision on one paragraph, for the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub index: usize,
    pub number: Option<u32>,
    pub printed_number: Option<String>,
    pub marking: Option<String>,
    pub origin: &'static str,
    pub rule: String,
    pub released: bool,
    pub codes: Vec<String>,
    pub lines: (usize, usize),
    pub chars: usize,
    pub redactions: usize,
    /// The reviewer whose decision overrode the policy's, if one did.
    pub reviewer: Option<String>,
}

/// A release, ready to render.
#[derive(Clone, Debug)]
pub struct Release {
    /// The release's classification line (`UNCLASSIFIED`).
    pub banner: String,
    pub stamp: Stamp,
    /// 32 CFR 2001.25 block when classified material was declassified; empty otherwise.
    pub declassification: Vec<String>,
    pub blocks: Vec<Block>,
    pub entries: Vec<Entry>,
    pub subject: Option<Entry>,
    /// What must not appear in any output. Never rendered.
    pub secrets: Vec<Secret>,
    /// What was released, whose word runs are not evidence of a leak.
    pub released: Vec<String>,
    /// What the mark-anywhere guard withheld, in reading order.
    pub guard: Vec<GuardEntry>,
}

/// One withholding by the mark-anywhere guard (DCL060), for the manifest and the report.
/// Never carries the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GuardEntry {
    pub code: Code,
    /// 1-based source line and column of the token that governs the withheld material.
    pub line: usize,
    pub column: usize,
    /// `mark-above-target`, `mark-unreadable`, `look-alike-mark` or `banner-line`.
    pub cause: &'static str,
    /// The token's level (`C`, `S`, `TS`), or `unreadable`.
    pub level: &'static str,
    /// Which part of the release it was in (`¶3`, `subject`, `Classified By line`).
    pub part: String,
}

impl fmt::Display for GuardEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {} {}: a {} token ({}) governs text in the {}; withheld to \
             the next boundary (fail closed)",
            self.line,
            self.column,
            self.code,
            self.code.name(),
            self.level,
            self.cause,
            self.part
        )
    }
}

/// Why a release was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReleaseError {
    /// Released material is above the policy's target and was not declassified.
    Gate {
        label: String,
        level: Level,
        target: Level,
    },
    /// Withheld material appears in the output (labels only).
    Leak { labels: Vec<String> },
    /// The guard found a mark above the target (or an unreadable one) governing text in a
    /// rendered output (`text`, `PDF text`, `manifest`). Location only, never the text.
    Guard {
        output: &'static str,
        line: usize,
        column: usize,
        level: &'static str,
    },
}

impl fmt::Display for ReleaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReleaseError::Gate {
                label,
                level,
                target,
            } => write!(
                f,
                "release gate: {label} is {level}, above the policy's target {target}, and no \
                 declassification authority was given; nothing written"
            ),
            ReleaseError::Leak { labels } => write!(
                f,
                "leak check: withheld material found in the output ({}); nothing written",
                labels.join(", ")
            ),
            ReleaseError::Guard {
                output,
                line,
                column,
                level,
            } => write!(
                f,
                "release guard ({}): the {output} output carries a {level} mark that governs \
                 text at line {line}, column {column}; nothing written",
                Code::GuardWithheld
            ),
        }
    }
}

impl std::error::Error for ReleaseError {}

/// Builds the release of `doc` under `decisions`. Fails only at the release gate.
pub fn build(doc: &Document, decisions: &Decisions) -> Result<Release, ReleaseError> {
    let reasons = doc
        .header
        .classified_by
        .as_ref()
        .map_or(&[][..], |c| c.reasons.as_slice());
    let mut b = Builder {
        doc,
        decisions,
        blocks: Vec::new(),
        secrets: Vec::new(),
        released: Vec::new(),
        codes: Vec::new(),
        any_released: false,
        any_withheld: false,
        guard: Guard::new(guard_level(decisions.target)),
        guard_codes: crate::policy::codes::derived(reasons),
        guarded: Vec::new(),
        guarded_paragraphs: vec![Guarded::No; doc.paragraphs.len()],
        guarded_subject: Guarded::No,
    };
    gate(doc, decisions)?;
    let mut emitted_paragraph = vec![false; doc.paragraphs.len()];
    let mut subject_done = false;
    for element in &doc.elements {
        let span = element.lines;
        match element.kind {
            ElementKind::Blank => b.blank(),
            // Database residue, page breaks, repeated classification lines and stamps are
            // not part of the document as released.
            ElementKind::Residue
            | ElementKind::SectionBanner
            | ElementKind::PageBreak
            | ElementKind::Stamp => {}
            ElementKind::Banner => {
                let serial = doc
                    .header
                    .banner
                    .as_ref()
                    .and_then(|x| x.serial.clone())
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default();
                let line = format!("{}{serial}", decisions.release_marking);
                b.released.push(line.clone());
                b.blocks.push(Block::Text(line));
            }
            ElementKind::Routing => b.header_lines(&decisions.header.routing, span, "routing line"),
            ElementKind::Caption => {
                for line in span.first..=span.last {
                    let control = doc
                        .header
                        .captions
                        .iter()
                        .find(|c| c.line == line)
                        .and_then(|c| c.control.clone());
                    // A control caption describes the classified original, not the release.
                    if control.is_none() {
                        b.header_lines(
                            &decisions.header.captions,
                            crate::document::LineSpan::one(line),
                            "caption",
                        );
                    }
                }
            }
            ElementKind::Addressee | ElementKind::HeaderText => {
                for line in span.first..=span.last {
                    b.addressee(line);
                }
            }
            ElementKind::EoLine => b.header_lines(&decisions.header.eo, span, "E.O. line"),
            ElementKind::Tags => b.header_lines(&decisions.header.tags, span, "TAGS line"),
            ElementKind::Ref => b.header_lines(&decisions.header.refs, span, "REF line"),
            ElementKind::ClassifiedBy => {
                b.header_lines(&decisions.header.classified_by, span, "Classified By line")
            }
            ElementKind::Signature => {
                b.header_lines(&decisions.header.signature, span, "signature")
            }
            ElementKind::Rule => b.release_lines(span, "rule line"),
            ElementKind::Subject => {
                if !subject_done {
                    subject_done = true;
                    b.subject();
                }
            }
            ElementKind::Paragraph(i) => {
                if !emitted_paragraph[i] {
                    emitted_paragraph[i] = true;
                    b.paragraph(i);
                }
            }
        }
    }
    while b.blocks.last() == Some(&Block::Blank) {
        b.blocks.pop();
    }
    let kind = crate::policy::stamp_kind(b.any_released, b.any_withheld, !b.codes.is_empty());
    let guard_codes = b.guard_codes.clone();
    let entries = doc
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut e = entry(i, p, &decisions.paragraphs[i]);
            b.guarded_paragraphs[i].apply(&mut e, &guard_codes);
            e
        })
        .collect();
    let subject = doc
        .header
        .subject
        .as_ref()
        .zip(decisions.subject.as_ref())
        .map(|(s, d)| Entry {
            index: 0,
            number: None,
            printed_number: None,
            marking: s.marking.as_ref().map(|m| m.canonical()),
            origin: s.origin.as_str(),
            rule: d.rule.to_string(),
            released: matches!(d.action, Action::Release),
            codes: codes_of(d),
            lines: (s.lines.first, s.lines.last),
            chars: s.text.chars().count(),
            redactions: d.redactions.len(),
            reviewer: d.rule.reviewer().map(str::to_string),
        })
        .map(|mut e| {
            b.guarded_subject.apply(&mut e, &guard_codes);
            e
        });
    let declassification = declassification_block(doc, decisions);
    Ok(Release {
        banner: decisions.release_marking.clone(),
        stamp: Stamp {
            kind,
            codes: crate::policy::codes::sorted_union(b.codes),
            words: decisions.stamp_words.clone(),
        },
        declassification,
        blocks: b.blocks,
        entries,
        subject,
        secrets: b.secrets,
        released: b.released,
        guard: b.guarded,
    })
}

/// The level the backstop over rendered outputs allows: the target, or the highest level
/// released under a declassification authority.
pub fn released_level(doc: &Document, decisions: &Decisions) -> guard::Level {
    let declassified = decisions.declassification.is_some();
    let portions = doc
        .paragraphs
        .iter()
        .map(|p| p.marking.as_ref().map(|m| m.level))
        .zip(&decisions.paragraphs)
        .chain(
            doc.header
                .subject
                .as_ref()
                .map(|s| s.marking.as_ref().map(|m| m.level))
                .zip(decisions.subject.as_ref()),
        );
    let top = portions
        .filter(|(_, d)| declassified && d.declassified && d.action.is_release())
        .filter_map(|(l, _)| l)
        .fold(decisions.target, Level::max);
    guard_level(top)
}

/// The guard's own level type, so that the guard shares nothing with `marking`.
pub fn guard_level(level: Level) -> guard::Level {
    guard::Level::from_abbrev(level.abbrev()).unwrap_or(guard::Level::U)
}

/// What the guard did to one portion, for its manifest entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Guarded {
    No,
    /// Some spans withheld.
    Part(usize),
    /// Withheld whole: the guarded material reached into the lead.
    Whole,
}

impl Guarded {
    fn apply(self, e: &mut Entry, codes: &[String]) {
        let add = |e: &mut Entry| {
            for c in codes {
                if !e.codes.contains(c) {
                    e.codes.push(c.clone());
                }
            }
        };
        match self {
            Guarded::No => {}
            Guarded::Part(n) => {
                e.redactions += n;
                e.rule = format!("{} guard-withheld (part)", Code::GuardWithheld);
                add(e);
            }
            Guarded::Whole => {
                e.released = false;
                e.redactions = 0;
                e.codes.clear();
                e.rule = format!("{} guard-withheld", Code::GuardWithheld);
                add(e);
            }
        }
    }
}

/// The gate: a released portion above the target needs a declassification authority.
fn gate(doc: &Document, decisions: &Decisions) -> Result<(), ReleaseError> {
    let check = |label: String, level: Option<Level>, origin: Origin, decision: &Decision| {
        let released = matches!(decision.action, Action::Release);
        let declassified = decision.declassified && decisions.declassification.is_some();
        if !released {
            return Ok(());
        }
        // Unmarked and unreadable portions count as the most restrictive case.
        let level = match origin {
            Origin::None | Origin::Unknown => Level::TS,
            _ => level.unwrap_or(Level::TS),
        };
        if level > decisions.target && !declassified {
            return Err(ReleaseError::Gate {
                label,
                level,
                target: decisions.target,
            });
        }
        Ok(())
    };
    for (i, p) in doc.paragraphs.iter().enumerate() {
        check(
            p.label(i),
            p.marking.as_ref().map(|m| m.level),
            p.origin,
            &decisions.paragraphs[i],
        )?;
    }
    if let (Some(s), Some(d)) = (&doc.header.subject, &decisions.subject) {
        check(
            "subject".into(),
            s.marking.as_ref().map(|m| m.level),
            s.origin,
            d,
        )?;
    }
    Ok(())
}

fn codes_of(d: &Decision) -> Vec<String> {
    match &d.action {
        Action::Release => {
            let mut codes = Vec::new();
            for r in &d.redactions {
                for c in &r.codes {
                    if !codes.contains(c) {
                        codes.push(c.clone());
                    }
                }
            }
            codes
        }
        Action::Withhold { codes } => codes.clone(),
    }
}

fn entry(i: usize, p: &crate::document::Paragraph, d: &Decision) -> Entry {
    Entry {
        index: i,
        number: p.number,
        printed_number: p.printed_number.clone(),
        marking: p.marking.as_ref().map(|m| m.canonical()),
        origin: p.origin.as_str(),
        rule: d.rule.to_string(),
        released: matches!(d.action, Action::Release),
        codes: codes_of(d),
        lines: (p.lines.first, p.lines.last),
        chars: p.text.chars().count(),
        redactions: d.redactions.len(),
        reviewer: d.rule.reviewer().map(str::to_string),
    }
}

/// 32 CFR 2001.25: "Declassified", the authority, the date, and the original marking.
fn declassification_block(doc: &Document, decisions: &Decisions) -> Vec<String> {
    let Some(auth) = &decisions.declassification else {
        return Vec::new();
    };
    let declassified_any = doc.paragraphs.iter().enumerate().any(|(i, p)| {
        matches!(decisions.paragraphs[i].action, Action::Release)
            && p.marking
                .as_ref()
                .is_some_and(|m| m.level > decisions.target)
    });
    if !declassified_any {
        return Vec::new();
    }
    let original = doc
        .header
        .banner
        .as_ref()
        .map_or("(no classification line)".to_string(), |b| {
            b.marking.banner()
        });
    vec![
        "DECLASSIFIED".to_string(),
        format!("Declassified by: {}", auth.authority),
        format!("Declassified on: {}", auth.date),
        format!("Original classification: {original}"),
    ]
}

struct Builder<'a> {
    doc: &'a Document,
    decisions: &'a Decisions,
    blocks: Vec<Block>,
    secrets: Vec<Secret>,
    released: Vec<String>,
    codes: Vec<String>,
    any_released: bool,
    any_withheld: bool,
    guard: Guard,
    /// The codes guard withholdings cite: B1 and the document's reasons.
    guard_codes: Vec<String>,
    guarded: Vec<GuardEntry>,
    guarded_paragraphs: Vec<Guarded>,
    guarded_subject: Guarded,
}

impl Builder<'_> {
    /// Records a guard withholding over `text` (a released unit whose first line is
    /// source line `first`): the entry, the codes, and the withheld text as a secret.
    fn record_guard(&mut self, w: &Withholding, text: &str, span: LineSpan, part: &str) {
        let (line, column) = self.locate(w, text, span);
        self.guarded.push(GuardEntry {
            code: Code::GuardWithheld,
            line,
            column,
            cause: w.cause.as_str(),
            level: w.level.map_or("unreadable", guard::Level::abbrev),
            part: part.to_string(),
        });
        self.secrets.push(Secret {
            label: format!("guard-withheld material in {part} line {line}"),
            text: text[w.start..w.end].to_string(),
        });
        self.any_withheld = true;
        let codes = self.guard_codes.clone();
        self.add_codes(&codes);
    }

    /// The source line and column of a guard withholding in a unit's `text` made from
    /// source lines `span`: where the token's text stands in them (a paragraph's lines may
    /// have been joined), else the line counted through the unit.
    fn locate(&self, w: &Withholding, text: &str, span: LineSpan) -> (usize, usize) {
        let counted = span.first + text[..w.start].matches('\n').count();
        let rest = &text[w.start..];
        let end = rest.find('\n').unwrap_or(rest.len());
        let mut cut = end.min(24);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let needle = &rest[..cut];
        let found = (counted.min(span.last)..=span.last)
            .chain(span.first..counted.min(span.last))
            .find_map(|l| {
                let line = self.doc.line(l);
                line.find(needle)
                    .map(|at| (l, line[..at].chars().count() + 1))
            });
        found.unwrap_or((counted, w.column))
    }

    /// Releases source lines `span` verbatim, except what the guard withholds.
    fn release_lines(&mut self, span: crate::document::LineSpan, what: &str) {
        let lines: Vec<&str> = (span.first..=span.last).map(|l| self.doc.line(l)).collect();
        let text = lines.join("\n");
        let ws = self.guard.withholdings(&text);
        for w in &ws {
            self.record_guard(w, &text, span, what);
        }
        let mut at = 0;
        for line in lines {
            let (start, end) = (at, at + line.len());
            at = end + 1;
            match ws
                .iter()
                .find(|w| w.start < end.max(start + 1) && w.end >= start)
            {
                None => {
                    self.released.push(line.to_string());
                    self.blocks.push(Block::Text(line.to_string()));
                }
                // Withheld from this line on: the kept prefix and one placeholder.
                Some(w) if w.start >= start => {
                    let kept = &text[start..w.start];
                    let mut spans = Vec::new();
                    if !kept.is_empty() {
                        self.released.push(kept.to_string());
                        spans.push(Span::Text(kept.to_string()));
                    }
                    spans.push(Span::Redacted(self.guard_codes.clone()));
                    self.blocks.push(Block::Spans(spans));
                }
                // A line inside withheld material: the placeholder stands for it.
                Some(_) => {}
            }
        }
    }

    fn blank(&mut self) {
        if !self.blocks.is_empty() && self.blocks.last() != Some(&Block::Blank) {
            self.blocks.push(Block::Blank);
        }
    }

    fn add_codes(&mut self, codes: &[String]) {
        for c in codes {
            if !self.codes.contains(c) {
                self.codes.push(c.clone());
            }
        }
    }

    fn header_lines(&mut self, action: &HeaderAction, span: crate::document::LineSpan, what: &str) {
        if *action == HeaderAction::Keep {
            self.release_lines(span, what);
            return;
        }
        for line in span.first..=span.last {
            let text = self.doc.line(line).to_string();
            match action {
                HeaderAction::Keep => {}
                HeaderAction::Strip => {
                    self.secrets.push(Secret {
                        label: format!("{what} {line}"),
                        text,
                    });
                }
                HeaderAction::Redact(codes) => {
                    self.add_codes(codes);
                    self.any_withheld = true;
                    self.secrets.push(Secret {
                        label: format!("{what} {line}"),
                        text,
                    });
                    self.blocks.push(Block::Withheld {
                        lead: String::new(),
                        codes: codes.clone(),
                    });
                }
            }
        }
    }

    fn addressee(&mut self, line: usize) {
        let text = self.doc.line(line).to_string();
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
                self.release_lines(crate::document::LineSpan::one(line), "addressee line");
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
            }
            other => {
                self.header_lines(
                    other,
                    crate::document::LineSpan::one(line),
                    "addressee line",
                );
            }
        }
    }

    /// Splits `text` at the redactions; records the redacted pieces as secrets and the
    /// kept pieces as released.
    fn redact(&mut self, text: &str, redactions: &[Redaction], label: &str) -> Vec<Span> {
        let mut spans = Vec::new();
        let mut at = 0;
        for r in redactions {
            let (start, end) = (r.start.max(at), r.end.min(text.len()));
            if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            if start > at {
                spans.push(Span::Text(text[at..start].to_string()));
                self.released.push(text[at..start].to_string());
            }
            self.secrets.push(Secret {
                label: label.to_string(),
                text: text[start..end].to_string(),
            });
            self.add_codes(&r.codes);
            spans.push(Span::Redacted(r.codes.clone()));
            at = end;
        }
        if at < text.len() {
            spans.push(Span::Text(text[at..].to_string()));
            self.released.push(text[at..].to_string());
        }
        spans
    }

    fn subject(&mut self) {
        // Through the `'a` references, not `self`, so that neither borrow holds `self`.
        let (doc, decisions) = (self.doc, self.decisions);
        let Some(subject) = &doc.header.subject else {
            return;
        };
        let lines = subject.lines;
        let Some(decision) = &decisions.subject else {
            // No decision means nothing released: fail closed.
            self.secrets.push(Secret {
                label: "subject".into(),
                text: subject.text.clone(),
            });
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
                self.secrets.push(Secret {
                    label: "subject".into(),
                    text: subject.text.clone(),
                });
                self.guarded_subject = Guarded::Whole;
                let lead = format!("{label} ");
                self.released.push(lead.clone());
                self.blocks.push(Block::Withheld {
                    lead,
                    codes: self.guard_codes.clone(),
                });
                return;
            }
        }
        match &decision.action {
            Action::Release if decision.redactions.is_empty() => {
                self.any_released = true;
                for line in lines.first..=lines.last {
                    let t = self.doc.line(line).to_string();
                    self.released.push(t.clone());
                    self.blocks.push(Block::Text(t));
                }
            }
            Action::Release => {
                self.any_released = true;
                self.released.push(format!("{label} "));
                let mut spans = vec![Span::Text(format!("{label} "))];
                spans.extend(self.redact(
                    &subject.text,
                    &decision.redactions,
                    "redaction in subject",
                ));
                self.blocks.push(Block::Spans(spans));
            }
            Action::Withhold { codes } => {
                self.any_withheld = true;
                self.add_codes(codes);
                self.secrets.push(Secret {
                    label: "subject".into(),
                    text: subject.text.clone(),
                });
                let mark = match (&subject.marking, self.decisions.show_original_marks) {
                    (Some(m), true) if subject.origin == Origin::Explicit => format!(" {}", m.raw),
                    _ => String::new(),
                };
                let lead = format!("{label}{mark} ");
                // Leads are printed, so they count as released text.
                self.released.push(lead.clone());
                self.blocks.push(Block::Withheld {
                    lead,
                    codes: codes.clone(),
                });
            }
        }
    }

    fn paragraph(&mut self, i: usize) {
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
            format!("{lead}{}", p.text)
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
            self.secrets.push(Secret {
                label: p.label(i),
                text: p.text.clone(),
            });
            let lead = lead_number(p);
            self.released.push(lead.clone());
            self.blocks.push(Block::Withheld {
                lead,
                codes: self.guard_codes.clone(),
            });
            return;
        }
        match &d.action {
            Action::Release if !ws.is_empty() => {
                self.any_released = true;
                self.guarded_paragraphs[i] = Guarded::Part(ws.len());
                let mut redactions: Vec<Redaction> = d.redactions.clone();
                redactions.extend(ws.iter().map(|w| Redaction {
                    start: w.start - lead.len(),
                    end: w.end - lead.len(),
                    codes: self.guard_codes.clone(),
                }));
                redactions.sort_by_key(|r| r.start);
                let label = format!("redaction in {}", p.label(i));
                self.released.push(lead.clone());
                let mut spans = vec![Span::Text(lead)];
                spans.extend(self.redact(&p.text, &redactions, &label));
                self.push_spans(spans);
            }
            Action::Release => {
                self.any_released = true;
                if d.redactions.is_empty() {
                    let text = format!("{lead}{}", p.text);
                    self.released.push(text.clone());
                    self.push_text(&text);
                } else {
                    let label = format!("redaction in {}", p.label(i));
                    self.released.push(lead.clone());
                    let mut spans = vec![Span::Text(lead)];
                    spans.extend(self.redact(&p.text, &d.redactions, &label));
                    self.push_spans(spans);
                }
            }
            Action::Withhold { codes } => {
                self.any_withheld = true;
                self.add_codes(codes);
                self.secrets.push(Secret {
                    label: p.label(i),
                    text: p.text.clone(),
                });
                let number = lead_number(p);
                let mark = match (&p.marking, self.decisions.show_original_marks) {
                    (Some(m), true) if p.origin == Origin::Explicit => format!("{} ", m.raw),
                    _ => String::new(),
                };
                let lead = format!("{number}{mark}");
                self.released.push(lead.clone());
                self.blocks.push(Block::Withheld {
                    lead,
                    codes: codes.clone(),
                });
            }
        }
    }

    /// Pushes released text, one block per line; a paragraph-internal blank line stays.
    fn push_text(&mut self, text: &str) {
        for line in text.split('\n') {
            if line.trim().is_empty() {
                self.blank();
            } else {
                self.blocks.push(Block::Text(line.to_string()));
            }
        }
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

/// The printed lead with the number as read: `15. (C) ` becomes `¶5. (C) ` when the
/// parser read the damaged `15.` (a paragraph sign misread as `1`) as paragraph 5.
pub fn repaired_lead(p: &crate::document::Paragraph) -> String {
    match (p.number, &p.printed_number) {
        (Some(n), Some(printed)) => {
            let digits: String = printed.chars().filter(char::is_ascii_digit).collect();
            if digits == n.to_string() {
                p.lead.clone()
            } else {
                let sign = if p.lead.contains('¶') { "" } else { "¶" };
                p.lead.replacen(&digits, &format!("{sign}{n}"), 1)
            }
        }
        _ => p.lead.clone(),
    }
}

/// The number part of the lead alone (`¶4. `), for withheld paragraphs; a repaired
/// number takes the paragraph sign its damage lost.
pub fn lead_number(p: &crate::document::Paragraph) -> String {
    match (p.number, &p.printed_number) {
        (Some(n), Some(printed)) => {
            let digits: String = printed.chars().filter(char::is_ascii_digit).collect();
            let sign = if printed.contains('¶') || digits != n.to_string() {
                "¶"
            } else {
                ""
            };
            format!("{sign}{n}. ")
        }
        _ => String::new(),
    }
}
