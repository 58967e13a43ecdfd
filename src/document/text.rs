//! The document model as human-readable text (`declass parse`'s default output): the
//! header fields, one line per paragraph with its marking and where it came from, the
//! signature, then the parser's diagnostics with their line and column. Beside
//! [`super::json`], the model's other rendering.

use super::Document;
use std::fmt::Write as _;

/// The model of `doc`, read from `path`, as text.
pub fn render(doc: &Document, path: &str) -> String {
    let h = &doc.header;
    let mut s = String::new();
    let _ = writeln!(s, "{path}");
    match &h.banner {
        Some(b) => {
            let _ = writeln!(s, "  banner      {} (line {})", b.marking.banner(), b.line);
        }
        None => {
            let _ = writeln!(s, "  banner      (none)");
        }
    }
    if let Some(eo) = &h.eo {
        let decl = eo.declassify.as_ref().map_or("(none)".to_string(), |d| {
            d.date.map_or(d.raw.clone(), |x| x.to_string())
        });
        let _ = writeln!(s, "  E.O.        {} declassify {}", eo.order, decl);
    }
    if !h.tags.is_empty() {
        let _ = writeln!(s, "  tags        {}", h.tags.join(" "));
    }
    if let Some(subj) = &h.subject {
        let mark = subj
            .marking
            .as_ref()
            .map_or("-".to_string(), |m| m.canonical());
        let _ = writeln!(s, "  subject     [{mark}] {}", subj.text);
    }
    if let Some(c) = &h.classified_by {
        let reasons: String = c.reasons.iter().collect();
        let _ = writeln!(
            s,
            "  classified  by {} / {} {}",
            c.by,
            c.section.as_deref().unwrap_or("?"),
            reasons
        );
    }
    for p in &doc.paragraphs {
        let mark = p
            .marking
            .as_ref()
            .map_or("-".to_string(), |m| m.canonical());
        let first: String = p
            .text
            .chars()
            .take(60)
            .collect::<String>()
            .replace('\n', " ");
        let _ = writeln!(
            s,
            "  {:<6} {:<12} {:<9} lines {}-{}  {}",
            p.number.map_or("-".to_string(), |n| n.to_string()),
            mark,
            p.origin.as_str(),
            p.lines.first,
            p.lines.last,
            first
        );
    }
    if let Some(sig) = &doc.signature {
        let _ = writeln!(s, "  signature   {}", sig.text);
    }
    for d in &doc.diagnostics {
        let _ = writeln!(
            s,
            "  {}:{}: {} {}: {}",
            d.line,
            d.column,
            d.code,
            d.severity(),
            d.message
        );
    }
    s
}
