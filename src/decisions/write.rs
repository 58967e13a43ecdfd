//! A [`DecisionsFile`] back to YAML, for the review app to save. Every string is written
//! as a double-quoted scalar (a JSON string is one), so no reviewer text can change the
//! file's structure; [`super::load`] reads the output back to the same value.

use super::{DecisionsFile, PortionRef, ReviewAction, SpanSelector};
use std::fmt::Write;

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// The file as YAML, documents and decisions in the order they are held.
pub fn to_yaml(file: &DecisionsFile) -> String {
    let mut y = String::from(
        "# Reviewer decisions for `declass release --decisions` (see docs/review.md).\nversion: 1\ndocuments:",
    );
    if file.documents.is_empty() {
        y.push_str(" []\n");
        return y;
    }
    y.push('\n');
    for d in &file.documents {
        let mut first = "  - ";
        for (k, v) in [("path", &d.path), ("id", &d.id)] {
            if let Some(v) = v {
                let _ = writeln!(y, "{first}{k}: {}", q(v));
                first = "    ";
            }
        }
        let _ = writeln!(y, "{first}sha256: {}", q(&d.sha256));
        if d.portions.is_empty() {
            y.push_str("    decisions: []\n");
            continue;
        }
        y.push_str("    decisions:\n");
        for p in &d.portions {
            let portion = match p.portion {
                PortionRef::Subject => "subject".to_string(),
                PortionRef::Paragraph(Some(n)) => n.to_string(),
                PortionRef::Paragraph(None) => "unnumbered".to_string(),
            };
            let _ = writeln!(y, "      - portion: {portion}");
            let _ = writeln!(y, "        line: {}", p.line);
            let _ = writeln!(y, "        text_sha256: {}", q(&p.text_sha256));
            let _ = writeln!(y, "        action: {}", p.action.word());
            if let ReviewAction::Redact(spans) = &p.action {
                y.push_str("        spans:\n");
                for s in spans {
                    let _ = match s {
                        SpanSelector::Offsets { start, end } => {
                            writeln!(y, "          - {{ start: {start}, end: {end} }}")
                        }
                        SpanSelector::Text(t) => writeln!(y, "          - {{ text: {} }}", q(t)),
                    };
                }
            }
            if !p.codes.is_empty() {
                let codes: Vec<String> = p.codes.iter().map(|c| q(c)).collect();
                let _ = writeln!(y, "        codes: [{}]", codes.join(", "));
            }
            let _ = writeln!(y, "        reviewer: {}", q(&p.reviewer));
            let _ = writeln!(y, "        date: \"{}\"", p.date);
            let _ = writeln!(y, "        reason: {}", q(&p.reason));
            if let Some(a) = &p.authority {
                let _ = writeln!(y, "        authority: {}", q(a));
            }
            if !p.approvals.is_empty() {
                y.push_str("        approvals:\n");
                for a in &p.approvals {
                    let _ = writeln!(
                        y,
                        "          - {{ reviewer: {}, date: \"{}\" }}",
                        q(&a.reviewer),
                        a.date
                    );
                }
            }
        }
    }
    y
}
