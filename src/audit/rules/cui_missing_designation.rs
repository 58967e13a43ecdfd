//! DCL085 cui-missing-designation: a CUI document without its designation indicator.
//!
//! Why: the first page of a CUI document must say who designated it (`Controlled by:`),
//! in which category (`CUI Category:`) and whom to ask (`POC:`) (32 CFR 2002.20(b)(3),
//! DoDI 5200.48); without them the holder cannot tell who may decontrol it or why it is
//! controlled. Reported at the first CUI banner line, naming the fields that are missing.
//!
//! Example:
//! ```text
//! CUI            <- DCL085: Controlled by, CUI Category, POC
//! (CUI) Text.
//! ```

use super::{Findings, Rule, Scope};
use crate::diagnostic::Code;

pub const RULE: Rule = Rule {
    code: Code::CuiMissingDesignation,
    check,
};

fn check(Scope { facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let cui = &facts.view.cui;
    let Some(first) = cui.banners.first() else {
        return;
    };
    let missing: Vec<&str> = [
        (cui.controlled_by, "Controlled by"),
        (cui.category, "CUI Category"),
        (cui.poc, "POC"),
    ]
    .into_iter()
    .filter_map(|(at, name)| at.is_none().then_some(name))
    .collect();
    if missing.is_empty() {
        return;
    }
    out.add(
        first.line,
        first.column,
        format!(
            "CUI document without its designation indicator: no {}",
            missing.join(", no ")
        ),
    );
}
