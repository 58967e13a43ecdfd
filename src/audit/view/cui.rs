//! Reads the Controlled Unclassified Information markings of a document from its source
//! lines, for the CUI rules (DCL085–DCL088): the CUI banner lines (`CUI`, `CONTROLLED`,
//! `CUI//SP-PRVCY//FEDCON`), the designation indicator block (`Controlled by:`,
//! `CUI Category:`, `LDC:` / `Limited Dissemination Control:`, `POC:`) and the portion
//! marks `(CUI)` and `(CUI//…)`. The parser's model reads `(CUI)` as an unclassified
//! control and knows no CUI banner; the audit needs both to judge a CUI document. No I/O.

use crate::audit::first_column;
use crate::document::Document;
use regex::Regex;
use std::sync::LazyLock;

/// One CUI banner line.
pub struct CuiBanner {
    pub line: usize,
    pub column: usize,
    /// The limited dissemination controls and categories after `CUI//`, as printed.
    pub parts: Vec<String>,
}

/// What [`scan`] found; all lines are 1-based.
#[derive(Default)]
pub struct Cui {
    pub banners: Vec<CuiBanner>,
    /// First line of each designation indicator field.
    pub controlled_by: Option<usize>,
    pub category: Option<usize>,
    pub poc: Option<usize>,
    /// Every designation indicator line (LDC lines too): not portions.
    pub indicator: Vec<usize>,
    /// Lines with a `(CUI)` or `(CUI//…)` portion mark.
    pub marks: Vec<usize>,
}

impl Cui {
    /// Does the document mark itself as CUI at all?
    pub fn present(&self) -> bool {
        !self.banners.is_empty() || !self.marks.is_empty()
    }
}

/// A whole-line CUI banner: `CUI`, `CONTROLLED`, optionally followed by `//` parts.
static BANNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:CUI|CONTROLLED)\s*(?://\s*([A-Z][A-Z0-9 ,/\-]*?))?\s*$")
        .expect("static regex")
});

/// A designation indicator field at the start of a line.
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^\s*(?:(?P<by>controlled\s+by)|(?P<cat>(?:cui\s+)?categor(?:y|ies))",
        r"|(?P<ldc>limited\s+dissemination\s+controls?|ldc)|(?P<poc>poc))\s*:"
    ))
    .expect("static regex")
});

/// A CUI portion mark near the start of a line.
static MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\S{1,4}\s+)?\(CUI(?://[A-Z0-9 ,/\-]*)?\)").expect("static regex")
});

/// The limited dissemination controls of the CUI Registry.
pub const LDC: [&str; 9] = [
    "NOFORN",
    "FED ONLY",
    "FEDCON",
    "NOCON",
    "DL ONLY",
    "REL TO",
    "DISPLAY ONLY",
    "ATTORNEY-CLIENT",
    "ATTORNEY-WP",
];

/// The screen of [`MARK`], built once: `str::contains` builds a searcher on every line.
static CUI_MARK: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("(CUI"));

pub fn scan(doc: &Document) -> Cui {
    let mut cui = Cui::default();
    for (i, text) in doc.lines.iter().enumerate() {
        // Cheap screens before each regex (anchored ones start with known letters): a
        // capture on every line with a colon cost a fifth of the audit of cables.
        let t = text.trim_start();
        let line = i + 1;
        let banner_like = t.starts_with("CUI") || t.starts_with("CONTROLLED");
        if banner_like && let Some(c) = BANNER.captures(text) {
            let parts = c.get(1).map_or_else(Vec::new, |m| {
                m.as_str()
                    .split("//")
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect()
            });
            cui.banners.push(CuiBanner {
                line,
                column: first_column(text),
                parts,
            });
        } else if CUI_MARK.find(text.as_bytes()).is_some() && MARK.is_match(text) {
            cui.marks.push(line);
        } else if t.starts_with(['C', 'c', 'L', 'l', 'P', 'p'])
            && text.contains(':')
            && let Some(c) = FIELD.captures(text)
        {
            cui.indicator.push(line);
            let slot = if c.name("by").is_some() {
                &mut cui.controlled_by
            } else if c.name("cat").is_some() {
                &mut cui.category
            } else if c.name("poc").is_some() {
                &mut cui.poc
            } else {
                // An LDC line repeats what the banner carries; nothing to record.
                continue;
            };
            slot.get_or_insert(line);
        }
    }
    cui
}

/// Is `part` (one `//` part of a CUI banner) a known limited dissemination control, or a
/// category (`SP-PRVCY`, `PRVCY`: upper-case letters and hyphens, no spaces)?
pub fn known_part(part: &str) -> bool {
    LDC.contains(&part)
        || part.starts_with("REL TO ")
        || part.starts_with("DL ONLY")
        || (part.len() <= 16
            && part
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '-' || c == '/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_str;

    #[test]
    fn banners_fields_and_marks_are_read() {
        let doc = parse_str(
            "CUI//SP-PRVCY//FEDCON\n\nControlled by: DoD\nCUI Category: PRVCY\nPOC: J. Smith\n\n\
             (CUI) Names.\n\nCUI//SP-PRVCY//FEDCON\n",
        )
        .expect("parses");
        let c = scan(&doc);
        assert_eq!(c.banners.iter().map(|b| b.line).collect::<Vec<_>>(), [1, 9]);
        assert_eq!(c.banners[0].parts, ["SP-PRVCY", "FEDCON"]);
        assert_eq!(
            (c.controlled_by, c.category, c.poc),
            (Some(3), Some(4), Some(5))
        );
        assert_eq!(c.marks, [7]);
    }

    #[test]
    fn parts_known_and_unknown() {
        assert!(known_part("FEDCON"));
        assert!(known_part("REL TO USA, GBR"));
        assert!(known_part("SP-PRVCY"));
        assert!(!known_part("Fed Contractors"));
    }
}
