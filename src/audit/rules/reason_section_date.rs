//! DCL032 reason-section-date: the reason section does not fit the document date:
//! `1.5` cited on or after 22 Sep 2003, or `1.4` before it.
//!
//! Why: E.O. 12958 as amended moved the reasons from section 1.5 to 1.4 (and added
//! (h)); ISOO dates the marking change 22 Sep 2003. A citation of the wrong section
//! points at the wrong text of the order. When only the year is known, 2003 itself is
//! not judged, nor are cables under the orders before E.O. 12958, whose Classified By
//! line, when there is one, was added at a later review and cites the order of its day.
//!
//! Example:
//! ```text
//! O 031330Z MAY 07
//! Classified By: DCM X, reasons 1.5 (b) and (d).   <- DCL032: 1.5 in 2007
//! ```

use super::{Findings, Rule, Scope, amendment_2003, cab_location, on_or_after};
use crate::diagnostic::Code;

pub const RULE: Rule = Rule {
    code: Code::ReasonSectionDate,
    check,
};

fn check(Scope { doc, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let Some(cab) = &doc.header.classified_by else {
        return;
    };
    let old_order = doc
        .header
        .eo
        .as_ref()
        .is_some_and(|eo| super::missing_authority::PRE_12958.contains(&eo.order.as_str()));
    if old_order {
        return;
    }
    let Some(after) = on_or_after(doc, amendment_2003()) else {
        return;
    };
    let (message, fix) = match (cab.section.as_deref(), after) {
        (Some("1.5"), true) => ("section 1.5 cited on or after 22 Sep 2003", "1.4"),
        (Some("1.4"), false) => ("section 1.4 cited before 22 Sep 2003", "1.5"),
        _ => return,
    };
    let (line, column) = cab_location(doc, cab);
    let dated = match doc.header.date {
        Some(d) => format!("document dated {d}"),
        None => format!("document of {}", doc.header.year.unwrap_or_default()),
    };
    out.add_with_fix(line, column, format!("{message} ({dated})"), fix);
}
