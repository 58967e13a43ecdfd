//! DCL040 missing-declassification: a classified document with no E.O. line, no value
//! after `DECL:`, or a value that is neither a date, an event, nor a known code.
//!
//! Why: the declassification instruction is what frees the information later; without a
//! readable one nobody can tell when the document may be released. A value that starts
//! like a date but is not one (`05/02/207`, `13/40/2017`) is as good as none. `N/A` is
//! DCL033's. An E.O. line the parser could not cut out (glued onto an office line,
//! `E.0.` in OCR text) is not reported missing.
//!
//! The instruction judged is the one release reads ([`Document::declassify`]): the E.O.
//! line's value, else the first authority block's `Declassify On` (`Declassify On:
//! 20320108`, `DECL ON: X1`, `E2 IMPDET`, a value under an OCR-damaged label), else a
//! banner's declassification field (`TOP SECRET//SI//20291123`). A label with no value
//! (cut or redacted) gives release nothing to read, and is reported here too. A block
//! that names its authority but has no `Declassify On`, in a document whose only
//! instruction is a banner's field, is reported at the block: the field is the older
//! banner form, the block's line is where the instruction belongs.
//!
//! Example:
//! ```text
//! C O N F I D E N T I A L PRAGUE 000123
//! E.O. 12958: DECL:        <- DCL040: no value
//! ```

use super::{Findings, Rule, Scope, Source, decl_location, instruction};
use crate::audit::{document_location, header_mentions, short};
use crate::diagnostic::Code;
use crate::document::Declassify;
use regex::Regex;
use std::sync::LazyLock;

/// Exemption and legacy codes that start with a digit or stand alone.
static CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(1\.6\s*)?X[1-8]\b|^(25|50)X\d|^75X\b").expect("static regex"));

static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)E\.\s?[O0]\.?\s*1\d{4}\b|\bEO\s*1\d{4}\b").expect("static regex")
});

/// A value is unreadable when it starts with a digit and is neither a date nor a code;
/// words are events (`AFTER KOREAN UNIFICATION`) or legacy tokens, judged elsewhere.
fn unreadable(d: &Declassify) -> bool {
    let Some(token) = &d.token else { return false };
    token.starts_with(|c: char| c.is_ascii_digit()) && !CODE.is_match(token)
}

pub const RULE: Rule = Rule {
    code: Code::MissingDeclassification,
    check,
};

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    // A newsletter article or web page with no field of a block at all is DCL091's.
    if !facts.classified || super::page_without_authority::applies(doc, facts) {
        return;
    }
    // The first block that names its authority: where a missing `Declassify On` is
    // reported (a lone `Declassify On` is a block of its own, and has one).
    let block = doc
        .header
        .authority
        .iter()
        .find(|a| a.classified_by.is_some() || a.derived_from.is_some());
    let (line, column, message) = match instruction(doc) {
        // The block names who classified, and the instruction is only a banner's
        // field: the block lacks the line 32 CFR 2001.21(a)(4) puts it on.
        Some(at)
            if at.source == Source::Banner
                && let Some(block) = block =>
        {
            let line = block.lines.first;
            (
                line,
                crate::audit::first_column(doc.line(line)),
                format!(
                    "authority block has no Declassify On line (only the banner at line {} carries a declassification field)",
                    at.line
                ),
            )
        }
        // Only an E.O. line's value is judged: a block's or a banner's value that
        // does not read as a date is OCR damage far more often than a defect.
        Some(at) if at.source == Source::EoLine && unreadable(at.declassify) => (
            at.line,
            at.column,
            format!(
                "cannot read declassification value `{}`",
                short(&at.declassify.raw)
            ),
        ),
        Some(_) => return,
        None => match &doc.header.eo {
            Some(eo) => {
                let (line, column) = decl_location(doc, eo);
                (
                    line,
                    column,
                    format!("E.O. {} line has no declassification value", eo.order),
                )
            }
            None if header_mentions(doc, &MENTION) => return,
            None => {
                // At the authority block when there is one, else at the top.
                // Its first line as either reader finds it (the view also reads a
                // `Classified By` whose colon was lost).
                let block = doc
                    .header
                    .authority
                    .first()
                    .map(|a| a.lines.first)
                    .into_iter()
                    .chain(facts.view.authority().first_line())
                    .min();
                let (line, column) = block.map_or_else(
                    || document_location(doc),
                    |l| (l, crate::audit::first_column(doc.line(l))),
                );
                (
                    line,
                    column,
                    "classified document without an E.O. line or declassification value"
                        .to_string(),
                )
            }
        },
    };
    out.add(line, column, message);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(raw: &str) -> Declassify {
        crate::parse::fields::read_declassify(&format!("DECL: {raw}")).expect("value")
    }

    fn findings(text: &str) -> (Vec<(Code, usize)>, crate::document::Document) {
        let doc = crate::parse::parse_str(text).expect("parses");
        let ctx = crate::audit::AuditContext {
            as_of: crate::document::Date::new(2026, 1, 1).expect("date"),
        };
        let found = crate::audit::audit(&doc, &ctx)
            .into_iter()
            .filter(|d| {
                matches!(
                    d.code,
                    Code::MissingDeclassification | Code::DeclassificationDue
                )
            })
            .map(|d| (d.code, d.line))
            .collect();
        (found, doc)
    }

    /// The audit judges the instruction release reads: `Document::declassify`.
    #[test]
    fn the_instruction_is_the_one_release_reads() {
        let body = "SECRET//NOFORN\n\n(S//NF) The program runs.\n\n";
        // A block at the foot: due at its line, and the date is the document's.
        let (found, doc) = findings(&format!(
            "{body}Derived From: NSA/CSSM 1-52\nDated: 20070108\nDeclassify On: 20170108\n\
             SECRET//NOFORN\n"
        ));
        assert_eq!(found, [(Code::DeclassificationDue, 7)]);
        assert_eq!(
            doc.declassify().and_then(|d| d.date),
            crate::document::Date::new(2017, 1, 8)
        );
        // A label OCR damaged past reading under the block: release reads the date, so
        // the audit does not call it missing.
        let (found, doc) = findings(&format!(
            "{body}Derived From: NSA/CSSM 1-52\nDated: 20070108\ni: 20340401\nSECRET//NOFORN\n"
        ));
        assert!(doc.declassify().is_some());
        assert_eq!(found, []);
        // The block lacks its Declassify On; only the banner carries a date: at the block.
        let (found, doc) = findings(
            "SECRET//NOFORN//20320108\n\n(S//NF) The program runs.\n\n\
             Derived From: NSA/CSSM 1-52\nDated: 20070108\n\nSECRET//NOFORN//20320108\n",
        );
        assert!(doc.declassify().is_some());
        assert_eq!(found, [(Code::MissingDeclassification, 5)]);
        // Nothing at all: at the block, and release has nothing either.
        let (found, doc) = findings(&format!(
            "{body}Derived From: NSA/CSSM 1-52\nDated: 20070108\n\nSECRET//NOFORN\n"
        ));
        assert!(doc.declassify().is_none());
        assert_eq!(found, [(Code::MissingDeclassification, 5)]);
    }

    #[test]
    fn dates_codes_and_events_are_readable() {
        for ok in [
            "05/02/2017",
            "1.6X1",
            "X5",
            "25X1, 20600129",
            "50X1-HUM",
            "AFTER UNIFICATION",
            "OADR",
        ] {
            assert!(!unreadable(&decl(ok)), "{ok}");
        }
        for bad in ["05/02/207", "13/40/2017", "2017"] {
            assert!(unreadable(&decl(bad)), "{bad}");
        }
    }
}
