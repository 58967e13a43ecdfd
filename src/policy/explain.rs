//! How a policy decided a document, as text (`declass policy explain`): for the subject
//! and each paragraph, the marking, the rule that decided, why, and each span redacted;
//! then the header plan, the release settings and the stamp. The reviewer's view of a
//! policy at work, before any release is made; it shows the document's text on purpose.

use super::{Action, Context, Decision, Decisions, HeaderAction, Policy, Redaction, render_codes};
use crate::document::Document;
use crate::marking::Marking;
use std::fmt::Write as _;

/// The explanation of one document: one entry per portion, then the header plan, the
/// release settings and the stamp.
pub fn render(policy: &Policy, doc: &Document, d: &Decisions, path: &str, ctx: &Context) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "policy    {} ({})", policy.name, policy.source);
    let _ = writeln!(s, "document  {path}");
    let _ = writeln!(s, "as of     {}", ctx.as_of);
    if let Some(a) = &ctx.authority {
        let _ = writeln!(s, "authority {a}");
    }
    let _ = writeln!(s);
    if let (Some(subject), Some(decision)) = (&doc.header.subject, &d.subject) {
        portion(
            &mut s,
            "subject",
            subject.marking.as_ref(),
            subject.origin.as_str(),
            decision,
            &subject.text,
        );
    }
    for (i, (p, decision)) in doc.paragraphs.iter().zip(&d.paragraphs).enumerate() {
        portion(
            &mut s,
            &p.label(i),
            p.marking.as_ref(),
            p.origin.as_str(),
            decision,
            &p.text,
        );
    }
    let _ = writeln!(s);
    let parts: Vec<String> = d
        .header
        .parts()
        .iter()
        .map(|(name, action)| format!("{name} {}", header_action(action)))
        .collect();
    let _ = writeln!(s, "header    {}", parts.join("; "));
    for (field, spans) in doc
        .header
        .addressees
        .iter()
        .zip(&d.header.addressee_redactions)
    {
        for r in spans {
            let _ = writeln!(
                s,
                "          addressee \"{}\": {}",
                field.text,
                redaction(&field.text, r)
            );
        }
    }
    for (field, spans) in doc.header.refs.iter().zip(&d.header.ref_redactions) {
        for r in spans {
            let _ = writeln!(
                s,
                "          ref \"{}\": {}",
                field.text,
                redaction(&field.text, r)
            );
        }
    }
    let marks = if d.show_original_marks {
        "withheld paragraphs keep their original mark"
    } else {
        "withheld paragraphs lose their original mark"
    };
    let _ = writeln!(
        s,
        "release   {} (target {}); {marks}",
        d.release_marking, d.target
    );
    if let Some(a) = &d.declassification {
        let from = if a.from_command_line {
            "--authority"
        } else {
            "policy"
        };
        let _ = writeln!(s, "declass   {a} ({from})");
    }
    let _ = writeln!(s, "stamp     {}", d.stamp());
    s
}

fn portion(
    s: &mut String,
    label: &str,
    marking: Option<&Marking>,
    origin: &str,
    d: &Decision,
    text: &str,
) {
    let mark = marking.map_or("-".to_string(), Marking::canonical);
    let action = match &d.action {
        Action::Release if d.declassified => "release (declassified)".to_string(),
        Action::Release => "release".to_string(),
        Action::Withhold { codes } => format!("withhold  {}", render_codes(codes)),
    };
    let _ = writeln!(s, "{label:<9} {mark:<12} {origin:<9} {action}");
    let _ = writeln!(s, "          {}: {}", d.rule, d.why);
    for r in &d.redactions {
        let _ = writeln!(s, "          {}", redaction(text, r));
    }
}

fn redaction(text: &str, r: &Redaction) -> String {
    format!(
        "redact \"{}\" as {}",
        text.get(r.start..r.end).unwrap_or("?"),
        render_codes(&r.codes)
    )
}

fn header_action(a: &HeaderAction) -> String {
    match a {
        HeaderAction::Keep => "keep".into(),
        HeaderAction::Strip => "strip".into(),
        HeaderAction::Redact(codes) => format!("redact as {}", render_codes(codes)),
    }
}
