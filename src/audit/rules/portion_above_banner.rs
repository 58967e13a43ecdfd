//! DCL083 portion-above-banner: a portion marked above every banner of the document.
//!
//! Why: the banner states the most a document holds; a portion above every banner line
//! is either over-classified or the banners are all too low, and either way the
//! document travels under a lower classification than it contains. Reported at the
//! portion, where the writer sees the mark that does not fit.
//!
//! Example:
//! ```text
//! SECRET//NOFORN
//! (TS//SI//NF) Text.   <- DCL083
//! SECRET//NOFORN
//! ```

use super::{Findings, Rule, Scope};
use crate::diagnostic::Code;

pub const RULE: Rule = Rule {
    code: Code::PortionAboveBanner,
    check,
};

fn check(Scope { facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let view = &facts.view;
    let Some(top) = view.banners.iter().map(|b| b.marking.level).max() else {
        return;
    };
    for (p, mark) in view.marked().filter(|(_, m)| m.level > top) {
        out.add(
            p.line,
            p.column,
            format!(
                "portion {} is above every banner of the document (the highest is {})",
                super::shown(mark),
                top.title()
            ),
        );
    }
}
