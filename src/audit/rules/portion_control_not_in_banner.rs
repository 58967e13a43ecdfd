//! DCL012 portion-control-not-in-banner: a control that rolls up from a portion (NOFORN,
//! ORCON, EXDIS, SBU on an unclassified document…) is missing from the banner.
//!
//! Why: dissemination controls protect the whole document only from the banner; a
//! `(S//NF)` paragraph under a plain SECRET banner can be released abroad by mistake.
//! The required banner is [`crate::marking::rollup::rollup`] of the readable portions;
//! REL TO lists are DCL014's, so NOFORN is not asked for here when the banner has REL TO.
//! A bare SCI system in a portion (`SI`) is carried by a banner that names a compartment
//! of it (`SI-GAMMA`): the compartment says the system.
//!
//! Example:
//! ```text
//! S E C R E T STATE 000123
//! 1. (S/NF) ...     <- DCL012 at ¶1: NOFORN is not in the banner SECRET
//! ```

use super::{Findings, Rule, Scope, carries_system, is_noforn, satisfies, shown};
use crate::diagnostic::Code;
use crate::marking::rollup::roll_up;
use crate::marking::{Control, ControlKind, Level, Marking};

pub const RULE: Rule = Rule {
    code: Code::PortionControlNotInBanner,
    check,
};

fn check(Scope { facts, .. }: Scope<'_>, out: &mut Findings<'_>) {
    let Some(cmp) = &facts.comparison else { return };
    let banner = &cmp.banner.marking;
    for control in required(&cmp.rolled, banner.level) {
        let kind = control.kind();
        let present = match &control {
            Control::Sci(_) | Control::Sap(_) | Control::Aea(_) => carries_system(banner, &control),
            Control::RelTo(_) => true,
            Control::Noforn if banner.has(ControlKind::RelTo) => true,
            _ => satisfies(banner, kind),
        };
        if present {
            continue;
        }
        // Point at the first portion that brings the control in.
        let source = facts.portions.iter().find(|p| match kind {
            ControlKind::Noforn => p.marking.kinds().any(|k| {
                k.is_noforn_family()
                    || matches!(
                        k,
                        ControlKind::Exdis | ControlKind::Nodis | ControlKind::RelTo
                    )
            }),
            ControlKind::SbuNf => p.marking.has(kind) || p.marking.has(ControlKind::Noforn),
            _ => satisfies(p.marking, kind),
        });
        let (line, column, why) = source.map_or((cmp.banner.line, 1, String::new()), |p| {
            let why = if kind == ControlKind::Noforn
                && p.marking.has(ControlKind::RelTo)
                && !is_noforn(p.marking)
            {
                "is REL TO and other portions are not, which makes the document NOFORN"
            } else {
                "requires it"
            };
            (
                p.line,
                p.column,
                format!("{} {} {why}; ", p.label, shown(p.marking)),
            )
        });
        let mut fixed = banner.clone();
        fixed.controls.insert(control.clone());
        out.add_with_fix(
            line,
            column,
            format!(
                "{} is missing from the banner: {}the banner {} does not carry it",
                control.banner_form(),
                why,
                banner.banner()
            ),
            fixed.banner(),
        );
    }
}

/// The controls the banner must carry: the roll-up taken again at the banner's level, so a
/// classified banner over U portions takes the classified rules (no SBU, FOUO or CUI;
/// SBU NOFORN becomes NOFORN), from the control table's roll-up column.
fn required(rolled: &Marking, banner: Level) -> Vec<Control> {
    let at = roll_up([rolled], false, banner);
    at.marking.controls.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;

    fn dcl012(text: &str) -> Vec<String> {
        crate::audit::audit_text(text)
            .into_iter()
            .filter(|d| d.code == Code::PortionControlNotInBanner)
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn a_compartment_in_the_banner_carries_its_bare_system() {
        let text =
            "TOP SECRET//SI-GAMMA//NOFORN\n\n(TS//SI//NF) The station reported the meeting.\n";
        assert!(dcl012(text).is_empty(), "{:?}", dcl012(text));
    }

    #[test]
    fn a_bare_system_in_the_banner_does_not_carry_a_compartment() {
        let text =
            "TOP SECRET//SI//NOFORN\n\n(TS//SI-GAMMA//NF) The station reported the meeting.\n";
        let found = dcl012(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("SI-G"), "{found:?}");
    }
}
