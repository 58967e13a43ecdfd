//! DCL041 declassification-out-of-range: the declassification date is before the
//! document date, or more than 25 years after it.
//!
//! Why: a date before the document means it was declassified before it was written (a
//! typo, usually a year: `DECL: 05/02/1017`); more than 25 years needs an exemption code
//! (25X#, 50X#), which a plain date does not cite (E.O. 12958 §1.5, 32 CFR 2001.21).
//! When only the year of the document is known, years are compared. The date is the
//! one release reads ([`Document::declassify`]), wherever it is printed.
//!
//! Example:
//! ```text
//! O 031330Z MAY 07
//! E.O. 12958: DECL: 05/02/2037   <- DCL041: 30 years after the document
//! ```

use super::{Findings, Rule, Scope, instruction};
use crate::audit::document_date;
use crate::diagnostic::Code;

pub const RULE: Rule = Rule {
    code: Code::DeclassificationOutOfRange,
    check,
};

fn check(Scope { doc, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let Some(at) = instruction(doc) else { return };
    let Some(decl) = at.declassify.date else {
        return;
    };
    let Some((dated, exact)) = document_date(doc) else {
        return;
    };
    let limit = dated.add_years(25);
    let (before, beyond) = if exact {
        (decl < dated, decl > limit)
    } else {
        (decl.year < dated.year, decl.year > limit.year)
    };
    let shown = if exact {
        dated.to_string()
    } else {
        dated.year.to_string()
    };
    let message = if before {
        format!("declassification date {decl} is before the document date {shown}")
    } else if beyond {
        format!(
            "declassification date {decl} is more than 25 years after the document date {shown}"
        )
    } else {
        return;
    };
    out.add(at.line, at.column, message);
}
