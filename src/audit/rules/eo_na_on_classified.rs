//! DCL033 eo-na-on-classified: `E.O. 12958: N/A` on a classified document.
//!
//! Why: `N/A` is the E.O. line of unclassified cables: it says no declassification
//! instruction applies. On a classified document it leaves the information with no date
//! or event for declassification, and usually means the banner or a portion is wrong.
//!
//! Example:
//! ```text
//! C O N F I D E N T I A L ROME 000123
//! E.O. 12958: N/A   <- DCL033
//! ```

use crate::audit::{AuditContext, Facts, Rule, find_column, first_column};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;

pub struct EoNaOnClassified;

impl Rule for EoNaOnClassified {
    fn code(&self) -> Code {
        Code::EoNaOnClassified
    }

    fn check(
        &self,
        doc: &Document,
        facts: &Facts<'_>,
        _ctx: &AuditContext,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(eo) = &doc.header.eo else { return };
        let na = eo
            .declassify
            .as_ref()
            .and_then(|d| d.token.as_deref())
            .is_some_and(|t| t.starts_with("N/A") || t == "NA");
        if !na || !facts.classified {
            return;
        }
        let line = eo.lines.first;
        let text = doc.line(line);
        let column = find_column(text, "N/A")
            .or_else(|| find_column(text, "NA"))
            .unwrap_or_else(|| first_column(text));
        out.push(Diagnostic::new(
            self.code(),
            line,
            column,
            format!("E.O. {}: N/A on a classified document", eo.order),
        ));
    }
}
