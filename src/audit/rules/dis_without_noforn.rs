//! DCL021 dis-without-noforn: EXDIS or NODIS without NOFORN, or both together.
//!
//! Why: under current rules EXDIS and NODIS each require NOFORN (the distribution is
//! limited to named US offices, so foreign release contradicts it), and NODIS takes the
//! place of EXDIS rather than standing beside it. Checked on every portion and on the
//! banner with its captions (`EXDIS` under a CONFIDENTIAL line).
//!
//! Example:
//! ```text
//! C O N F I D E N T I A L STATE 000123
//! EXDIS             <- DCL021 at the banner: EXDIS without NOFORN
//! ```

use super::{Findings, Rule, Scope, is_noforn, shown};
use crate::audit::document_location;
use crate::diagnostic::Code;
use crate::marking::{ControlKind, Marking};

/// What is wrong with the marking's distribution controls, if anything.
fn problem(m: &Marking) -> Option<&'static str> {
    let (exdis, nodis) = (m.has(ControlKind::Exdis), m.has(ControlKind::Nodis));
    if exdis && nodis {
        Some("carries both EXDIS and NODIS")
    } else if (exdis || nodis) && !is_noforn(m) {
        Some(if nodis {
            "carries NODIS without NOFORN"
        } else {
            "carries EXDIS without NOFORN"
        })
    } else {
        None
    }
}

pub const RULE: Rule = Rule {
    code: Code::DisWithoutNoforn,
    check,
};

fn check(Scope { doc, facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    for p in &facts.portions {
        if let Some(what) = problem(p.marking) {
            let message = format!("{} {} {what}", p.label, shown(p.marking));
            out.add(p.line, p.column, message);
        }
    }
    if let Some(b) = &doc.header.banner
        && let Some(what) = problem(&b.marking)
    {
        let (line, column) = document_location(doc);
        let message = format!("banner {} {what}", b.marking.banner());
        out.add_with_fix(line, column, message, "add a NOFORN caption");
    }
}
