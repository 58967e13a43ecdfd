//! DCL023 orcon-on-unclassified: ORCON (or ORCON-USGOV) on an unclassified portion.
//!
//! Why: ORCON lets the originator control further dissemination of classified
//! intelligence and may be used only with C, S or TS (CAPCO Register H.9); on a U
//! portion the level or the control is wrong.
//!
//! Example:
//! ```text
//! 4. (U//OC) ...    <- DCL023
//! ```

use super::{Findings, Rule, Scope, shown};
use crate::diagnostic::Code;
use crate::marking::ControlKind;

pub const RULE: Rule = Rule {
    code: Code::OrconOnUnclassified,
    check,
};

fn check(Scope { facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    for p in &facts.portions {
        let orcon = p.marking.has(ControlKind::Orcon) || p.marking.has(ControlKind::OrconUsgov);
        if orcon && !p.marking.level.is_classified() {
            let message = format!(
                "{} {} carries ORCON on an unclassified portion",
                p.label,
                shown(p.marking)
            );
            out.add(p.line, p.column, message);
        }
    }
}
