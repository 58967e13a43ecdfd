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
//! and for portions the marking badge and the rule that decided; then a [`Summary`]. The
//! rows are read off the release plan ([`crate::release::plan`]): the preview has no
//! release rules of its own. Unlike
//! a release it carries the withheld text on purpose: it is a review copy, and every
//! renderer says so. No I/O here.

pub mod compare;
pub mod html;
pub mod terminal;

use crate::document::{Date, Document, LineSpan, Origin};
use crate::marking::{Level, Marking};
use crate::policy::{Codes, Decision, Decisions, render_codes};
use crate::release::plan::{Item, Part};
use crate::release::{Release, ReleaseError};

/// What the release does with a row, and a row's text cut at the redactions: the release
/// plan's own types, so that the preview shows exactly what the release does.
pub use crate::release::plan::{Fate, Seg, segments};

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
    pub fn redaction_codes(&self) -> Codes {
        self.original
            .iter()
            .flat_map(|s| match s {
                Seg::Redacted { codes, .. } => codes.iter().cloned().collect(),
                Seg::Text(_) => Vec::new(),
            })
            .collect()
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
    pub codes: Codes,
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
    let (plan, release) = crate::release::plan(doc, decisions);
    let rows = plan
        .items
        .iter()
        .filter_map(|item| row(doc, decisions, item))
        .collect();
    let rows = merge_header_rows(rows);
    let summary = summarize(doc, decisions, &rows, &release);
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

/// The row of one plan item, with the decision's reasons for portions; rule lines are
/// layout and get none.
fn row(doc: &Document, decisions: &Decisions, item: &Item) -> Option<Row> {
    let (kind, label, portion) = match item.part {
        Part::Rule => return None,
        Part::Header(part) => (RowKind::Header(part), part.to_string(), None),
        Part::Subject => {
            let s = doc.header.subject.as_ref()?;
            let d = decisions.subject.as_ref()?;
            let info = portion_info(s.marking.as_ref(), s.origin, d);
            (RowKind::Subject, "subject".to_string(), Some(info))
        }
        Part::Paragraph(index) => {
            let p = &doc.paragraphs[index];
            let label = match p.number {
                Some(n) => format!("¶{n}"),
                None => format!("¶({})", index + 1),
            };
            let info = portion_info(p.marking.as_ref(), p.origin, &decisions.paragraphs[index]);
            (RowKind::Paragraph { index }, label, Some(info))
        }
    };
    Some(Row {
        kind,
        label,
        lines: item.lines,
        lead: item.lead.clone(),
        release_lead: item.release_lead.clone(),
        original: item.segments.clone(),
        fate: item.fate.clone(),
        portion,
    })
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

fn summarize(
    doc: &Document,
    decisions: &Decisions,
    rows: &[Row],
    release: &Result<Release, ReleaseError>,
) -> Summary {
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
                        h.codes.extend_from(&codes);
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
    match release {
        Ok(release) => s.stamp = release.stamp.to_string(),
        Err(e) => {
            s.stamp = decisions.stamp();
            s.refused = Some(e.to_string());
        }
    }
    s
}

/// `[B1, 1.4(B), 1.4(D)]`: how the release prints withheld material.
pub fn placeholder(codes: &Codes) -> String {
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
                codes: Codes::from_texts(["B6"])
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

    fn decided(text: &str) -> (Document, Decisions) {
        let doc = crate::parse::parse_str(text).unwrap();
        let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
        let decisions = Policy::default_policy().decide(&doc, &ctx);
        (doc, decisions)
    }

    /// The preview printed `SUBJECT:` for a subject the release prints as `SUBJ:`; both
    /// now read the lead off the release plan.
    #[test]
    fn a_subj_line_previews_as_the_release_prints_it() {
        let (doc, d) =
            decided("CONFIDENTIAL\n\nSUBJ: (C) TALKS ON THE BASE\n\n1. (U) The talks opened.\n");
        let p = build(&doc, &d, meta());
        let row = p.rows.iter().find(|r| r.kind == RowKind::Subject).unwrap();
        assert_eq!(row.lead, "SUBJ: ");
        assert!(matches!(row.fate, Fate::Withheld(_)), "{:?}", row.fate);
        let release = crate::release::build(&doc, &d).unwrap();
        let printed = release.blocks.iter().find_map(|b| match b {
            crate::release::Block::Withheld { lead, .. } if lead.starts_with("SUBJ") => {
                Some(lead.as_str())
            }
            _ => None,
        });
        assert_eq!(printed, Some(row.release_lead.as_str()));
        assert_eq!(row.release_lead, "SUBJ: (C) ");
    }

    /// The preview shows what the mark-anywhere guard withholds, as the release does.
    #[test]
    fn the_guards_withholding_shows_in_the_preview() {
        let (doc, d) = decided(
            "UNCLASSIFIED\n\nSUBJECT: (U) TALKS\n\n1. (U) The talks opened. (S) The base \
             will close.\n",
        );
        let p = build(&doc, &d, meta());
        let row = p
            .rows
            .iter()
            .find(|r| r.kind == RowKind::Paragraph { index: 0 })
            .unwrap();
        assert_eq!(row.fate, Fate::Redacted);
        let withheld: String = row
            .original
            .iter()
            .filter_map(|s| match s {
                Seg::Redacted { text, .. } => Some(text.as_str()),
                Seg::Text(_) => None,
            })
            .collect();
        assert!(withheld.contains("The base will close"), "{withheld:?}");
        let release = crate::release::build(&doc, &d).unwrap();
        assert_eq!(release.guard.len(), 1);
    }
}
