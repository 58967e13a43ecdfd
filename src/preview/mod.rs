//! Preview: what a policy would do to a document, shown to the reviewer before anything is
//! released.
//!
//! ```text
//! Document + Decisions ──preview::build──▶ Preview ──terminal──▶ ANSI or plain text
//!                                                   └─html──────▶ one self-contained page
//! Document + Decisions(old) + Decisions(new) ──compare──▶ Changes ──▶ text | JSON
//! ```
//!
//! A [`Preview`] is the document in reading order as [`Row`]s (header parts, the subject,
//! every paragraph), each with the original text, what the release keeps of it ([`Fate`]),
//! and for portions the marking badge and the rule that decided; then a [`Summary`]. Unlike
//! a release it carries the withheld text on purpose: it is a review copy, and every
//! renderer says so. No I/O here.

pub mod compare;
pub mod html;
pub mod terminal;

use crate::document::{Date, Document, ElementKind, LineSpan, Origin};
use crate::marking::{Level, Marking};
use crate::policy::{Action, Decision, Decisions, HeaderAction, Redaction, render_codes};

/// Who decided and when: printed at the top of every preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    /// The document as the user named it.
    pub document: String,
    /// The policy's own name (`foia-release`).
    pub policy: String,
    /// Where the policy came from (`builtin:foia-release`, `policies/x.yaml`).
    pub policy_source: String,
    pub as_of: Date,
}

/// A marking badge: the text shown in brackets and the colour class it takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Badge {
    /// `C`, `S//NF`, `U//SBU`, `unmarked`, `unknown (XYZ)`.
    pub text: String,
    pub class: BadgeClass,
}

/// The colour a badge takes: one per level, and one for "nobody knows".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadgeClass {
    U,
    C,
    S,
    Ts,
    /// Unmarked or unreadable: the fail-closed cases.
    Unknown,
}

impl BadgeClass {
    /// The CSS class name (`m-u`, `m-c`, `m-s`, `m-ts`, `m-x`).
    pub fn css(self) -> &'static str {
        match self {
            BadgeClass::U => "m-u",
            BadgeClass::C => "m-c",
            BadgeClass::S => "m-s",
            BadgeClass::Ts => "m-ts",
            BadgeClass::Unknown => "m-x",
        }
    }
}

impl Badge {
    /// The badge of a portion with this marking and origin.
    pub fn of(marking: Option<&Marking>, origin: Origin) -> Badge {
        match (marking, origin) {
            (_, Origin::None) | (None, _) => Badge {
                text: "unmarked".into(),
                class: BadgeClass::Unknown,
            },
            (Some(m), _) if m.is_unknown() || origin == Origin::Unknown => Badge {
                text: format!("unknown {}", m.raw.trim()),
                class: BadgeClass::Unknown,
            },
            (Some(m), _) => Badge {
                text: m.canonical(),
                class: match m.level {
                    Level::U => BadgeClass::U,
                    Level::C => BadgeClass::C,
                    Level::S => BadgeClass::S,
                    Level::TS => BadgeClass::Ts,
                },
            },
        }
    }
}

/// A piece of a row's original text: kept, or redacted with its codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Text(String),
    Redacted { text: String, codes: Vec<String> },
}

/// What the release does with a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Released verbatim.
    Kept,
    /// Released with some spans replaced by their codes (see the row's [`Seg`]s).
    Redacted,
    /// Replaced by its exemption codes.
    Withheld(Vec<String>),
    /// Left out of the release without a trace (routing, residue, addressees…).
    Stripped,
    /// Printed as this text instead (the banner becomes the release's banner).
    Replaced(String),
    /// Left out because it describes the classified original (a control caption).
    Dropped,
}

impl Fate {
    /// True when something of the original does not reach the release.
    pub fn loses_text(&self) -> bool {
        !matches!(self, Fate::Kept | Fate::Replaced(_))
    }

    /// The word a reviewer reads: `released`, `redacted`, `withheld`, `stripped`…
    pub fn word(&self) -> &'static str {
        match self {
            Fate::Kept => "released",
            Fate::Redacted => "redacted",
            Fate::Withheld(_) => "withheld",
            Fate::Stripped => "stripped",
            Fate::Replaced(_) => "re-marked",
            Fate::Dropped => "dropped",
        }
    }
}

/// What a row is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// A header part, named as the policy's `header` section names it (`routing`,
    /// `addressees`…), or `banner`.
    Header(&'static str),
    Subject,
    /// `doc.paragraphs[index]`.
    Paragraph {
        index: usize,
    },
}

/// The decision on a portion (subject or paragraph), as the reviewer needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortionInfo {
    pub badge: Badge,
    pub origin: Origin,
    /// `rule 2 `withhold-classified``, `default`, `fail closed`.
    pub rule: String,
    /// Which conditions held, and any safety rule that changed the outcome.
    pub why: String,
    pub fail_closed: bool,
    /// Released above the target under the declassification authority.
    pub declassified: bool,
    /// Who decided when it was not the policy: a reviewer of a decisions file.
    pub reviewer: Option<String>,
}

/// One row of the preview: a header part, the subject or a paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub kind: RowKind,
    /// `routing`, `subject`, `¶5`.
    pub label: String,
    /// Source lines covered.
    pub lines: LineSpan,
    /// Paragraphs: the number and mark as printed (`¶1. (C) `); empty otherwise.
    pub lead: String,
    /// What the release prints before the text (`¶5. (C) ` for a printed `15. (C) `, the
    /// number repaired) or before a withheld paragraph's codes (`¶1. (C) `, or `¶1. ` when
    /// the policy hides original marks).
    pub release_lead: String,
    /// The original text; lines separated by `\n`.
    pub original: Vec<Seg>,
    pub fate: Fate,
    pub portion: Option<PortionInfo>,
}

impl Row {
    /// The codes of the redacted spans, ordered as a stamp lists them.
    pub fn redaction_codes(&self) -> Vec<String> {
        crate::policy::codes::sorted_union(self.original.iter().flat_map(|s| match s {
            Seg::Redacted { codes, .. } => codes.clone(),
            Seg::Text(_) => Vec::new(),
        }))
    }

    /// The original text, redacted spans included, as one string.
    pub fn original_text(&self) -> String {
        self.original
            .iter()
            .map(|s| match s {
                Seg::Text(t) | Seg::Redacted { text: t, .. } => t.as_str(),
            })
            .collect()
    }
}

/// The counts and call-outs at the end of a preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub paragraphs: usize,
    /// Released in full.
    pub released: usize,
    /// Released with spans redacted.
    pub redacted: usize,
    pub withheld: usize,
    /// The subject's fate, when the document has one.
    pub subject: Option<Fate>,
    /// Header parts that lose text, in header order.
    pub header: Vec<HeaderLoss>,
    /// Portions withheld because their mark is missing or unreadable: `¶3 (unmarked)`.
    pub fail_closed: Vec<String>,
    /// Portions released above the target under a declassification authority.
    pub declassified: Vec<String>,
    /// The release stamp (`RELEASE IN PART B1, 1.4(B), 1.4(D), B6`).
    pub stamp: String,
    /// Set when the release itself would be refused (the release gate), with why.
    pub refused: Option<String>,
}

/// A header part that loses text in the release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderLoss {
    pub part: &'static str,
    pub fate: Fate,
    /// Codes of the withheld part or of its redacted spans.
    pub codes: Vec<String>,
    /// Source lines of the part.
    pub lines: usize,
}

impl HeaderLoss {
    /// `routing stripped (12 lines)`, `addressees spans redacted [B6] (1 line)`.
    pub fn describe(&self) -> String {
        let what = match &self.fate {
            Fate::Redacted => format!("spans redacted {}", placeholder(&self.codes)),
            Fate::Withheld(codes) => format!("withheld {}", placeholder(codes)),
            other => other.word().to_string(),
        };
        let s = if self.lines == 1 { "" } else { "s" };
        format!("{} {what} ({} line{s})", self.part, self.lines)
    }
}

/// A document as the policy would release it, for a reviewer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    pub meta: Meta,
    /// The original classification line (`CONFIDENTIAL`), when there is one.
    pub banner: Option<String>,
    /// The release's classification line (`UNCLASSIFIED`).
    pub release_banner: String,
    pub rows: Vec<Row>,
    pub summary: Summary,
}

/// The warning every preview carries: it shows what the release withholds.
pub const REVIEW_WARNING: &str = "REVIEW COPY — CONTAINS WITHHELD MATERIAL — NOT FOR RELEASE";

/// Builds the preview of `doc` under `decisions`.
pub fn build(doc: &Document, decisions: &Decisions, meta: Meta) -> Preview {
    let mut rows = Vec::new();
    let mut subject_done = false;
    let mut seen_paragraph = vec![false; doc.paragraphs.len()];
    for element in &doc.elements {
        let span = element.lines;
        let plan = &decisions.header;
        match element.kind {
            // Layout, not content: the release drops or repeats these as they are.
            ElementKind::Blank
            | ElementKind::SectionBanner
            | ElementKind::PageBreak
            | ElementKind::Stamp
            | ElementKind::Rule => {}
            ElementKind::Banner => rows.push(header_row(
                doc,
                "banner",
                span,
                Fate::Replaced(decisions.release_marking.clone()),
            )),
            ElementKind::Residue => {
                rows.push(header_row(doc, "residue", span, fate_of(&plan.residue)))
            }
            ElementKind::Routing => {
                rows.push(header_row(doc, "routing", span, fate_of(&plan.routing)))
            }
            ElementKind::Caption => {
                for line in span.first..=span.last {
                    let control = doc
                        .header
                        .captions
                        .iter()
                        .find(|c| c.line == line)
                        .is_some_and(|c| c.control.is_some());
                    let fate = if control {
                        Fate::Dropped
                    } else {
                        fate_of(&plan.captions)
                    };
                    rows.push(header_row(doc, "captions", LineSpan::one(line), fate));
                }
            }
            ElementKind::Addressee | ElementKind::HeaderText => {
                for line in span.first..=span.last {
                    rows.push(addressee_row(doc, decisions, line));
                }
            }
            ElementKind::EoLine => rows.push(header_row(doc, "eo", span, fate_of(&plan.eo))),
            ElementKind::Tags => rows.push(header_row(doc, "tags", span, fate_of(&plan.tags))),
            ElementKind::Ref => rows.push(header_row(doc, "refs", span, fate_of(&plan.refs))),
            ElementKind::ClassifiedBy => rows.push(header_row(
                doc,
                "classified_by",
                span,
                fate_of(&plan.classified_by),
            )),
            ElementKind::Signature => {
                rows.push(header_row(doc, "signature", span, fate_of(&plan.signature)))
            }
            ElementKind::Subject if !subject_done => {
                subject_done = true;
                if let Some(row) = subject_row(doc, decisions) {
                    rows.push(row);
                }
            }
            ElementKind::Subject => {}
            ElementKind::Paragraph(i) => {
                if !seen_paragraph[i] {
                    seen_paragraph[i] = true;
                    rows.push(paragraph_row(doc, decisions, i));
                }
            }
        }
    }
    let rows = merge_header_rows(rows);
    let summary = summarize(doc, decisions, &rows);
    Preview {
        meta,
        banner: doc
            .header
            .banner
            .as_ref()
            .map(|b| doc.line(b.line).trim().to_string()),
        release_banner: decisions.release_marking.clone(),
        rows,
        summary,
    }
}

/// Joins neighbouring rows of the same header part and fate (a routing block cut by a
/// blank line, repeated captions) into one row.
fn merge_header_rows(rows: Vec<Row>) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(last) = out.last_mut()
            && let (RowKind::Header(a), RowKind::Header(b)) = (&last.kind, &row.kind)
            && a == b
            && last.fate == row.fate
            && matches!(last.fate, Fate::Kept | Fate::Stripped | Fate::Withheld(_))
        {
            last.lines.last = row.lines.last;
            let joined = format!("{}\n{}", last.original_text(), row.original_text());
            last.original = vec![Seg::Text(joined)];
            continue;
        }
        out.push(row);
    }
    out
}

fn fate_of(action: &HeaderAction) -> Fate {
    match action {
        HeaderAction::Keep => Fate::Kept,
        HeaderAction::Strip => Fate::Stripped,
        HeaderAction::Redact(codes) => Fate::Withheld(codes.clone()),
    }
}

/// The lines of `span`, trailing spaces removed, joined with `\n`.
fn lines_of(doc: &Document, span: LineSpan) -> String {
    (span.first..=span.last)
        .map(|l| doc.line(l).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

fn header_row(doc: &Document, part: &'static str, span: LineSpan, fate: Fate) -> Row {
    Row {
        kind: RowKind::Header(part),
        label: part.to_string(),
        lines: span,
        lead: String::new(),
        release_lead: String::new(),
        original: vec![Seg::Text(lines_of(doc, span))],
        fate,
        portion: None,
    }
}

/// An addressee (or other header text) line: kept whole, kept with names redacted, or as
/// the `addressees` part says.
fn addressee_row(doc: &Document, decisions: &Decisions, line: usize) -> Row {
    let text = doc.line(line).trim_end();
    let spans = doc
        .header
        .addressees
        .iter()
        .position(|a| a.lines.first == line)
        .and_then(|i| decisions.header.addressee_redactions.get(i))
        .filter(|s| !s.is_empty());
    let mut row = header_row(
        doc,
        "addressees",
        LineSpan::one(line),
        fate_of(&decisions.header.addressees),
    );
    if let (Fate::Kept, Some(spans)) = (&row.fate, spans) {
        // Spans are over the trimmed field text; the row shows the line as printed.
        let offset = text.len() - text.trim_start().len();
        let shifted: Vec<Redaction> = spans
            .iter()
            .map(|r| Redaction {
                start: r.start + offset,
                end: r.end + offset,
                codes: r.codes.clone(),
            })
            .collect();
        row.original = segments(text, &shifted);
        row.fate = Fate::Redacted;
    }
    row
}

/// Cuts `text` at the redactions (byte spans on character boundaries; bad ones skipped,
/// as the release skips them).
pub fn segments(text: &str, redactions: &[Redaction]) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in redactions {
        let (start, end) = (r.start.max(at), r.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        if start > at {
            out.push(Seg::Text(text[at..start].to_string()));
        }
        out.push(Seg::Redacted {
            text: text[start..end].to_string(),
            codes: r.codes.clone(),
        });
        at = end;
    }
    if at < text.len() {
        out.push(Seg::Text(text[at..].to_string()));
    }
    out
}

fn portion_info(marking: Option<&Marking>, origin: Origin, d: &Decision) -> PortionInfo {
    PortionInfo {
        badge: Badge::of(marking, origin),
        origin,
        rule: d.rule.to_string(),
        why: d.why.clone(),
        fail_closed: d.rule == crate::policy::RuleRef::FailClosed,
        declassified: d.declassified,
        reviewer: d.rule.reviewer().map(str::to_string),
    }
}

/// The fate of a portion and its text cut at the redactions.
fn portion_fate(text: &str, d: &Decision) -> (Fate, Vec<Seg>) {
    match &d.action {
        Action::Withhold { codes } => (Fate::Withheld(codes.clone()), vec![Seg::Text(text.into())]),
        Action::Release if d.redactions.is_empty() => (Fate::Kept, vec![Seg::Text(text.into())]),
        Action::Release => (Fate::Redacted, segments(text, &d.redactions)),
    }
}

fn subject_row(doc: &Document, decisions: &Decisions) -> Option<Row> {
    let subject = doc.header.subject.as_ref()?;
    let d = decisions.subject.as_ref()?;
    let (fate, original) = portion_fate(&subject.text, d);
    let mark = match (&subject.marking, decisions.show_original_marks) {
        (Some(m), true) if subject.origin == Origin::Explicit => format!("{} ", m.raw),
        _ => String::new(),
    };
    Some(Row {
        kind: RowKind::Subject,
        label: "subject".into(),
        lines: subject.lines,
        lead: "SUBJECT: ".into(),
        release_lead: match fate {
            Fate::Withheld(_) => format!("SUBJECT: {mark}"),
            _ => "SUBJECT: ".into(),
        },
        original,
        fate,
        portion: Some(portion_info(subject.marking.as_ref(), subject.origin, d)),
    })
}

fn paragraph_row(doc: &Document, decisions: &Decisions, i: usize) -> Row {
    let p = &doc.paragraphs[i];
    let d = &decisions.paragraphs[i];
    let (fate, original) = portion_fate(&p.text, d);
    let release_lead = match fate {
        Fate::Withheld(_) => {
            let number = crate::release::lead_number(p);
            let mark = match (&p.marking, decisions.show_original_marks) {
                (Some(m), true) if p.origin == Origin::Explicit => format!("{} ", m.raw),
                _ => String::new(),
            };
            format!("{number}{mark}")
        }
        _ => crate::release::repaired_lead(p),
    };
    Row {
        kind: RowKind::Paragraph { index: i },
        label: match p.number {
            Some(n) => format!("¶{n}"),
            None => format!("¶({})", i + 1),
        },
        lines: p.lines,
        lead: p.lead.clone(),
        release_lead,
        original,
        fate,
        portion: Some(portion_info(p.marking.as_ref(), p.origin, d)),
    }
}

fn summarize(doc: &Document, decisions: &Decisions, rows: &[Row]) -> Summary {
    let mut s = Summary {
        paragraphs: doc.paragraphs.len(),
        released: 0,
        redacted: 0,
        withheld: 0,
        subject: None,
        header: Vec::new(),
        fail_closed: Vec::new(),
        declassified: Vec::new(),
        stamp: String::new(),
        refused: None,
    };
    for row in rows {
        match (&row.kind, &row.fate) {
            (RowKind::Paragraph { .. }, Fate::Kept) => s.released += 1,
            (RowKind::Paragraph { .. }, Fate::Redacted) => s.redacted += 1,
            (RowKind::Paragraph { .. }, _) => s.withheld += 1,
            (RowKind::Subject, fate) => s.subject = Some(fate.clone()),
            (RowKind::Header(part), fate) if fate.loses_text() => {
                let lines = row.lines.last + 1 - row.lines.first;
                let codes = match fate {
                    Fate::Withheld(codes) => codes.clone(),
                    _ => row.redaction_codes(),
                };
                match s
                    .header
                    .iter_mut()
                    .find(|h| h.part == *part && h.fate == *fate)
                {
                    Some(h) => {
                        h.lines += lines;
                        h.codes = crate::policy::codes::sorted_union(
                            h.codes.iter().cloned().chain(codes),
                        );
                    }
                    None => s.header.push(HeaderLoss {
                        part,
                        fate: fate.clone(),
                        codes,
                        lines,
                    }),
                }
            }
            (RowKind::Header(_), _) => {}
        }
        if let Some(info) = &row.portion {
            if info.fail_closed {
                let why = match info.origin {
                    Origin::Unknown => "mark unreadable",
                    _ => "unmarked",
                };
                s.fail_closed.push(format!("{} ({why})", row.label));
            }
            if info.declassified {
                s.declassified
                    .push(format!("{} ({})", row.label, info.badge.text));
            }
        }
    }
    match crate::release::build(doc, decisions) {
        Ok(release) => s.stamp = release.stamp.to_string(),
        Err(e) => {
            s.stamp = decisions.stamp();
            s.refused = Some(e.to_string());
        }
    }
    s
}

/// `[B1, 1.4(B), 1.4(D)]`: how the release prints withheld material.
pub fn placeholder(codes: &[String]) -> String {
    format!("[{}]", render_codes(codes))
}

/// `3 released, 1 redacted, 6 withheld (of 10)`.
pub fn counts_line(s: &Summary) -> String {
    format!(
        "{} released, {} redacted, {} withheld (of {})",
        s.released, s.redacted, s.withheld, s.paragraphs
    )
}

/// How the subject's fate reads in a summary: `released`, `withheld [B1]`.
pub fn fate_line(fate: &Fate) -> String {
    match fate {
        Fate::Withheld(codes) => format!("withheld {}", placeholder(codes)),
        other => other.word().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Context, Policy};

    fn seed() -> (Document, Decisions) {
        let bytes = include_bytes!("../../samples/07PRAGUE486.txt");
        let doc = crate::parse::parse(bytes, Some("07PRAGUE486.txt")).unwrap();
        let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
        let decisions = Policy::default_policy().decide(&doc, &ctx);
        (doc, decisions)
    }

    fn meta() -> Meta {
        Meta {
            document: "07PRAGUE486.txt".into(),
            policy: "foia-release".into(),
            policy_source: "builtin:foia-release".into(),
            as_of: Date::new(2026, 1, 1).unwrap(),
        }
    }

    #[test]
    fn seed_counts_and_callouts() {
        let (doc, d) = seed();
        let p = build(&doc, &d, meta());
        let s = &p.summary;
        assert_eq!(
            (s.paragraphs, s.released, s.redacted, s.withheld),
            (9, 3, 0, 6)
        );
        assert_eq!(s.fail_closed, ["subject (unmarked)"]);
        assert_eq!(s.stamp, "RELEASE IN PART B1, 1.4(B), 1.4(D), B6");
        assert_eq!(
            p.banner.as_deref(),
            Some("C O N F I D E N T I A L PRAGUE 000486")
        );
        let addressee = p
            .rows
            .iter()
            .find(|r| r.fate == Fate::Redacted)
            .expect("the addressee line is redacted");
        assert_eq!(
            addressee.original[1],
            Seg::Redacted {
                text: "ERIC FICHTE".into(),
                codes: vec!["B6".into()]
            }
        );
        assert_eq!(addressee.original_text(), "EUR/NCE FOR ERIC FICHTE");
    }

    #[test]
    fn every_paragraph_has_one_row_in_order() {
        let (doc, d) = seed();
        let p = build(&doc, &d, meta());
        let indexes: Vec<usize> = p
            .rows
            .iter()
            .filter_map(|r| match r.kind {
                RowKind::Paragraph { index } => Some(index),
                _ => None,
            })
            .collect();
        assert_eq!(indexes, (0..doc.paragraphs.len()).collect::<Vec<_>>());
    }

    #[test]
    fn segments_skip_bad_spans() {
        let r = |start, end| Redaction {
            start,
            end,
            codes: vec!["B6".into()],
        };
        let segs = segments("héllo world", &[r(0, 2), r(7, 12), r(7, 9)]);
        assert_eq!(
            segs,
            [
                Seg::Text("héllo ".into()),
                Seg::Redacted {
                    text: "world".into(),
                    codes: vec!["B6".into()]
                }
            ]
        );
    }
}
