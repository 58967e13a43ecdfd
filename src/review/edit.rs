//! One change a reviewer asks for, applied to the decisions file in memory: a decision on
//! a portion (replacing any earlier one, approvals reset) or an approval of someone
//! else's. The portion is named by the server from the document as it is now (line,
//! number, text digest), never by the browser.

use crate::decisions::{
    Approval, DecisionsFile, PortionDecision, PortionRef, ReviewAction, SpanSelector, digest_text,
};
use crate::document::{Date, Document};
use crate::policy::codeset::CodeSet;
use crate::preview::{Preview, RowKind};
use serde::Deserialize;

/// `POST /api/decide`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideRequest {
    pub path: String,
    /// Index into the preview's rows.
    pub row: usize,
    pub action: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub span: String,
    pub reason: String,
    pub reviewer: String,
    #[serde(default)]
    pub authority: String,
}

/// `POST /api/approve`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {
    pub path: String,
    pub line: usize,
    pub reviewer: String,
}

/// The document a change is about.
pub struct Target<'a> {
    /// How the decisions file names it.
    pub path: &'a str,
    pub input: &'a [u8],
    pub doc: &'a Document,
}

fn one_line(s: &str, what: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(format!("give the {what}"));
    }
    if s.len() > 2000 {
        return Err(format!("the {what} is too long"));
    }
    Ok(s.to_string())
}

pub fn decide(
    file: &mut DecisionsFile,
    t: &Target<'_>,
    preview: &Preview,
    codes: &CodeSet,
    req: &DecideRequest,
    date: Date,
) -> Result<(), String> {
    let row = preview.rows.get(req.row).ok_or("no such portion")?;
    let (portion, line, text) = match row.kind {
        RowKind::Subject => {
            let s = t.doc.header.subject.as_ref().ok_or("no subject")?;
            (PortionRef::Subject, s.lines.first, s.text.as_str())
        }
        RowKind::Paragraph { index } => {
            let p = t.doc.paragraphs.get(index).ok_or("no such paragraph")?;
            (
                PortionRef::Paragraph(p.number),
                p.lines.first,
                p.text.as_str(),
            )
        }
        RowKind::Header(_) => return Err("header parts are decided by the policy".into()),
    };
    let reviewer = one_line(&req.reviewer, "reviewer's name")?;
    let reason = one_line(&req.reason, "reason")?;
    let code = || -> Result<Vec<String>, String> {
        let c = one_line(&req.code, "code")?;
        Ok(vec![codes.lookup(&c)?.as_str().to_string()])
    };
    let (action, codes) = match req.action.as_str() {
        "release" => (ReviewAction::Release, Vec::new()),
        "withhold" => (ReviewAction::Withhold, code()?),
        "redact" => {
            let span = req.span.trim();
            if span.is_empty() || !text.contains(span) {
                return Err("select the text to redact inside the portion".into());
            }
            (
                ReviewAction::Redact(vec![SpanSelector::Text(span.to_string())]),
                code()?,
            )
        }
        _ => return Err("the action is release, withhold or redact".into()),
    };
    let authority = Some(req.authority.trim().to_string()).filter(|a| !a.is_empty());
    let d = PortionDecision {
        portion,
        line,
        text_sha256: digest_text(text),
        action,
        codes,
        reviewer,
        date,
        reason,
        authority,
        approvals: Vec::new(),
        at: (0, 0),
    };
    let entry = file.for_document_mut(t.path, &crate::release::digest::sha256_hex(t.input));
    let sha = crate::release::digest::sha256_hex(t.input);
    if entry.sha256 != sha {
        // The document changed: the old decisions are stale, a fresh review starts.
        entry.sha256 = sha;
        entry.portions.clear();
    }
    entry
        .portions
        .retain(|p| !(p.line == line && p.portion == d.portion));
    entry.portions.push(d);
    entry.portions.sort_by_key(|p| p.line);
    Ok(())
}

pub fn approve(
    file: &mut DecisionsFile,
    path: &str,
    req: &ApproveRequest,
    date: Date,
) -> Result<(), String> {
    let reviewer = one_line(&req.reviewer, "reviewer's name")?;
    let entry = file
        .documents
        .iter_mut()
        .find(|d| d.path.as_deref() == Some(path))
        .ok_or("no decisions for this document")?;
    let d = entry
        .portions
        .iter_mut()
        .find(|p| p.line == req.line)
        .ok_or("no decision on that portion")?;
    if d.reviewer == reviewer {
        return Err("a decision needs a second reviewer's approval, not its author's".into());
    }
    if !d.approvals.iter().any(|a| a.reviewer == reviewer) {
        d.approvals.push(Approval { reviewer, date });
    }
    Ok(())
}
