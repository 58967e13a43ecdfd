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

use super::shown;
use crate::audit::{AuditContext, Facts, Rule};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use crate::marking::ControlKind;

pub struct SbuOnClassified;

impl Rule for SbuOnClassified {
    fn code(&self) -> Code {
        Code::SbuOnClassified
    }

    fn check(
        &self,
        _doc: &Document,
        facts: &Facts<'_>,
        _ctx: &AuditContext,
        out: &mut Vec<Diagnostic>,
    ) {
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
                out.push(Diagnostic::new(self.code(), p.line, p.column, message));
            }
        }
    }
}
