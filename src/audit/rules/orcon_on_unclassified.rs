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

use super::shown;
use crate::audit::{AuditContext, Facts, Rule};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use crate::marking::ControlKind;

pub struct OrconOnUnclassified;

impl Rule for OrconOnUnclassified {
    fn code(&self) -> Code {
        Code::OrconOnUnclassified
    }

    fn check(
        &self,
        _doc: &Document,
        facts: &Facts<'_>,
        _ctx: &AuditContext,
        out: &mut Vec<Diagnostic>,
    ) {
        for p in &facts.portions {
            let orcon = p.marking.has(ControlKind::Orcon) || p.marking.has(ControlKind::OrconUsgov);
            if orcon && !p.marking.level.is_classified() {
                let message = format!(
                    "{} {} carries ORCON on an unclassified portion",
                    p.label,
                    shown(p.marking)
                );
                out.push(Diagnostic::new(self.code(), p.line, p.column, message));
            }
        }
    }
}
