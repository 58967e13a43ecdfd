//! DCL012 portion-control-not-in-banner: a control that rolls up from a portion (NOFORN,
//! ORCON, EXDIS, SBU on an unclassified document…) is missing from the banner.
//!
//! Why: dissemination controls protect the whole document only from the banner; a
//! `(S//NF)` paragraph under a plain SECRET banner can be released abroad by mistake.
//! The required banner is [`crate::marking::rollup::rollup`] of the readable portions;
//! REL TO lists are DCL014's, so NOFORN is not asked for here when the banner has REL TO.
//!
//! Example:
//! ```text
//! S E C R E T STATE 000123
//! 1. (S/NF) ...     <- DCL012 at ¶1: NOFORN is not in the banner SECRET
//! ```

use super::{compare, satisfies, shown};
use crate::audit::{AuditContext, Rule};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use crate::marking::{Control, ControlKind};

pub struct PortionControlNotInBanner;

impl Rule for PortionControlNotInBanner {
    fn code(&self) -> Code {
        Code::PortionControlNotInBanner
    }

    fn check(&self, doc: &Document, _ctx: &AuditContext, out: &mut Vec<Diagnostic>) {
        let Some(cmp) = compare(doc) else { return };
        let banner = &cmp.banner.marking;
        for control in &cmp.rolled.controls {
            let kind = control.kind();
            let present = match control {
                Control::Sci(_) | Control::Sap(_) | Control::Aea(_) => {
                    banner.controls.contains(control)
                }
                Control::RelTo(_) => true,
                Control::Noforn if banner.has(ControlKind::RelTo) => true,
                _ => satisfies(banner, kind),
            };
            if present {
                continue;
            }
            // Point at the first portion that brings the control in.
            let source = cmp.portions.iter().find(|p| match kind {
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
            let (line, column, from) = source.map_or((cmp.banner.line, 1, String::new()), |p| {
                (
                    p.line,
                    p.column,
                    format!("{} {} requires it; ", p.label, shown(p.marking)),
                )
            });
            out.push(
                Diagnostic::new(
                    self.code(),
                    line,
                    column,
                    format!(
                        "{} is missing from the banner: {}the banner {} does not carry it",
                        control.banner_form(),
                        from,
                        banner.banner()
                    ),
                )
                .with_fix(cmp.rolled.banner()),
            );
        }
    }
}
