//! The withdrawal notice: what a document denied in full is released as, in place of a
//! page of placeholders, as archives do (a "withdrawal sheet"). One page naming the
//! document, its date, originator, addressee and subject where the policy releases them,
//! its pages and the restriction codes.
//!
//! The notice is a [`Release`] like any other (same banner, stamp, manifest entries and
//! withheld material to guard), whose blocks are the notice's lines, so the text and PDF
//! renderers and the leak check treat it as they treat every release. What it prints of
//! the document comes only from parts the policy keeps: a withheld subject, stripped
//! routing or redacted addressee lines are named as not released, never shown.

use super::{Block, Release, StampKind};
use crate::document::{Document, ElementKind};
use crate::policy::{Action, Decisions, HeaderAction, render_codes};

/// The notice's title line.
pub const TITLE: &str = "WITHDRAWAL NOTICE";

/// Said in place of a part the release does not carry.
const NOT_RELEASED: &str = "(not released)";

/// True when a release withholds every portion: it is then given as a notice.
pub fn applies(release: &Release) -> bool {
    release.stamp.kind == StampKind::Denied
}

/// The notice for a release denied in full: the same release with the notice's lines
/// as its blocks. `document` is the id given with `--doc`; without one the notice names
/// the document by its own serial (`PRAGUE 000486`), never by the file it was read from,
/// so that the release depends only on the document's content.
pub fn replace<'d>(
    doc: &Document,
    decisions: &Decisions,
    mut release: Release<'d>,
    document: Option<&str>,
) -> Release<'d> {
    let serial = doc.header.banner.as_ref().and_then(|b| b.serial.as_ref());
    let document = match (document, serial) {
        (Some(id), _) => id.to_string(),
        (None, Some(serial)) => serial.clone(),
        (None, None) => "(no document number; give one with --doc)".to_string(),
    };
    let plan = &decisions.header;
    let keeps = |a: &HeaderAction| matches!(a, HeaderAction::Keep);
    let date = doc
        .header
        .date
        .map(|d| d.to_string())
        .or_else(|| doc.header.year.map(|y| y.to_string()))
        .unwrap_or_else(|| "(not stated)".into());
    let originator = match &doc.header.origin_post {
        Some(post) if keeps(&plan.routing) => post.clone(),
        Some(_) => NOT_RELEASED.into(),
        None => "(not stated)".into(),
    };
    let addressee = match routing_to(doc) {
        Some(to) if keeps(&plan.routing) => to,
        Some(_) => NOT_RELEASED.into(),
        None => "(not stated)".into(),
    };
    let subject = match (&doc.header.subject, &decisions.subject) {
        (Some(s), Some(d)) if d.action.is_release() && d.redactions.is_empty() => {
            s.text.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        (Some(_), Some(d)) => match &d.action {
            Action::Withhold { codes } => format!("(withheld: {})", render_codes(codes)),
            Action::Release => NOT_RELEASED.into(),
        },
        _ => "(none)".into(),
    };
    let pages = 1 + doc
        .elements
        .iter()
        .filter(|e| e.kind == ElementKind::PageBreak)
        .count();
    let portions = decisions.paragraphs.len();
    let field = |name: &str, value: &str| Block::Text(format!("{name:<14}{value}").into());
    let blocks = vec![
        Block::Text(TITLE.into()),
        Block::Blank,
        Block::Text("This document is withheld in full. It is listed here so that the".into()),
        Block::Text("release accounts for it; the codes below state why it is withheld.".into()),
        Block::Blank,
        field("Document:", &document),
        field("Date:", &date),
        field("Originator:", &originator),
        field("Addressee:", &addressee),
        field("Subject:", &subject),
        field("Pages:", &pages.to_string()),
        field("Portions:", &format!("{portions}, all withheld")),
        field("Restrictions:", &render_codes(&release.stamp.codes)),
    ];
    for b in &blocks {
        if let Block::Text(t) = b {
            release.released.push(t.clone());
        }
    }
    release.blocks = blocks;
    release
}

/// The addressee of the routing block: its `TO` line, without the routing indicator
/// (`TO RUEHC/SECSTATE WASHDC IMMEDIATE 8995` → `SECSTATE WASHDC`).
fn routing_to(doc: &Document) -> Option<String> {
    let span = doc.header.routing?;
    (span.first..=span.last)
        .map(|n| doc.line(n).trim())
        .find_map(|l| l.strip_prefix("TO "))
        .map(|to| {
            let to = to.split_once('/').map_or(to, |(_, rest)| rest);
            let words: Vec<&str> = to
                .split_whitespace()
                .take_while(|w| {
                    !matches!(*w, "IMMEDIATE" | "PRIORITY" | "ROUTINE" | "FLASH" | "NIACT")
                        && !w.chars().all(|c| c.is_ascii_digit())
                })
                .collect();
            words.join(" ")
        })
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Date;
    use crate::policy::{Context, Policy};

    const SEED: &[u8] = include_bytes!("../../samples/07PRAGUE486.txt");

    #[test]
    fn the_seed_denied_in_full_under_public_web_is_a_notice() {
        let doc = crate::parse::parse(SEED, Some("07PRAGUE486.txt")).unwrap();
        let policy = Policy::builtin("public-web").unwrap();
        let ctx = Context::new(Date::new(2026, 1, 1).unwrap());
        let decisions = policy.decide(&doc, &ctx);
        let release = crate::release::build(&doc, &decisions).unwrap();
        assert!(applies(&release));
        let notice = replace(&doc, &decisions, release, None);
        let lines: Vec<String> = notice
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        let text = lines.join("\n");
        assert!(text.contains("Document:     PRAGUE 000486"), "{text}");
        assert!(text.contains("Date:         2007-05-03"), "{text}");
        // public-web strips the routing block: no originator, no addressee.
        assert!(text.contains("Originator:   (not released)"), "{text}");
        assert!(
            text.contains("Subject:      (withheld: B1, 1.4(B), 1.4(D))"),
            "{text}"
        );
        assert!(
            text.contains("Restrictions: B1, 1.4(B), 1.4(D), REVIEW REQUIRED"),
            "{text}"
        );
        assert!(!text.contains("MISSILE DEFENSE"), "{text}");
        // Every portion is still in the manifest entries.
        assert_eq!(notice.entries.len(), doc.paragraphs.len());
    }
}
