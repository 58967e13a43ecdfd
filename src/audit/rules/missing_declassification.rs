//! DCL040 missing-declassification: a classified document with no E.O. line, no value
//! after `DECL:`, or a value that is neither a date, an event, nor a known code.
//!
//! Why: the declassification instruction is what frees the information later; without a
//! readable one nobody can tell when the document may be released. A value that starts
//! like a date but is not one (`05/02/207`, `13/40/2017`) is as good as none. `N/A` is
//! DCL033's. An E.O. line the parser could not cut out (glued onto an office line,
//! `E.0.` in OCR text) is not reported missing.
//!
//! Example:
//! ```text
//! C O N F I D E N T I A L PRAGUE 000123
//! E.O. 12958: DECL:        <- DCL040: no value
//! ```

use super::decl_location;
use crate::audit::{AuditContext, Facts, Rule, document_location, header_mentions, short};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Declassify, Document};
use regex::Regex;
use std::sync::LazyLock;

pub struct MissingDeclassification;

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

impl Rule for MissingDeclassification {
    fn code(&self) -> Code {
        Code::MissingDeclassification
    }

    fn check(
        &self,
        doc: &Document,
        facts: &Facts<'_>,
        _ctx: &AuditContext,
        out: &mut Vec<Diagnostic>,
    ) {
        if !facts.classified {
            return;
        }
        let (line, column, message) = match &doc.header.eo {
            None if header_mentions(doc, &MENTION) => return,
            None if facts.view.authority.declassify.is_some() => return,
            None => {
                // At the authority block when there is one, else at the top.
                let (line, column) = facts.view.authority.first_line().map_or_else(
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
            Some(eo) => match &eo.declassify {
                None => {
                    let (line, column) = decl_location(doc, eo);
                    (
                        line,
                        column,
                        format!("E.O. {} line has no declassification value", eo.order),
                    )
                }
                Some(d) if unreadable(d) => {
                    let (line, column) = decl_location(doc, eo);
                    (
                        line,
                        column,
                        format!("cannot read declassification value `{}`", short(&d.raw)),
                    )
                }
                Some(_) => return,
            },
        };
        out.push(Diagnostic::new(self.code(), line, column, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(raw: &str) -> Declassify {
        crate::parse::fields::read_declassify(&format!("DECL: {raw}")).expect("value")
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
