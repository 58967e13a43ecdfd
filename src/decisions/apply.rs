//! Applying a decisions file to what the policy decided for one document, before the
//! release is built (so the guard and the leak check see the result like any other).
//!
//! Fail closed, each refusal reported and the portion left to the policy:
//! - the document's bytes changed since the decisions were made (digest mismatch): none
//!   of its decisions apply;
//! - the portion is gone or its text changed (line, number or text digest): not applied;
//! - a release or redaction above the release target without a declassification
//!   authority: not applied;
//! - a redaction span that is out of range or whose text is not in the portion: not
//!   applied (the reviewer meant to hide something that is not where they saw it).

use super::{DecisionsFile, PortionDecision, PortionRef, ReviewAction, SpanSelector};
use crate::document::Document;
use crate::marking::{Level, Marking};
use crate::policy::{Action, Codes, Decision, Decisions, DeclassAuthority, Redaction, RuleRef};
use crate::release::digest::sha256_hex;

/// What applying the decisions did to one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Decisions that now decide their portion.
    pub applied: usize,
    /// Decisions not applied, with why: the policy decides those portions.
    pub refusals: Vec<Refusal>,
    /// Applied decisions no second reviewer has approved, by portion label.
    pub unapproved: Vec<String>,
}

/// A decision that was not applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Line and column of the decision in the decisions file.
    pub at: (usize, usize),
    pub portion: String,
    pub message: String,
}

/// The digest a decision records of its portion's text.
pub fn digest_text(text: &str) -> String {
    sha256_hex(text.as_bytes())
}

/// Overrides `decisions` with the reviewer decisions the file holds for this document
/// (the input's bytes, path and `--doc` id), refusing stale and unsafe ones.
pub fn apply(
    file: &DecisionsFile,
    doc: &Document,
    input: &[u8],
    path: &str,
    id: Option<&str>,
    decisions: &mut Decisions,
) -> Applied {
    let mut out = Applied::default();
    let Some(entry) = file.for_document(path, id) else {
        return out;
    };
    let changed = sha256_hex(input) != entry.sha256;
    let highest = highest_level(doc);
    for d in &entry.portions {
        let refuse = |message: String| Refusal {
            at: d.at,
            portion: d.label(),
            message,
        };
        if changed {
            out.refusals.push(refuse(
                "the document changed since this decision was made (its SHA-256 differs): not applied; the policy decides".into(),
            ));
            continue;
        }
        let Some((text, marking, slot)) = locate(doc, d) else {
            out.refusals.push(refuse(format!(
                "no {} starts at line {} any more: not applied; the policy decides",
                d.label(),
                d.line
            )));
            continue;
        };
        if digest_text(text) != d.text_sha256 {
            out.refusals.push(refuse(
                "the portion's text changed since this decision was made: not applied; the policy decides".into(),
            ));
            continue;
        }
        let current = match slot {
            Slot::Subject => decisions.subject.as_ref(),
            Slot::Paragraph(i) => decisions.paragraphs.get(i),
        };
        let Some(current) = current else {
            out.refusals.push(refuse(
                "the policy made no decision for this portion: not applied".into(),
            ));
            continue;
        };
        match decide(
            d,
            text,
            marking.map_or(highest, |m| m.level),
            decisions,
            current,
        ) {
            Ok(new) => {
                if new.declassified {
                    declassify(decisions, d);
                }
                match slot {
                    Slot::Subject => decisions.subject = Some(new),
                    Slot::Paragraph(i) => decisions.paragraphs[i] = new,
                }
                out.applied += 1;
                if !d.is_approved() {
                    out.unapproved.push(d.label());
                }
            }
            Err(message) => out.refusals.push(refuse(message)),
        }
    }
    // A reviewer may have withheld the only portion the policy declassified.
    let any = decisions
        .paragraphs
        .iter()
        .chain(decisions.subject.iter())
        .any(|d| d.declassified);
    if !any {
        decisions.declassification = None;
    }
    out
}

#[derive(Clone, Copy)]
enum Slot {
    Subject,
    Paragraph(usize),
}

/// The portion a decision names, if it still stands where the reviewer saw it.
fn locate<'d>(
    doc: &'d Document,
    d: &PortionDecision,
) -> Option<(&'d str, Option<&'d Marking>, Slot)> {
    match d.portion {
        PortionRef::Subject => doc
            .header
            .subject
            .as_ref()
            .filter(|s| s.lines.first == d.line)
            .map(|s| (s.text.as_str(), s.marking.as_ref(), Slot::Subject)),
        PortionRef::Paragraph(number) => doc
            .paragraphs
            .iter()
            .enumerate()
            .find(|(_, p)| p.lines.first == d.line && p.number == number)
            .map(|(i, p)| (p.text.as_str(), p.marking.as_ref(), Slot::Paragraph(i))),
    }
}

/// The level an unmarked portion counts at: the document's highest. Unlike the policy's
/// count (`policy::decide`, which leaves unreadable markings out), a marking read with
/// unknown parts counts here too: a higher level refuses more reviewer releases, never fewer.
fn highest_level(doc: &Document) -> Level {
    doc.header
        .banner
        .iter()
        .map(|b| b.marking.level)
        .chain(
            doc.paragraphs
                .iter()
                .filter_map(|p| p.marking.as_ref())
                .map(|m| m.level),
        )
        .max()
        .unwrap_or(Level::U)
}

fn decide(
    d: &PortionDecision,
    text: &str,
    level: Level,
    decisions: &Decisions,
    current: &Decision,
) -> Result<Decision, String> {
    let rule = RuleRef::Reviewer {
        name: d.reviewer.clone(),
        reason: d.reason.clone(),
    };
    let why = format!("reviewer {} on {}: {}", d.reviewer, d.date, d.reason);
    if d.action == ReviewAction::Withhold {
        return Ok(Decision {
            action: Action::Withhold {
                codes: Codes::from_texts(&d.codes),
            },
            rule,
            why,
            redactions: Vec::new(),
            declassified: false,
        });
    }
    let target = decisions.target;
    let declassified = level > target;
    if declassified && d.authority.is_none() {
        return Err(format!(
            "releases a {level} portion above the release target {target} without a declassification `authority`: not applied; the policy decides"
        ));
    }
    // What the policy redacted in a portion it released stays redacted: a reviewer's
    // release widens nothing the reviewer did not look at span by span.
    let mut redactions: Vec<Redaction> = match current.action {
        Action::Release => current.redactions.clone(),
        Action::Withhold { .. } => Vec::new(),
    };
    if let ReviewAction::Redact(spans) = &d.action {
        let mine = spans
            .iter()
            .map(|s| resolve(s, text))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten();
        let mine: Vec<Redaction> = mine
            .map(|(start, end)| Redaction {
                start,
                end,
                codes: Codes::from_texts(&d.codes),
            })
            .collect();
        // Added to the policy's, never in place of them: a reviewer's span inside or across
        // a policy redaction must not release the rest of it (the overlaps merge below).
        redactions.extend(mine);
        redactions.sort_by_key(|r| (r.start, r.end));
        merge_overlaps(&mut redactions);
    }
    Ok(Decision {
        action: Action::Release,
        rule,
        why,
        redactions,
        declassified,
    })
}

/// Byte ranges of a span selector in `text`.
fn resolve(s: &SpanSelector, text: &str) -> Result<Vec<(usize, usize)>, String> {
    match s {
        SpanSelector::Offsets { start, end } => {
            let byte = |c: usize| {
                text.char_indices()
                    .map(|(b, _)| b)
                    .chain(std::iter::once(text.len()))
                    .nth(c)
            };
            match (byte(*start), byte(*end)) {
                (Some(a), Some(b)) if a < b => Ok(vec![(a, b)]),
                _ => Err(format!(
                    "the span {start}..{end} is outside the portion's {} characters: not applied; the policy decides",
                    text.chars().count()
                )),
            }
        }
        SpanSelector::Text(t) => {
            let found: Vec<(usize, usize)> = text
                .match_indices(t.as_str())
                .map(|(i, m)| (i, i + m.len()))
                .collect();
            if found.is_empty() {
                Err("a span's `text` is not in the portion: not applied; the policy decides".into())
            } else {
                Ok(found)
            }
        }
    }
}

/// Joins overlapping redactions (sorted by start) into one carrying both sets of codes.
fn merge_overlaps(rs: &mut Vec<Redaction>) {
    let mut out: Vec<Redaction> = Vec::with_capacity(rs.len());
    for r in rs.drain(..) {
        match out.last_mut() {
            Some(last) if r.start < last.end => {
                last.end = last.end.max(r.end);
                last.codes.extend_from(&r.codes);
            }
            _ => out.push(r),
        }
    }
    *rs = out;
}

/// Records the reviewer's authority for the release's declassification block.
fn declassify(decisions: &mut Decisions, d: &PortionDecision) {
    let Some(authority) = d.authority.clone() else {
        return;
    };
    match &mut decisions.declassification {
        Some(existing) if existing.authority.split("; ").any(|a| a == authority) => {}
        Some(existing) => {
            existing.authority = format!("{}; {authority}", existing.authority);
        }
        None => {
            decisions.declassification = Some(DeclassAuthority {
                authority,
                date: d.date,
                from_command_line: false,
            })
        }
    }
}
