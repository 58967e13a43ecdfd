//! DCL022 sbu-on-classified: SBU (or SBU NOFORN, LOU, FOUO) on a classified portion.
//!
//! Why: SBU and its relatives are controls on unclassified information; on a C, S or TS
//! portion they say nothing the level does not, and the roll-up drops them, so the
//! writer probably meant something else (`(C/SBU)` for `(SBU)`, or NOFORN).
//!
//! Example:
//! ```text
//! 2. (C/SBU) ...    <- DCL022
//! ```

use super::{Findings, Rule, Scope, shown};
use crate::diagnostic::Code;
use crate::marking::ControlKind;

pub const RULE: Rule = Rule {
    code: Code::SbuOnClassified,
    check,
};

fn check(Scope { facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    for p in &facts.portions {
        if !p.marking.level.is_classified() {
            continue;
        }
        let found = [
            ControlKind::Sbu,
            ControlKind::SbuNf,
            ControlKind::Lou,
            ControlKind::Fouo,
        ]
        .into_iter()
        .find(|k| p.marking.has(*k));
        if let Some(kind) = found {
            let message = format!(
                "{} {} carries {} on a {} portion",
                p.label,
                shown(p.marking),
                kind.name(),
                p.marking.level.title()
            );
            out.add(p.line, p.column, message);
        }
    }
}
