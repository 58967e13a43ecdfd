//! Classification authority blocks wherever they stand: the last reading of the parser.
//!
//! Cables print their Classified By block under the header, where the header scanner cuts
//! it out; other documents print the block at the top, at the foot of the first page, after
//! the signature, or run into a banner line (`… DERIVED FROM: NSA/CSSM 1-52, DATED 08 JAN
//! 2007 DECLASSIFY ON: 20320108`). This pass reads every line for the block's labels, new
//! (`Classified By:`, `Derived From:`, `Reason:`, `Declassify On:`) and old (`CL BY`,
//! `DRV FM`, `CL REASON`, `DECL ON`), and gathers neighbouring ones into [`Authority`]
//! blocks. It only reads: which element a line belongs to, and so what is released, is the
//! segmenter's decision, never changed here.

use crate::document::{Authority, Declassify, Document, LineSpan};
use regex::Regex;
use std::sync::LazyLock;

/// A label of the block, anywhere in a line, with its separator.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(CLASSIFIED\s+BY|DERIVED\s+FROM|DECLASSIFY\s+ON|DECL\s+ON|DRV\s+FM|CL\s+BY|CL\s+REASON|REASONS?(?:\s+FOR\s+CLASSIFICATION)?|DATED)\b[ \t]*[:;]?",
    )
    .expect("static regex")
});

/// Lines between two fields of one block (a blank line, a wrapped value).
const MAX_GAP: usize = 2;
/// The longest value taken from the line under an empty label (`Declassify On:` right-aligned
/// with its value below).
const MAX_VALUE_BELOW: usize = 40;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    ClassifiedBy,
    DerivedFrom,
    Reason,
    Declassify,
    Dated,
}

/// One label found: its field, whether printed in the older form, the value after it.
struct Found {
    field: Field,
    legacy: bool,
    value: String,
}

/// Reads every authority block of the document into `doc.header.authority`.
pub fn read(doc: &mut Document) {
    let mut blocks: Vec<Authority> = Vec::new();
    let mut last_line = 0;
    for (i, line) in doc.lines.iter().enumerate() {
        // Every label has a colon after it or is an old upper-case form: most lines have
        // neither, and skip the search.
        if !(line.contains(':')
            || line.contains("CL ")
            || line.contains("DECL")
            || line.contains("DRV"))
        {
            continue;
        }
        let found = fields(line);
        if found.is_empty() {
            continue;
        }
        let n = i + 1;
        let opens = found
            .iter()
            .any(|f| !matches!(f.field, Field::Reason | Field::Dated));
        let joins = blocks
            .last()
            .is_some_and(|b| n <= last_line + MAX_GAP + 1 && b.lines.last < n);
        if !joins && !opens {
            // `Reason:` or `Dated:` alone is a block's only when it follows one.
            continue;
        }
        if !joins {
            blocks.push(Authority {
                lines: LineSpan::one(n),
                classified_by: None,
                derived_from: None,
                reason: None,
                declassify: None,
                legacy: false,
            });
        }
        let block = blocks
            .last_mut()
            .expect("a block was just pushed or joined");
        block.lines.last = n;
        last_line = n;
        for f in found {
            block.legacy |= f.legacy;
            let value = if f.value.is_empty() {
                value_below(doc, n).unwrap_or_default()
            } else {
                f.value
            };
            let slot = match f.field {
                Field::ClassifiedBy => &mut block.classified_by,
                Field::DerivedFrom => &mut block.derived_from,
                Field::Reason => &mut block.reason,
                Field::Dated => continue,
                Field::Declassify => {
                    if block.declassify.is_none() && !value.is_empty() {
                        block.declassify = Some(declassify(&value));
                    }
                    continue;
                }
            };
            if slot.is_none() && !value.is_empty() {
                *slot = Some(value);
            }
        }
    }
    doc.header.authority = blocks;
}

/// The labels on one line and the value after each, up to the next label.
fn fields(line: &str) -> Vec<Found> {
    let starts_at = line
        .trim_start()
        .trim_start_matches("(U)")
        .trim_start()
        .len();
    let line_start = line.len() - starts_at;
    // An upper-case label counts without a colon in its old form, at the line start, or
    // after another label of the line (`… 1-52, DATED 08 JAN 2007 DECLASSIFY ON: …`).
    let mut seen = false;
    let matches: Vec<regex::Match<'_>> = LABEL
        .find_iter(line)
        .filter(|m| {
            let text = m.as_str();
            let word = text.trim_end_matches([':', ';', ' ', '\t']);
            let colon = text.ends_with([':', ';']);
            let upper = word == word.to_ascii_uppercase();
            let legacy = is_legacy(word);
            let ok = colon || (upper && (legacy || seen || m.start() == line_start));
            seen |= ok;
            ok
        })
        .collect();
    let mut out = Vec::with_capacity(matches.len());
    for (k, m) in matches.iter().enumerate() {
        let end = matches.get(k + 1).map_or(line.len(), |next| next.start());
        let word = m.as_str().trim_end_matches([':', ';', ' ', '\t']);
        let upper = word.to_ascii_uppercase();
        let upper: String = upper.split_whitespace().collect::<Vec<_>>().join(" ");
        let field = match upper.as_str() {
            "CLASSIFIED BY" | "CL BY" => Field::ClassifiedBy,
            "DERIVED FROM" | "DRV FM" => Field::DerivedFrom,
            "DECLASSIFY ON" | "DECL ON" => Field::Declassify,
            "DATED" => Field::Dated,
            _ => Field::Reason,
        };
        let value = line[m.end()..end]
            .trim()
            .trim_end_matches([',', ';'])
            .trim()
            .to_string();
        out.push(Found {
            field,
            legacy: is_legacy(word),
            value,
        });
    }
    out
}

fn is_legacy(word: &str) -> bool {
    let w: String = word.split_whitespace().collect::<Vec<_>>().join(" ");
    matches!(w.as_str(), "CL BY" | "DECL ON" | "DRV FM" | "CL REASON")
}

/// The value printed on the next non-blank line under an empty label, when short.
fn value_below(doc: &Document, n: usize) -> Option<String> {
    (n + 1..=n + MAX_GAP)
        .map(|k| doc.line(k).trim())
        .find(|t| !t.is_empty())
        .filter(|t| t.chars().count() <= MAX_VALUE_BELOW && fields(t).is_empty())
        .map(str::to_string)
}

/// A `Declassify On` value as the E.O. line's reader keeps it: raw, and the date when the
/// value opens with one.
fn declassify(value: &str) -> Declassify {
    let date = crate::document::date::read_instruction(value).date();
    Declassify {
        raw: value.to_string(),
        date,
        token: date.is_none().then(|| value.to_ascii_uppercase()),
    }
}

#[cfg(test)]
mod tests {
    use crate::document::DeclassifyOn;
    use crate::parse::parse_str;

    #[test]
    fn a_block_at_the_foot_of_a_memo() {
        let text = "SECRET//NOFORN\n\n1. (S//NF) The program.\n\n\
                    Derived From: NSA/CSSM 1-52\n\
                    Dated: 20070108\n\
                    Declassify On: 20320108\n\nSECRET//NOFORN\n";
        let doc = parse_str(text).expect("parses");
        let a = &doc.header.authority;
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].derived_from.as_deref(), Some("NSA/CSSM 1-52"));
        assert_eq!(a[0].lines.first, 5);
        assert_eq!(a[0].lines.last, 7);
        let d = doc.declassify().expect("read");
        assert_eq!(d.date.map(|d| d.to_string()).as_deref(), Some("2032-01-08"));
        assert!(matches!(d.instruction(), DeclassifyOn::Date(_)));
    }

    #[test]
    fn a_block_run_into_one_line() {
        let text = "TOP SECRET//SI//REL\n\n(U) Text.\n\n\
                    TOP SECRET//SI//REL DERIVED FROM: NSA/CSSM 1-52, DATED 08 JAN 2007 DECLASSIFY ON: 25X1\n";
        let doc = parse_str(text).expect("parses");
        let a = &doc.header.authority[0];
        assert_eq!(a.derived_from.as_deref(), Some("NSA/CSSM 1-52"));
        let d = a.declassify.as_ref().expect("read");
        assert_eq!(
            d.instruction(),
            DeclassifyOn::Exemption {
                code: "25X1".into(),
                date: None
            }
        );
    }

    #[test]
    fn legacy_forms() {
        let text = "SECRET\n\n1. (S) Text of the memo.\n\n\
                    CL BY 0053212\nCL REASON 1.5 (C)\nDECL ON OADR\nDRV FM HUM 4-82\n";
        let doc = parse_str(text).expect("parses");
        let a = &doc.header.authority[0];
        assert!(a.legacy);
        assert_eq!(a.classified_by.as_deref(), Some("0053212"));
        assert_eq!(a.reason.as_deref(), Some("1.5 (C)"));
        assert_eq!(a.derived_from.as_deref(), Some("HUM 4-82"));
        assert_eq!(
            a.declassify.as_ref().map(|d| d.instruction()),
            Some(DeclassifyOn::Oadr)
        );
    }

    #[test]
    fn prose_is_no_block() {
        let text = "UNCLASSIFIED\n\n1. (U) The paper was classified by the agency and dated \
                    in May; the reason was not given.\n";
        let doc = parse_str(text).expect("parses");
        assert!(
            doc.header.authority.is_empty(),
            "{:?}",
            doc.header.authority
        );
    }
}
