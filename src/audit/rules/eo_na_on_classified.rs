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

use super::{Findings, Rule, Scope};
use crate::audit::{find_column, first_column};
use crate::diagnostic::Code;

pub const RULE: Rule = Rule {
    code: Code::EoNaOnClassified,
    check,
};

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
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
    out.add(
        line,
        column,
        format!("E.O. {}: N/A on a classified document", eo.order),
    );
}
