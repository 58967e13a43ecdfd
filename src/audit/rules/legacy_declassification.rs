//! DCL042 legacy-declassification: a declassification token used after the order that
//! defined it was replaced.
//!
//! Why: each order had its own tokens, and a token past its cut-off has no meaning under
//! the order in force: GDS and XGDS (E.O. 11652) after 1 Dec 1978, RDS (E.O. 12065)
//! after 1 Aug 1982, OADR (E.O. 12356) after 14 Oct 1995, the X1–X8 exemptions (E.O.
//! 12958 §1.6(d)) from 22 Sep 2003, 25X1-human after 27 Jun 2010 (now 50X1-HUM). When
//! reused, such values become the source date + 25 years. Before its cut-off a token is
//! correct and not reported. The token is the one release reads
//! ([`Document::declassify`]): the E.O. line's, else an authority block's (`DECL X1`).
//!
//! Example:
//! ```text
//! O 031330Z MAY 07
//! E.O. 12958: DECL: 1.6X1   <- DCL042: X1 ended 22 Sep 2003
//! ```

use super::{Findings, Rule, Scope, amendment_2003, instruction, on_or_after};
use crate::diagnostic::Code;
use crate::document::Date;
use regex::Regex;
use std::sync::LazyLock;

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(XGDS|GDS)|(RDS)|(OADR)|(?:1\.6\s*)?(X[1-8])\b|(25X1-HUM))")
        .expect("static regex")
});

/// The token's name and the first day it no longer applies.
fn cutoff(token: &str) -> Option<(String, Date, &'static str)> {
    let caps = TOKEN.captures(token)?;
    let date = |y, m, d| Date::new(y, m, d).expect("valid date");
    let (group, day, order) = if let Some(g) = caps.get(1) {
        (g, date(1978, 12, 1), "E.O. 11652")
    } else if let Some(g) = caps.get(2) {
        (g, date(1982, 8, 1), "E.O. 12065")
    } else if let Some(g) = caps.get(3) {
        (g, date(1995, 10, 15), "E.O. 12356")
    } else if let Some(g) = caps.get(4) {
        (g, amendment_2003(), "E.O. 12958 before its 2003 amendment")
    } else {
        (caps.get(5)?, date(2010, 6, 27), "E.O. 12958 (now 50X1-HUM)")
    };
    Some((group.as_str().to_string(), day, order))
}

pub const RULE: Rule = Rule {
    code: Code::LegacyDeclassification,
    check,
};

fn check(Scope { doc, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let Some(at) = instruction(doc) else { return };
    let Some(token) = at.declassify.token.as_deref() else {
        return;
    };
    let Some((name, day, order)) = cutoff(token) else {
        return;
    };
    if on_or_after(doc, day) != Some(true) {
        return;
    }
    out.add(
        at.line,
        at.column,
        format!("declassification token {name} belongs to {order}, replaced on {day}"),
    );
}
