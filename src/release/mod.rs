//! Document + Decisions → Release: what is kept, what is withheld and why.
//!
//! [`build`] walks the document's elements in order (the one walk: [`plan`] records the
//! same walk as a [`Plan`] for the preview) and produces the release's blocks
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
//!
//! The module's parts: [`model`] (the release's types, which renderers read), `walk` (the
//! one walk of the document that makes a release and its [`plan`]), and here the entry
//! points, the release gate and the manifest entries.

pub mod consistency;
pub mod digest;
pub mod leak;
pub mod log;
pub mod manifest;
pub mod model;
pub mod notice;
pub mod plan;
mod walk;

use crate::diagnostic::Code;
use crate::document::{Document, Origin};
use crate::guard;
use crate::marking::Level;
use crate::policy::{Action, Codes, Decision, Decisions};
use plan::{Guarded, Plan};
use walk::walk;

pub use model::{Block, Entry, GuardEntry, Release, ReleaseError, Span, Stamp, StampKind};
pub use walk::{lead_number, repaired_lead};

/// Builds the release of `doc` under `decisions`. Fails only at the release gate.
pub fn build<'d>(doc: &'d Document, decisions: &Decisions) -> Result<Release<'d>, ReleaseError> {
    gate(doc, decisions)?;
    Ok(walk(doc, decisions, false).0)
}

/// The release plan of `doc` under `decisions` (what the release does with every part,
/// with the original text beside it), and the release or why the gate refuses it. The
/// plan is made even when the gate refuses, so that a reviewer sees why.
pub fn plan<'d>(
    doc: &'d Document,
    decisions: &Decisions,
) -> (Plan, Result<Release<'d>, ReleaseError>) {
    let (release, plan) = walk(doc, decisions, true);
    (plan, gate(doc, decisions).map(|()| release))
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

/// What the guard did to one portion, written into its manifest entry.
impl Guarded {
    fn apply(self, e: &mut Entry, codes: &Codes) {
        let add = |e: &mut Entry| e.codes.extend_from(codes);
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
                e.codes = Codes::default();
                e.rule = format!("{} guard-withheld", Code::GuardWithheld);
                add(e);
            }
        }
    }
}

/// The gate: a released portion above the target needs a declassification authority.
fn gate(doc: &Document, decisions: &Decisions) -> Result<(), ReleaseError> {
    // The label is made only for the error: a `format!` a paragraph otherwise.
    let check =
        |label: &dyn Fn() -> String, level: Option<Level>, origin: Origin, decision: &Decision| {
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
                    label: label(),
                    level,
                    target: decisions.target,
                });
            }
            Ok(())
        };
    for (i, p) in doc.paragraphs.iter().enumerate() {
        check(
            &|| p.label(i),
            p.marking.as_ref().map(|m| m.level),
            p.origin,
            &decisions.paragraphs[i],
        )?;
    }
    if let (Some(s), Some(d)) = (&doc.header.subject, &decisions.subject) {
        check(
            &|| "subject".into(),
            s.marking.as_ref().map(|m| m.level),
            s.origin,
            d,
        )?;
    }
    Ok(())
}

/// The entry's codes: a withheld paragraph's, or the union of its redactions'.
fn codes_of(d: &Decision) -> Codes {
    match &d.action {
        Action::Release => d
            .redactions
            .iter()
            .flat_map(|r| r.codes.iter().cloned())
            .collect(),
        Action::Withhold { codes } => codes.clone(),
    }
}

fn entry(i: usize, p: &crate::document::Paragraph, d: &Decision) -> Entry {
    Entry {
        index: i,
        number: p.number,
        printed_number: p.printed_number.clone(),
        ..decided(d, &p.text, p.lines, p.marking.as_ref(), p.origin.as_str())
    }
}

/// The manifest entry of a decided part of the document (a paragraph or the subject),
/// without the paragraph's number.
fn decided(
    d: &Decision,
    text: &str,
    lines: crate::document::LineSpan,
    marking: Option<&crate::marking::Marking>,
    origin: &'static str,
) -> Entry {
    Entry {
        index: 0,
        number: None,
        printed_number: None,
        marking: marking.map(|m| m.canonical()),
        origin,
        rule: d.rule.text(),
        released: matches!(d.action, Action::Release),
        codes: codes_of(d),
        lines: (lines.first, lines.last),
        chars: text.chars().count(),
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
