//! DCL031 reason-out-of-range: a classification reason letter outside the section's
//! range: (a)–(h) for section 1.4, (a)–(g) for section 1.5 before 2003.
//!
//! Why: each letter names a category of E.O. 12958 (1.4(b) foreign government
//! information, 1.4(d) foreign relations…); a letter outside the list cites nothing, so
//! the classification has no stated basis. Usually a typo (`1.4 (B) AND (O)`).
//!
//! Example:
//! ```text
//! Classified By: Ambassador X for reasons 1.4 (b) and (j).   <- DCL031: (j)
//! ```

use super::{Findings, Rule, Scope, cab_location};
use crate::diagnostic::Code;

pub const RULE: Rule = Rule {
    code: Code::ReasonOutOfRange,
    check,
};

fn check(Scope { doc, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let Some(cab) = &doc.header.classified_by else {
        return;
    };
    let last = match cab.section.as_deref() {
        Some("1.4") => 'h',
        Some("1.5") => 'g',
        _ => return,
    };
    let bad: Vec<String> = cab
        .reasons
        .iter()
        .filter(|c| !('a'..=last).contains(*c))
        .map(|c| format!("({c})"))
        .collect();
    if bad.is_empty() {
        return;
    }
    let (line, column) = cab_location(doc, cab);
    out.add(
        line,
        column,
        format!(
            "reason {} {} is outside (a)-({last})",
            cab.section.as_deref().unwrap_or(""),
            bad.join(", ")
        ),
    );
}
